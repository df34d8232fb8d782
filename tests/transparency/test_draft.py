"""The Article 7 draft (ccm.transparency.draft): items filled from the platform's data as the reader may see
it, every figure with its source, items without data left for the State to complete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from ccm.accounts.models import Organisation, OrganisationKind
from ccm.funding import explorer
from ccm.reporting import selectors as reporting_selectors
from ccm.reporting import services as reporting
from ccm.reporting.models import ReportStatus
from ccm.states.models import State
from ccm.transparency.draft import ITEM_KEYS, ReportDraft, draft_for, draft_language, year_in_range
from ccm.transparency.draft_policies import may_draft, report_drafts
from tests.factories import FlowFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)


def _publish(state: State, year: int, figures: dict, *, illustrative: bool = False) -> None:
    report = reporting.progress_save(
        state=state, year=year, figures=figures, actor=None, illustrative=illustrative
    ).report
    reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)


def _item(draft: ReportDraft, key: str):
    return next(item for item in draft.items if item.key == key)


def _values(draft: ReportDraft, key: str) -> dict[str, object]:
    return {f.label: f.value for f in _item(draft, key).figures}


LEBANON_2025 = {
    "cancelled_m2": 40_000,
    "reduced_m2": 160_000,
    "cleared_m2": 520_000,
    "submunitions_destroyed": 310,
    "other_remnants_destroyed": 45,
    "risk_education_beneficiaries": 18_500,
    "victim_assistance_beneficiaries": 240,
    "national_resources": Decimal("1250000"),
    "national_resources_currency": "USD",
    "source": "LMAC annual report 2025",
}


@pytest.fixture
def lebanon():
    state = State.objects.get(iso3="LBN")
    obligation = state.obligations.get(kind="clearance")
    reporting.baseline_add(
        obligation=obligation,
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=16_300_000,
        source="CMM 2016",
        actor=None,
    )
    reporting.baseline_add(
        obligation=obligation,
        kind="addition",
        recorded_on=date(2025, 6, 30),
        cha_m2=90_000,
        source="Survey 2025",
        actor=None,
    )
    _publish(state, 2024, {"cleared_m2": 400_000, "source": "LMAC 2024"})
    _publish(state, 2025, LEBANON_2025)
    return state


def test_lebanon_2025_clearance_items_equal_its_progress_figures(lebanon):
    user = persona("state_viewer").user
    draft = draft_for(state=lebanon, year=2025, user=user, today=TODAY)
    shown = reporting_selectors.year_shown(lebanon.progress_reports.get(year=2025), user=user)
    i = _values(draft, "i")
    assert i["Cancelled by non-technical survey"] == shown.cancelled_m2 == 40_000
    assert i["Reduced by technical survey"] == shown.reduced_m2
    assert i["Cleared"] == shown.cleared_m2
    assert i["Land released in total"] == shown.land_released_m2 == 720_000
    assert i["Submunitions destroyed in clearance"] == shown.submunitions_destroyed == 310
    assert i["Other remnants destroyed"] == 45
    assert all(f.source == "Progress report 2025 (LMAC annual report 2025)" for f in _item(draft, "i").figures[-6:])
    # (h): the baseline and the area found, and what the country profile shows as remaining
    h = _values(draft, "h")
    assert h["Baseline as of 31 December 2015"] == 16_300_000 and h["Newly found on 30 June 2025"] == 90_000
    profile = reporting_selectors.country_profile(state=lebanon, user=user, today=TODAY)
    remaining = next(v for k, v in h.items() if k.startswith("Remaining contaminated area at the end of 2025"))
    assert remaining == profile.work[0].work.remaining == 16_300_000 + 90_000 - 400_000 - 720_000
    # (j), (k), (m) from the same report
    assert _values(draft, "j") == {"People reached by risk education": 18_500}
    assert _values(draft, "k")["Victims and survivors assisted"] == 240
    assert _values(draft, "m")["National resources allocated"] == Decimal("1250000")
    assert not draft.uses_unpublished
    assert all(f.source for item in draft.items for f in item.figures), "every figure names its source"


def test_items_without_data_are_left_for_the_state_to_complete(lebanon):
    draft = draft_for(state=lebanon, year=2023, user=persona("state_manager").user, today=TODAY)
    todo = {item.key for item in draft.items if item.to_complete}
    assert [item.key for item in draft.items] == list(ITEM_KEYS)
    # nothing reported for 2023: only (h) (baselines) and (i) (the obligation's deadlines) hold figures
    assert todo == set(ITEM_KEYS) - {"h", "i"}
    assert all(item.left_for_state for item in draft.items)
    assert not _item(draft, "e").figures and "No obligation under Article 3" in _item(draft, "e").notes[0]


def test_a_year_the_state_has_not_published_counts_only_for_its_government_and_is_marked(lebanon):
    reporting.progress_save(state=lebanon, year=2023, figures={"cleared_m2": 123_456, "source": "S"}, actor=None)
    own = draft_for(state=lebanon, year=2023, user=persona("state_viewer").user, today=TODAY)
    assert _values(own, "i")["Cleared"] == 123_456
    assert own.uses_unpublished and all(f.unpublished for f in _item(own, "i").figures if f.source.startswith("Prog"))
    coordinator = draft_for(state=lebanon, year=2023, user=persona("coordinator").user, today=TODAY)
    assert "Cleared" not in _values(coordinator, "i") and not coordinator.uses_unpublished


def test_a_correction_under_review_is_the_working_figure_for_editors_only(lebanon):
    reporting.progress_save(state=lebanon, year=2025, figures={"cleared_m2": 530_000}, actor=None)
    editor = draft_for(state=lebanon, year=2025, user=persona("state_editor").user, today=TODAY)
    viewer = draft_for(state=lebanon, year=2025, user=persona("state_viewer").user, today=TODAY)
    assert _values(editor, "i")["Cleared"] == 530_000 and editor.uses_unpublished
    assert _values(viewer, "i")["Cleared"] == 520_000 and not viewer.uses_unpublished


@pytest.fixture
def peru():
    """Peru's stockpile (illustrative yearly split of its real totals: 2,012 munitions, 162,417 submunitions)."""
    state = State.objects.get(iso3="PER")
    obligation = state.obligations.get(kind="stockpile_destruction")
    reporting.baseline_add(
        obligation=obligation,
        kind="baseline",
        recorded_on=date(2020, 12, 31),
        munition_type="All types",
        munitions=2_012,
        submunitions=162_417,
        source="NPA 2023 (totals destroyed)",
        actor=None,
    )
    _publish(state, 2021, {"stockpile_munitions_destroyed": 500, "stockpile_submunitions_destroyed": 40_000})
    _publish(
        state,
        2022,
        {
            "stockpile_munitions_destroyed": 800,
            "stockpile_submunitions_destroyed": 65_000,
            "source": "Peru Article 7 report 2022",
        },
    )
    return state


