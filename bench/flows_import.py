"""Benchmark: applying a large flows import, batched (today's FlowsImport.apply) against one row at a time.

    .venv/bin/python bench/flows_import.py [--rows 20000]

Sets up a temporary SQLite database (or the one in DATABASE_URL: use only your own), checks a CSV of
--rows new flows through the real pipeline (``check_import``), then applies it twice on the same data:

1. the baseline, the apply as it was before issue 11 (kept below: one ``_existing`` query, one State
   query and one ``services.flow_create`` per row), inside a transaction rolled back afterwards;
2. the import pipeline's ``apply_import``, which calls today's batched ``FlowsImport.apply``.

Prints, for each, the time and the number of queries, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def per_row_apply(record: Any, actor: Any) -> dict[str, int]:
    """The flows apply before issue 11: one query for the flow on record, one for the State, one service
    call (several queries and an audit entry) per row."""
    from ccm.core.policies import Visibility
    from ccm.funding import services
    from ccm.funding.imports import funders_of
    from ccm.funding.models import FlowSource, FundingFlow, flow_visibility
    from ccm.needs.models import Need
    from ccm.states.models import State

    funders = funders_of(actor)
    counts = {"created": 0, "unchanged": 0}
    for row in record.payload["flows"]:
        if FundingFlow.objects.filter(
            funder=funders[row["funder"]],
            recipient_state__iso3=row["recipient"],
            pillar=row["pillar"],
            stage=row["stage"],
            amount=Decimal(row["amount"]),
            currency=row["currency"],
            value_date=date.fromisoformat(row["value_date"]),
            source=FlowSource.ENTERED,
        ).exists():
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
    return counts


class Rollback(Exception):
    pass


class QueryCount:
    """Counts the queries run on a connection (no log kept: the test utilities keep at most 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.test_settings")
    folder = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction

    from ccm.core.imports import apply_import, check_import
    from ccm.funding.models import FundingFlow
    from ccm.states.models import State
    from tests.personas import create_personas, organisation, persona

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    create_personas()
    settings.CCM_IMPORT_MAX_ROWS = args.rows
    settings.CCM_TASK_APPLY_ABOVE_ROWS = args.rows + 1
    io = organisation("io")
    actor = persona("io_editor").user
    states = list(State.objects.exclude(ccm_status="").values_list("iso3", flat=True)[:8])
    lines = ["funder,recipient,pillar,stage,amount,currency,value_date,implementer,confidentiality"]
    for n in range(args.rows):
        stage = ("commitment", "disbursement", "pledge")[n % 3]
        lines.append(
            f"{io.slug},{states[n % len(states)]},clearance,{stage},{1000 + n}.50,{('EUR', 'USD', 'GBP')[n % 3]},"
            f"20{15 + n % 10}-0{1 + n % 9}-1{n % 10},Operator {n % 50},{('public', 'coordinators')[n % 2]}"
        )
    content = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    record = check_import("flows", upload=SimpleUploadedFile("flows.csv", content), actor=actor, organisation=io)
    check_s = time.perf_counter() - started
    assert record.status == "ready", record.errors[:3]
    print(f"File: {len(content) / 1e6:.1f} MB, {args.rows:,} rows, all new flows (checked in {check_s:.2f} s)")

    before_q, after_q = QueryCount(), QueryCount()
    with connection.execute_wrapper(before_q):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                counts = per_row_apply(record, actor)
                assert counts["created"] == args.rows, counts
                raise Rollback
        except Rollback:
            pass
        before_s = time.perf_counter() - started
    assert not FundingFlow.objects.exists()

    with connection.execute_wrapper(after_q):
        started = time.perf_counter()
        counts = apply_import(import_id=record.pk, actor=actor)
        after_s = time.perf_counter() - started
    assert counts["created"] == args.rows == FundingFlow.objects.count(), counts
    print(f"One row at a time (before): {before_s:7.2f} s  {before_q.count:7,} queries")
    print(f"Batched (now):              {after_s:7.2f} s  {after_q.count:7,} queries")
    print(f"Ratio (before / now): {before_s / after_s:.1f} times faster, on {connection.vendor}")


if __name__ == "__main__":
    main()
