"""The flows import (ccm.funding.imports): checked whole, previewed, applied through the services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core.models import SpreadsheetImport
from ccm.funding.models import FundingFlow
from ccm.needs.models import Response
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


FLOWS_HEADER = "funder,recipient,pillar,stage,amount,currency,value_date,need,implementer,confidentiality\n"


def _upload_flows(client, content: bytes, name: str = "flows.csv"):
    response = client.post("/funding/flows/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return SpreadsheetImport.objects.filter(kind="flows").latest("id"), response["Location"]


def test_a_donor_imports_flows_checked_whole_and_reuploading_changes_nothing(lebanon, need):
    io = organisation("io").slug
    content = (
        FLOWS_HEADER + f"{io},LBN,clearance,commitment,250000,EUR,2021-05-25,,Operator A,public\n"
        f"{io},LAO,survey,disbursement,100000,usd,2022-02-01,,,coordinators\n"
        f"{io},LBN,clearance,pledge,50000,EUR,2021-06-01,{need.pk},,\n"
    ).encode()
    client = persona("io_editor").client()
    sheet_import, location = _upload_flows(client, content)
    assert sheet_import.status == "ready", sheet_import.errors
    assert not FundingFlow.objects.exists()
    client.post(location)
    assert FundingFlow.objects.count() == 3
    assert Response.objects.get(need=need, kind="pledge").amount == Decimal("50000.00")
    again, location = _upload_flows(client, content)
    assert [c["action"] for c in again.changes] == ["unchanged"] * 3
    client.post(location)
    assert FundingFlow.objects.count() == 3


def test_bad_flow_rows_name_their_cells_and_nothing_is_written(lebanon):
    content = (FLOWS_HEADER + f"{organisation('operator').slug},LBN,clearance,gift,-5,EUR,31-DEC-19,,,\n").encode()
    sheet_import, _location = _upload_flows(persona("io_editor").client(), content)
    texts = {e["text"] for e in sheet_import.errors}
    assert any(
        t.startswith("row 2, column A (funder): 'operator' is not an organisation you record flows for") for t in texts
    )
    assert any(t.startswith("row 2, column D (stage): 'gift' is not one of") for t in texts)
    assert "row 2, column E (amount): an amount must be more than zero (and less than 10^15)" in texts
    assert "row 2, column G (value_date): '31-DEC-19' is not a date (YYYY-MM-DD)" in texts
    assert not FundingFlow.objects.exists()


def test_a_flows_import_cannot_reach_a_hidden_need_and_takes_one_funder(lebanon):
    hidden = NeedFactory(visibility="chosen", chosen_donors=[organisation("operator")])
    header = "funder,recipient,pillar,stage,amount,currency,value_date,need\n"
    io = organisation("io").slug
    result, _location = _upload_flows(
        persona("io_editor").client(), (header + f"{io},LBN,clearance,pledge,5,USD,2025-01-06,{hidden.pk}\n").encode()
    )
    assert any("published need open to you" in e["message"] for e in result.errors)
    services_user = persona("io_editor").user
    from ccm.accounts.models import Membership

    Membership.objects.create(user=services_user, organisation=organisation("operator"), role="editor")
    two, _location = _upload_flows(
        persona("io_editor").client(),
        (
            header + f"{io},LBN,clearance,commitment,5,USD,2025-01-06,\n"
            f"{organisation('operator').slug},LBN,clearance,commitment,6,USD,2025-01-06,\n"
        ).encode(),
    )
    assert any("one funder per file" in e["message"] for e in two.errors)
    one, _location = _upload_flows(
        persona("io_editor").client(),
        (header + f"{organisation('operator').slug},LBN,clearance,commitment,6,USD,2025-01-06,\n").encode(),
    )
    assert one.organisation == organisation("operator")
    assert persona("io_manager").client().get(f"/funding/flows/import/{one.pk}/").status_code == 404
