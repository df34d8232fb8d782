"""The needs app's pages: donor profiles and what a need's page shows to whom."""

from datetime import date

import pytest

from tests.factories import NeedFactory, ObstacleFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_a_donor_edits_its_profile_and_the_how_to_page_shows_it():
    editor = persona("io_editor").client()
    response = editor.post(
        f"/donors/{organisation('io').slug}/edit/",
        {
            "pillars": ["clearance", "survey"],
            "modalities": ["financial"],
            "currency": "EUR",
            "grant_min": "100000",
            "grant_max": "2000000",
            "funding_cycle": "Spring call",
            "how_to_apply": "Online form",
            "requirements": "Budget",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    page = persona("anonymous").client().get("/donors/").content.decode()
    assert "International organisation" in page and "Spring call" in page
    bad = editor.post(
        f"/donors/{organisation('io').slug}/edit/", {"currency": "EUR", "grant_min": "5", "grant_max": "1"}
    )
    assert "smaller than the smallest" in bad.content.decode()
    assert persona("io_viewer").client().get(f"/donors/{organisation('io').slug}/edit/").status_code == 403
    assert persona("operator_manager").client().get(f"/donors/{organisation('io').slug}/edit/").status_code == 404


def test_a_private_obstacle_stays_off_the_public_page_of_its_need(lebanon):
    private = ObstacleFactory(
        category="political_will", statement="SECRET-OBSTACLE", observed_on=date(2025, 1, 1), visibility="organisation"
    )
    need = NeedFactory()
    need.obstacles.set([private])
    assert "SECRET-OBSTACLE" not in persona("anonymous").client().get(f"/needs/{need.pk}/").content.decode()
    assert "SECRET-OBSTACLE" in persona("state_viewer").client().get(f"/needs/{need.pk}/").content.decode()
