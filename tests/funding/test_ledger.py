from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.funding.demo import SAMPLE
from ccm.funding.iati_import import import_iati
from ccm.funding.models import FundingFlow
from ccm.funding.rates import ecb_table
from ccm.needs.models import Response
from tests.factories import FlowFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_a_donor_records_a_pledge_that_answers_a_need(lebanon, need):
    client = persona("io_editor").client()
    response = client.post(
        "/funding/flows/new/",
        {
            "funder": organisation("io").pk,
            "recipient_state": lebanon.pk,
            "pillar": "clearance",
            "stage": "pledge",
            "amount": "400000",
            "currency": "EUR",
            "value_date": "2021-05-25",
            "need": need.pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    flow = FundingFlow.objects.get()
    rate = ecb_table().rate("EUR", date(2021, 5, 25))
    assert flow.usd_amount == (Decimal(400000) * rate.to_usd).quantize(Decimal("0.01"))
    assert (flow.rate, flow.rate_date, flow.source) == (rate.to_usd, date(2021, 5, 25), "entered")
    pledge = Response.objects.get(need=need, kind="pledge")
    assert pledge.organisation == organisation("io") and pledge.ledger_flow == flow  # one record, announced
    assert (flow.amount, flow.need, flow.stage) == (Decimal("400000.00"), need, "pledge")


def test_confidential_flows_are_seen_by_coordinators_and_the_funder_only(lebanon):
    FlowFactory(recipient_state=lebanon, stage="pledge", amount=Decimal("5000"), visibility="organisation")
    for name, count in (("anonymous", 0), ("state_manager", 0), ("io_viewer", 1), ("coordinator", 1)):
        assert persona(name).client().get("/api/v1/flows/").json()["count"] == count, name


def test_coverage_shows_imported_money_next_to_the_needs(lebanon, need):
    import_iati(paths=[str(SAMPLE)], actor=None)
    FlowFactory(recipient_state=lebanon, amount=Decimal("250000"), currency="EUR", value_date=date(2021, 3, 1))
    cells = persona("anonymous").client().get("/api/v1/coverage/", {"state": "LBN"}).json()
    [cell] = cells
    rate = ecb_table().rate("EUR", date(2021, 1, 1))
    assert Decimal(cell["required"]) == (Decimal(1000000) * rate.to_usd).quantize(Decimal("0.01"))
    assert cell["donors"] == 1 and 0 < cell["coverage"] < 0.3
    syria = persona("anonymous").client().get("/api/v1/flows/", {"recipient": "SYR", "stage": "commitment"}).json()
    assert syria["count"] == 2
    page = persona("anonymous").client().get("/funding/")
    assert "Lebanon" in page.content.decode() and 'role="img"' in page.content.decode()


def test_the_overview_runs_a_bounded_number_of_queries(lebanon, need, django_assert_max_num_queries):
    import_iati(paths=[str(SAMPLE)], actor=None)
    client = persona("coordinator").client()
    client.get("/funding/")
    with django_assert_max_num_queries(12):
        client.get("/funding/")


def test_coordinators_upload_iati_and_see_the_report(django_capture_on_commit_callbacks):
    client = persona("coordinator").client()
    upload = SimpleUploadedFile("dportal.xml", SAMPLE.read_bytes(), content_type="application/xml")
    with django_capture_on_commit_callbacks(execute=True):  # the upload is imported by a background task
        posted = client.post("/funding/iati/", {"file": upload, "dry_run": ""})
    page = client.get(posted["Location"])
    assert page.status_code == 200
    assert page.context["report"]["counts"]["flows_created"] == 4
    assert FundingFlow.objects.count() == 4
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            "/funding/iati/", {"file": SimpleUploadedFile("x.xml", b"<iati-activities version='2.03'><iati")}
        )
    bad = client.get(posted["Location"])
    assert "not well-formed XML" in bad.context["report"]["files"][0]["error"]
    assert persona("state_manager").client().get("/funding/iati/").status_code == 404
