"""The visibility vocabulary where people meet it: forms, the flows spreadsheet (old spelling still
read), the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core.policies import Visibility
from ccm.funding.models import FundingFlow, flow_visibility
from ccm.needs.models import Obstacle
from ccm.states.models import State
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_the_flows_spreadsheet_reads_the_new_levels_and_the_old_spelling():
    assert flow_visibility("public") == Visibility.PUBLIC
    assert flow_visibility("organisation") == Visibility.ORGANISATION
    assert flow_visibility(" Coordinators ") == Visibility.ORGANISATION  # the old confidentiality value
    with pytest.raises(ValueError, match="'platform' is not one of: public, organisation, coordinators"):
        flow_visibility("platform")


def test_a_flows_import_keeps_the_old_column_and_both_spellings():
    io = organisation("io").slug
    content = (
        "funder,recipient,pillar,stage,amount,currency,value_date,need,implementer,confidentiality\n"
        f"{io},LBN,clearance,commitment,100,USD,2021-05-25,,,organisation\n"
        f"{io},LBN,clearance,commitment,200,USD,2021-05-25,,,coordinators\n"
        f"{io},LBN,clearance,commitment,300,USD,2021-05-25,,,\n"
    ).encode()
    client = persona("io_editor").client()
    response = client.post("/funding/flows/import/", {"file": SimpleUploadedFile("f.csv", content)})
    assert response.status_code == 302
    client.post(response["Location"])
    by_amount = {int(f.amount): f.visibility for f in FundingFlow.objects.all()}
    assert by_amount == {100: "organisation", 200: "organisation", 300: "public"}
    assert persona("anonymous").client().get("/api/v1/flows/").json()["count"] == 1


def test_the_flow_form_offers_the_flow_levels_and_keeps_a_flow_to_its_funder():
    client = persona("io_editor").client()
    page = client.get("/funding/flows/new/").content.decode()
    assert 'value="organisation"' in page and "Coordinators only (and the funder)" in page
    assert 'value="platform"' not in page
    response = client.post(
        "/funding/flows/new/",
        {
            "funder": organisation("io").pk,
            "recipient_state": State.objects.get(iso3="LBN").pk,
            "pillar": "clearance",
            "stage": "commitment",
            "amount": "100",
            "currency": "USD",
            "value_date": "2021-05-25",
            "visibility": "organisation",
        },
    )
    assert response.status_code == 302
    flow = FundingFlow.objects.get()
    assert flow.visibility == Visibility.ORGANISATION and flow.amount == Decimal("100")
    assert persona("state_manager").client().get("/api/v1/flows/").json()["count"] == 0  # the recipient does not


def test_an_obstacle_kept_to_its_state_through_the_form():
    client = persona("state_editor").client()
    response = client.post(
        "/obstacles/new/LBN/",
        {
            "category": "funding",
            "severity": "high",
            "statement": "KEPT-TO-THE-STATE",
            "observed_on": "2025-01-01",
            "visibility": "organisation",
        },
    )
    assert response.status_code == 302
    assert Obstacle.objects.get(statement="KEPT-TO-THE-STATE").visibility == Visibility.ORGANISATION
    for name, count in (("anonymous", 0), ("other_state_manager", 0), ("state_viewer", 1), ("coordinator", 1)):
        assert persona(name).client().get("/api/v1/obstacles/").json()["count"] == count, name


def test_the_api_still_gives_a_needs_visibility_by_its_name(lebanon_need):
    row = persona("anonymous").client().get(f"/api/v1/needs/{lebanon_need.pk}/").json()
    assert row["visibility"] == "public"


@pytest.fixture
def lebanon_need():
    return NeedFactory(title="t", pillar="survey", amount=None, currency="", in_kind="x")
