"""The one import pipeline (ccm.core.imports): limits, bounded problems, hostile files, the state machine."""

import io
import re
import time
import tracemalloc
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from ccm.core import imports as pipeline
from ccm.core.audit import AuditAction, register_actions
from ccm.core.imports import Column, ImportSpec, ProblemLog, Row, Sheet, apply_import, check_import
from ccm.core.models import ImportStatus, SpreadsheetImport
from ccm.core.spreadsheets import ProblemLog as LogType
from ccm.needs.models import Need
from ccm.states.models import State
from tests.personas import persona

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
NEEDS_HEADER = ["title", "pillar", "modality", "description", "amount", "currency"]


def _whole(value: Any) -> int:
    if not str(value).strip().isdigit():
        raise ValueError
    return int(value)


register_actions(
    AuditAction("test_numbers_import.check", "Test numbers: checked"),
    AuditAction("test_numbers_import.apply", "Test numbers: applied"),
)


class NumbersImport(ImportSpec[dict]):
    """A throwaway kind: one column of whole numbers; applying adds them up."""

    kind = "test_numbers"
    formats = frozenset({"xlsx", "csv"})
    sheets = (Sheet("Numbers", (Column("n", "n", _whole, required=True, expects="a whole number"),), "named", True),)
    check_action = "test_numbers_import.check"
    apply_action = "test_numbers_import.apply"
    fail_with: Exception | None = None

    def context(self, *, state: Any, organisation: Any, actor: Any) -> dict:
        return {}

    def finish(self, rows: dict[str, list[Row]], context: dict, problems: ProblemLog) -> dict[str, Any]:
        return {"numbers": [r.values["n"] for r in rows["Numbers"]]}

    def owner(self, payload: dict[str, Any], context: dict) -> dict[str, Any]:
        return {}

    def preview(self, payload: dict[str, Any], context: dict) -> list[dict[str, Any]]:
        return [
            {"sheet": "Numbers", "key": str(n), "action": "unchanged" if n == 0 else "create"}
            for n in payload["numbers"]
        ]

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        if self.fail_with is not None:
            Need.objects.all().delete()  # a write that must be rolled back
            raise self.fail_with
        return {"sum": sum(record.payload["numbers"])}


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


@pytest.fixture
def lebanon_with_baseline(lebanon):
    from ccm.reporting import services

    services.baseline_add(
        obligation=lebanon.obligations.get(kind="clearance"),
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=10_000_000,
        source="test",
        actor=None,
    )
    return lebanon


@pytest.fixture
def numbers():
    spec = NumbersImport()
    pipeline.register(spec)
    yield spec
    pipeline._REGISTRY.pop(spec.kind, None)


