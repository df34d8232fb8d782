from datetime import date, timedelta

import pytest

from ccm.consultations import campaign_services, set_services
from ccm.core import clock
from tests.personas import organisation, persona


def make_version(actor, *, title="Obstacles", audience="affected"):
    """A published version with one question of each type (the text and the multiple choice required)."""
    qs = set_services.question_set_create(title=title, audience=audience, actor=actor)
    draft = set_services.draft_of(qs)
    add = set_services.question_add
    add(
        version=draft,
        key="obstacles",
        text="What stops you meeting your deadline?",
        qtype="text",
        required=True,
        actor=actor,
    )
    add(
        version=draft,
        key="main_obstacle",
        text="The main obstacle",
        qtype="single",
        options=[{"key": "funding", "label": "Funding"}, {"key": "access", "label": "Access"}],
        actor=actor,
    )
    add(
        version=draft,
        key="help",
        text="How could donors help?",
        qtype="multiple",
        required=True,
        options=[
            {"key": "money", "label": "Money"},
            {"key": "training", "label": "Training"},
            {"key": "kit", "label": "Equipment"},
        ],
        actor=actor,
    )
    add(version=draft, key="teams", text="How many teams?", qtype="number", actor=actor)
    add(version=draft, key="satisfaction", text="How well do the channels serve you?", qtype="scale", actor=actor)
    add(version=draft, key="coalition", text="Would a coalition help?", qtype="yes_no", actor=actor)
    return set_services.version_publish(version=draft, actor=actor)


@pytest.fixture
def coordinator():
    return persona("coordinator").user


@pytest.fixture
def version(coordinator):
    return make_version(coordinator)


@pytest.fixture
def campaign(version, coordinator, django_capture_on_commit_callbacks):
    today = clock.today()
    created = campaign_services.campaign_create(
        title="Obstacles 2026",
        version=version,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=20),
        recipients=[organisation("state"), organisation("other_state")],
        conveners=[(persona("io_manager").user, today + timedelta(days=100))],
        actor=coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        return campaign_services.campaign_send(campaign=created, actor=coordinator)


FULL = {
    "obstacles": "Funding ran out and access is blocked.",
    "main_obstacle": "funding",
    "help": ["money", "training"],
    "teams": "4",
    "satisfaction": 3,
    "coalition": True,
}


def later(days: int) -> date:
    return clock.today() + timedelta(days=days)