def test_the_stockpile_items_equal_the_states_progress(peru):
    draft = draft_for(state=peru, year=2022, user=persona("coordinator").user, today=TODAY)
    f = _values(draft, "f")
    assert f == {"Cluster munitions destroyed": 800, "Explosive submunitions destroyed": 65_000}
    assert {x.source for x in _item(draft, "f").figures} == {"Progress report 2022 (Peru Article 7 report 2022)"}
    e = {x.label: x for x in _item(draft, "e").figures}
    assert e["Baseline as of 31 December 2020 (All types): submunitions"].value == 162_417
    assert e["Original deadline"].text == "1 March 2021"
    assert "Current deadline (extended)" in e and "Completed" in e
    remaining = next(v for k, v in e.items() if k.startswith("Remaining to destroy at the end of 2022"))
    assert remaining.value == 162_417 - 40_000 - 65_000
    assert _item(draft, "i").to_complete  # no clearance obligation, nothing reported


@pytest.fixture
def norway_flows():
    """Norway's government (State B) funds in 2025: a public commitment, its own private disbursement in EUR,
    a 2024 flow (another year); a second Norwegian government organisation keeps a flow to itself; another
    funder's flow is not Norway's."""
    norway_gov = organisation("other_state")
    agency = Organisation.objects.create(
        name="Norwegian agency",
        slug="norwegian-agency",
        kind=OrganisationKind.STATE_GOVERNMENT,
        state=State.objects.get(iso3="NOR"),
    )
    lao = State.objects.get(iso3="LAO")
    FlowFactory(funder=norway_gov, amount=Decimal("1000000"), value_date=date(2025, 2, 1))
    FlowFactory(funder=norway_gov, amount=Decimal("250000"), value_date=date(2025, 3, 1), stage="disbursement")
    FlowFactory(
        funder=norway_gov,
        recipient_state=lao,
        pillar="risk_education",
        stage="disbursement",
        amount=Decimal("300000"),
        currency="EUR",
        value_date=date(2025, 5, 5),
        visibility="organisation",
    )
    FlowFactory(funder=norway_gov, amount=Decimal("999"), value_date=date(2024, 12, 31))
    FlowFactory(funder=agency, amount=Decimal("777777"), value_date=date(2025, 7, 1), visibility="organisation")
    FlowFactory(funder=organisation("io"), amount=Decimal("5555"), value_date=date(2025, 7, 1))
    return State.objects.get(iso3="NOR")


