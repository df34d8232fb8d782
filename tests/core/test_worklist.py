"""What waits for each person (ccm/core/worklist.py and the apps' providers): the home page at /me/,
where signing in lands, and /api/v1/me/worklist/."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ccm.accounts.models import User
from ccm.core import worklist
from ccm.funding.services import flow_follow_create, pledge_create
from ccm.needs import services as need_services
from ccm.reporting import services as reporting
from ccm.states.models import State
from tests.factories import DonorProfileFactory, NeedFactory, ResponseFactory
from tests.personas import organisation, persona, signed_in_client

pytestmark = pytest.mark.django_db

# A fixed day: Lebanon's clearance deadline (1 May 2026, an extension pending) is two months away,
# and the latest report due is 2024's (30 April 2025), which nobody submitted.
DAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def on_day():
    with time_machine.travel(DAY, tick=False):
        yield


def _world(n: int = 1, first: int = 0) -> None:
    """``n`` of each thing that waits for somebody in State A (Lebanon) and at the international organisation."""
    lebanon = State.objects.get(iso3="LBN")
    for i in range(first, min(first + n, 5)):  # the Convention bounds the years a State reports on
        reporting.progress_save(state=lebanon, year=2011 + i, figures={"cleared_m2": 10}, actor=None)
        submitted = reporting.progress_save(state=lebanon, year=2016 + i, figures={"cleared_m2": 10}, actor=None).report
        reporting.progress_set_status(report=submitted, status="submitted", actor=None)
    for i in range(first, first + n):
        NeedFactory(published=False, title=f"Draft need {i}")
        asked = NeedFactory(title=f"Asked need {i}", pillar="survey")
        ResponseFactory(need=asked, kind="question", message=f"Which operator {i}?")
        NeedFactory(title=f"Ending need {i}", pillar="risk_education", ends_on=DAY.date() + timedelta(days=10))
        pledged = NeedFactory(title=f"Pledged need {i}", pillar="victim_assistance")
        pledge_create(need=pledged, funder=organisation("io"), amount=Decimal("1000"), actor=None)
        NeedFactory(title=f"New clearance need {i}")


def _page(name: str) -> str:
    response = persona(name).client().get("/me/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_persona_sees_what_waits_for_them(on_day):
    DonorProfileFactory(pillars=["clearance"])  # the international organisation funds clearance
    _world()
    editor = _page("state_editor")
    for heading in (
        "Progress reports to submit",
        "Draft needs to publish",
        "Questions from donors to answer",
        "Needs nearing their end date",
        "Deadlines passed or within 12 months",
    ):
        assert heading in editor
    assert "Lebanon: progress report 2011" in editor and "Which operator" not in editor  # a link, not the text
    assert "Lebanon: Asked need 0" in editor and "Lebanon: Ending need 0" in editor and "Lebanon: Clearance" in editor
    assert "Progress reports to publish" not in editor  # managers publish
    manager = _page("state_manager")
    assert "Progress reports to publish" in manager and "Lebanon: progress report 2016" in manager
    viewer = _page("state_viewer")
    assert "Deadlines passed or within 12 months" in viewer
    assert "Questions from donors to answer" not in viewer and "Progress reports to submit" not in viewer

    donor = _page("io_editor")
    assert "New needs matching your profile" in donor and "Lebanon: New clearance need 0" in donor
    assert "Pledges to confirm as commitments" in donor and "Lebanon: Pledged need 0" in donor
    assert "Lebanon: Asked need 0" not in donor.split("New needs matching your profile")[1]  # it responded
    assert "Questions from donors to answer" not in donor and "Deadlines" not in donor.split("</nav>", 1)[1]

    coordinator = _page("coordinator")
    assert "Needs nobody has answered" in coordinator and "Lebanon: New clearance need 0" in coordinator
    assert "Lebanon: Asked need 0" not in coordinator  # the question is an answer from a donor
    assert "Overdue progress reports" in coordinator and "Lebanon: progress report 2024" in coordinator
    assert "Deadlines at risk" in coordinator and "Lebanon: Clearance" in coordinator
    assert "Progress reports to submit" not in coordinator

    assert "Nothing waits for you" in _page("outsider")


def test_signing_in_lands_on_the_home_and_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert client.get("/api/v1/me/worklist/").status_code in (401, 403)


def test_each_item_leads_to_where_it_is_done(on_day):
    _world()
    client = persona("state_editor").client()
    for group in worklist.for_user(persona("state_editor").user, today=DAY.date()):
        for item in group.items:
            assert client.get(item.url.split("#")[0]).status_code == 200, item


def test_answering_or_committing_takes_the_item_off_the_list(on_day):
    DonorProfileFactory(pillars=["clearance"])
    need = NeedFactory(title="Asked need", pillar="survey")
    question = ResponseFactory(need=need, kind="question")
    pledged = NeedFactory(title="Pledged need", pillar="survey")
    pledge = pledge_create(need=pledged, funder=organisation("io"), amount=Decimal("500"), actor=None)
    assert "Lebanon: Asked need" in _page("state_editor")
    need_services.response_create(
        need=need, organisation=organisation("state"), kind="answer", actor=None, message="An operator."
    )
    assert "Lebanon: Asked need" not in _page("state_editor")
    donor = _page("io_editor")
    assert "Replies from States awaiting your answer" in donor and "Lebanon: Asked need" in donor
    need_services.response_create(need=need, organisation=question.organisation, kind="interest", actor=None)
    assert "Replies from States" not in _page("io_editor")
    assert "Lebanon: Pledged need" in _page("io_editor")
    flow_follow_create(follows=pledge, amount=Decimal("500"), value_date=DAY.date(), actor=None)
    assert "Pledges to confirm" not in _page("io_editor")


def test_the_api_lists_the_same_items(on_day):
    _world()
    response = persona("state_manager").client().get("/api/v1/me/worklist/")
    assert response.status_code == 200
    body = response.json()
    groups = {g["key"]: g for g in body["groups"]}
    expected = worklist.for_user(persona("state_manager").user, today=DAY.date())
    assert list(groups) == [g.key for g in expected]
    assert body["total"] == sum(g.count for g in expected)
    submit = groups["reporting.submissions"]
    assert submit["heading"] == "Progress reports to publish" and submit["count"] == 1
    assert submit["items"][0]["url"] == "http://testserver/states/LBN/progress/2016/"
    ending = groups["needs.ending"]["items"][0]
    assert ending["due"] == (DAY.date() + timedelta(days=10)).isoformat()


def _queries(name: str) -> tuple[int, int]:
    """Queries of the providers (what a cold cache costs), and of the page read back from the cache."""
    client = persona(name).client()
    client.get("/me/")  # figures kept in the shared cache (the Article 7 lines) are computed once first
    with CaptureQueriesContext(connection) as providers:
        worklist._groups(persona(name).user, today=DAY.date(), limit=worklist.ITEMS_PER_GROUP)
    with CaptureQueriesContext(connection) as page:
        assert client.get("/me/").status_code == 200
    return len(providers), len(page)


@pytest.mark.parametrize("name", ["state_editor", "state_manager", "io_editor", "coordinator"])
def test_the_home_costs_the_same_queries_whatever_the_amount_of_data(on_day, name):
    DonorProfileFactory(pillars=["clearance"])
    _world(1)
    few = _queries(name)
    _world(30, first=1)
    many = _queries(name)
    assert many == few, f"{name}: {few} queries with one of each, {many} with 31"
    assert many[0] <= 40 and many[1] <= 8


def test_the_kept_worklist_is_one_persons_own_and_a_write_shows_at_once(on_day):
    _world(1)
    editor = _page("state_editor")  # now kept for the editor
    assert "Draft needs to publish" in editor
    assert "Draft needs to publish" not in _page("state_viewer")  # same organisation, another role
    assert "Draft needs to publish" not in _page("other_state_manager")
    from ccm.needs.models import Need

    for need in Need.objects.filter(published_at__isnull=True):
        need_services.need_publish(need=need, actor=None)
    assert "Draft needs to publish" not in _page("state_editor")


def test_a_long_group_shows_its_first_items_and_says_how_many_more(on_day):
    _world(30)
    page = _page("state_editor")
    assert 'Draft needs to publish <span class="count">(30)</span>' in page
    assert f"… and {30 - worklist.ITEMS_PER_GROUP} more." in page


def test_a_bounded_group_counts_in_the_database_and_builds_only_the_items_shown(on_day):
    from ccm.needs.models import Need

    _world(30)
    built = []

    def build(need):
        built.append(need.pk)
        return worklist.WorkItem(title=need.title, url="/", kind="test")

    drafts = Need.objects.filter(published_at__isnull=True).order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        found = worklist.bounded(drafts, build)
    assert found.count == drafts.count() >= 30
    assert len(found.items) == len(built) == worklist.ITEMS_PER_GROUP
    assert built == list(drafts.values_list("pk", flat=True)[: worklist.ITEMS_PER_GROUP])
    assert len(captured) == 2  # the count and the first page


def test_the_registry_refuses_a_second_provider_under_one_key_and_orders_groups():
    def provider(user, today):
        return []

    worklist.register("test.one", "One", provider, order=1)
    worklist.register("test.one", "One", provider, order=1)  # the same again is harmless
    with pytest.raises(ValueError, match="registered twice"):
        worklist.register("test.one", "One", lambda user, today: [], order=1)
    keys = worklist.registered_keys()
    assert keys[0] == "test.one" and "needs.questions" in keys and "funding.pledges" in keys
    worklist._registry.pop("test.one")


def test_items_are_sorted_by_due_date_undated_last(on_day):
    def provider(user, today):
        return [
            worklist.WorkItem(title="undated", url="/", kind="test.sort"),
            worklist.WorkItem(title="later", url="/", kind="test.sort", due=date(2027, 1, 1)),
            worklist.WorkItem(title="sooner", url="/", kind="test.sort", due=date(2026, 5, 1)),
        ]

    worklist.register("test.sort", "Sort", provider, order=0)
    try:
        groups = worklist.for_user(persona("outsider").user, today=DAY.date())
        assert [i.title for i in groups[0].items] == ["sooner", "later", "undated"]
        assert worklist.for_user(persona("anonymous").user, today=DAY.date()) == []
    finally:
        worklist._registry.pop("test.sort")


@override_settings(DEBUG=True)
def test_the_demo_personas_find_their_work_on_their_home_page():
    call_command("seed_demo", stdout=io.StringIO())

    def home(email: str) -> str:
        response = signed_in_client(User.objects.get(email=email)).get("/me/")
        assert response.status_code == 200
        return response.content.decode()

    editor = home("lebanon.editor@example.org")
    assert "Questions from donors to answer" in editor and "Lebanon: Risk education in displacement sites" in editor
    assert "Needs nearing their end date" in editor
    assert "Progress reports to publish" not in editor  # the demo's 2023 correction is submitted, for the manager
    manager = home("lebanon.manager@example.org")
    assert "Progress reports to publish" in manager
    eu = home("eu.editor@example.org")
    assert "New needs matching your profile" in eu and "Information-management adviser" in eu
    assert "Questions from donors to answer" not in eu
    coordinator = home("coordinator@example.org")
    assert "Needs nobody has answered" in coordinator and "Deadlines at risk" in coordinator
    assert "Nothing waits for you" in home("outsider@example.org")
