"""Needs from a spreadsheet (XLSX or CSV): read and check the whole file, preview, apply at once.

Columns are those of the needs export (``id`` is optional): a row with the id of one of the State's
needs, or with the title of one, updates it; other rows create drafts. Uploading the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ccm.core import audit
from ccm.core.money import CURRENCIES
from ccm.core.policies import Visibility
from ccm.core.tabular import parse_amount
from ccm.core.uploads import validate_upload
from ccm.needs import services
from ccm.needs.models import NEED_VISIBILITIES, Modality, Need, Pillar
from ccm.needs.services import NEED_FIELDS
from ccm.reporting.models import ImportStatus, SpreadsheetImport
from ccm.states.models import State

REQUIRED = ("title", "pillar", "modality", "description")
OPTIONAL = ("id", "amount", "currency", "in_kind", "starts_on", "ends_on", "priority", "visibility", "obligation")
MAX_ROWS = 1000
COMPARED = NEED_FIELDS


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    header: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        where = f"row {self.row}" + (f", column {self.column} ({self.header})" if self.column else "")
        return {
            "sheet": "Needs",
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
            "text": f"{where}: {self.message}",
        }


def _rows(clean: Any) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    if clean.kind == "xlsx":
        book = load_workbook(clean.file, read_only=True, data_only=True)
        sheet = book.active
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        text = clean.file.read().decode("utf-8-sig")
        values = [list(r) for r in csv.reader(io.StringIO(text))]
    if not values:
        return [], []
    header = [str(h or "").strip().lower() for h in values[0]]
    return header, [(n, r) for n, r in enumerate(values[1:], start=2) if any(v not in (None, "") for v in r)]


def _parse(name: str, value: Any, state: State) -> Any:
    text = "" if value is None else str(value).strip()
    if text == "":
        return None
    if name == "id" or name == "priority":
        try:
            as_float = float(text)
            number = int(as_float) if as_float.is_integer() and as_float > 0 else None
        except ValueError:
            number = None
        if number is None or (name == "priority" and number not in (1, 2, 3)):
            raise ValueError(
                _("'%(v)s' is not %(what)s")
                % {"v": text, "what": _("1, 2 or 3") if name == "priority" else _("a need number")}
            )
        return number
    if name == "amount":
        return parse_amount(text)
    if name in ("starts_on", "ends_on"):
        if isinstance(value, date):
            return value if not hasattr(value, "date") else value.date()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(_("'%(v)s' is not a date (YYYY-MM-DD)") % {"v": text}) from None
    if name == "currency":
        if text.upper() not in CURRENCIES:
            raise ValueError(_("'%(v)s' is not an ISO 4217 currency code") % {"v": text})
        return text.upper()
    choices = {
        "pillar": Pillar.values,
        "modality": Modality.values,
        "visibility": list(NEED_VISIBILITIES),
        "obligation": [o.kind for o in state.obligations.all()],
    }
    if name in choices and text not in choices[name]:
        return _bad_choice(text, choices[name])
    return text


def _bad_choice(text: str, allowed: list[str]) -> Any:
    raise ValueError(_("'%(v)s' is not one of: %(allowed)s") % {"v": text, "allowed": ", ".join(allowed) or "—"})


def check(*, state: State, upload: Any) -> tuple[list[dict[str, Any]], list[Problem]]:
    try:
        clean = validate_upload(upload, allowed={"xlsx", "csv"})
    except ValidationError as exc:
        return [], [Problem(0, "", "", " ".join(exc.messages))]
    try:
        header, rows = _rows(clean)
    except Exception:  # noqa: BLE001 - an unreadable file gets one message
        return [], [Problem(0, "", "", _("The file cannot be read as XLSX or CSV."))]
    problems = [
        Problem(1, "", name, _("the column '%(c)s' is missing") % {"c": name})
        for name in REQUIRED
        if name not in header
    ]
    if problems:
        return [], problems
    if len(rows) > MAX_ROWS:
        return [], [Problem(MAX_ROWS + 2, "", "", _("more than %(n)s rows") % {"n": MAX_ROWS})]
    own = {n.pk: n for n in Need.objects.filter(state=state)}
    parsed: list[dict[str, Any]] = []
    titles: dict[str, int] = {}
    for line, cells in rows:
        row: dict[str, Any] = {"_row": line}
        for index, name in enumerate(header):
            if name not in REQUIRED + OPTIONAL:
                continue
            try:
                row[name] = _parse(name, cells[index] if index < len(cells) else None, state)
            except ValueError as exc:
                problems.append(Problem(line, get_column_letter(index + 1), name, str(exc)))
        for name in REQUIRED:
            if (
                name in header
                and row.get(name) is None
                and not any(p.row == line and p.header == name for p in problems)
            ):
                problems.append(
                    Problem(line, get_column_letter(header.index(name) + 1), name, _("a value is required"))
                )
        if row.get("id") is not None and row["id"] not in own:
            problems.append(
                Problem(
                    line,
                    get_column_letter(header.index("id") + 1),
                    "id",
                    _("need %(id)s is not one of %(state)s's needs") % {"id": row["id"], "state": state.name},
                )
            )
        if row.get("amount") is not None and not row.get("currency"):
            problems.append(Problem(line, "", "currency", _("an amount needs its currency")))
        if row.get("amount") is None and not row.get("in_kind") and not any(p.row == line for p in problems):
            problems.append(Problem(line, "", "amount", _("give an amount, or describe what is needed in kind")))
        if row.get("title"):
            if row["title"] in titles:
                problems.append(
                    Problem(line, "", "title", _("the same title as row %(r)s") % {"r": titles[row["title"]]})
                )
            titles[row["title"]] = line
        parsed.append(row)
    return parsed, problems


def _target(state: State, row: dict[str, Any]) -> Need | None:
    if row.get("id") is not None:
        return Need.objects.filter(state=state, pk=row["id"]).first()
    return Need.objects.filter(state=state, title=row["title"]).first()


def _values(state: State, row: dict[str, Any]) -> dict[str, Any]:
    values = {k: row.get(k) for k in COMPARED if k in row}
    values.setdefault("visibility", Visibility.PLATFORM)
    values["priority"] = values.get("priority") or 2
    values["currency"] = values.get("currency") or ""
    values["in_kind"] = values.get("in_kind") or ""
    if values.get("obligation"):
        values["obligation"] = state.obligations.get(kind=values["obligation"])
    return values


def preview(state: State, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    changes = []
    for row in rows:
        need = _target(state, row)
        values = _values(state, row)
        if need is None:
            changes.append(
                {
                    "sheet": "Needs",
                    "key": row["title"],
                    "action": "create",
                    "fields": [[k, None, str(v)] for k, v in values.items() if v not in (None, "")],
                }
            )
            continue
        old = audit.snapshot(need, list(values))
        new = {k: (v.pk if hasattr(v, "pk") else v) for k, v in values.items()}
        new = {k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in new.items()}
        fields = [[k, old.get(k), new[k]] for k in new if str(old.get(k) or "") != str(new[k] or "")]
        changes.append(
            {"sheet": "Needs", "key": row["title"], "action": "update" if fields else "unchanged", "fields": fields}
        )
    return changes


@transaction.atomic
def needs_check(*, state: State, upload: Any, actor: Any) -> SpreadsheetImport:
    rows, problems = check(state=state, upload=upload)
    payload = [{k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in r.items()} for r in rows]
    sheet_import = SpreadsheetImport.objects.create(
        state=state,
        kind="needs",
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        original_name=(getattr(upload, "name", "") or "upload")[:200],
        status=ImportStatus.INVALID if problems else ImportStatus.READY,
        errors=[p.as_dict() for p in problems],
        payload={"needs": payload} if not problems else {},
        changes=preview(state, rows) if not problems else [],
    )
    audit.record(
        actor=actor,
        action="needs_import.check",
        obj=sheet_import,
        new={"status": sheet_import.status, "errors": len(problems)},
    )
    return sheet_import


@transaction.atomic
def needs_apply(*, sheet_import: SpreadsheetImport, actor: Any) -> dict[str, int]:
    sheet_import = SpreadsheetImport.objects.select_for_update().get(pk=sheet_import.pk)
    if sheet_import.status != ImportStatus.READY or sheet_import.kind != "needs":
        raise ValidationError(_("Only a checked file without errors can be applied, once."))
    state = sheet_import.state
    assert state is not None  # noqa: S101 - a needs import always belongs to a State
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for change, raw in zip(sheet_import.changes, sheet_import.payload["needs"], strict=True):
        if change["action"] == "unchanged":
            counts["unchanged"] += 1
            continue
        row = dict(raw)
        for name in ("starts_on", "ends_on"):
            if row.get(name):
                row[name] = date.fromisoformat(row[name])
        if row.get("amount") is not None:
            row["amount"] = Decimal(row["amount"])
        services.need_save(state=state, need=_target(state, row), values=_values(state, row), actor=actor)
        counts["created" if change["action"] == "create" else "updated"] += 1
    sheet_import.status = ImportStatus.APPLIED
    sheet_import.applied_at = timezone.now()
    sheet_import.save(update_fields=["status", "applied_at"])
    audit.record(actor=actor, action="needs_import.apply", obj=sheet_import, new=counts)
    return counts
