"""Coordination: weights saved and refused, forecasts stored by the background job, the allocation run
from the page (and its clear refusal), sharing and pledging a line through the funding ledger, what a
donor sees of a shared run, the same figures on the dashboard, the API and the run page, bounded queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from ccm.analytics import attention as att
from ccm.coordination import selectors, services
from ccm.coordination.models import AllocationLine, AllocationRun, AttentionWeights, ForecastRun, RunStatus
from ccm.core import tasks
from ccm.core.clock import today
from ccm.core.models import AuditEntry
from ccm.funding.models import FundingFlow, Stage
from ccm.states.models import State
from tests.coordination.helpers import coordination_world, donor_profile
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

WEIGHTS = {name: str(value) for name, value in att.DEFAULT_WEIGHTS.items()}


def _url(name: str, *args: object) -> str:
    return reverse(f"coordination:{name}", args=args)


def _needs_and_donors() -> None:
    """Three affected States with open needs; two donors with money, one preferring Lebanon."""
    lebanon, chad, laos = (State.objects.get(iso3=c) for c in ("LBN", "TCD", "LAO"))
    NeedFactory(state=lebanon, title="Lebanon teams", amount=Decimal(400_000))
    NeedFactory(state=chad, title="Chad teams", amount=Decimal(300_000))
    NeedFactory(state=laos, title="Laos survey", amount=Decimal(200_000), pillar="survey")
    profile = donor_profile("io", grant_max=Decimal(150_000))  # envelope 300,000 (twice its largest grant)
    profile.priority_states.set([lebanon])
    operator = donor_profile("operator", grant_max=Decimal(100_000))
    operator.pillars = ["clearance", "survey"]
    operator.save()


def test_weights_are_saved_with_who_and_an_audit_entry_and_bad_weights_are_refused_with_the_reason():
    coordinator = persona("coordinator")
    client = coordinator.client()
    preview = client.get(_url("attention"), {**WEIGHTS, "coverage_gap": "0.5"}).content.decode()
    assert 'name="coverage_gap" value="0.5"' in preview and "Save these weights for everyone" in preview
    assert not AttentionWeights.objects.exists()  # a preview saves nothing
    response = client.post(_url("attention"), {**WEIGHTS, "coverage_gap": "0.5", "note": "More on coverage"})
    assert response.status_code == 302
    saved = AttentionWeights.objects.get()
    assert saved.weights["coverage_gap"] == 0.5 and saved.created_by == coordinator.user
    assert selectors.current_weights()["coverage_gap"] == 0.5
    assert AuditEntry.objects.filter(action="attention_weights.create").count() == 1

    refused = client.post(_url("attention"), dict.fromkeys(att.COMPONENTS, "0"))
    assert refused.status_code == 400
    assert "At least one weight must be above 0." in refused.content.decode()
    negative = client.post(_url("attention"), {**WEIGHTS, "deadline_risk": "-1"})
    assert negative.status_code == 400
    assert AttentionWeights.objects.count() == 1
    with pytest.raises(ValidationError):
        services.weights_save(weights={"coverage_gap": float("nan")}, actor=coordinator.user)
    with pytest.raises(ValidationError):
        services.weights_save(weights={"not_a_component": 1.0}, actor=coordinator.user)


def test_the_attention_api_takes_weights_in_the_query_and_refuses_bad_ones_and_huge_pages():
    _needs_and_donors()
    client = persona("coordinator").client()
    url = reverse("api-coordination-attention")
    only_coverage = client.get(url, {"coverage_gap": "1"}).json()
    assert only_coverage["count"] >= 3
    for row in only_coverage["results"]:
        assert row["score"] == pytest.approx(1 - min(row["coverage"] or 0, 1)) if row["coverage"] is not None else True
    assert client.get(url, {"coverage_gap": "abc"}).status_code == 400
    assert client.get(url, {"coverage_gap": "-1"}).status_code == 400
    assert client.get(url, {"limit": "100000"}).status_code == 400
    assert client.get(reverse("api-coordination-forecasts"), {"limit": "501"}).status_code == 400
    assert client.get(reverse("api-coordination-allocations"), {"offset": "-3"}).status_code == 400


def test_a_forecast_run_is_computed_by_the_job_stored_and_then_shown(
    lebanon_reported, django_capture_on_commit_callbacks
):
    coordinator = persona("coordinator")
    with tasks.run_inline(), django_capture_on_commit_callbacks(execute=True):
        response = coordinator.client().post(_url("forecast-run"))
    assert response.status_code == 302
    run = ForecastRun.objects.get()
    assert run.status == RunStatus.DONE and run.created_by == coordinator.user
    assert "LBN-art4" in run.inputs["keys"]
    stored = {r["key"]: r for r in run.results}["LBN-art4"]
    view = selectors.forecasts(user=coordinator.user, today=today())
    assert view.stored_run == run
    assert {r.info.key: r.result for r in view.rows}["LBN-art4"] == stored
    page = coordinator.client().get(_url("forecasts")).content.decode()
    assert f"forecast run #{run.pk}" in page
    detail = coordinator.client().get(_url("forecast", "LBN-art4"))
    assert detail.status_code == 200 and "What the forecast was given" in detail.content.decode()
    assert coordinator.client().get(_url("forecast", "XXX-art4")).status_code == 404
    api = coordinator.client().get(reverse("api-coordination-forecasts")).json()
    lebanon = next(r for r in api["results"] if r["key"] == "LBN-art4")
    assert lebanon["probability_on_time"] == stored["probability_on_time"]
    assert lebanon["p50"] == stored["p50"] and lebanon["status"] == stored["status"]
    # an open obligation without a baseline says so rather than invent a number
    thin = [r for r in api["results"] if r["status"] == "thin"]
    assert thin and all(r["p50"] is None and r["reason"] for r in thin)


def test_an_allocation_with_nothing_to_place_is_refused_with_a_clear_message_and_nothing_is_saved():
    NeedFactory(state=State.objects.get(iso3="TCD"), amount=Decimal(10_000))
    response = persona("coordinator").client().post(_url("allocation-new"), {"title": "Empty", "percent": "100"})
    assert response.status_code == 400
    assert "No donor has money left to place" in response.content.decode()
    assert not AllocationRun.objects.exists()
    api = persona("coordinator").client().post(reverse("api-coordination-allocations"), {"title": "Empty"})
    assert api.status_code == 400
    bad = persona("coordinator").client().post(_url("allocation-new"), {"title": "Bad", "percent": "0"})
    assert bad.status_code == 400 and not AllocationRun.objects.exists()


def test_a_run_is_saved_shared_and_a_donor_turns_its_own_line_into_a_pledge_once():
    _needs_and_donors()
    coordinator = persona("coordinator").client()
    response = coordinator.post(_url("allocation-new"), {"title": "Spread the money", "percent": "100"})
    assert response.status_code == 302
    run = AllocationRun.objects.get()
    lines = list(run.lines.select_related("need__state"))
    assert lines and run.outputs["coordinated"]["states_with_nothing"] <= run.outputs["baseline"]["states_with_nothing"]
    # never beyond an envelope or a gap
    for donor_id in {line.donor_id for line in lines}:
        envelope = next(d["envelope"] for d in run.inputs["donors"] if d["id"] == donor_id)
        assert float(sum(line.amount for line in lines if line.donor_id == donor_id)) <= envelope + 0.01
    for line in lines:
        assert line.amount <= line.need.amount

    io_line = next(line for line in lines if line.donor_id == organisation("io").pk)
    # not shared yet: the donor does not see it
    assert persona("io_editor").client().get(_url("allocation", run.pk)).status_code == 404
    assert coordinator.post(_url("allocation-share", run.pk)).status_code == 302
    run.refresh_from_db()
    assert run.shared and organisation("io") in run.shared_with.all()

    editor = persona("io_editor").client()
    page = editor.get(_url("allocation", run.pk)).content.decode()
    assert io_line.need.title in page
    assert {line.donor_id for line in lines} == {organisation("io").pk, organisation("operator").pk}
    assert "<td>International organisation</td>" in page and "<td>Operator</td>" not in page
    shown = selectors.run_view(user=persona("io_editor").user, run=run)
    assert {line.donor_id for line in shown.lines} == {organisation("io").pk}
    api = editor.get(reverse("api-coordination-allocation", args=[run.pk])).json()
    assert {line["donor"] for line in api["lines"]} == {organisation("io").slug}

    response = editor.post(_url("line-pledge", run.pk, io_line.pk), {"message": "We can fund this."})
    assert response.status_code == 302
    io_line.refresh_from_db()
    flow = FundingFlow.objects.get(pk=io_line.pledged_flow_id)
    assert flow.stage == Stage.PLEDGE and flow.need_id == io_line.need_id and flow.funder == organisation("io")
    assert flow.amount == io_line.amount  # the need is in US dollars
    assert AuditEntry.objects.filter(action="allocation_line.pledge").count() == 1
    # once only: the line is no longer open to pledge (403, it is still seen)
    assert editor.post(_url("line-pledge", run.pk, io_line.pk)).status_code == 403
    assert FundingFlow.objects.filter(stage=Stage.PLEDGE, need_id=io_line.need_id).count() == 1


def test_a_line_larger_than_what_the_need_still_lacks_is_refused_with_the_reason():
    world = coordination_world(line_amount=Decimal(9_000))
    from ccm.funding.services import pledge_create

    pledge_create(need=world.need, funder=organisation("operator"), amount=Decimal(5_000), actor=None)
    response = persona("io_manager").client().post(_url("line-pledge", world.run.pk, world.line.pk), follow=True)
    assert "less than this line" in response.content.decode()
    world.line.refresh_from_db()
    assert world.line.pledged_flow_id is None and world.line.pledged_at is None


def test_the_dashboard_the_api_and_the_run_page_show_the_same_figures():
    _needs_and_donors()
    coordinator = persona("coordinator")
    client = coordinator.client()
    client.post(_url("allocation-new"), {"title": "Same figures", "percent": "100"})
    run = AllocationRun.objects.get()
    data = selectors.dashboard(user=coordinator.user, today=today())
    api = client.get(reverse("api-coordination-attention")).json()["results"]
    assert [r["state"] for r in api] == [s.iso3 for s in data.states if s.score]
    for row, line in zip(api, [s for s in data.states if s.score], strict=True):
        assert row["score"] == pytest.approx(line.score.score)
        assert row["coverage"] == (pytest.approx(line.coverage) if line.coverage is not None else None)
    dashboard = client.get(_url("dashboard")).content.decode()
    for line in data.states[:3]:
        assert escape(line.name) in dashboard
    detail = client.get(reverse("api-coordination-allocation", args=[run.pk])).json()
    assert detail["coordinated"] == run.outputs["coordinated"] and detail["baseline"] == run.outputs["baseline"]
    page = client.get(_url("allocation", run.pk)).content.decode()
    fewer = run.outputs["baseline"]["states_with_nothing"] - run.outputs["coordinated"]["states_with_nothing"]
    if fewer > 0:
        assert f"Fewer States with nothing than the baseline by {fewer}" in page
    listing = client.get(reverse("api-coordination-allocations")).json()["results"][0]
    assert listing["coordinated"]["total_placed"] == detail["coordinated"]["total_placed"]


def test_a_need_kept_to_chosen_donors_stays_out_of_allocations():
    _needs_and_donors()
    hidden = NeedFactory(
        state=State.objects.get(iso3="SOM"),
        title="Kept to chosen donors",
        amount=Decimal(90_000),
        visibility="chosen",
        chosen_donors=[organisation("other_state")],
    )
    run = services.allocation_create(title="Run", actor=persona("coordinator").user)
    assert hidden.pk not in {n["id"] for n in run.inputs["needs"]}
    assert not run.lines.filter(need=hidden).exists()


def test_matching_shows_reasons_in_words_and_stays_with_coordinators():
    _needs_and_donors()
    need = NeedFactory(state=State.objects.get(iso3="LBN"), title="Lebanon survey", amount=Decimal(50_000))
    page = persona("coordinator").client().get(_url("need-donors", need.pk)).content.decode()
    assert "Lists Lebanon among its priority countries" in page and "LBN" not in page
    assert persona("io_manager").client().get(_url("need-donors", need.pk)).status_code == 404
    api = persona("coordinator").client().get(reverse("api-coordination-need-donors", args=[need.pk])).json()
    assert api["results"][0]["reasons"]
    donor_page = persona("coordinator").client().get(_url("donor-needs", organisation("io").slug))
    assert donor_page.status_code == 200 and "Lebanon teams" in donor_page.content.decode()


def test_lists_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    world = coordination_world()
    client = persona("coordinator").client()
    for i in range(12):
        run = AllocationRun.objects.create(title=f"Run {i}", status="optimal", outputs=world.run.outputs)
        AllocationLine.objects.create(run=run, donor=organisation("io"), need=world.need, amount=Decimal(1))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("api-coordination-allocations")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(_url("allocations")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(_url("allocation", world.run.pk)).status_code == 200
    for _i in range(5):
        NeedFactory(state=State.objects.get(iso3="TCD"), amount=Decimal(1_000))
    # a first read computes the figures and the page part, and stores them in the shared cache (a table here) ...
    with django_assert_max_num_queries(66):
        assert client.get(_url("dashboard")).status_code == 200
    # ... which the next coordinator's read takes from it
    with django_assert_max_num_queries(12):
        assert client.get(_url("dashboard")).status_code == 200


def test_the_dashboard_and_the_api_cost_the_same_queries_with_five_times_the_needs(lebanon_reported):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordination_world()
    client = persona("coordinator").client()
    urls = [
        _url("dashboard"),
        _url("attention"),
        _url("forecasts"),
        reverse("api-coordination-attention"),
        reverse("api-coordination-forecasts"),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for iso3 in ("TCD", "SOM", "LAO", "IRQ", "AFG"):
        for i in range(4):
            NeedFactory(state=State.objects.get(iso3=iso3), amount=Decimal(1_000 + i))
    donor_profile("operator")
    after = counts()
    assert all(a <= b for a, b in zip(after, before, strict=True)), (before, after)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("Decisions in the first quarter for the calendar year.", 1),
        ("Calls open in March and September.", 3),
        ("Decisions may be made at any time.", None),
        ("Applications close in May.", 5),
        ("Twice a year.", None),
    ],
)
def test_the_funding_cycle_month_is_read_from_the_profile_words(text, month):
    assert selectors.cycle_month(text) == month


def test_the_dashboard_names_what_weighs_most_in_each_state():
    _needs_and_donors()
    page = persona("coordinator").client().get(_url("dashboard")).content.decode()
    # Chad: nothing received against its needs, no donor, every need unanswered
    ranking = page[page.index('id="attention"') :]
    chad = ranking[ranking.index(">Chad</a>") :]
    assert "Coverage gap" in chad[: chad.index("</tr>")]


def test_a_state_asking_donors_for_nothing_is_listed_not_ranked_with_its_deadline_risk_in_the_forecasts():
    """Germany funds its own clearance: a forecast (no chance of meeting a passed deadline) and no donor,
    but no requirement and no open need. It must not top the attention ranking on "no donor" and deadline
    risk alone; a State with an open need is ranked."""
    from datetime import date

    from ccm.reporting import services as reporting
    from ccm.reporting.models import ReportStatus

    germany = State.objects.get(iso3="DEU")
    obligation = germany.obligations.get(kind="clearance")
    reporting.baseline_add(
        obligation=obligation,
        kind="baseline",
        recorded_on=date(2017, 12, 31),
        sha_m2=11_000_000,
        source="s",
        actor=None,
    )
    for year in (2021, 2022, 2023, 2024):
        report = reporting.progress_save(state=germany, year=year, figures={"cleared_m2": 1_000_000}, actor=None).report
        reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
        reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    NeedFactory(state=State.objects.get(iso3="TCD"), title="Chad survey", amount=Decimal(100_000))
    coordinator = persona("coordinator")
    data = selectors.dashboard(user=coordinator.user, today=date(2026, 11, 28))
    row = next(r for r in data.forecasts.rows if r.info.iso3 == "DEU")
    assert row.result["status"] == "ok" and row.result["probability_on_time"] == 0  # its deadline has passed
    assert row.no_extra_reason == "the deadline has passed"
    assert "DEU" not in [s.iso3 for s in data.states]
    assert ("DEU", germany.name) in data.unranked
    assert "TCD" in [s.iso3 for s in data.states if s.score]
    page = coordinator.client().get(_url("dashboard")).content.decode()
    assert "nothing asked of donors on record" in page and "the deadline has passed" in page
    detail = coordinator.client().get(_url("forecast", row.info.key)).content.decode()
    assert "No extra funding figure: the deadline has passed." in detail
    year = today().year  # the page's day: the three complete years before it
    assert f"International funding a year (average of {year - 3}–{year - 1})" in detail