def test_norways_item_n_equals_its_visible_outgoing_flows_of_the_year(norway_flows):
    user = persona("other_state_manager").user
    draft = draft_for(state=norway_flows, year=2025, user=user, today=TODAY)
    n = _item(draft, "n")
    lines = {(x.recipient_iso3, x.pillar, x.stage, x.currency): x.amount for x in n.flow_lines}
    assert lines == {
        ("LAO", "risk_education", "disbursement", "EUR"): Decimal("300000"),
        ("LBN", "clearance", "commitment", "USD"): Decimal("1000000"),
        ("LBN", "clearance", "disbursement", "USD"): Decimal("250000"),
    }
    # the totals per stage equal the funding explorer's for this donor and year
    shown = explorer.totals(
        explorer.explorer_flows(user=user, filters=explorer.ExplorerFilters(funder="state-b-government", year=2025))
    )
    totals = {t.stage: t.usd for t in draft.flow_totals}
    assert totals["commitment"] == shown.committed == Decimal("1000000")
    assert totals["disbursement"] == shown.disbursed
    assert sum(t.flows for t in draft.flow_totals) == shown.flows == 3
    # the agency's private flow is hidden from State B's manager, and counted for a coordinator
    assert Decimal("777777") not in lines.values()
    seen = draft_for(state=norway_flows, year=2025, user=persona("coordinator").user, today=TODAY)
    commitments = {x.amount for x in _item(seen, "n").flow_lines if x.stage == "commitment"}
    assert commitments == {Decimal("1777777")}  # both Norwegian government organisations, together


def test_the_draft_of_a_state_with_many_flows_costs_the_same_queries(norway_flows, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = persona("other_state_manager").user
    with CaptureQueriesContext(connection) as few:
        draft_for(state=norway_flows, year=2025, user=persona("other_state_manager").user, today=TODAY)
    for i in range(60):
        FlowFactory(
            funder=organisation("other_state"),
            amount=Decimal(1000 + i),
            value_date=date(2025, 1, 1 + i % 28),
            recipient_state=State.objects.get(iso3=("LAO", "IRQ", "LBN")[i % 3]),
            pillar=("clearance", "survey")[i % 2],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        draft = draft_for(state=norway_flows, year=2025, user=user, today=TODAY)
    assert sum(t.flows for t in draft.flow_totals) == 63


def test_victim_assistance_figures_are_exact_for_the_states_government(lebanon):
    from ccm.victims.models import VictimAssistanceYear, VictimFigure

    record = VictimAssistanceYear.objects.create(state=lebanon, year=2025, source="Ministry of Health 2025")
    VictimFigure.objects.create(year=record, measure="injured", sex="all", age_group="all", count=7)
    VictimFigure.objects.create(year=record, measure="injured", sex="female", age_group="child", count=2)
    draft = draft_for(state=lebanon, year=2025, user=persona("state_viewer").user, today=TODAY)
    k = {f.label: f for f in _item(draft, "k").figures}
    assert k["Casualties: injured"].value == 7 and k["Casualties: injured"].source == "Ministry of Health 2025"
    assert k["Casualties: injured: Female, Under 18"].value == 2  # exact: no small-number protection here


def test_item_l_names_the_victim_assistance_focal_point_and_leaves_the_rest_to_the_state(lebanon):
    from ccm.victims import services as victims

    before = draft_for(state=lebanon, year=2025, user=persona("state_viewer").user, today=TODAY)
    assert _item(before, "l").to_complete
    victims.profile_save(
        state=lebanon,
        actor=None,
        focal_point_name="Dr A. Example",
        focal_point_institution="Ministry of Public Health",
        declaration_source="Article 7 report 2024, Form H",
    )
    draft = draft_for(state=lebanon, year=2025, user=persona("state_viewer").user, today=TODAY)
    [figure] = _item(draft, "l").figures
    assert figure.text == "Dr A. Example, Ministry of Public Health"
    assert figure.source == "Article 7 report 2024, Form H"
    assert _item(draft, "l").left_for_state  # the other institutions stay the State's to name


def test_who_may_draft():
    lebanon, norway = State.objects.get(iso3="LBN"), State.objects.get(iso3="NOR")
    assert may_draft(persona("state_viewer").user, lebanon)
    assert not may_draft(persona("state_viewer").user, norway)
    assert may_draft(persona("other_state_manager").user, norway)
    assert may_draft(persona("coordinator").user, norway)
    assert not may_draft(persona("io_manager").user, lebanon)
    assert not may_draft(AnonymousUser(), lebanon)
    assert set(report_drafts.visible_to(persona("state_editor").user)) == {lebanon}


def test_years_and_languages():
    assert year_in_range(2008, today=TODAY) and year_in_range(2026, today=TODAY)
    assert not year_in_range(2007, today=TODAY) and not year_in_range(2027, today=TODAY)
    assert draft_language("") == ("en", "")
    lang, note = draft_language("fr")
    assert lang == "en" and "French" in note
    with pytest.raises(ValueError):
        draft_language("xx")
