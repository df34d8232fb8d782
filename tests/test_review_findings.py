"""Regression tests for the second access review (reporting, needs, funding)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core.models import SpreadsheetImport
from ccm.funding import services as funding
from ccm.funding.iati import IatiFileError, read_activities
from ccm.funding.iati_import import import_iati
from ccm.funding.models import FundingFlow
from ccm.needs.models import Response
from ccm.reporting import services as reporting
from ccm.reporting.models import ReportStatus
from ccm.reporting.selectors import country_profile
from ccm.states.models import State
from tests.factories import NeedFactory, ObstacleFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


def test_a_confidential_ledger_pledge_cannot_enter_a_public_thread(lebanon):
    need = NeedFactory()
    with pytest.raises(ValidationError, match="kept for coordinators"):
        funding.flow_create(
            funder=organisation("io"),
            recipient_state=lebanon,
            pillar="clearance",
            stage="pledge",
            amount=Decimal("100"),
            currency="USD",
            value_date=date(2025, 1, 6),
            need=need,
            visibility="organisation",
            actor=None,
        )
    assert not Response.objects.filter(need=need).exists() and not FundingFlow.objects.exists()


def _flows_upload(client, content: str):
    client.post("/funding/flows/import/", {"file": SimpleUploadedFile("f.csv", content.encode())})
    return SpreadsheetImport.objects.filter(kind="flows").latest("id")


def test_a_flows_import_cannot_reach_a_hidden_need_and_takes_one_funder(lebanon):
    hidden = NeedFactory(
        title="N", amount=Decimal("1000"), visibility="chosen", chosen_donors=[organisation("operator")]
    )
    header = "funder,recipient,pillar,stage,amount,currency,value_date,need\n"
    io = organisation("io").slug
    result = _flows_upload(
        persona("io_editor").client(), header + f"{io},LBN,clearance,pledge,5,USD,2025-01-06,{hidden.pk}\n"
    )
    assert any("published need open to you" in e["message"] for e in result.errors)
    services_user = persona("io_editor").user
    from ccm.accounts.models import Membership

    Membership.objects.create(user=services_user, organisation=organisation("operator"), role="editor")
    two = _flows_upload(
        persona("io_editor").client(),
        header + f"{io},LBN,clearance,commitment,5,USD,2025-01-06,\n"
        f"{organisation('operator').slug},LBN,clearance,commitment,6,USD,2025-01-06,\n",
    )
    assert any("one funder per file" in e["message"] for e in two.errors)
    one = _flows_upload(
        persona("io_editor").client(),
        header + f"{organisation('operator').slug},LBN,clearance,commitment,6,USD,2025-01-06,\n",
    )
    assert one.organisation == organisation("operator")
    assert persona("io_manager").client().get(f"/funding/flows/import/{one.pk}/").status_code == 404


def test_private_obstacles_stay_off_public_need_pages(lebanon):
    private = ObstacleFactory(
        category="political_will", statement="SECRET-OBSTACLE", observed_on=date(2025, 1, 1), visibility="organisation"
    )
    need = NeedFactory()
    need.obstacles.set([private])
    assert "SECRET-OBSTACLE" not in persona("anonymous").client().get(f"/needs/{need.pk}/").content.decode()
    assert "SECRET-OBSTACLE" in persona("state_viewer").client().get(f"/needs/{need.pk}/").content.decode()


def test_restricting_a_plan_takes_effect_and_imports_keep_the_restriction(lebanon):
    obligation = lebanon.obligations.get(kind="clearance")
    years = [{"year": 2027, "target_output": 1, "cost": Decimal(10)}]
    plan, _ = reporting.plan_save(obligation=obligation, years=years, currency="USD", visibility="public", actor=None)
    reporting.plan_approve(plan=plan, actor=None)
    same, changed = reporting.plan_save(
        obligation=obligation, years=years, currency="USD", visibility="organisation", actor=None
    )
    assert changed and same.pk == plan.pk and same.visibility == "organisation"
    assert persona("anonymous").client().get("/api/v1/states/LBN/plans/").json()["count"] == 0
    newer, _ = reporting.plan_save(
        obligation=obligation,
        years=[*years, {"year": 2028, "target_output": 1, "cost": Decimal(5)}],
        currency="USD",
        actor=None,
    )
    assert newer.version == 2 and newer.visibility == "organisation"


def test_every_stockpile_baseline_counts(lebanon):
    state = State.objects.get(iso3="BGR")
    obligation = state.obligations.get(kind="stockpile_destruction")
    type(obligation).objects.filter(pk=obligation.pk).update(completed=False, completed_on=None)
    obligation.refresh_from_db()
    for kind, amount in (("A", 1000), ("B", 9000)):
        reporting.baseline_add(
            obligation=obligation,
            kind="baseline",
            recorded_on=date(2012, 1, 1),
            munition_type=kind,
            submunitions=amount,
            source="s",
            actor=None,
        )
    [work] = country_profile(state=state, user=None, today=date(2026, 1, 1)).work
    assert work.work.remaining == 10_000


def test_changed_published_figures_leave_the_public_until_published_again(lebanon):
    report = reporting.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 100}, actor=None).report
    reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    reporting.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 424242}, actor=None)
    report.refresh_from_db()
    assert report.status == "submitted" and report.needs_review
    assert persona("anonymous").client().get("/api/v1/states/LBN/progress/").json()["count"] == 0
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    assert (
        persona("anonymous").client().get("/api/v1/states/LBN/progress/").json()["results"][0]["cleared_m2"] == 424242
    )


def test_a_dtd_hidden_after_a_comment_is_refused(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text(
        '<?xml version="1.0"?><!-- <iati- --><!DOCTYPE x [<!ENTITY s "15250">]>'
        '<iati-activities version="2.03"><iati-activity><iati-identifier>A</iati-identifier>'
        '<sector code="&s;"/></iati-activity></iati-activities>'
    )
    with pytest.raises(IatiFileError, match="refused for safety"):
        list(read_activities(str(path)))


def test_nan_and_huge_amounts_are_row_errors_not_crashes(lebanon, tmp_path):
    client = persona("state_editor").client()
    client.post(
        "/needs/import/LBN/",
        {
            "file": SimpleUploadedFile(
                "n.csv",
                b"title,pillar,modality,description,amount,currency\nA,survey,financial,d,NaN,USD\n"
                b"B,survey,financial,d,1E+99999,USD\n",
            )
        },
    )
    result = SpreadsheetImport.objects.filter(kind="needs").latest("id")
    assert [e["row"] for e in result.errors if e["header"] == "amount"] == [2, 3]
    iati = tmp_path / "a.xml"
    iati.write_text(
        '<?xml version="1.0"?><iati-activities version="2.03"><iati-activity default-currency="EUR">'
        '<iati-identifier>A</iati-identifier><reporting-org ref="R"/>'
        '<sector code="15250" percentage="100"/><recipient-country code="LB"/>'
        '<transaction><transaction-type code="3"/><value value-date="2021-01-05">NaN</value>'
        "</transaction></iati-activity></iati-activities>"
    )
    good = tmp_path / "b.xml"
    good.write_text(iati.read_text().replace("NaN", "10").replace("<iati-identifier>A<", "<iati-identifier>B<"))
    report = import_iati(paths=[str(iati), str(good)], actor=None).as_dict()
    assert "not a usable number" in report["files"][0]["error"] and report["files"][1]["error"] == ""
    assert FundingFlow.objects.count() == 1
