"""The briefing pack: built for each reader from what THAT reader may see, as PDF and DOCX by a
background job, marked with the reader's name; 404 for anyone outside the meeting."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from ccm.core.task_models import Job
from ccm.meetings.models import Meeting
from ccm.meetings.pack_tasks import BUILD_PACK, invited_parties, meeting_pack, pack_request
from ccm.meetings.publish_models import BriefingPack
from tests.factories import NeedFactory
from tests.meetings.world import make_meetings
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture
def closed() -> Meeting:
    return Meeting.objects.get(pk=make_meetings()["closed_meeting"])


def _unanswered(content) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[1] for table in content.needs if table.header[1] == "Need" for row in table.rows]


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join(parts)


def test_the_invited_affected_state_and_the_other_invited_are_told_apart(closed):
    affected, donors = invited_parties(closed)
    assert [s.iso3 for s in affected] == ["LBN"]
    assert [d.name for d in donors] == [organisation("operator").name]


def test_two_readers_get_different_packs_where_their_rights_differ(closed):
    NeedFactory(title="Public survey vehicles")
    NeedFactory(title="Chosen donors only: detector kits", visibility="chosen", chosen_donors=[organisation("io")])
    state_reader, operator_reader = persona("state_viewer").user, persona("operator_viewer").user
    for_state = meeting_pack(meeting=closed, user=state_reader, today=TODAY)
    for_operator = meeting_pack(meeting=closed, user=operator_reader, today=TODAY)
    assert "Chosen donors only: detector kits" in _unanswered(for_state)
    assert "Chosen donors only: detector kits" not in _unanswered(for_operator)
    assert "Public survey vehicles" in _unanswered(for_state) and "Public survey vehicles" in _unanswered(for_operator)
    assert [b.state.iso3 for b in for_state.briefs] == ["LBN"]
    assert for_state.agenda.rows == [["—", "Obstacles to meeting deadlines", "—"]]
    assert "State Viewer, State A government" in for_state.marking and "do not forward" in for_state.marking
    assert "Operator Viewer, Operator" in for_operator.marking
    # every chapter carries the reader's marking, not the brief's own
    assert all(b.marking == for_state.marking for b in for_state.briefs)


def test_the_pack_is_a_job_and_its_files_name_the_reader(closed, django_capture_on_commit_callbacks):
    NeedFactory(title="Chosen donors only: detector kits", visibility="chosen", chosen_donors=[organisation("io")])
    client = persona("state_viewer").client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:pack", args=[closed.pk]))
    assert response.status_code == 302
    job = Job.objects.get(name=BUILD_PACK)
    assert job.status == "done", job.error
    page = client.get(reverse("meetings:pack", args=[closed.pk]))
    assert b"Download the PDF" in page.content and "Refresh" not in page
    pdf = client.get(reverse("meetings:pack-pdf", args=[closed.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF")
    docx = client.get(reverse("meetings:pack-docx", args=[closed.pk]))
    text = _docx_text(docx.content)
    assert "Prepared for State Viewer, State A government" in text
    assert "Chosen donors only: detector kits" in text
    assert "Country Brief: Lebanon" in text
    # the operator's own pack holds no such need
    with django_capture_on_commit_callbacks(execute=True):
        pack_request(meeting=closed, actor=persona("operator_viewer").user)
    other = persona("operator_viewer").client().get(reverse("meetings:pack-docx", args=[closed.pk]))
    other_text = _docx_text(other.content)
    assert "Prepared for Operator Viewer, Operator" in other_text
    assert "Chosen donors only: detector kits" not in other_text


def test_nobody_outside_the_meeting_asks_for_or_downloads_a_pack(closed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack_request(meeting=closed, actor=persona("state_viewer").user)
    for name in ("io_manager", "outsider"):
        client = persona(name).client()
        assert client.get(reverse("meetings:pack", args=[closed.pk])).status_code == 404
        assert client.post(reverse("meetings:pack", args=[closed.pk])).status_code == 404
        assert client.get(reverse("meetings:pack-pdf", args=[closed.pk])).status_code == 404
        assert client.get(f"/api/v1/meetings/{closed.pk}/pack/").status_code == 404
    # another participant does not get someone else's pack
    assert persona("operator_viewer").client().get(reverse("meetings:pack-pdf", args=[closed.pk])).status_code == 404
    assert BriefingPack.objects.count() == 1


def test_the_api_asks_for_a_pack_and_gives_it(closed, django_capture_on_commit_callbacks):
    client = persona("operator_manager").client()
    assert client.get(f"/api/v1/meetings/{closed.pk}/pack/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"/api/v1/meetings/{closed.pk}/pack/")
    assert asked.status_code == 202
    state = client.get(f"/api/v1/meetings/{closed.pk}/pack/").json()
    assert state["ready"] is True and state["pdf"].endswith("/pack.pdf")
    assert client.get(state["docx"]).status_code == 200


def test_the_meeting_page_include_offers_the_pack_to_the_circle_only(closed, rf):
    from django.template import Context, Template

    template = Template("{% load meeting_publish %}{% pack_and_summary meeting %}")

    def render(name: str) -> str:
        request = rf.get("/")
        request.user = persona(name).user
        return template.render(Context({"request": request, "meeting": closed}))

    assert "Prepare my briefing pack" in render("state_viewer")
    assert "Write the summary to publish" in render("other_state_manager")
    assert "Write the summary" not in render("state_viewer")
    assert render("io_manager").strip() == ""