def _csv(content: bytes, name: str = "n.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _measure(action):
    """Run ``action``; return its result, the seconds it took and the peak of Python allocations (bytes)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = action()
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"elapsed {elapsed:.2f} s, peak {peak / MB:.1f} MB")
    return result, elapsed, peak


# --- Problems and rows ---------------------------------------------------------------------------


def test_the_problem_log_keeps_a_bounded_number_and_counts_the_rest():
    log = LogType(limit=3)
    for n in range(10):
        log.add(pipeline.CellProblem("S", n + 2, "A", "n", "bad"))
    assert (len(log.kept), log.total, log.omitted) == (3, 10, 7)


def test_one_problem_type_names_sheet_row_column_and_heading():
    problem = pipeline.CellProblem("Progress", 3, "B", "Cancelled (m²)", "'abc' is not a whole number")
    assert str(problem) == "Sheet 'Progress', row 3, column B (Cancelled (m²)): 'abc' is not a whole number"
    assert problem.text(with_sheet=False) == "row 3, column B (Cancelled (m²)): 'abc' is not a whole number"
    assert pipeline.CellProblem("", 0, "", "", "The file is empty.").text() == "The file is empty."


def test_problems_beyond_200_are_counted_not_kept(numbers):
    content = b"n\n" + b"x\n" * 20_000
    with override_settings(CCM_IMPORT_MAX_ROWS=1_000_000):
        record, _elapsed, peak = _measure(lambda: check_import("test_numbers", upload=_csv(content), actor=None))
    assert record.status == ImportStatus.INVALID
    assert record.problem_count == 20_000 and len(record.errors) == 200
    assert record.errors[0]["text"] == "row 2, column A (n): 'x' is not a whole number"
    assert peak < 50 * MB


def test_a_csv_of_700000_bad_needs_is_refused_at_the_row_limit(lebanon):
    content = (",".join(NEEDS_HEADER) + "\n").encode() + b"A,demining,f,x,abc,US\n" * 700_000
    assert 15_000_000 < len(content) < 20 * MB  # under the upload size limit: the row limit must stop it
    editor = persona("state_editor")
    record, _elapsed, peak = _measure(
        lambda: check_import("needs", upload=_csv(content), actor=editor.user, state=lebanon)
    )
    assert record.status == ImportStatus.INVALID
    assert record.errors[0]["message"] == "more than 1000 rows" and record.errors[0]["row"] == 1002
    # four bad cells a row, the same title as the row above from row 3, and the limit
    assert record.problem_count == 4 * 1000 + 999 + 1 and len(record.errors) == 200
    assert peak < 50 * MB
    page = editor.client().get(f"/needs/import/LBN/{record.pk}/").content.decode()
    assert "The workbook has 5000 problems" in page and "and 4800 more problems, not listed" in page


def test_the_row_limit_is_one_setting_for_every_kind(numbers, lebanon):
    with override_settings(CCM_IMPORT_MAX_ROWS=2):
        short = check_import("test_numbers", upload=_csv(b"n\n1\n\n2\n"), actor=None)
        long = check_import("test_numbers", upload=_csv(b"n\n1\n2\n3\n"), actor=None)
        needs = check_import(
            "needs",
            upload=_csv(
                b"title,pillar,modality,description,in_kind\nA,survey,financial,d,x\n" * 1
                + b"B,survey,financial,d,x\nC,survey,financial,d,x\n"
            ),
            actor=None,
            state=lebanon,
        )
    assert short.status == ImportStatus.READY and short.payload == {"numbers": [1, 2]}
    assert [e["text"] for e in long.errors] == ["row 4: more than 2 rows"]
    assert [e["text"] for e in needs.errors] == ["row 4: more than 2 rows"]


def test_a_csv_line_beyond_the_cap_and_text_that_is_not_utf8_are_refused(numbers):
    long_line = check_import("test_numbers", upload=_csv(b"n\n" + b"1" * (2 * MB) + b"\n"), actor=None)
    assert "longer than" in long_line.errors[0]["message"]
    latin = check_import("test_numbers", upload=_csv(b"n\n1\n" + b"\xe9t\xe9\n" * 3), actor=None)
    assert latin.status == ImportStatus.INVALID


# --- Hostile workbooks ---------------------------------------------------------------------------


FLOWS_HEADER = ["funder", "recipient", "pillar", "stage", "amount", "currency", "value_date"]


def _needs_workbook(rows: list[list[Any]], header: list[str] = NEEDS_HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data)
            target.writestr(item.filename, data)
    return out.getvalue()


def test_a_sheet_declaring_a1_to_xfd1048576_with_two_cells_is_read_quickly_in_bounded_memory(lebanon):
    def inflate(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )

    for kind, owner, header in (("needs", {"state": lebanon}, NEEDS_HEADER), ("flows", {}, FLOWS_HEADER)):
        hostile = _rewrite(_needs_workbook([], header), "xl/worksheets/sheet1.xml", inflate)
        assert len(hostile) < 10_000

        def check(kind=kind, owner=owner, hostile=hostile):
            return check_import(
                kind, upload=SimpleUploadedFile("x.xlsx", hostile), actor=persona("io_editor").user, **owner
            )

        # memory traced once (tracing slows the million skipped rows down a lot); the kinds read alike
        record, _elapsed, peak = _measure(check) if kind == "needs" else (check(), 0, 0)
        assert record.status == ImportStatus.INVALID
        assert any(e["row"] == 1048576 for e in record.errors)  # the real row was found, the others skipped
        assert peak < 50 * MB


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _with_huge_shared_strings(unpacked_mb: float, distinct: bool = False) -> bytes:
    """A workbook whose sharedStrings.xml unpacks to ``unpacked_mb`` MB of tiny strings (built in pieces),
    the same one or ``distinct`` ones."""
    base = _needs_workbook([["A", "survey", "financial", "d", 10, "USD"]])
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":  # declare the part, so that a reader loads it
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            target.writestr(item.filename, data)
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            piece = b"<si><t>x</t></si>" * 65536
            if distinct:
                for n in range(int(unpacked_mb * MB) // 22):
                    part.write(b"<si><t>%07d</t></si>" % n)
            else:
                for _ in range(int(unpacked_mb * MB) // len(piece)):
                    part.write(piece)
            part.write(b"</sst>")
    return out.getvalue()


def test_shared_strings_that_unpack_hugely_are_refused_before_parsing(lebanon):
    bomb = _with_huge_shared_strings(200)  # about 12 million strings
    assert len(bomb) < 2 * MB
    record, _elapsed, peak = _measure(
        lambda: check_import("needs", upload=SimpleUploadedFile("x.xlsx", bomb), actor=None, state=lebanon)
    )
    assert record.status == ImportStatus.INVALID
    [error] = record.errors
    assert "xl/sharedStrings.xml" in error["message"] and "refused" in error["message"]
    assert peak < 50 * MB


def test_a_part_that_compresses_suspiciously_well_is_refused_even_under_the_size_cap(lebanon):
    bomb = _with_huge_shared_strings(8)
    record = check_import("needs", upload=SimpleUploadedFile("x.xlsx", bomb), actor=None, state=lebanon)
    assert "refused" in record.errors[0]["message"]


def test_the_progress_workbook_refuses_an_archive_bomb_too(lebanon_with_baseline):
    bomb = _with_huge_shared_strings(40)
    record = check_import(
        "progress", upload=SimpleUploadedFile("x.xlsx", bomb), actor=None, state=lebanon_with_baseline
    )
    assert record.status == ImportStatus.INVALID and "refused" in record.errors[0]["message"]


# --- The stored import ---------------------------------------------------------------------------


def test_the_state_machine_allows_only_its_transitions():
    record = SpreadsheetImport(status=ImportStatus.UPLOADED)
    assert record.can_become(ImportStatus.READY) and record.can_become(ImportStatus.INVALID)
    assert not record.can_become(ImportStatus.APPLIED)
    for status in (ImportStatus.INVALID, ImportStatus.APPLIED, ImportStatus.FAILED):
        record.status = status
        assert not any(record.can_become(s) for s in ImportStatus.values)
    record.status = ImportStatus.READY
    assert record.can_become(ImportStatus.APPLIED) and record.can_become(ImportStatus.FAILED)


def test_apply_goes_ready_to_applied_once_and_records_what_it_did(numbers):
    record = check_import("test_numbers", upload=_csv(b"n\n2\n3\n"), actor=None)
    assert record.status == ImportStatus.READY
    assert apply_import(import_id=record.pk, actor=None) == {"sum": 5}
    record.refresh_from_db()
    assert (record.status, record.result) == (ImportStatus.APPLIED, {"sum": 5}) and record.applied_at
    with pytest.raises(ValidationError, match="applied, once"):
        apply_import(import_id=record.pk, actor=None)
    invalid = check_import("test_numbers", upload=_csv(b"n\nx\n"), actor=None)
    with pytest.raises(ValidationError):
        apply_import(import_id=invalid.pk, actor=None)
    invalid.refresh_from_db()
    assert invalid.status == ImportStatus.INVALID


def test_an_import_that_changes_nothing_is_refused_and_stays_ready(numbers):
    record = check_import("test_numbers", upload=_csv(b"n\n0\n"), actor=None)
    assert record.status == ImportStatus.READY and not record.has_changes
    with pytest.raises(ValidationError, match="Nothing to change"):
        apply_import(import_id=record.pk, actor=None)
    record.refresh_from_db()
    assert record.status == ImportStatus.READY


def test_a_refused_apply_writes_nothing_and_marks_the_import_failed(numbers, lebanon):
    Need.objects.create(state=lebanon, title="Kept", pillar="survey", modality="financial", description="d")
    numbers.fail_with = ValidationError("The registry changed since the check.")
    record = check_import("test_numbers", upload=_csv(b"n\n4\n"), actor=None)
    with pytest.raises(ValidationError, match="registry changed"):
        apply_import(import_id=record.pk, actor=None)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert record.errors[0]["message"] == "The registry changed since the check."
    assert Need.objects.filter(title="Kept").exists()
    with pytest.raises(ValidationError):
        apply_import(import_id=record.pk, actor=None)


def test_an_unexpected_error_while_applying_marks_the_import_failed(numbers):
    numbers.fail_with = RuntimeError("boom")
    record = check_import("test_numbers", upload=_csv(b"n\n4\n"), actor=None)
    with pytest.raises(RuntimeError):
        apply_import(import_id=record.pk, actor=None)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "nothing was written" in record.errors[0]["message"]


def test_check_and_apply_are_audited_with_the_existing_action_names(numbers, lebanon):
    from ccm.core.models import AuditEntry

    record = check_import("test_numbers", upload=_csv(b"n\n4\n"), actor=None)
    apply_import(import_id=record.pk, actor=None)
    actions = list(
        AuditEntry.objects.filter(action__startswith="test_numbers_import.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["test_numbers_import.apply", "test_numbers_import.check"]


# --- Identical files through the pages -----------------------------------------------------------


def _upload_needs(client, content: bytes) -> tuple[SpreadsheetImport, str]:
    response = client.post("/needs/import/LBN/", {"file": SimpleUploadedFile("needs.csv", content)})
    assert response.status_code == 302
    return SpreadsheetImport.objects.filter(kind="needs").latest("id"), response["Location"]


def test_a_file_identical_to_what_is_applied_says_nothing_to_change_and_offers_no_apply(lebanon):
    editor = persona("state_editor").client()
    content = b"title,pillar,modality,description,in_kind\nTrainers,risk_education,technical_expertise,T,Two\n"
    _first, location = _upload_needs(editor, content)
    first_page = editor.get(location).content.decode()
    assert "Apply all these changes" in first_page and "Nothing to change" not in first_page
    editor.post(location)
    again, location = _upload_needs(editor, content)
    assert again.status == ImportStatus.READY and not again.has_changes
    page = editor.get(location).content.decode()
    assert "Nothing to change" in page and "Apply all these changes" not in page
    response = editor.post(location, follow=True)
    assert "Nothing to change" in response.content.decode()
    again.refresh_from_db()
    assert again.status == ImportStatus.READY and Need.objects.filter(state=lebanon).count() == 1


def test_a_flows_import_whose_funder_was_revoked_fails_and_writes_nothing(lebanon):
    from ccm.accounts.models import Membership
    from ccm.funding.models import FundingFlow
    from tests.personas import organisation

    io_editor = persona("io_editor")
    content = (
        "funder,recipient,pillar,stage,amount,currency,value_date\n"
        f"{organisation('io').slug},LBN,clearance,commitment,5,USD,2025-01-06\n"
    ).encode()
    client = io_editor.client()
    client.post("/funding/flows/import/", {"file": SimpleUploadedFile("f.csv", content)})
    record = SpreadsheetImport.objects.filter(kind="flows").latest("id")
    assert record.status == ImportStatus.READY
    Membership.objects.filter(user=io_editor.user, organisation=organisation("io")).update(role="viewer")
    with pytest.raises(ValidationError, match="no longer record flows"):
        apply_import(import_id=record.pk, actor=io_editor.user)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and not FundingFlow.objects.exists()


def test_a_row_numbered_beyond_a_spreadsheets_last_row_stops_the_reading(lebanon):
    def far(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheetData>",
            b'<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        )

    content = _rewrite(_needs_workbook([]), "xl/worksheets/sheet1.xml", far)
    record = check_import("needs", upload=SimpleUploadedFile("x.xlsx", content), actor=None, state=lebanon)
    assert [e["message"] for e in record.errors] == ["The sheet has rows beyond the last row a spreadsheet can have."]


def test_a_broken_sheet_is_a_problem_not_a_crash(lebanon):
    def spoil(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="s"><v>999</v></c></row><row r="3"><c')

    content = _rewrite(
        _needs_workbook([["A", "survey", "financial", "d", 5, "USD"]]), "xl/worksheets/sheet1.xml", spoil
    )
    record = check_import("needs", upload=SimpleUploadedFile("x.xlsx", content), actor=None, state=lebanon)
    assert record.status == ImportStatus.INVALID
    assert record.errors[0]["message"] == "This file is not a readable XLSX workbook."


def test_more_shared_strings_than_the_row_limit_can_need_are_refused_before_parsing(lebanon):
    with override_settings(CCM_IMPORT_MAX_ROWS=10):  # at most 10,000 strings
        refused = check_import(
            "needs",
            upload=SimpleUploadedFile("x.xlsx", _with_huge_shared_strings(0.5, distinct=True)),
            actor=None,
            state=lebanon,
        )
    assert "more than 10,000 different texts" in refused.errors[0]["message"]
    fine = _needs_workbook([["A", "survey", "financial", "d", 10, "USD"]])
    assert check_import("needs", upload=SimpleUploadedFile("x.xlsx", fine), actor=None, state=lebanon).status == "ready"


def test_the_preview_lists_only_what_changes_in_words_and_counts_the_rest(lebanon):
    editor = persona("state_editor").client()
    header = b"title,pillar,modality,description,in_kind\n"
    rows = [f"Need {i},risk_education,technical_expertise,T,Two\n".encode() for i in range(9)]
    _first, location = _upload_needs(editor, header + b"".join(rows))
    editor.post(location)
    changed = b"Need 0,stockpile_destruction,technical_expertise,T,Two\n"
    _again, location = _upload_needs(editor, header + changed + b"".join(rows[1:]))
    page = editor.get(location).content.decode()
    assert "Apply all these changes" in page
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == 1 and "Need 0" in body and "Need 5" not in body
    assert "8 rows unchanged, not listed" in page
    assert "Risk education → Stockpile destruction" in body and "Changed" in body
    assert "stockpile_destruction" not in body and "<code>" not in body
