"""A donor's flows from a spreadsheet (XLSX or CSV): checked whole, previewed, applied at once.

Columns: funder (the organisation's short name), recipient (ISO alpha-3), pillar, stage, amount,
currency, value_date, and optionally need (number), implementer, confidentiality. A row identical to a
flow already recorded (same funder, recipient, pillar, stage, amount, currency and date) is
unchanged, so uploading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ccm.accounts.models import Organisation
from ccm.core import audit
from ccm.core.money import CURRENCIES
from ccm.core.policies import Visibility
from ccm.core.tabular import parse_amount
from ccm.core.uploads import validate_upload
from ccm.funding import services
from ccm.funding.models import FlowSource, FundingFlow, Stage, flow_visibility
from ccm.needs.models import Need, Pillar
from ccm.reporting.models import ImportStatus, SpreadsheetImport
from ccm.states.models import State

REQUIRED = ("funder", "recipient", "pillar", "stage", "amount", "currency", "value_date")
OPTIONAL = ("need", "implementer", "confidentiality")


def _table(clean: Any) -> list[list[Any]]:
    if clean.kind == "xlsx":
        book = load_workbook(clean.file, read_only=True, data_only=True)
        rows = [list(r) for r in book.active.iter_rows(values_only=True)]
        book.close()
        return rows
    return [list(r) for r in csv.reader(io.StringIO(clean.file.read().decode("utf-8-sig")))]


def check(
    *, upload: Any, funders: dict[str, Organisation], open_needs: set[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows and problems (each with row, column and header); nothing is written."""

    def problem(row: int, column: str, header: str, message: str) -> dict[str, Any]:
        where = f"row {row}" + (f", column {column} ({header})" if column else "")
        return {
            "sheet": "Flows",
            "row": row,
            "column": column,
            "header": header,
            "message": message,
            "text": f"{where}: {message}",
        }

    try:
        clean = validate_upload(upload, allowed={"xlsx", "csv"})
        table = _table(clean)
    except ValidationError as exc:
        return [], [problem(0, "", "", " ".join(exc.messages))]
    except Exception:  # noqa: BLE001 - one message for any unreadable file
        return [], [problem(0, "", "", _("The file cannot be read as XLSX or CSV."))]
    if not table:
        return [], [problem(0, "", "", _("The file is empty."))]
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [problem(1, "", name, _("the column '%(c)s' is missing") % {"c": name}) for name in missing]
    states = {s.iso3: s.pk for s in State.objects.exclude(ccm_status="")}
    rows, problems = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        row: dict[str, Any] = {"_row": number}
        for index, name in enumerate(header):
            if name not in REQUIRED + OPTIONAL:
                continue
            value = cells[index] if index < len(cells) else None
            text = "" if value is None else str(value).strip()
            column = get_column_letter(index + 1)
            try:
                row[name] = _parse(name, value, text, funders, states, open_needs)
            except ValueError as exc:
                problems.append(problem(number, column, name, str(exc)))
        rows.append(row)
    return rows, problems


def _parse(
    name: str, value: Any, text: str, funders: dict[str, Organisation], states: dict[str, int], open_needs: set[int]
) -> Any:
    if text == "":
        if name in REQUIRED:
            raise ValueError(_("a value is required"))
        return None
    if name == "funder":
        if text not in funders:
            raise ValueError(
                _("'%(v)s' is not an organisation you record flows for (%(allowed)s)")
                % {"v": text, "allowed": ", ".join(funders) or "—"}
            )
        return text
    if name == "recipient":
        if text.upper() not in states:
            raise ValueError(_("'%(v)s' is not the ISO code of a State in the registry") % {"v": text})
        return text.upper()
    if name == "pillar" and text not in Pillar.values:
        raise ValueError(_("'%(v)s' is not one of: %(a)s") % {"v": text, "a": ", ".join(Pillar.values)})
    if name == "stage" and text not in Stage.values:
        raise ValueError(_("'%(v)s' is not one of: %(a)s") % {"v": text, "a": ", ".join(Stage.values)})
    if name == "confidentiality":  # the column keeps its name; the old value "coordinators" is still read
        return flow_visibility(text)
    if name == "amount":
        return str(parse_amount(text))
    if name == "currency":
        if text.upper() not in CURRENCIES:
            raise ValueError(_("'%(v)s' is not an ISO 4217 currency code") % {"v": text})
        return text.upper()
    if name == "value_date":
        if isinstance(value, date):
            return (value.date() if hasattr(value, "date") else value).isoformat()
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise ValueError(_("'%(v)s' is not a date (YYYY-MM-DD)") % {"v": text}) from None
    if name == "need":
        if not text.isdigit() or int(text) not in open_needs:
            raise ValueError(_("'%(v)s' is not the number of a published need open to you") % {"v": text})
        return int(text)
    return text


