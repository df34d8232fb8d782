"""The synthesis: counts and figures, themes and their correction, attribution, held quotes, key
points, exports and the API."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ccm.consultations import synthesis_selectors as selectors
from ccm.consultations import synthesis_services as services
from ccm.consultations.synthesis_deps import identity_terms
from ccm.consultations.synthesis_models import KeyPointsDraft, QuoteReview, ThemeTag
from ccm.core.models import AuditEntry
from tests.consultations.synthesis_world import NAMING, add_answers, build
from tests.personas import persona, signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def _page(client, world):
    return client.get(reverse("synthesis:page", args=[world.campaign.pk]))


def _today():
    return timezone.now().date()


def test_counts_shares_and_figures_per_question(world):
    synthesis = selectors.campaign_synthesis(campaign=world.campaign, user=persona("coordinator").user, today=_today())
    by_key = {s.question.key: s for s in synthesis.questions}
    assert synthesis.answers == 2
    assert [(o.key, o.count) for o in by_key["channel"].options] == [("meetings", 1), ("letters", 1)]
    assert [(o.key, o.count, o.share) for o in by_key["help"].options] == [("money", 2, 1.0), ("experts", 1, 0.5)]
    assert [(o.key, o.count) for o in by_key["coalition"].options] == [("yes", 1), ("no", 1)]
    assert [o.count for o in by_key["satisfied"].options] == [0, 1, 0, 1, 0]
    figures = by_key["teams"].figures
    assert (figures.n, figures.median, figures.minimum, figures.maximum) == (2, 7.5, 3, 12)


def test_a_draft_answer_is_not_counted(world):
    world.answers["other_state"].status = "draft"
    world.answers["other_state"].save()
    synthesis = selectors.campaign_synthesis(campaign=world.campaign, user=persona("coordinator").user, today=_today())
    assert synthesis.answers == 1
    assert {s.question.key: s.answered for s in synthesis.questions}["teams"] == 1


def test_automatic_themes_keep_their_reasons_and_group_the_answers(world):
    services.themes_auto_tag(campaign=world.campaign, actor=persona("coordinator").user)
    tags = ThemeTag.objects.filter(item=world.items[("state", "obstacles")], active=True)
    survey = tags.get(theme="information_survey")
    assert survey.source == "auto"
    assert "'survey capacity' → Information and survey" in survey.reason
    other = ThemeTag.objects.filter(item=world.items[("other_state", "obstacles")], active=True)
    assert {t.theme for t in other} >= {"funding", "coordination"}
    assert AuditEntry.objects.filter(action="theme_tag.auto").exists()
    response = _page(persona("coordinator").client(), world)
    assert response.status_code == 200
    assert "&#x27;survey capacity&#x27; → Information and survey" in response.content.decode()


def test_retagging_replaces_themes_and_survives_automatic_tagging(world):
    item = world.items[("state", "obstacles")]
    coordinator = persona("coordinator").user
    services.themes_auto_tag(campaign=world.campaign, actor=coordinator)
    response = (
        persona("coordinator")
        .client()
        .post(
            reverse("synthesis:retag", args=[item.pk]),
            {"themes": ["national_capacity"], "note": "capacity, not survey"},
        )
    )
    assert response.status_code == 302
    active = ThemeTag.objects.filter(item=item, active=True)
    assert [(t.theme, t.source, t.reason) for t in active] == [("national_capacity", "manual", "capacity, not survey")]
    assert ThemeTag.objects.filter(item=item, active=False, theme="information_survey", removed_by=coordinator).exists()
    services.themes_auto_tag(campaign=world.campaign, actor=coordinator)
    assert [t.theme for t in ThemeTag.objects.filter(item=item, active=True)] == ["national_capacity"]
    entry = AuditEntry.objects.filter(action="theme_tag.retag").latest("pk")
    assert entry.data["new"] == {"themes": ["national_capacity"]}


def test_retagging_refuses_an_unknown_theme_and_changes_nothing(world):
    item = world.items[("state", "obstacles")]
    with pytest.raises(ValidationError, match="Not a theme: frobnication"):
        services.themes_retag(item=item, themes=["funding", "frobnication"], actor=None)
    assert not ThemeTag.objects.filter(item=item).exists()
    with pytest.raises(ValidationError, match="Only free-text"):
        services.themes_retag(item=world.items[("state", "teams")], themes=["funding"], actor=None)


def _sees(client, world) -> tuple[int, str]:
    response = _page(client, world)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize(
    ("who", "status", "attributed"),
    [
        ("convener", 200, True),
        ("convener_ended", 200, False),
        ("coordinator", 200, True),  # the coordinator persona convenes this campaign without an end
        ("isu_viewer", 200, True),
        ("state_viewer", 200, False),  # a participant, once the campaign has closed
        ("operator_viewer", 404, False),
        ("other_state_manager", 200, False),
    ],
)
def test_attribution_by_reader(world, who, status, attributed):
    user = getattr(world, who, None) or persona(who).user
    got, html = _sees(signed_in_client(user), world)
    assert got == status
    if status == 200:
        assert ("State B government" in html) is attributed
        assert ("With attribution." in html) is attributed


def test_a_plain_coordinator_sees_no_attribution(world):
    world.campaign.conveners.filter(user=persona("coordinator").user).delete()
    got, html = _sees(persona("coordinator").client(), world)
    assert got == 200
    assert "State B government" not in html and "Without attribution" in html
    assert NAMING not in html


def test_anonymous_is_sent_to_sign_in(world):
    response = _page(signed_in_client(None), world)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_participants_see_nothing_before_the_campaign_closes():
    world = build(closed=False, slug="open-campaign")
    got, _html = _sees(persona("state_viewer").client(), world)
    assert got == 404


def _everything_a_participant_gets(world) -> list[str]:
    client = persona("state_viewer").client()
    pk = world.campaign.pk
    page = client.get(reverse("synthesis:page", args=[pk])).content.decode()
    api = client.get(reverse("api-consultations-synthesis", args=[pk])).content.decode()
    book = load_workbook(io.BytesIO(client.get(reverse("synthesis:export-xlsx", args=[pk])).content))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    from docx import Document

    document = Document(io.BytesIO(client.get(reverse("synthesis:export-docx", args=[pk])).content))
    words = " ".join(p.text for p in document.paragraphs)
    return [page, api, cells, words]


def test_a_quote_naming_a_participant_never_reaches_a_participant(world):
    for output in _everything_a_participant_gets(world):
        assert "survey capacity is too small" not in output
        assert "Lebanon" not in output
        assert "State A government" not in output and "State B government" not in output
        assert "multi-year funding" in output  # the other answer is shown, de-attributed


def test_a_rewritten_quote_is_shown_rewritten_and_a_waived_one_as_written(world):
    item = world.items[("state", "obstacles")]
    terms = identity_terms(world.campaign, today=_today())
    with pytest.raises(ValidationError, match="still names a participant"):
        services.quote_rewrite(item=item, text="Lebanon lacks survey teams.", actor=world.convener, terms=terms)
    assert not QuoteReview.objects.exists()
    services.quote_rewrite(
        item=item, text="Survey capacity is too small in one region.", actor=world.convener, terms=terms
    )
    outputs = _everything_a_participant_gets(world)
    assert all("Survey capacity is too small in one region." in o for o in outputs)
    assert all("Lebanon" not in o for o in outputs)
    with pytest.raises(ValidationError, match="reason"):
        services.quote_waive(item=item, reason="  ", actor=world.convener)
    services.quote_waive(item=item, reason="The State asked to be named.", actor=world.convener)
    assert all(
        NAMING in o or NAMING.replace("'", "&#x27;") in o or "Lebanon" in o
        for o in _everything_a_participant_gets(world)
    )


def test_a_changed_answer_is_held_again(world):
    item = world.items[("state", "obstacles")]
    services.quote_waive(item=item, reason="Agreed with the State.", actor=world.convener)
    item.text = "Lebanon's teams cannot reach the border."
    item.save()
    page = _page(persona("state_viewer").client(), world).content.decode()
    assert "cannot reach the border" not in page


def test_the_review_page_shows_the_hits_in_context_to_conveners_only(world):
    url = reverse("synthesis:quotes", args=[world.campaign.pk])
    response = signed_in_client(world.convener).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Lebanon&#x27;s</mark>" in html or "<mark>Lebanon</mark>" in html
    assert signed_in_client(world.convener_ended).get(url).status_code == 403
    assert persona("isu_viewer").client().get(url).status_code == 403
    assert persona("operator_viewer").client().get(url).status_code == 404


def test_quote_review_by_page(world):
    item = world.items[("state", "obstacles")]
    url = reverse("synthesis:quote-review", args=[item.pk])
    client = signed_in_client(world.convener)
    client.post(url, {"decision": "rewrite", "rewritten_text": "Lebanon again"})
    assert not QuoteReview.objects.exists()
    client.post(url, {"decision": "rewrite", "rewritten_text": "Survey capacity is short."})
    assert QuoteReview.objects.get(item=item).status == "rewritten"
    assert AuditEntry.objects.filter(action="quote_review.rewrite").exists()


def test_key_points_are_checked_before_they_are_ready(world):
    url = reverse("synthesis:key-points", args=[world.campaign.pk])
    client = signed_in_client(world.convener)
    response = client.post(url, {"text": "Lebanon needs survey teams.", "ready": "1"})
    assert response.status_code == 200
    assert "still names a participant" in response.content.decode()
    draft = KeyPointsDraft.objects.get(campaign=world.campaign)
    assert not draft.ready and services.key_points_text(world.campaign) == ""
    client.post(url, {"text": "Survey capacity is the first obstacle named.", "ready": "1"})
    assert services.key_points_text(world.campaign) == "Survey capacity is the first obstacle named."
    client.post(url, {"text": "Changed after.", "save": "1"})
    assert services.key_points_text(world.campaign) == ""
    assert AuditEntry.objects.filter(action="key_points_draft.mark_ready").count() == 1
    assert persona("coordinator").client().get(url).status_code == 200  # a convener without an end
    assert persona("isu_manager").client().get(url).status_code == 403


def test_attributed_readers_get_the_organisations_in_exports(world):
    client = signed_in_client(world.convener)
    book = load_workbook(io.BytesIO(client.get(reverse("synthesis:export-xlsx", args=[world.campaign.pk])).content))
    cells = [c.value for row in book["Themes"].iter_rows() for c in row]
    assert "State A government" in cells and NAMING in cells


def test_the_synthesis_page_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.themes_auto_tag(campaign=world.campaign, actor=None)
    client = persona("isu_viewer").client()
    _page(client, world)
    with CaptureQueriesContext(connection) as few:
        assert _page(client, world).status_code == 200
    add_answers(world, 10)
    services.themes_auto_tag(campaign=world.campaign, actor=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = _page(client, world)
    assert response.status_code == 200
    assert "Extra organisation 9" in response.content.decode()


def test_closing_date_passing_opens_the_synthesis_to_participants():
    world = build(closed=False, slug="closing")
    world.campaign.closes_on = _today() - timedelta(days=1)
    world.campaign.save()
    assert _sees(persona("state_viewer").client(), world)[0] == 200


def test_the_demo_step_finds_themes_and_starts_key_points_once(world):
    from ccm.consultations.synthesis_demo import demo_synthesis

    lines = demo_synthesis()
    assert any("1 quote(s) held for review" in line for line in lines)
    assert ThemeTag.objects.filter(item__answer__campaign=world.campaign, source="auto").exists()
    draft = KeyPointsDraft.objects.get(campaign=world.campaign)
    assert draft.text.startswith("Illustrative") and not draft.ready
    tags = ThemeTag.objects.count()
    demo_synthesis()
    assert ThemeTag.objects.count() == tags


def test_one_answer_is_tagged_as_it_is_submitted(world):
    assert services.themes_auto_tag_answer(answer=world.answers["other_state"], actor=None) >= 2
    assert not ThemeTag.objects.filter(item__answer=world.answers["state"]).exists()


def test_a_note_or_reason_naming_a_participant_is_withheld_from_participants(world):
    item = world.items[("other_state", "obstacles")]
    services.themes_retag(item=item, themes=["funding"], note="As Norway's delegate said in Geneva", actor=None)
    for output in _everything_a_participant_gets(world)[:2]:  # page and API show reasons
        assert "Norway" not in output
        assert "multi-year funding" in output
    convener_api = signed_in_client(world.convener).get(
        reverse("api-consultations-synthesis", args=[world.campaign.pk])
    )
    assert "Norway" in convener_api.content.decode()


def test_the_api_names_organisations_only_for_attributed_readers(world):
    url = reverse("api-consultations-synthesis", args=[world.campaign.pk])
    convener = signed_in_client(world.convener).get(url).json()
    coordinator_plain = signed_in_client(world.convener_ended).get(url).json()
    assert convener["attributed"] is True and coordinator_plain["attributed"] is False
    quotes = [q for g in convener["questions"][0]["themes"] for q in g["quotes"]]
    assert {q["organisation"] for q in quotes} == {"State A government", "State B government"}
    plain = [q for g in coordinator_plain["questions"][0]["themes"] for q in g["quotes"]]
    assert [q["organisation"] for q in plain] == [None]
    assert coordinator_plain["questions"][0]["held"] == 1
    teams = coordinator_plain["questions"][5]
    assert teams["figures"] == {"n": 2, "median": "7.5", "min": "3", "max": "12"}
