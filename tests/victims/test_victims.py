"""Victim assistance: services (every bad input), the exact/protected decision on every surface (page,
API, CSV, XLSX, Country Brief) with the attacker of tests/analytics/test_suppression.py, the list's query
count, and the forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccm.analytics.suppression import Status
from ccm.core.models import AuditEntry
from ccm.states.models import State
from ccm.victims import selectors, services
from ccm.victims.models import VictimAssistanceYear
from ccm.victims.rules import RELATIONS
from tests.analytics.test_suppression import integer_ranges
from tests.personas import persona
from tests.victims.helpers import CELLS, enter_year, from_api, from_csv, from_page, from_xlsx, split

pytestmark = pytest.mark.django_db


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


def assert_no_cell_recoverable(published_flat: dict) -> None:
    """The attacker, on one surface's publication of CELLS: no suppressed cell is worked out exactly,
    and small cells are never printed."""
    published = split(published_flat)
    assert any(isinstance(v, Status) for m in published.values() for v in m.values()), "nothing was protected"
    for measure, table in published.items():
        truth = {(s, a): CELLS[(measure, s, a)] for (s, a) in table}
        assert set(truth) == {(s, a) for (m, s, a) in CELLS if m == measure}
        for key, value in table.items():
            if not isinstance(value, Status):
                assert value == truth[key]
                assert not 1 <= value <= 4, f"{measure} {key}: a small count is printed"
        for key, (low, high) in integer_ranges(table, truth, RELATIONS).items():
            assert low < high, f"{measure} {key} = {truth[key]} can be worked out from {table}"


# --- services -------------------------------------------------------------------------------------


def test_a_year_is_saved_with_all_its_cells_and_audited(lebanon):
    record = enter_year(lebanon)
    assert record.figures.count() == len(CELLS)
    assert selectors.exact_year(lebanon, 2024).cells == CELLS
    entry = AuditEntry.objects.get(action="victim_assistance_year.create")
    assert entry.data["new"]["cells"]["killed-female-child"] == 3


def test_saving_again_replaces_the_year(lebanon):
    enter_year(lebanon)
    enter_year(lebanon, cells={("killed", "all", "all"): 12})
    assert selectors.exact_year(lebanon, 2024).cells == {("killed", "all", "all"): 12}
    assert AuditEntry.objects.filter(action="victim_assistance_year.update").count() == 1


@pytest.mark.parametrize(
    ("cells", "key"),
    [
        ({("killed", "all", "all"): -1}, "killed-all-all"),
        ({("killed", "all", "all"): 5, ("killed", "male", "adult"): 6}, "killed-all-all"),  # cell > its total
        ({("killed", "all", "all"): 5, ("killed", "male", "all"): 3, ("killed", "female", "all"): 3}, "killed-all-all"),
        (
            {("killed", "all", "all"): 9, ("killed", "male", "all"): 2, ("killed", "male", "child"): 3},
            "killed-male-all",
        ),
        ({("killed", "male", "child"): 3}, "killed"),  # a breakdown without its total
        ({("killed", "all", "all"): 10**12}, "killed-all-all"),
        ({("killed", "all", "all"): "7"}, "killed-all-all"),
        ({("nonsense", "all", "all"): 1}, "cells"),
    ],
)
def test_bad_cells_are_refused_and_nothing_is_written(lebanon, cells, key):
    enter_year(lebanon)
    with pytest.raises(ValidationError) as caught:
        services.year_save(state=lebanon, year=2024, source="s", cells=cells, actor=None)
    assert key in caught.value.message_dict
    assert selectors.exact_year(lebanon, 2024).cells == CELLS  # the earlier year is untouched


def test_a_year_in_the_future_is_refused(lebanon, monkeypatch):
    monkeypatch.setattr("ccm.core.clock.today", lambda: date(2026, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.year_save(state=lebanon, year=2027, source="s", cells={("killed", "all", "all"): 1}, actor=None)
    assert "year" in caught.value.message_dict
    services.year_save(state=lebanon, year=2026, source="s", cells={("killed", "all", "all"): 1}, actor=None)


def test_a_year_before_entry_into_force_is_accepted_and_marked(lebanon):
    assert lebanon.entry_into_force.year == 2011
    enter_year(lebanon, year=2009)
    enter_year(lebanon, year=2011)
    read = selectors.reading(None, lebanon)
    marked = {y.year: y.before_entry_into_force for y in read.years}
    assert marked == {2011: False, 2009: True}
    page = persona("anonymous").client().get(reverse("victims:detail", args=["LBN"])).content.decode()
    assert page.count("Before the Convention bound this State") == 1


def test_a_source_is_required(lebanon):
    with pytest.raises(ValidationError) as caught:
        services.year_save(state=lebanon, year=2020, source="  ", cells={}, actor=None)
    assert "source" in caught.value.message_dict


def test_delete_removes_the_year_and_keeps_an_audit_entry(lebanon):
    record = enter_year(lebanon)
    services.year_delete(record=record, actor=None)
    assert not VictimAssistanceYear.objects.filter(state=lebanon).exists()
    entry = AuditEntry.objects.get(action="victim_assistance_year.delete")
    assert entry.data["old"]["cells"]["killed-all-all"] == 9


def test_profile_refuses_a_plan_that_ends_before_it_starts_and_a_budget_without_currency(lebanon):
    with pytest.raises(ValidationError) as caught:
        services.profile_save(
            state=lebanon, actor=None, plan_starts_on=date(2025, 1, 1), plan_ends_on=date(2024, 1, 1), plan_budget=10
        )
    assert {"plan_ends_on", "plan_currency"} <= set(caught.value.message_dict)
    profile = services.profile_save(state=lebanon, actor=None, has_victims="yes", plan_budget=10, plan_currency="usd")
    assert profile.plan_currency == "USD"


# --- who reads exact, who reads protected ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "exact"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("io_manager", False),
        ("other_state_manager", False),
        ("state_viewer", True),
        ("state_editor", True),
        ("coordinator", True),
    ],
)
def test_exact_or_protected_is_decided_by_the_reader(lebanon, name, exact):
    enter_year(lebanon)
    user = persona(name).user
    read = selectors.reading(user, lebanon)
    assert read.exact is exact
    killed = read.years[0].measure("killed")
    assert (killed.cells[("female", "child")].value == 3) is exact


def test_the_public_api_protects_small_numbers_against_the_attacker(lebanon):
    enter_year(lebanon)
    response = persona("anonymous").client().get(reverse("api-victims-years", args=["LBN"]))
    assert response.status_code == 200
    assert response.json()["exact"] is False
    assert_no_cell_recoverable(from_api(response.json(), 2024))


def test_the_api_gives_the_government_the_exact_figures(lebanon):
    enter_year(lebanon)
    payload = persona("state_viewer").client().get(reverse("api-victims-years", args=["LBN"])).json()
    assert payload["exact"] is True
    assert from_api(payload, 2024) == CELLS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_public_exports_protect_small_numbers_against_the_attacker(lebanon, fmt):
    enter_year(lebanon)
    response = persona("anonymous").client().get(reverse(f"victims:export-{fmt}", args=["LBN"]))
    assert response.status_code == 200
    assert "protected" in response["Content-Disposition"]
    published = from_csv(response.content, 2024) if fmt == "csv" else from_xlsx(response.content, 2024)
    assert_no_cell_recoverable(published)


def test_the_government_export_is_exact(lebanon):
    enter_year(lebanon)
    response = persona("state_editor").client().get(reverse("victims:export-csv", args=["LBN"]))
    assert from_csv(response.content, 2024) == CELLS


def test_the_public_page_protects_small_numbers_against_the_attacker(lebanon):
    enter_year(lebanon)
    response = persona("outsider").client().get(reverse("victims:detail", args=["LBN"]))
    assert response.status_code == 200
    assert "Small numbers are protected" in response.content.decode()
    assert_no_cell_recoverable(from_page(response.content, 2024))


def test_the_page_shows_the_government_the_exact_figures(lebanon):
    enter_year(lebanon)
    response = persona("state_viewer").client().get(reverse("victims:detail", args=["LBN"]))
    assert "Exact figures." in response.content.decode()
    assert from_page(response.content, 2024) == CELLS


def test_the_country_brief_section_is_protected_for_the_public(lebanon):
    from ccm.core.clock import today
    from ccm.profiles import brief

    enter_year(lebanon)
    public = brief.brief_content(state=lebanon, user=None, today=today())
    text = "\n".join(public.victim_assistance)
    assert "fewer than 5" in text
    assert "Killed: withheld" in text and "Injured: 27" in text and "Medical care: fewer than 5" in text
    exact = brief.brief_content(state=lebanon, user=persona("state_viewer").user, today=today())
    assert "Medical care: 4" in "\n".join(exact.victim_assistance)
    assert exact.restricted  # the exact figures make the reader's brief a restricted one
    import io

    import docx

    document = docx.Document(io.BytesIO(brief.render_docx(brief.printable(public))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Victim assistance (Article 5)" in text and "Medical care: fewer than 5" in text
    assert persona("anonymous").client().get(reverse("profiles:brief-pdf", args=["LBN"])).status_code == 200


def test_the_country_profile_has_a_protected_victim_assistance_section(lebanon):
    enter_year(lebanon)
    page = persona("anonymous").client().get(reverse("profiles:profile", args=["LBN"])).content.decode()
    assert "Victim assistance" in page and "fewer than 5" in page


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_and_its_query_count_does_not_grow_with_rows(lebanon, django_assert_max_num_queries):
    client = persona("outsider").client()
    url = reverse("victims:list")
    for iso3 in ("LBN", "LAO", "AFG", "IRQ", "SYR", "VNM"):
        state = State.objects.filter(iso3=iso3).first()
        if state is not None:
            enter_year(state)
            services.profile_save(state=state, actor=None, has_victims="yes" if iso3 != "SYR" else "no")
    # (the first reading also stores the table as this reader's page part in the shared cache: a few more)
    with django_assert_max_num_queries(18):
        response = client.get(url)
    with django_assert_max_num_queries(6):  # read back: the session, the user, the page part
        again = client.get(url).content.decode()
    table = response.content.decode().split("<table", 1)[1].split("</table>", 1)[0]
    assert table == again.split("<table", 1)[1].split("</table>", 1)[0]
    page = response.content.decode()
    assert response.status_code == 200 and "Lebanon" in page and "fewer than 5" not in page or "Killed" in page
    assert "Lebanon" not in client.get(url, {"has_victims": "no"}).content.decode()
    assert client.get(url, {"q": "x" * 5000, "page": "99999999999999999999"}).status_code == 200
    assert client.get(url, {"has_victims": "\x00"}).status_code == 200


def test_the_list_api_pages_and_refuses_bad_filters(lebanon):
    services.profile_save(state=lebanon, actor=None, has_victims="yes")
    client = persona("anonymous").client()
    body = client.get(reverse("api-victims-profiles")).json()
    assert body["results"][0]["state"] == "LBN" and body["results"][0]["has_victims"] == "yes"
    assert client.get(reverse("api-victims-profiles"), {"limit": 10**9}).status_code == 400
    assert client.get(reverse("api-victims-profiles"), {"has_victims": "maybe"}).status_code == 400


# --- forms ---------------------------------------------------------------------------------------


def test_lebanons_editor_enters_a_year_through_the_grid_form(lebanon):
    client = persona("state_editor").client()
    data = {
        "year": "2024",
        "source": "Article 7 report 2025, Form H",
        "killed-all-all": "9",
        "killed-female-child": "3",
    }
    response = client.post(reverse("victims:year-new", args=["LBN"]), data)
    assert response.status_code == 302
    assert selectors.exact_year(lebanon, 2024).cells == {("killed", "all", "all"): 9, ("killed", "female", "child"): 3}
    public = persona("anonymous").client().get(reverse("victims:detail", args=["LBN"])).content.decode()
    assert "fewer than 5" in public


def test_the_grid_form_refuses_a_breakdown_above_its_total_and_keeps_what_was_typed(lebanon):
    client = persona("state_editor").client()
    data = {"year": "2024", "source": "s", "killed-all-all": "2", "killed-male-adult": "5"}
    response = client.post(reverse("victims:year-new", args=["LBN"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "more than its total" in page and 'value="5"' in page
    assert not VictimAssistanceYear.objects.filter(state=lebanon).exists()


@pytest.mark.parametrize("value", ["-1", "1e9", "99999999999999999999", "abc", "\x00"])
def test_the_grid_form_refuses_bad_numbers_without_a_500(lebanon, value):
    client = persona("state_editor").client()
    response = client.post(
        reverse("victims:year-new", args=["LBN"]), {"year": "2024", "source": "s", "killed-all-all": value}
    )
    assert response.status_code == 200
    assert not VictimAssistanceYear.objects.filter(state=lebanon).exists()


def test_the_api_writes_a_year_for_an_editor_and_refuses_a_bad_one(lebanon):
    client = persona("state_editor").client()
    url = reverse("api-victims-years", args=["LBN"])
    good = {
        "year": 2024,
        "source": "s",
        "figures": [{"measure": "killed", "sex": "all", "age_group": "all", "count": 3}],
    }
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 200 and response.json()["exact"] is True
    bad = {**good, "figures": [*good["figures"], {"measure": "killed", "sex": "male", "age_group": "all", "count": 4}]}
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400 and "killed-all-all" in response.json()
    assert selectors.exact_year(lebanon, 2024).cells == {("killed", "all", "all"): 3}


def test_the_policy_gives_writes_to_the_states_editors_and_exact_reading_to_its_government():
    from ccm.core.policies import Action
    from ccm.victims import policies
    from tests.victims.helpers import victims_world

    victims_world()
    years = policies.years
    assert set(years.visible_to(persona("state_editor").user, Action.CHANGE).values_list("state__iso3", flat=True)) == {
        "LBN"
    }
    assert not years.visible_to(persona("state_viewer").user, Action.CHANGE).exists()
    assert not years.visible_to(persona("coordinator").user, Action.CHANGE).exists()  # coordinators read, not write
    assert years.visible_to(persona("coordinator").user, policies.EXACT).count() == 2
    assert set(
        years.visible_to(persona("state_viewer").user, policies.EXACT).values_list("state__iso3", flat=True)
    ) == {"LBN"}
    assert years.visible_to(None, Action.VIEW).count() == 2
    assert not years.visible_to(None, policies.EXACT).exists()


def test_the_demo_figures_are_protected_on_the_public_api_against_the_attacker():
    from ccm.victims import demo

    demo.seed()
    assert demo.seed() == [
        "Victim assistance demo: Lebanon (illustrative profile and 4 years).",
        "Victim assistance demo: Lao People's Democratic Republic (illustrative profile and 3 years).",
    ]  # idempotent
    client = persona("anonymous").client()
    for iso3, years in demo.YEARS.items():
        payload = client.get(reverse("api-victims-years", args=[iso3])).json()
        assert payload["exact"] is False
        for year, cells in years.items():
            published = split(from_api(payload, year))
            for measure, table in published.items():
                truth = {(s, a): cells[(measure, s, a)] for (s, a) in table}
                for key, (low, high) in integer_ranges(table, truth, RELATIONS).items():
                    assert low < high, f"{iso3} {year} {measure} {key} can be worked out"
    marked = {
        y["year"]: y["before_entry_into_force"]
        for y in client.get(reverse("api-victims-years", args=["LBN"])).json()["years"]
    }
    assert marked[2010] is True and marked[2024] is False


def test_the_edit_form_shows_the_exact_figures_and_saves_the_profile(lebanon):
    enter_year(lebanon)
    client = persona("state_editor").client()
    page = client.get(reverse("victims:year-edit", args=["LBN", 2024])).content.decode()
    assert 'name="killed-female-child"' in page and 'value="3"' in page
    response = client.post(
        reverse("victims:profile-edit", args=["LBN"]),
        {"has_victims": "yes", "focal_point_name": "Focal point", "plan_budget": "1000", "plan_currency": "USD"},
    )
    assert response.status_code == 302
    assert lebanon.victim_assistance.focal_point_name == "Focal point"
    response = client.post(
        reverse("victims:profile-edit", args=["LBN"]),
        {"has_victims": "yes", "plan_starts_on": "2025-01-01", "plan_ends_on": "2024-01-01"},
    )
    assert response.status_code == 200 and "cannot end before it starts" in response.content.decode()
