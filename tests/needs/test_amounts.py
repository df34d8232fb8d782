"""Amounts above the one bound are refused with a message on every needs entry path: the need form, a
pledge, the donor profile, the needs import and the services themselves (issue 11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core.models import SpreadsheetImport
from ccm.funding import services as funding
from ccm.needs.models import DonorProfile, Need, Response
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

AT_BOUND = Decimal("999999999999999.99")
ISSUE_EXAMPLE = "9999999999999999.99"
MESSAGE = "at most 999,999,999,999,999.99"


def _need_form(amount):
    return {
        "title": "Survey",
        "pillar": "clearance",
        "modality": "financial",
        "description": "Survey",
        "amount": amount,
        "currency": "LBP",
        "priority": 1,
        "visibility": "public",
    }


def test_the_need_form_refuses_above_the_bound_and_keeps_the_bound_exactly(lebanon):
    client = persona("state_editor").client()
    refused = client.post("/needs/new/LBN/", _need_form(ISSUE_EXAMPLE))
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    assert not Need.objects.filter(state=lebanon).exists()
    assert client.post("/needs/new/LBN/", _need_form("999999999999999.99")).status_code == 302
    assert Need.objects.get(state=lebanon).amount == AT_BOUND


def test_a_pledge_above_the_bound_is_refused_with_a_message(lebanon):
    from ccm.funding.models import ExchangeRate

    # a pledge is a flow in the ledger: its currency needs a rate on file (the Lebanese pound is not an ECB one)
    ExchangeRate.objects.create(currency="LBP", on=date(2024, 1, 1), kind="daily", to_usd="0.0000112", source="test")
    need = NeedFactory(state=lebanon, amount=AT_BOUND, currency="LBP", visibility="public")
    client = persona("io_editor").client()
    data = {"organisation": organisation("io").pk, "amount": ISSUE_EXAMPLE}
    refused = client.post(f"/funding/needs/{need.pk}/", data)
    assert refused.status_code == 400 and not Response.objects.filter(kind="pledge").exists()
    assert MESSAGE in refused.content.decode()
    kept = client.post(f"/funding/needs/{need.pk}/", {**data, "amount": "999999999999999.99"})
    assert kept.status_code == 302
    assert Response.objects.get(kind="pledge").ledger_flow.amount == AT_BOUND
    for name in ("anonymous", "io_viewer", "coordinator", "state_manager"):
        assert persona(name).client().get(f"/needs/{need.pk}/").status_code == 200, name


def test_the_donor_profile_refuses_a_grant_above_the_bound():
    client = persona("io_editor").client()
    url = f"/donors/{organisation('io').slug}/edit/"
    refused = client.post(url, {"currency": "LBP", "grant_min": "1", "grant_max": ISSUE_EXAMPLE})
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    assert not DonorProfile.objects.filter(organisation=organisation("io")).exists()
    assert (
        client.post(
            url, {"currency": "LBP", "grant_min": "0.01", "grant_max": "999999999999999.99", "is_published": "on"}
        ).status_code
        == 302
    )
    profile = DonorProfile.objects.get(organisation=organisation("io"))
    assert (profile.grant_min, profile.grant_max) == (Decimal("0.01"), AT_BOUND)
    for name in ("anonymous", "io_viewer", "coordinator"):
        client = persona(name).client()
        for url in ("/donors/", f"/donors/{organisation('io').slug}/", "/api/v1/donors/"):
            assert client.get(url).status_code == 200, (name, url)


def test_the_services_refuse_above_the_bound_even_when_called_directly(lebanon):
    with pytest.raises(ValidationError, match=MESSAGE):
        NeedFactory(state=lebanon, amount=Decimal(ISSUE_EXAMPLE), currency="LBP")
    need = NeedFactory(state=lebanon, amount=AT_BOUND, currency="LBP", visibility="public")
    with pytest.raises(ValidationError, match=MESSAGE):
        funding.pledge_create(need=need, funder=organisation("io"), actor=None, amount=Decimal(ISSUE_EXAMPLE))


def test_the_needs_import_refuses_above_the_bound_with_its_cell(lebanon):
    header = "title,pillar,modality,description,amount,currency,in_kind,ends_on,priority,visibility,obligation\n"
    content = header + f"Teams,survey,financial,Two teams,{ISSUE_EXAMPLE},lbp,,,1,public,\n"
    upload = SimpleUploadedFile("needs.csv", content.encode())
    persona("state_editor").client().post("/needs/import/LBN/", {"file": upload})
    sheet_import = SpreadsheetImport.objects.get(kind="needs")
    assert sheet_import.status == "invalid"
    assert any(MESSAGE in e["text"] and "(amount)" in e["text"] for e in sheet_import.errors), sheet_import.errors
