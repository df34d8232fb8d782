"""Needs from a spreadsheet (XLSX or CSV): read and check the whole file, preview, apply at once.

Columns are those of the needs export (``id`` is optional): a row with the id of one of the State's
needs, or with the title of one, updates it; other rows create drafts. Uploading the same file twice
changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.imports import Column, ImportSpec, ProblemLog, Row, RowProblems, Sheet, apply_import, check_import
from ccm.core.models import SpreadsheetImport
from ccm.core.money import CURRENCIES
from ccm.core.policies import Visibility
from ccm.core.tabular import parse_amount
from ccm.needs import services
from ccm.needs.models import NEED_VISIBILITIES, Modality, Need, Pillar
from ccm.needs.services import NEED_FIELDS
from ccm.states.models import State

REQUIRED = ("title", "pillar", "modality", "description")
OPTIONAL = ("id", "amount", "currency", "in_kind", "starts_on", "ends_on", "priority", "visibility", "obligation")
COMPARED = NEED_FIELDS


@dataclass
class NeedsContext:
    state: State
    own: set[int]
    obligations: list[str]
    titles: dict[str, int] = field(default_factory=dict)


def _parse(name: str, value: Any, context: NeedsContext) -> Any:
    text = "" if value is None else str(value).strip()
    if text == "":
        return None
    if name == "id" or name == "priority":
        try:
            as_float = float(text)
            number = int(as_float) if as_float.is_integer() and as_float > 0 else None
        except (ValueError, OverflowError):
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
        "obligation": context.obligations,
    }
    if name in choices and text not in choices[name]:
        return _bad_choice(text, choices[name])
    return text


def _bad_choice(text: str, allowed: list[str]) -> Any:
    raise ValueError(_("'%(v)s' is not one of: %(allowed)s") % {"v": text, "allowed": ", ".join(allowed) or "—"})


def _target(state: State, row: dict[str, Any]) -> Need | None:
    """The need a row is about: by its number, or by its title; None for a new one."""
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


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal | date) else value


def _typed(raw: dict[str, Any]) -> dict[str, Any]:
    row = dict(raw)
    for name in ("starts_on", "ends_on"):
        if row.get(name):
            row[name] = date.fromisoformat(row[name])
    if row.get("amount") is not None:
        row["amount"] = Decimal(row["amount"])
    return row


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
        new = {k: _plain(v) for k, v in new.items()}
        fields = [[k, old.get(k), new[k]] for k in new if str(old.get(k) or "") != str(new[k] or "")]
        changes.append(
            {"sheet": "Needs", "key": row["title"], "action": "update" if fields else "unchanged", "fields": fields}
        )
    return changes


class NeedsImport(ImportSpec[NeedsContext]):
    """Needs from an XLSX or CSV file with the columns of the needs export (``id`` optional): a row with
    the number or the title of one of the State's needs updates it; other rows create drafts."""

    kind = "needs"
    field_labels = {name: Need._meta.get_field(name).verbose_name for name in NEED_FIELDS}  # type: ignore[union-attr]
    value_labels = {
        "pillar": dict(Pillar.choices),
        "modality": dict(Modality.choices),
        "priority": dict(Need._meta.get_field("priority").choices or []),
        "visibility": dict(Visibility.choices),
    }
    formats = frozenset({"xlsx", "csv"})
    sheets = (
        Sheet(
            "Needs",
            tuple(Column(name, name, required=name in REQUIRED) for name in REQUIRED + OPTIONAL),
            headers="named",
            active=True,
        ),
    )
    check_action = "needs_import.check"
    apply_action = "needs_import.apply"

    def context(self, *, state: Any, organisation: Any, actor: Any) -> NeedsContext:
        return NeedsContext(
            state=state,
            own=set(Need.objects.filter(state=state).values_list("pk", flat=True)),
            obligations=[o.kind for o in state.obligations.all()],
        )

    def parse_cell(self, column: Column, value: Any, context: NeedsContext) -> Any:
        return _parse(column.field, value, context)

    def check_row(self, sheet: Sheet, row: Row, context: NeedsContext, problems: RowProblems) -> None:
        values, line = row.values, row.number
        if values.get("id") is not None and values["id"] not in context.own:
            problems.add(
                "id",
                _("need %(id)s is not one of %(state)s's needs")
                % {"id": values["id"], "state": context.state.display_name},
            )
        if values.get("amount") is not None and not values.get("currency"):
            problems.add("currency", _("an amount needs its currency"), cell=False)
        if values.get("amount") is None and not values.get("in_kind") and not problems:
            problems.add("amount", _("give an amount, or describe what is needed in kind"), cell=False)
        if values.get("title"):
            if values["title"] in context.titles:
                problems.add(
                    "title", _("the same title as row %(r)s") % {"r": context.titles[values["title"]]}, cell=False
                )
            context.titles[values["title"]] = line

    def finish(self, rows: dict[str, list[Row]], context: NeedsContext, problems: ProblemLog) -> dict[str, Any]:
        return {"needs": [{"_row": r.number, **{k: _plain(v) for k, v in r.values.items()}} for r in rows["Needs"]]}

    def owner(self, payload: dict[str, Any], context: NeedsContext) -> dict[str, Any]:
        return {"state": context.state}

    def preview(self, payload: dict[str, Any], context: NeedsContext) -> list[dict[str, Any]]:
        return preview(context.state, [_typed(r) for r in payload["needs"]])

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        state = record.state
        assert state is not None  # noqa: S101 - a needs import always belongs to a State
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for change, raw in zip(record.changes, record.payload["needs"], strict=True):
            if change["action"] == "unchanged":
                counts["unchanged"] += 1
                continue
            row = _typed(raw)
            services.need_save(state=state, need=_target(state, row), values=_values(state, row), actor=actor)
            counts["created" if change["action"] == "create" else "updated"] += 1
        return counts


def needs_check(*, state: State, upload: Any, actor: Any) -> SpreadsheetImport:
    return check_import(NeedsImport.kind, upload=upload, actor=actor, state=state)


def needs_apply(*, sheet_import: SpreadsheetImport, actor: Any) -> dict[str, int]:
    return apply_import(import_id=sheet_import.pk, actor=actor)
