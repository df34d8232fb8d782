"""A donor's flows from a spreadsheet (XLSX or CSV): checked whole, previewed, applied at once.

Columns: funder (the organisation's short name), recipient (ISO alpha-3), pillar, stage, amount,
currency, value_date, and optionally need (number), implementer, confidentiality. A row identical to a
flow already recorded (same funder, recipient, pillar, stage, amount, currency and date) is
unchanged, so uploading the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.accounts.models import Organisation
from ccm.core.imports import Column, ImportSpec, ProblemLog, Row, RowProblems, Sheet, apply_import, check_import
from ccm.core.models import SpreadsheetImport
from ccm.core.money import CURRENCIES
from ccm.core.policies import Visibility
from ccm.core.spreadsheets import CellProblem
from ccm.core.tabular import parse_amount
from ccm.funding import policies, services
from ccm.funding.models import FlowSource, FundingFlow, Stage, flow_visibility
from ccm.funding.rates import RateTable, rate_table
from ccm.needs.models import Need, Pillar
from ccm.states.models import State

REQUIRED = ("funder", "recipient", "pillar", "stage", "amount", "currency", "value_date")
OPTIONAL = ("need", "implementer", "confidentiality")


def funders_of(user: Any) -> dict[str, Organisation]:
    """The organisations ``user`` records flows for, by short name."""
    return {o.slug: o for o in Organisation.objects.filter(pk__in=policies.can_record_flows(user))}


@dataclass
class FlowsContext:
    organisation: Organisation | None
    funders: dict[str, Organisation]
    states: dict[str, int]
    open_needs: set[int]
    named: set[str] = field(default_factory=set)
    rates: RateTable | None = None  # read once per file, for the rows' currencies


def _parse(
    name: str, value: Any, funders: dict[str, Organisation], states: dict[str, int], open_needs: set[int]
) -> Any:
    text = "" if value is None else str(value).strip()
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


def _key(row: dict[str, Any], funders: dict[str, Organisation]) -> tuple[Any, ...]:
    return (
        funders[row["funder"]].pk,
        row["recipient"],
        row["pillar"],
        row["stage"],
        Decimal(row["amount"]),
        row["currency"],
        date.fromisoformat(row["value_date"]),
    )


class FlowsImport(ImportSpec[FlowsContext]):
    """A donor's flows from an XLSX or CSV file. Columns: funder (the organisation's short name), recipient
    (ISO alpha-3), pillar, stage, amount, currency, value_date, and optionally need (number), implementer,
    confidentiality. A row identical to a flow already recorded (same funder, recipient, pillar, stage,
    amount, currency and date) is unchanged, so uploading the same file twice changes nothing."""

    kind = "flows"
    field_labels = {"amount": FundingFlow._meta.get_field("amount").verbose_name, "pillar": gettext_lazy("pillar")}
    value_labels = {"pillar": dict(Pillar.choices)}
    formats = frozenset({"xlsx", "csv"})
    sheets = (
        Sheet(
            "Flows",
            tuple(Column(name, name, required=name in REQUIRED) for name in REQUIRED + OPTIONAL),
            headers="named",
            active=True,
        ),
    )
    check_action = "flows_import.check"
    apply_action = "flows_import.apply"

    def context(self, *, state: Any, organisation: Any, actor: Any) -> FlowsContext:
        from ccm.needs.policies import needs as need_policy

        open_needs = set(
            need_policy.visible_to(actor)
            .filter(published_at__isnull=False, withdrawn_at__isnull=True)
            .values_list("pk", flat=True)
        )
        return FlowsContext(
            organisation=organisation,
            funders=funders_of(actor),
            states={s.iso3: s.pk for s in State.objects.exclude(ccm_status="")},
            open_needs=open_needs,
        )

    def parse_cell(self, column: Column, value: Any, context: FlowsContext) -> Any:
        return _parse(column.field, value, context.funders, context.states, context.open_needs)

    def check_row(self, sheet: Sheet, row: Row, context: FlowsContext, problems: RowProblems) -> None:
        if row.values.get("funder"):
            context.named.add(str(row.values["funder"]))
        currency, value_date = row.values.get("currency"), row.values.get("value_date")
        if currency and value_date:
            if context.rates is None:
                context.rates = rate_table()
            if context.rates.rate(str(currency), date.fromisoformat(str(value_date))) is None:
                problems.add(
                    "currency",
                    _(
                        "no exchange rate for %(c)s is on file for %(d)s: load a dated rate with its source "
                        "(ccm load_rates) or record this flow on the form with its rate"
                    )
                    % {"c": currency, "d": value_date},
                )

    def finish(self, rows: dict[str, list[Row]], context: FlowsContext, problems: ProblemLog) -> dict[str, Any]:
        if len(context.named) > 1:
            problems.add(
                CellProblem(
                    "Flows",
                    0,
                    "",
                    "funder",
                    _("one funder per file, please (found %(f)s)") % {"f": ", ".join(sorted(context.named))},
                )
            )
        return {"flows": [{"_row": r.number, **r.values} for r in rows["Flows"]]}

    def owner(self, payload: dict[str, Any], context: FlowsContext) -> dict[str, Any]:
        if len(context.named) == 1:
            return {"organisation": context.funders[next(iter(context.named))]}
        return {"organisation": context.organisation}

    def preview(self, payload: dict[str, Any], context: FlowsContext) -> list[dict[str, Any]]:
        funders = context.funders
        rows = payload["flows"]
        on_record = set(
            FundingFlow.objects.filter(
                funder__in=[funders[r["funder"]] for r in rows], source=FlowSource.ENTERED
            ).values_list("funder_id", "recipient_state__iso3", "pillar", "stage", "amount", "currency", "value_date")
        )
        return [
            {
                "sheet": "Flows",
                "key": f"{r['funder']} → {r['recipient']} {_stage_label(r['stage'])} {r['value_date']}",
                "action": "unchanged" if _key(r, funders) in on_record else "create",
                "fields": [["amount", None, f"{r['amount']} {r['currency']}"], ["pillar", None, r["pillar"]]],
            }
            for r in rows
        ]

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        """Every row at once, in a few queries: the States, the needs and the flows on record read once, the
        new flows inserted in batches (``services.flows_create_many``). A row linked to a need goes through
        ``services.flow_create``, one by one: a pledge there is answered in the need's thread, under its lock."""
        funders = funders_of(actor)
        rows = record.payload["flows"]
        for row in rows:
            if row["funder"] not in funders:
                raise ValidationError(_("You no longer record flows for %(f)s.") % {"f": row["funder"]})
        states = {s.iso3: s for s in State.objects.filter(iso3__in={r["recipient"] for r in rows})}
        linked = {n.pk: n for n in Need.objects.filter(pk__in={r["need"] for r in rows if r.get("need")})}
        on_record = set(
            FundingFlow.objects.filter(
                funder__in={funders[r["funder"]].pk for r in rows}, source=FlowSource.ENTERED
            ).values_list("funder_id", "recipient_state__iso3", "pillar", "stage", "amount", "currency", "value_date")
        )
        counts = {"created": 0, "unchanged": 0}
        batch: list[services.NewFlow] = []
        for row in rows:
            key = _key(row, funders)
            if key in on_record:  # on record, or an identical row earlier in the file
                counts["unchanged"] += 1
                continue
            on_record.add(key)
            counts["created"] += 1
            if row["recipient"] not in states:
                raise ValidationError(_("%(s)s is no longer in the registry.") % {"s": row["recipient"]})
            fields: dict[str, Any] = {
                "funder": funders[row["funder"]],
                "recipient_state": states[row["recipient"]],
                "pillar": row["pillar"],
                "stage": row["stage"],
                "amount": Decimal(row["amount"]),
                "currency": row["currency"],
                "value_date": date.fromisoformat(row["value_date"]),
                "visibility": flow_visibility(row.get("confidentiality") or Visibility.PUBLIC),
                "implementer_name": row.get("implementer") or "",
            }
            if row.get("need"):
                need = linked.get(row["need"])
                if need is None:
                    raise ValidationError(_("Need %(n)s no longer exists.") % {"n": row["need"]})
                services.flow_create(**fields, need=need, actor=actor)
            else:
                batch.append(services.NewFlow(**fields))
        services.flows_create_many(flows=batch, actor=actor)
        return counts


def flows_check(*, upload: Any, actor: Any, organisation: Organisation | None = None) -> SpreadsheetImport:
    """Check a flows file; the import belongs to its one funder (or, when it has errors, ``organisation``,
    by default the first organisation ``actor`` records flows for)."""
    if organisation is None:
        organisation = next(iter(funders_of(actor).values()), None)
    return check_import(FlowsImport.kind, upload=upload, actor=actor, organisation=organisation)


def flows_apply(*, sheet_import: SpreadsheetImport, actor: Any) -> dict[str, int]:
    return apply_import(import_id=sheet_import.pk, actor=actor)


def _stage_label(code: str) -> str:
    try:
        return str(Stage(code).label).lower()
    except ValueError:
        return code
