"""The answering workbook and the XLSForm through the API, and what the downloads cost in queries."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from ccm.consultations import services, set_services
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_the_workbook_api_gives_the_organisations_draft_and_hides_the_campaign_from_others(campaign):
    services.answer_save(
        campaign=campaign,
        organisation=organisation("state"),
        values={"obstacles": "Mine"},
        actor=persona("state_editor").user,
    )
    url = f"/api/v1/consultations/campaigns/{campaign.pk}/workbook/"
    response = persona("state_viewer").client().get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    rows = {r[0]: r[6] for r in load_workbook(io.BytesIO(response.content))["Answers"].iter_rows(values_only=True)}
    assert rows["obstacles"] == "Mine"
    assert persona("operator_editor").client().get(url).status_code == 404
    assert persona("anonymous").client().get(url).status_code == 401
    assert persona("state_viewer").client().get("/api/v1/consultations/campaigns/999999/workbook/").status_code == 404


def test_the_xlsform_api_is_public_for_published_versions_only(version, coordinator):
    slug = version.question_set.slug
    response = (
        persona("anonymous").client().get(f"/api/v1/consultations/sets/{slug}/versions/{version.number}/xlsform/")
    )
    assert response.status_code == 200
    assert convert(xlsform=io.BytesIO(response.content), file_type=".xlsx").xform
    draft = set_services.draft_start(question_set=version.question_set, actor=coordinator)
    draft_url = f"/api/v1/consultations/sets/{slug}/versions/{draft.number}/xlsform/"
    assert persona("state_manager").client().get(draft_url).status_code == 404
    assert persona("coordinator").client().get(draft_url).status_code == 200


def _add_questions(version, actor, count):
    draft = set_services.draft_start(question_set=version.question_set, actor=actor)
    for n in range(count):
        set_services.question_add(
            version=draft,
            key=f"extra_{n}",
            text=f"Extra {n}?",
            qtype="single",
            options=[{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
            actor=actor,
        )
    return set_services.version_publish(version=draft, actor=actor)


def test_downloads_cost_a_fixed_number_of_queries_whatever_the_questions(
    campaign, coordinator, django_assert_max_num_queries
):
    client = persona("state_editor").client()
    services.answer_save(
        campaign=campaign,
        organisation=organisation("state"),
        values={"obstacles": "x", "teams": 2},
        actor=persona("state_editor").user,
    )
    url = f"/consultations/campaigns/{campaign.pk}/workbook.xlsx"
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    bigger = _add_questions(campaign.version, coordinator, 30)
    with django_assert_max_num_queries(12):
        assert (
            client.get(f"/consultations/sets/{bigger.question_set.slug}/v{bigger.number}/xlsform.xlsx").status_code
            == 200
        )
