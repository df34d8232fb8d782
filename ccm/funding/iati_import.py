"""Importing IATI activity files into the funding ledger: whole file or nothing, idempotent.

Each file is read once: the same pass counts, checks, and adds up the report's totals. A check-only
run (``dry_run``) writes nothing and reports what *would* be created or updated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from ccm.core import audit
from ccm.core.text import clean_model_text
from ccm.funding.iati import (
    SECTOR,
    ActivityResult,
    Flow,
    IatiFileError,
    outside_sector_reason,
    read_activities,
    validate_file,
)
from ccm.funding.models import FlowSource, FundingFlow, IatiActivity, Stage
from ccm.funding.rates import Conversion, RateTable, convert, rate_table
from ccm.states.models import State

TOTAL_GROUPS = ("by_funder", "by_recipient", "by_stage", "by_year")
USD = "USD (converted)"
REFUSED = "in a refused file: nothing from it is counted"
# Called every this many activities read, so a page can show how far a long file is.
PROGRESS_EVERY = 500

Progress = Callable[[int, int, int], None]  # (file index, files, activities read in this file)


@dataclass
class FileReport:
    path: str
    error: str = ""
    activities_read: int = 0
    activities_matched: int = 0
    transactions_read: int = 0
    transactions_counted: int = 0
    transactions_outside_sector: int = 0  # in activities with no share in the sector: counted, not listed
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[dict[str, str]] = field(default_factory=list)
    skips: list[dict[str, str]] = field(default_factory=list)
    reversals: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Cell:
    """One cell of the totals: the amount in its currency, and in US dollars where a rate was found."""

    amount: Decimal = Decimal(0)
    usd: Decimal = Decimal(0)
    unconverted: int = 0  # shares without a rate (not in ``usd``)
    shares: int = 0


@dataclass
class ImportReport:
    dry_run: bool = False
    sector: str = SECTOR
    files: list[FileReport] = field(default_factory=list)
    rate_problems: list[dict[str, str]] = field(default_factory=list)
    # (group, key) -> currency -> amount, added up while the files are read
    sums: dict[tuple[str, str], dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    # (recipient, stage, currency) -> cell; reversals (negative) net against the rest
    cells: dict[tuple[str, str, str], Cell] = field(default_factory=lambda: defaultdict(Cell))
    recipient_names: dict[str, str] = field(default_factory=dict)
    funder_names: dict[str, str] = field(default_factory=dict)

    def add_to_totals(self, flow: Flow, recipient: str, usd: Decimal | None) -> None:
        for group, key in zip(
            TOTAL_GROUPS, (flow.funder_ref, recipient, flow.stage, str(flow.value_date.year)), strict=True
        ):
            bucket = self.sums[(group, key)]
            bucket[flow.currency] += flow.amount
            if usd is not None:
                bucket[USD] += usd
        if flow.funder_name and flow.funder_ref not in self.funder_names:
            self.funder_names[flow.funder_ref] = flow.funder_name
        cell = self.cells[(recipient, flow.stage, flow.currency)]
        cell.amount += flow.amount
        cell.shares += 1
        if usd is None:
            cell.unconverted += 1
        else:
            cell.usd += usd

    @property
    def totals(self) -> dict[str, Any]:
        """What the accepted files hold, by funder, recipient, stage and year, and per recipient × stage
        × currency (reversals netted in)."""
        totals: dict[str, Any] = {group: {} for group in TOTAL_GROUPS}
        for (group, key), bucket in sorted(self.sums.items()):
            totals[group][key] = {currency: str(amount) for currency, amount in sorted(bucket.items())}
        stage_order = {"pledge": 0, "commitment": 1, "disbursement": 2}
        totals["by_recipient_stage_currency"] = [
            {
                "recipient": recipient,
                "recipient_name": self.recipient_names.get(recipient, recipient),
                "stage": stage,
                "currency": currency,
                "amount": str(cell.amount),
                "usd": str(cell.usd),
                "shares": cell.shares,
                "shares_without_rate": cell.unconverted,
            }
            for (recipient, stage, currency), cell in sorted(
                self.cells.items(),
                key=lambda item: (
                    self.recipient_names.get(item[0][0], item[0][0]),
                    stage_order.get(item[0][1], 9),
                    item[0][2],
                ),
            )
        ]
        return totals

    def skip_summary(self) -> list[dict[str, Any]]:
        """How many transactions were not counted, by reason (most first); with the transactions
        counted, they add up to the transactions read."""
        counts: dict[str, int] = defaultdict(int)
        for file in self.files:
            if file.error:
                if file.transactions_read:
                    counts[REFUSED] += file.transactions_read
                continue
            if file.transactions_outside_sector:
                counts[outside_sector_reason(self.sector)] += file.transactions_outside_sector
            for skip in file.skips:
                counts[skip["reason"]] += 1
        return [{"reason": r, "transactions": n} for r, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]

    def as_dict(self) -> dict[str, Any]:
        def total(key: str) -> int:
            return sum(getattr(f, key) for f in self.files)

        # A check-only run says what it would do: it created nothing.
        created, updated = (
            ("flows_would_be_created", "flows_would_be_updated") if self.dry_run else ("flows_created", "flows_updated")
        )
        return {
            "dry_run": self.dry_run,
            "counts": {
                "files": len(self.files),
                "files_refused": sum(1 for f in self.files if f.error),
                "activities_read": total("activities_read"),
                "activities_matched": total("activities_matched"),
                "transactions_read": total("transactions_read"),
                "transactions_counted": total("transactions_counted"),
                "transactions_skipped": total("transactions_read") - total("transactions_counted"),
                "reversals": sum(len(f.reversals) for f in self.files),
                created: total("created"),
                updated: total("updated"),
                "flows_unchanged": total("unchanged"),
            },
            "files": [
                {
                    "path": f.path,
                    "error": f.error,
                    "activities_read": f.activities_read,
                    "activities_matched": f.activities_matched,
                    "transactions_read": f.transactions_read,
                    "transactions_counted": f.transactions_counted,
                    created: f.created,
                    updated: f.updated,
                    "flows_unchanged": f.unchanged,
                }
                for f in self.files
            ],
            "warnings": [w for f in self.files for w in f.warnings],
            "skips": [s for f in self.files for s in f.skips],
            "skip_summary": self.skip_summary(),
            "reversals": [r for f in self.files for r in f.reversals],
            "recipient_names": dict(sorted(self.recipient_names.items())),
            "funder_names": dict(sorted(self.funder_names.items())),
            "rate_problems": self.rate_problems,
            "totals": self.totals,
        }


def _place(country: str, region: str, states: dict[str, State]) -> str:
    state = states.get(country) if country else None
    return state.iso3 if state else (country or region or "unmapped")


def _recipient(flow: Flow, states: dict[str, State]) -> str:
    return _place(flow.country, flow.region, states)


def _recipient_name(key: str, flow: Flow, states: dict[str, State]) -> str:
    """A recipient in words: the State's name, else the code as reported (a region's with its kind)."""
    state = states.get(flow.country) if flow.country else None
    if state is not None:
        return state.name
    return f"region {flow.region}" if flow.region and not flow.country else key


def _note_rate_problem(flow: Flow, conversion: Conversion, report: ImportReport) -> None:
    if conversion.rate_problem:
        report.rate_problems.append(
            {
                "activity": flow.activity,
                "currency": flow.currency,
                "value_date": flow.value_date.isoformat(),
                "problem": conversion.rate_problem,
            }
        )


def _flow_row(flow: Flow, states: dict[str, State], conversion: Conversion) -> FundingFlow:
    return FundingFlow(
        funder_ref=flow.funder_ref,
        funder_name=flow.funder_name[:300],
        recipient_state=states.get(flow.country) if flow.country else None,
        recipient_region=flow.region,
        recipient_label=flow.country or flow.region,
        implementer_ref=flow.implementer_ref[:100],
        implementer_name=flow.implementer_name[:300],
        stage=flow.stage,
        amount=flow.amount,
        currency=flow.currency,
        value_date=flow.value_date,
        **conversion.as_fields(),
        source=FlowSource.IATI,
        iati_activity=flow.activity,
        iati_key=flow.key[:300],
        share=flow.share,
    )


def _read_file(
    path: str, sector: str, report: FileReport, schema: str = "", progress: Callable[[int], None] | None = None
) -> list[ActivityResult] | None:
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
            report.transactions_read += activity.transactions
            if progress is not None and report.activities_read % PROGRESS_EVERY == 0:
                progress(report.activities_read)
            if not activity.matched:
                report.transactions_outside_sector += activity.transactions
                continue
            report.activities_matched += 1
            report.transactions_counted += activity.transactions_counted
            report.warnings += [{"activity": activity.identifier, "warning": w} for w in activity.warnings]
            report.skips += [
                {"activity": activity.identifier, "transaction": s.transaction, "reason": s.reason}
                for s in activity.skips
            ]
            if activity.errors:
                report.error = f"{path}: " + "; ".join(activity.errors)
                return None
            matched.append(activity)
    except IatiFileError as exc:
        report.error = f"{path}: {exc}"
        return None
    return matched


def import_iati(
    *,
    paths: list[str],
    actor: Any,
    sector: str = SECTOR,
    dry_run: bool = False,
    schema: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import IATI activity files. Each file is read whole first; a bad file is reported and the others
    are imported. Re-importing a file changes nothing; a changed activity replaces its flows.
    ``progress(file index, files, activities read)`` is called as the files are read."""
    report = ImportReport(dry_run=dry_run, sector=sector)
    states = {s.iso2: s for s in State.objects.all()}
    table = rate_table()
    for index, path in enumerate(paths):
        file_report = FileReport(path=path)
        report.files.append(file_report)
        if progress is not None:
            progress(index, len(paths), 0)
        activities = _read_file(
            path,
            sector,
            file_report,
            schema,
            partial(progress, index, len(paths)) if progress is not None else None,
        )
        if activities is None:
            file_report.transactions_counted = 0  # a refused file: nothing from it is counted
            continue
        for activity in activities:
            for reversal in activity.reversals:
                file_report.reversals.append(
                    {
                        "activity": activity.identifier,
                        "transaction": reversal.transaction,
                        "amount": str(reversal.amount),
                        "currency": reversal.currency,
                        "stage": reversal.stage,
                        "funder": reversal.funder_ref,
                        "recipient": _place(reversal.country, reversal.region, states),
                        "netted_against": list(reversal.netted_against),
                        "not_in_ledger": str(reversal.not_in_ledger),
                    }
                )
            for flow in activity.counted:
                if flow.country and flow.country not in states:
                    file_report.warnings.append(
                        {
                            "activity": activity.identifier,
                            "warning": f"recipient country {flow.country} is not an ISO 3166 "
                            "country: kept as an unmapped recipient",
                        }
                    )
        _write_file(activities, states, table, report, file_report, actor, dry_run)
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
        unchanged = previous is not None and previous.content_hash == activity.content_hash
        conversions: dict[int, Conversion] = {}
        for flow in activity.counted:
            # The totals are added up here, in the one pass over the file (what the file holds,
            # reversals netted in).
            conversion = convert(table, flow.amount, flow.currency, flow.value_date)
            conversions[id(flow)] = conversion
            recipient = _recipient(flow, states)
            report.add_to_totals(flow, recipient, conversion.usd_amount)
            if recipient not in report.recipient_names:
                report.recipient_names[recipient] = _recipient_name(recipient, flow, states)
        if not unchanged:
            for flow in activity.flows:  # the ledger's rows: positive, reversals netted
                conversion = conversions.get(id(flow)) or convert(table, flow.amount, flow.currency, flow.value_date)
                _note_rate_problem(flow, conversion, report)
                new_rows.append(_flow_row(flow, states, conversion))
        if unchanged:
            file_report.unchanged += len(activity.flows)
        elif previous is not None:
            replaced.append(activity.identifier)
            file_report.updated += len(activity.flows)
        else:
            file_report.created += len(activity.flows)
    if dry_run:
        transaction.set_rollback(True)
        return
    FundingFlow.objects.filter(iati_activity__in=replaced, source=FlowSource.IATI).delete()
    for (
        row
    ) in new_rows:  # names and references from outside, cleaned as every saved row is (bulk_create skips pre_save)
        clean_model_text(FundingFlow, row, keep=frozenset({"iati_activity"}))
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


