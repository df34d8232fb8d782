"""Writes for the funding ledger: IATI import (whole file or nothing, idempotent), rate loading."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.funding.iati import SECTOR, ActivityResult, Flow, IatiFileError, read_activities, validate_file
from ccm.funding.models import ExchangeRate, FlowSource, FundingFlow, IatiActivity
from ccm.funding.rates import RateTable, ecb_table
from ccm.states.models import State


def rate_table() -> RateTable:
    """The ECB history with any loaded rates laid over it."""
    base = ecb_table()
    loaded = list(ExchangeRate.objects.all())
    if not loaded:
        return base
    table = RateTable(daily={k: (list(v[0]), list(v[1])) for k, v in base.daily.items()}, source=base.source)
    for rate in loaded:
        if rate.kind == "annual":
            table.annual[(rate.currency, rate.on.year)] = rate.to_usd
            table.annual_source = rate.source
        else:
            days, values = table.daily.setdefault(rate.currency, ([], []))
            import bisect

            index = bisect.bisect_left(days, rate.on)
            if index < len(days) and days[index] == rate.on:
                values[index] = rate.to_usd
            else:
                days.insert(index, rate.on)
                values.insert(index, rate.to_usd)
    return table


@dataclass
class FileReport:
    path: str
    error: str = ""
    activities_read: int = 0
    activities_matched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[dict[str, str]] = field(default_factory=list)
    skips: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    totals: dict[str, dict[str, Any]] = field(default_factory=dict)
    rate_problems: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def total(key: str) -> int:
            return sum(getattr(f, key) for f in self.files)

        return {
            "counts": {
                "files": len(self.files),
                "files_refused": sum(1 for f in self.files if f.error),
                "activities_read": total("activities_read"),
                "activities_matched": total("activities_matched"),
                "flows_created": total("created"),
                "flows_updated": total("updated"),
                "flows_unchanged": total("unchanged"),
            },
            "files": [
                {
                    "path": f.path,
                    "error": f.error,
                    "activities_read": f.activities_read,
                    "activities_matched": f.activities_matched,
                    "flows_created": f.created,
                    "flows_updated": f.updated,
                    "flows_unchanged": f.unchanged,
                }
                for f in self.files
            ],
            "warnings": [w for f in self.files for w in f.warnings],
            "skips": [s for f in self.files for s in f.skips],
            "rate_problems": self.rate_problems,
            "totals": self.totals,
        }


def _flow_row(flow: Flow, states: dict[str, State], table: RateTable, report: ImportReport) -> FundingFlow:
    state = states.get(flow.country) if flow.country else None
    rate = table.rate(flow.currency, flow.value_date)
    problem = ""
    if rate is None:
        problem = _("no rate for %(c)s on or shortly before %(d)s") % {"c": flow.currency, "d": flow.value_date}
        report.rate_problems.append(
            {
                "activity": flow.activity,
                "currency": flow.currency,
                "value_date": flow.value_date.isoformat(),
                "problem": problem,
            }
        )
    return FundingFlow(
        funder_ref=flow.funder_ref,
        funder_name=flow.funder_name[:300],
        recipient_state=state,
        recipient_region=flow.region,
        recipient_label=flow.country or flow.region,
        implementer_ref=flow.implementer_ref[:100],
        implementer_name=flow.implementer_name[:300],
        stage=flow.stage,
        amount=flow.amount,
        currency=flow.currency,
        value_date=flow.value_date,
        rate=rate.to_usd if rate else None,
        rate_date=rate.on if rate else None,
        rate_source=rate.source if rate else "",
        usd_amount=(flow.amount * rate.to_usd).quantize(Decimal("0.01")) if rate else None,
        rate_problem=problem,
        source=FlowSource.IATI,
        iati_activity=flow.activity,
        iati_key=flow.key[:300],
        share=flow.share,
    )


def _read_file(path: str, sector: str, report: FileReport, schema: str = "") -> list[ActivityResult] | None:
    """Every matching activity of one file, or None (with the reason in the report) when the file is
    refused: unreadable, or a counted transaction that cannot be read (no partial import)."""
    matched: list[ActivityResult] = []
    try:
        if schema:
            problem = validate_file(path, schema)
            if problem:
                report.error = f"{path}: {problem}"
                return None
        for activity in read_activities(path, sector=sector):
            report.activities_read += 1
            if not activity.matched:
                continue
            report.activities_matched += 1
            report.warnings += [{"activity": activity.identifier, "warning": w} for w in activity.warnings]
            report.skips += [{"activity": activity.identifier, "reason": s} for s in activity.skips]
            if activity.errors:
                report.error = f"{path}: " + "; ".join(activity.errors)
                return None
            matched.append(activity)
    except IatiFileError as exc:
        report.error = f"{path}: {exc}"
        return None
    return matched


def import_iati(
    *, paths: list[str], actor: Any, sector: str = SECTOR, dry_run: bool = False, schema: str = ""
) -> ImportReport:
    """Import IATI activity files. Each file is read whole first; a bad file is reported and the others
    are imported. Re-importing a file changes nothing; a changed activity replaces its flows."""
    report = ImportReport()
    states = {s.iso2: s for s in State.objects.all()}
    table = rate_table()
    for path in paths:
        file_report = FileReport(path=path)
        report.files.append(file_report)
        activities = _read_file(path, sector, file_report, schema)
        if activities is None:
            continue
        for activity in activities:
            for flow in activity.flows:
                if flow.country and flow.country not in states:
                    file_report.warnings.append(
                        {
                            "activity": activity.identifier,
                            "warning": f"recipient country {flow.country} is not an ISO 3166 "
                            "country: kept as an unmapped recipient",
                        }
                    )
        _write_file(activities, states, table, report, file_report, actor, dry_run)
    report.totals = _totals(paths, report)
    return report


@transaction.atomic
def _write_file(
    activities: list[ActivityResult],
    states: dict[str, State],
    table: RateTable,
    report: ImportReport,
    file_report: FileReport,
    actor: Any,
    dry_run: bool,
) -> None:
    identifiers = [x.identifier for x in activities]
    known: dict[str, IatiActivity] = {}
    for start in range(0, len(identifiers), 900):  # stay under SQLite's limit on query parameters
        chunk = identifiers[start : start + 900]
        known.update((a.identifier, a) for a in IatiActivity.objects.filter(identifier__in=chunk))
    new_rows: list[FundingFlow] = []
    replaced: list[str] = []
    for activity in activities:
        previous = known.get(activity.identifier)
        if previous is not None and previous.content_hash == activity.content_hash:
            file_report.unchanged += len(activity.flows)
            continue
        if previous is not None:
            replaced.append(activity.identifier)
            file_report.updated += len(activity.flows)
        else:
            file_report.created += len(activity.flows)
        new_rows += [_flow_row(f, states, table, report) for f in activity.flows]
    if dry_run:
        transaction.set_rollback(True)
        return
    FundingFlow.objects.filter(iati_activity__in=replaced, source=FlowSource.IATI).delete()
    FundingFlow.objects.bulk_create(new_rows, batch_size=2000)
    fresh, changed = [], []
    for activity in activities:
        record = known.get(activity.identifier)
        if record is None:
            fresh.append(
                IatiActivity(
                    identifier=activity.identifier,
                    last_updated=activity.last_updated,
                    content_hash=activity.content_hash,
                    reporting_org=activity.reporting_org,
                )
            )
        elif record.content_hash != activity.content_hash:
            record.last_updated, record.content_hash = activity.last_updated, activity.content_hash
            record.reporting_org = activity.reporting_org
            changed.append(record)
    IatiActivity.objects.bulk_create(fresh, batch_size=2000)
    IatiActivity.objects.bulk_update(changed, ["last_updated", "content_hash", "reporting_org"], batch_size=2000)
    if new_rows or replaced:
        audit.record(
            actor=actor,
            action="iati_import.apply",
            label=file_report.path,
            new={
                "created": file_report.created,
                "updated": file_report.updated,
                "unchanged": file_report.unchanged,
                "activities": len(activities),
            },
        )


def _totals(paths: list[str], report: ImportReport) -> dict[str, dict[str, Any]]:
    """Totals of what the files hold (after import), by funder, recipient, stage and year."""
    identifiers = set()
    for path in paths:
        try:
            identifiers |= {a.identifier for a in read_activities(path) if a.matched}
        except IatiFileError:
            continue
    flows = FundingFlow.objects.filter(iati_activity__in=identifiers, source=FlowSource.IATI).select_related(
        "recipient_state"
    )
    totals: dict[str, dict[str, Any]] = {"by_funder": {}, "by_recipient": {}, "by_stage": {}, "by_year": {}}
    sums: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for flow in flows:
        recipient = flow.recipient_state.iso3 if flow.recipient_state else (flow.recipient_label or "unmapped")
        for group, key in (
            ("by_funder", flow.funder_ref),
            ("by_recipient", recipient),
            ("by_stage", flow.stage),
            ("by_year", str(flow.value_date.year)),
        ):
            bucket = sums[(group, key)]
            bucket[flow.currency] += flow.amount
            if flow.usd_amount is not None:
                bucket["USD (converted)"] += flow.usd_amount
    for (group, key), bucket in sorted(sums.items()):
        totals[group][key] = {currency: str(amount) for currency, amount in sorted(bucket.items())}
    return totals


@transaction.atomic
def load_rates(*, path: Path, actor: Any) -> int:
    """Load a rate table from CSV (currency,date,to_usd[,kind][,source]); the whole file is checked
    first. ``kind`` is daily (the default) or annual (``date`` any day of the year)."""
    rows = []
    errors = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"currency", "date", "to_usd"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        for number, row in enumerate(reader, start=2):
            try:
                currency = row["currency"].strip().upper()
                if len(currency) != 3:
                    raise ValueError(f"column currency: {row['currency']!r} is not a currency code")
                day = date.fromisoformat(row["date"].strip())
                to_usd = Decimal(row["to_usd"].strip())
                if to_usd <= 0:
                    raise ValueError("column to_usd: a rate must be more than zero")
                kind = (row.get("kind") or "daily").strip() or "daily"
                if kind not in ("daily", "annual"):
                    raise ValueError(f"column kind: {kind!r} is not daily or annual")
                on = date(day.year, 1, 1) if kind == "annual" else day
                rows.append((currency, on, kind, to_usd, (row.get("source") or path.name).strip()))
            except (ValueError, InvalidOperation) as exc:
                errors.append(f"{path.name}, row {number}: {exc}")
    if errors:
        raise ValueError("\n".join(errors))
    for currency, on, kind, to_usd, source in rows:
        ExchangeRate.objects.update_or_create(
            currency=currency, on=on, kind=kind, defaults={"to_usd": to_usd, "source": source}
        )
    audit.record(actor=actor, action="exchange_rate.load", label=path.name, new={"rows": len(rows)})
    return len(rows)


@transaction.atomic
def flow_create(
    *,
    funder: Any,
    recipient_state: State,
    pillar: str,
    stage: str,
    amount: Decimal,
    currency: str,
    value_date: date,
    actor: Any,
    need: Any = None,
    visibility: str = "public",
    implementer_name: str = "",
) -> FundingFlow:
    """Record a flow entered on the platform. A pledge linked to a need is also posted in the need's
    thread (and refused, like any pledge there, beyond what is still unfunded)."""
    from django.core.exceptions import ValidationError

    from ccm.needs import services as needs

    currency = currency.upper()
    if need is not None and need.state_id != recipient_state.pk:
        raise ValidationError({"need": _("The need belongs to another State.")})
    if need is not None and stage == "pledge":
        if visibility != "public":
            raise ValidationError(
                {
                    "need": _(
                        "A pledge kept for coordinators cannot answer a need: the need's thread is seen by "
                        "everyone who sees the need. Record it without the need, or make it public."
                    )
                }
            )
        if need.currency and need.currency != currency:
            raise ValidationError({"currency": _("Pledge in the need's currency (%(c)s).") % {"c": need.currency}})
        needs.response_create(
            need=need,
            organisation=funder,
            kind="pledge",
            amount=amount if need.amount else None,
            actor=actor,
            message=_("Recorded in the funding ledger."),
        )
    rate = rate_table().rate(currency, value_date)
    flow = FundingFlow(
        funder=funder,
        funder_ref=funder.slug,
        funder_name=funder.name,
        recipient_state=recipient_state,
        recipient_label=recipient_state.iso2,
        pillar=pillar,
        stage=stage,
        amount=amount,
        currency=currency,
        value_date=value_date,
        need=need,
        visibility=visibility,
        implementer_name=implementer_name,
        rate=rate.to_usd if rate else None,
        rate_date=rate.on if rate else None,
        rate_source=rate.source if rate else "",
        usd_amount=(amount * rate.to_usd).quantize(Decimal("0.01")) if rate else None,
        rate_problem=""
        if rate
        else _("no rate for %(c)s on or shortly before %(d)s") % {"c": currency, "d": value_date},
        source=FlowSource.ENTERED,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    flow.full_clean()
    flow.save()
    audit.record(
        actor=actor,
        action="funding_flow.create",
        obj=flow,
        new={
            "funder": funder.name,
            "recipient": recipient_state.iso3,
            "stage": stage,
            "amount": amount,
            "currency": currency,
            "usd": flow.usd_amount,
        },
        organisation_id=funder.pk,
    )
    return flow
