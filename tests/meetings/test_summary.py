"""The de-identified summary: written by the conveners, checked for anything that identifies a
participant, published by a reviewer only once every hit is rewritten or waived with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ccm.core.models import AuditEntry
from ccm.meetings import summary as service
from ccm.meetings.models import Meeting
from ccm.meetings.publish_models import HitDecision, Summary, SummaryStatus
from tests.meetings.world import make_meetings
from tests.personas import persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)
CLEAN = "Delegations said that funding for survey lagged behind clearance, and asked for multi-year grants."


@pytest.fixture
def closed() -> Meeting:
    return Meeting.objects.get(pk=make_meetings()["closed_meeting"])


def convener():  # type: ignore[no-untyped-def]
    return persona("other_state_manager").user


def reviewer():  # type: ignore[no-untyped-def]
    return persona("isu_editor").user


def _written(meeting: Meeting, text: str) -> Summary:
    summary = service.summary_save(meeting=meeting, text=text, title="Cooperation and assistance", actor=convener())
    return service.summary_submit(summary=summary, actor=convener())


def _hits(meeting: Meeting, text: str) -> list[tuple[str, str]]:
    summary = service.summary_save(meeting=meeting, text=text, actor=convener(), today=TODAY)
    return [(h.hit.matched, h.hit.term.kind) for h in service.check(summary, today=TODAY).hits]


def test_a_text_that_names_no_participant_has_no_hit_and_is_published(closed):
    summary = _written(closed, CLEAN)
    assert service.check(summary, today=TODAY).hits == []
    published = service.summary_publish(summary=summary, actor=reviewer(), today=TODAY)
    assert published.status == SummaryStatus.PUBLISHED and published.published_by == reviewer()
    assert AuditEntry.objects.filter(action="summary.publish", object_id=str(summary.pk)).exists()


def test_publishing_without_a_waiver_is_refused_and_nothing_changes(closed):
    summary = _written(closed, "Lebanon said its teams lack vehicles.")
    with pytest.raises(ValidationError, match="still identifies a participant"):
        service.summary_publish(summary=summary, actor=reviewer(), today=TODAY)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.IN_REVIEW and summary.published_at is None


def test_a_waiver_needs_a_reason_is_audited_and_then_publication_passes(closed):
    summary = _written(closed, "Lebanon said its teams lack vehicles.")
    (hit,) = service.check(summary, today=TODAY).hits
    with pytest.raises(ValidationError):
        service.hit_waive(summary=summary, fingerprint_key=hit.fingerprint, reason="  ", actor=reviewer())
    decision = service.hit_waive(
        summary=summary, fingerprint_key=hit.fingerprint, reason="Lebanon asked to be named.", actor=reviewer()
    )
    assert decision.decision == HitDecision.WAIVED
    entry = AuditEntry.objects.get(action="summary.waive_hit")
    assert entry.actor == reviewer()
    assert "Lebanon asked to be named." in str(entry.new)
    assert "[confidential]" in str(entry.new)  # what matched is never stored in the trail
    service.summary_publish(summary=summary, actor=reviewer(), today=TODAY)


def test_a_rewritten_hit_is_recorded_and_no_longer_blocks(closed):
    summary = _written(closed, "Lebanon said its teams lack vehicles.")
    summary = service.summary_save(meeting=closed, text="One State said its teams lack vehicles.", actor=convener())
    result = service.check(summary, today=TODAY)
    assert result.passes
    assert [d.decision for d in result.rewritten] == [HitDecision.REWRITTEN]
    service.summary_publish(summary=summary, actor=reviewer(), today=TODAY)


def test_who_submitted_it_does_not_publish_it_and_only_conveners_write(closed):
    summary = _written(closed, CLEAN)
    with pytest.raises(PermissionDenied):
        service.summary_save(meeting=closed, text=CLEAN, actor=persona("state_manager").user)
    with pytest.raises(PermissionDenied):
        service.summary_publish(summary=summary, actor=persona("isu_viewer").user)
    with pytest.raises(ValidationError, match="Another convener"):
        service.summary_publish(summary=summary, actor=convener())


def test_the_published_summary_is_public_with_a_pdf_and_in_the_index(closed, client):
    summary = _written(closed, CLEAN)
    anonymous_page = reverse("meetings:summary", args=[closed.pk])
    assert client.get(anonymous_page).status_code == 404  # not yet published
    assert client.get(f"/api/v1/meetings/{closed.pk}/summary/").status_code == 404
    service.summary_publish(summary=summary, actor=reviewer(), today=TODAY)
    page = client.get(anonymous_page)
    assert page.status_code == 200 and CLEAN.encode() in page.content
    pdf = client.get(reverse("meetings:summary-pdf", args=[closed.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    index = client.get(reverse("meetings:summary-index"))
    assert b"Cooperation and assistance" in index.content
    data = client.get("/api/v1/meetings/summaries/").json()
    assert data["count"] == 1 and data["results"][0]["text"] == CLEAN
    detail = client.get(f"/api/v1/meetings/{closed.pk}/summary/").json()
    assert detail["status"] == "published" and detail["hits"] == []


def test_the_review_page_shows_each_hit_in_context_and_the_waive_and_publish_forms(closed):
    _written(closed, "The delegation of Lebanon said its teams lack vehicles.")
    page = persona("isu_editor").client().get(reverse("meetings:summary-review", args=[closed.pk]))
    assert page.status_code == 200
    assert b"<mark>Lebanon</mark>" in page.content
    assert b"Waive, with this reason" in page.content and b"Publish" in page.content
    # a participant who is no convener or reviewer never sees the draft
    assert (
        persona("state_manager").client().get(reverse("meetings:summary-review", args=[closed.pk])).status_code == 404
    )


def test_the_whole_flow_through_the_pages(closed):
    writer, checker = persona("other_state_manager").client(), persona("isu_editor").client()
    response = writer.post(
        reverse("meetings:summary-edit", args=[closed.pk]), {"title": "", "text": "Lebanon lacks vehicles."}
    )
    assert response.status_code == 302
    writer.post(reverse("meetings:summary-submit", args=[closed.pk]))
    refused = checker.post(reverse("meetings:summary-publish", args=[closed.pk]), follow=True)
    assert b"still identifies a participant" in refused.content
    (hit,) = service.check(Summary.objects.get(), today=TODAY).hits
    checker.post(
        reverse("meetings:summary-waive", args=[closed.pk]), {"fingerprint": hit.fingerprint, "reason": "Agreed."}
    )
    checker.post(reverse("meetings:summary-publish", args=[closed.pk]))
    assert Summary.objects.get().status == SummaryStatus.PUBLISHED


def test_the_api_gives_the_draft_with_its_hits_to_reviewers_and_acts(closed):
    api = persona("isu_editor").client()
    writer = persona("other_state_manager").client()
    put = writer.put(
        f"/api/v1/meetings/{closed.pk}/summary/",
        data={"title": "", "text": "Lebanon lacks vehicles."},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["hits"][0]["matched"] == "Lebanon"
    assert writer.post(f"/api/v1/meetings/{closed.pk}/summary/submit/").status_code == 200
    draft = api.get(f"/api/v1/meetings/{closed.pk}/summary/").json()
    assert draft["passes"] is False
    assert api.post(f"/api/v1/meetings/{closed.pk}/summary/publish/").status_code == 400
    waived = api.post(
        f"/api/v1/meetings/{closed.pk}/summary/waive/",
        data={"fingerprint": draft["hits"][0]["fingerprint"], "reason": "Agreed with the delegation."},
        content_type="application/json",
    )
    assert waived.status_code == 200
    assert api.post(f"/api/v1/meetings/{closed.pk}/summary/publish/").json()["status"] == "published"


@pytest.mark.parametrize(
    ("text", "matched", "kind"),
    [
        ("Lebanon said its teams lack vehicles.", "Lebanon", "name"),
        ("Lebanon's teams lack vehicles.", "Lebanon's", "name"),
        ("The Lebanese authorities asked for vehicles.", "Lebanese", "adjective"),
        ("Les autorités libanaises manquent de véhicules.", "libanaises", "adjective"),
        ("El Líbano pidió vehículos.", "Líbano", "name"),
        ("Teams based in Beirut lack vehicles.", "Beirut", "capital"),
        ("The delegation of LBN asked for vehicles.", "LBN", "code"),
        ("State A government asked for vehicles.", "State A government", "organisation"),
        ("Io Viewer asked for vehicles.", "Io Viewer", "person"),
        ("Guest expert explained the survey.", "Guest expert", "person"),
        ("Some 9,000,000 m² are still to be cleared.", "9,000,000 m²", "figure"),
        ("Work must end by 1 May 2026.", "1 May 2026", "figure"),
    ],
)
def test_the_check_finds_each_form_that_identifies_a_participant(closed, lebanon_reported, text, matched, kind):
    from ccm.meetings.models import InvitedPerson

    InvitedPerson.objects.create(meeting=closed, user=persona("io_viewer").user)
    hits = _hits(closed, text)
    assert (matched, kind) in hits, hits
    summary = service.summary_submit(summary=Summary.objects.get(meeting=closed), actor=convener())
    with pytest.raises(ValidationError):
        service.summary_publish(summary=summary, actor=reviewer(), today=TODAY)


@pytest.mark.parametrize(
    "text",
    [
        CLEAN,
        "One affected State said 8,000,000 m² remain; its deadline is in 2031.",  # not an invited State's figures
        "Norway's support was discussed in general terms.",  # not invited to this meeting
        "Mine action teams said several libraries lacked maps.",
    ],
)
def test_texts_that_name_no_participant_have_no_hit(closed, lebanon_reported, text):
    assert _hits(closed, text) == []


def test_the_summaries_index_costs_the_same_queries_for_one_or_many(closed, client, django_assert_max_num_queries):
    from datetime import UTC, datetime

    from django.utils import timezone

    from ccm.meetings.models import MeetingConvener

    def published(n: int) -> None:
        for i in range(n):
            meeting = Meeting.objects.create(
                title=f"Meeting {i}",
                kind="closed",
                starts_at=datetime(2030, 1, 1, 8, tzinfo=UTC),
                ends_at=datetime(2030, 1, 1, 9, tzinfo=UTC),
                time_zone="UTC",
                status="convened",
                visibility="meeting",
            )
            MeetingConvener.objects.create(meeting=meeting, user=convener())
            Summary.objects.create(
                meeting=meeting, text=CLEAN, title=f"Summary {i}", status="published", published_at=timezone.now()
            )

    published(1)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("meetings:summary-index")).status_code == 200
    published(30)
    with django_assert_max_num_queries(4) as ctx:
        page = client.get(reverse("meetings:summary-index"))
    assert b"Summary 29" in page.content and len(ctx.captured_queries) <= 4
    signed_in = persona("isu_viewer").client()
    with django_assert_max_num_queries(12):
        assert signed_in.get(reverse("meetings:summary-index")).status_code == 200