PAGE_ROWS = 200  # rows of each long list on the report's page; the JSON download has them all


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None
    return number if number.is_finite() else None


def report_tables(report: dict[str, Any]) -> dict[str, Any]:
    """A stored report (``ImportReport.as_dict``) as the page shows it: amounts as numbers, stages by
    their label, recipients by name, long lists cut to ``PAGE_ROWS`` (with how many more there are).
    Reports stored by earlier versions lack some parts: those come out empty."""
    stages = dict(Stage.choices)
    totals = report.get("totals") or {}
    cells = [
        {
            "recipient": row.get("recipient_name") or row.get("recipient", ""),
            "stage": stages.get(row.get("stage", ""), row.get("stage", "")),
            "currency": row.get("currency", ""),
            "amount": _decimal(row.get("amount")),
            "usd": _decimal(row.get("usd"))
            if row.get("currency") != "USD" and row.get("shares_without_rate", 0) < row.get("shares", 0)
            else None,
            "without_rate": row.get("shares_without_rate", 0),
        }
        for row in totals.get("by_recipient_stage_currency", [])
    ]

    def by(group: str, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return [
            {
                "key": f"{names[key]} ({key})" if names and names.get(key) else key,
                "currency": gettext("US dollars (converted)") if currency == USD else currency,
                "amount": _decimal(amount),
            }
            for key, amounts in (totals.get(group) or {}).items()
            for currency, amount in amounts.items()
        ]

    def cut(rows: list[Any]) -> tuple[list[Any], int]:
        return rows[:PAGE_ROWS], max(0, len(rows) - PAGE_ROWS)

    reversals = [
        {
            **row,
            "amount": _decimal(row.get("amount")),
            "not_in_ledger": _decimal(row.get("not_in_ledger")),
            "stage": stages.get(row.get("stage", ""), row.get("stage", "")),
            "recipient": report.get("recipient_names", {}).get(row.get("recipient"), row.get("recipient", "")),
        }
        for row in report.get("reversals", [])
    ]
    skips, more_skips = cut(report.get("skips", []))
    warnings, more_warnings = cut(report.get("warnings", []))
    shown_reversals, more_reversals = cut(reversals)
    rate_problems, more_rate_problems = cut(report.get("rate_problems", []))
    return {
        "cells": cells,
        "by_funder": by("by_funder", report.get("funder_names") or {}),
        "by_year": by("by_year"),
        "skip_summary": report.get("skip_summary", []),
        "skips": skips,
        "more_skips": more_skips,
        "warnings": warnings,
        "more_warnings": more_warnings,
        "reversals": shown_reversals,
        "more_reversals": more_reversals,
        "rate_problems": rate_problems,
        "more_rate_problems": more_rate_problems,
        "errors": [f["error"] for f in report.get("files", []) if f.get("error")],
    }
