"""Amounts at the one bound (``ccm.core.money.MAX_AMOUNT``) through every funding entry path, and every
funding page, export and API still answering for every persona afterwards (issue 11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.funding.iati_import import import_iati
from ccm.funding.models import ExchangeRate, FundingFlow
from tests.factories import FlowFactory
from tests.personas import ALL_PERSONAS, organisation, persona

pytestmark = pytest.mark.django_db

AT_BOUND = Decimal("999999999999999.99")
ISSUE_EXAMPLE = "9999999999999999.99"
MESSAGE = "at most 999,999,999,999,999.99"
FLOWS_HEADER = "funder,recipient,pillar,stage,amount,currency,value_date,need,implementer,visibility\n"


def _flow_form(lebanon, amount):
    return {
        "funder": organisation("io").pk,
        "recipient_state": lebanon.pk,
        "pillar": "clearance",
        "stage": "commitment",
        "amount": amount,
        "currency": "USD",
        "value_date": "2025-01-06",
        "visibility": "public",
    }


def test_the_flow_form_refuses_the_issue_example_and_accepts_the_bound(lebanon):
    client = persona("io_editor").client()
    refused = client.post("/funding/flows/new/", _flow_form(lebanon, ISSUE_EXAMPLE))
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    assert not FundingFlow.objects.exists()
    accepted = client.post("/funding/flows/new/", _flow_form(lebanon, "999999999999999.99"))
    assert accepted.status_code == 302
    assert FundingFlow.objects.get().amount == FundingFlow.objects.get().usd_amount == AT_BOUND
    # the smallest amount: the old form compared with the float 0.01 and refused it
    assert client.post("/funding/flows/new/", _flow_form(lebanon, "0.01")).status_code == 302
    assert FundingFlow.objects.filter(amount=Decimal("0.01")).count() == 1


def _upload_flows(client, content):
    upload = SimpleUploadedFile("flows.csv", content, content_type="text/csv")
    return client.post("/funding/flows/import/", {"file": upload})


def test_a_flows_import_refuses_an_amount_above_the_bound_with_its_cell(lebanon):
    from ccm.core.models import SpreadsheetImport

    slug = organisation("io").slug
    content = FLOWS_HEADER + f"{slug},LBN,clearance,commitment,{ISSUE_EXAMPLE},USD,2025-01-06,,,public\n"
    _upload_flows(persona("io_editor").client(), content.encode())
    sheet_import = SpreadsheetImport.objects.get(kind="flows")
    assert sheet_import.status == "invalid"
    assert any(MESSAGE in e["text"] and "column E (amount)" in e["text"] for e in sheet_import.errors)
    assert not FundingFlow.objects.exists()


IATI = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD" last-updated-datetime="2025-01-01T00:00:00">
  <iati-identifier>XM-TEST-{n}</iati-identifier>
  <reporting-org ref="XM-TEST" type="10"><narrative>Test donor</narrative></reporting-org>
  <title><narrative>Clearance</narrative></title>
  <activity-status code="2"/>
  <recipient-country code="LB"/>
  <sector vocabulary="1" code="15250"/>
  <transaction>
   <transaction-type code="2"/>
   <transaction-date iso-date="2025-01-06"/>
   <value currency="USD" value-date="2025-01-06">{value}</value>
   <provider-org ref="XM-TEST"><narrative>Test donor</narrative></provider-org>
  </transaction>
 </iati-activity>
</iati-activities>
"""


def test_a_huge_iati_value_is_a_problem_in_the_report_not_a_crash(tmp_path):
    huge = tmp_path / "huge.xml"
    huge.write_text(IATI.format(n=1, value=ISSUE_EXAMPLE))
    fine = tmp_path / "fine.xml"
    fine.write_text(IATI.format(n=2, value="999999999999999.99"))
    report = import_iati(paths=[str(huge), str(fine)], actor=None)
    text = repr(report)
    assert "above the largest amount accepted" in text
    assert list(FundingFlow.objects.values_list("iati_activity", "amount")) == [("XM-TEST-2", AT_BOUND)]


def test_after_flows_at_the_bound_every_funding_page_export_and_api_answers_for_everyone(lebanon, need):
    """The issue's example: before, a flow this large made these answer 500 for every reader."""
    ExchangeRate.objects.create(
        currency="LBP", on=date(2025, 1, 6), kind="daily", to_usd=Decimal("0.0000111111"), source="t"
    )
    for stage in ("pledge", "commitment", "disbursement"):
        for _ in range(3):  # sums of several flows at the bound pass 64 bits of cents
            FlowFactory(amount=AT_BOUND, stage=stage, need=None)
    FlowFactory(amount=AT_BOUND, currency="LBP", visibility="organisation")
    FlowFactory(amount=AT_BOUND, value_date=date(2021, 3, 1), currency="EUR")
    assert FundingFlow.objects.count() == 11
    io = organisation("io").slug
    urls = [
        "/funding/",
        "/funding/?year=2025",
        "/funding/coverage.csv",
        "/funding/coverage.xlsx",
        "/funding/states/LBN/",
        f"/funding/donors/{io}/",
        "/api/v1/flows/",
        "/api/v1/coverage/",
        "/api/v1/coverage/?state=LBN",
        "/states/LBN/profile/",
        "/states/LBN/brief.pdf",
        "/states/LBN/brief.docx",
    ]
    for name in ALL_PERSONAS:
        client = persona(name).client()
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)
    flows = persona("coordinator").client().get("/api/v1/flows/").json()["results"]
    assert {f["amount"] for f in flows} == {"999999999999999.99"}
    cells = persona("coordinator").client().get("/api/v1/coverage/", {"state": "LBN", "year": 2025}).json()
    [cell] = [c for c in cells if c["pillar"] == "clearance"]
    assert Decimal(cell["committed"]) == AT_BOUND * 3 + (AT_BOUND * Decimal("0.0000111111")).quantize(Decimal("0.01"))