def _existing(row: dict[str, Any], funders: dict[str, Organisation]) -> bool:
    return FundingFlow.objects.filter(
        funder=funders[row["funder"]],
        recipient_state__iso3=row["recipient"],
        pillar=row["pillar"],
        stage=row["stage"],
        amount=Decimal(row["amount"]),
        currency=row["currency"],
        value_date=date.fromisoformat(row["value_date"]),
        source=FlowSource.ENTERED,
    ).exists()


@transaction.atomic
def flows_check(
    *, organisation: Organisation, funders: dict[str, Organisation], upload: Any, actor: Any
) -> SpreadsheetImport:
    from ccm.needs.policies import needs as need_policy

    open_needs = set(
        need_policy.visible_to(actor)
        .filter(published_at__isnull=False, withdrawn_at__isnull=True)
        .values_list("pk", flat=True)
    )
    rows, problems = check(upload=upload, funders=funders, open_needs=open_needs)
    named: set[str] = {str(r["funder"]) for r in rows if r.get("funder")}
    if len(named) > 1:
        problems.append(
            {
                "sheet": "Flows",
                "row": 0,
                "column": "",
                "header": "funder",
                "message": _("one funder per file, please (found %(f)s)") % {"f": ", ".join(sorted(named))},
                "text": _("one funder per file, please (found %(f)s)") % {"f": ", ".join(sorted(named))},
            }
        )
    if len(named) == 1:
        organisation = funders[named.pop()]
    changes = (
        []
        if problems
        else [
            {
                "sheet": "Flows",
                "key": f"{r['funder']} → {r['recipient']} {r['stage']} {r['value_date']}",
                "action": "unchanged" if _existing(r, funders) else "create",
                "fields": [["amount", None, f"{r['amount']} {r['currency']}"], ["pillar", None, r["pillar"]]],
            }
            for r in rows
        ]
    )
    sheet_import = SpreadsheetImport.objects.create(
        organisation=organisation,
        kind="flows",
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        original_name=(getattr(upload, "name", "") or "upload")[:200],
        status=ImportStatus.INVALID if problems else ImportStatus.READY,
        errors=problems,
        payload={"flows": rows} if not problems else {},
        changes=changes,
    )
    audit.record(
        actor=actor,
        action="flows_import.check",
        obj=sheet_import,
        new={"status": sheet_import.status, "errors": len(problems)},
        organisation_id=organisation.pk,
    )
    return sheet_import


@transaction.atomic
def flows_apply(*, sheet_import: SpreadsheetImport, funders: dict[str, Organisation], actor: Any) -> dict[str, int]:
    sheet_import = SpreadsheetImport.objects.select_for_update().get(pk=sheet_import.pk)
    if sheet_import.status != ImportStatus.READY or sheet_import.kind != "flows":
        raise ValidationError(_("Only a checked file without errors can be applied, once."))
    counts = {"created": 0, "unchanged": 0}
    for row in sheet_import.payload["flows"]:
        if row["funder"] not in funders:
            raise ValidationError(_("You no longer record flows for %(f)s.") % {"f": row["funder"]})
        if _existing(row, funders):
            counts["unchanged"] += 1
            continue
        services.flow_create(
            funder=funders[row["funder"]],
            recipient_state=State.objects.get(iso3=row["recipient"]),
            pillar=row["pillar"],
            stage=row["stage"],
            amount=Decimal(row["amount"]),
            currency=row["currency"],
            value_date=date.fromisoformat(row["value_date"]),
            actor=actor,
            need=Need.objects.get(pk=row["need"]) if row.get("need") else None,
            visibility=flow_visibility(row.get("confidentiality") or Visibility.PUBLIC),
            implementer_name=row.get("implementer") or "",
        )
        counts["created"] += 1
    sheet_import.status = ImportStatus.APPLIED
    sheet_import.applied_at = timezone.now()
    sheet_import.save(update_fields=["status", "applied_at"])
    audit.record(
        actor=actor,
        action="flows_import.apply",
        obj=sheet_import,
        new=counts,
        organisation_id=sheet_import.organisation_id,
    )
    return counts
