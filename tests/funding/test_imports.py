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
    pledge = Response.objects.get(need=need, kind="pledge")
    assert pledge.ledger_flow.amount == Decimal("50000.00")  # one record: the flow, announced in the thread
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


def _many_rows(io: str, count: int, *, start: int = 1) -> str:
    return "".join(f"{io},LBN,clearance,commitment,{n},EUR,2021-05-25,,,\n" for n in range(start, start + count))


def test_a_large_flows_file_applies_in_a_bounded_number_of_queries_with_one_audit_entry_each(
    lebanon, django_assert_max_num_queries, settings
):
    from ccm.core.audit import fingerprint
    from ccm.core.imports import apply_import
    from ccm.core.models import AuditEntry

    settings.CCM_IMPORT_MAX_ROWS = 1200
    settings.CCM_TASK_APPLY_ABOVE_ROWS = 10_000
    io = organisation("io").slug
    editor = persona("io_editor")
    # 1,199 rows, one of them twice: the second is unchanged, as when flows were created one by one
    content = (FLOWS_HEADER + _many_rows(io, 1198) + f"{io},LBN,clearance,commitment,7,EUR,2021-05-25,,,\n").encode()
    sheet_import, _location = _upload_flows(editor.client(), content)
    assert sheet_import.status == "ready", sheet_import.errors[:3]
    # one query a row would be thousands; SQLite takes ~32 rows an INSERT (its limit of 999 parameters); a few
    # more tell the shared cache which topics changed (once each, whatever the number of rows)
    with django_assert_max_num_queries(90):
        counts = apply_import(import_id=sheet_import.pk, actor=editor.user)
    assert counts == {"created": 1198, "unchanged": 1}
    flows = FundingFlow.objects.filter(funder__slug=io)
    assert flows.count() == 1198
    flow = flows.get(amount=Decimal("7"))
    assert flow.usd_amount is not None and flow.rate_source and flow.created_by == editor.user
    entries = AuditEntry.objects.filter(action="funding_flow.create")
    assert entries.count() == 1198
    entry = entries.get(object_id=str(flow.pk))
    # the same entry, and the same redaction, as a flow recorded on its own
    assert entry.object_label == f"Funding flow #{flow.pk}" and entry.actor == editor.user
    assert entry.data["new"]["amount"] == fingerprint(Decimal("7"))
    assert entry.data["new"]["usd"] == fingerprint(flow.usd_amount) and entry.data["new"]["recipient"] == "LBN"
    again, _location = _upload_flows(editor.client(), content)
    assert {c["action"] for c in again.changes} == {"unchanged"}


def test_a_refused_pledge_on_a_need_leaves_the_batched_rows_unwritten_too(lebanon, need, settings):
    from django.core.exceptions import ValidationError

    from ccm.core.imports import apply_import

    settings.CCM_TASK_APPLY_ABOVE_ROWS = 10_000
    assert need.published_at is not None and need.amount
    io = organisation("io").slug
    editor = persona("io_editor")
    content = (
        FLOWS_HEADER + _many_rows(io, 50) + f"{io},LBN,clearance,pledge,{need.amount * 10},EUR,2021-06-01,{need.pk},,\n"
    ).encode()
    sheet_import, _location = _upload_flows(editor.client(), content)
    assert sheet_import.status == "ready", sheet_import.errors[:3]
    with pytest.raises(ValidationError):  # the pledge beyond what is still unfunded
        apply_import(import_id=sheet_import.pk, actor=editor.user)
    sheet_import.refresh_from_db()
    assert sheet_import.status == "failed"
    assert not FundingFlow.objects.exists() and not Response.objects.filter(need=need).exists()


def test_a_flow_row_in_a_currency_without_rates_is_refused_at_the_check_with_the_reason(lebanon):
    io = organisation("io").slug
    content = (FLOWS_HEADER + f"{io},LBN,clearance,commitment,1000000,LBP,2025-03-03,,,\n").encode()
    sheet_import, _location = _upload_flows(persona("io_editor").client(), content)
    assert sheet_import.status == "invalid"
    texts = {e["text"] for e in sheet_import.errors}
    assert any(
        t.startswith("row 2, column F (currency): no exchange rate for LBP is on file for 2025-03-03") for t in texts
    )
    assert not FundingFlow.objects.exists()
