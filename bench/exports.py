"""Benchmark: memory of the flows download on the scale data set, streamed against built in memory.

    .venv/bin/python bench/exports.py [--who coordinator] [--xlsx-rows 20000]

Uses the database bench/web.py builds (``var/bench/scale.sqlite3``, or ``DATABASE_URL`` when it points at
PostgreSQL). Downloads every flow the reader sees from ``/funding/explorer/flows.csv`` through the real
view, reading the streamed body chunk by chunk as a server would, and measures the peak of Python's
allocations (tracemalloc) and the time. Then runs the baseline in the same process: the download as it
was before (every flow read into a list of model instances, then the whole CSV built as one string),
on the same rows. Prints both, with the data size and the ratios.

The XLSX download is measured on its own: openpyxl's write-only sheet against an ordinary workbook, both
for the first ``--xlsx-rows`` flows (an ordinary workbook of every flow would take gigabytes), and the
write-only sheet again for every flow.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MIB = 1024 * 1024


def _measure(run: Callable[[], int]) -> tuple[int, float, float]:
    """``run``'s result, its time (without tracing) and its peak traced memory in MiB (a second run)."""
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / MIB


def _baseline_table(flows: Iterable[Any]) -> list[list[Any]]:
    """The download before this change: model instances, with their display labels."""
    from ccm.funding.explorer_views import _export_table

    table: list[list[Any]] = [next(_export_table([]))]  # the same headings as today's download
    for flow in flows:
        table.append(
            [
                flow.value_date.isoformat(),
                flow.funder_name or flow.funder_ref,
                flow.funder_ref,
                flow.recipient_state.name if flow.recipient_state else flow.recipient_label,
                flow.recipient_state.iso3 if flow.recipient_state else "",
                flow.get_pillar_display(),
                flow.get_stage_display(),
                flow.amount,
                flow.currency,
                flow.usd_amount,
                flow.get_source_display(),
                flow.iati_activity,
                flow.implementer_name,
            ]
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--who", default="coordinator")
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    args = parser.parse_args()

    from bench.scale_setup import setup

    setup()
    from ccm.accounts.models import User
    from ccm.accounts.scale import BENCH_ACCOUNTS
    from ccm.core.spreadsheets import csv_text, xlsx_file, xlsx_from_rows
    from ccm.funding import explorer
    from ccm.funding.explorer_views import _export_table
    from tests.personas import signed_in_client

    user = User.objects.get(email=BENCH_ACCOUNTS[args.who])
    client = signed_in_client(user)
    everything = explorer.ExplorerFilters()
    flows = explorer.explorer_flows(user=user, filters=everything).count()

    def streamed() -> int:
        response = client.get("/funding/explorer/flows.csv")
        assert response.status_code == 200 and response.streaming
        size = 0
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            size += len(chunk)
        response.close()
        return size

    def built() -> int:
        rows = list(explorer.explorer_flows(user=user, filters=everything))
        return len(csv_text(_baseline_table(rows)).encode())

    print(f"Flows download as {args.who}: {flows:,} flows ({os.environ['DATABASE_URL'].split(':')[0]})")
    size, fast_s, fast_mib = _measure(streamed)
    base_size, base_s, base_mib = _measure(built)
    print(f"  CSV streamed (today):   {size / MIB:7.1f} MiB body, {fast_s:6.1f} s, peak {fast_mib:7.1f} MiB")
    print(f"  CSV built (before):     {base_size / MIB:7.1f} MiB body, {base_s:6.1f} s, peak {base_mib:7.1f} MiB")
    print(f"  ratio of peaks: {base_mib / fast_mib:.0f}x less memory; time ratio {base_s / fast_s:.2f}")

    def xlsx_streamed(limit: int | None) -> Callable[[], int]:
        def run() -> int:
            values = explorer.export_values(user=user, filters=everything)
            values = values[:limit] if limit else values
            with xlsx_file("Flows", _export_table(values.iterator(chunk_size=explorer.EXPORT_CHUNK))) as out:
                return out.seek(0, 2)

        return run

    def xlsx_built() -> int:
        rows = list(explorer.explorer_flows(user=user, filters=everything)[: args.xlsx_rows])
        return len(xlsx_from_rows("Flows", _baseline_table(rows)))

    small = min(args.xlsx_rows, flows)
    size, fast_s, fast_mib = _measure(xlsx_streamed(small))
    base_size, base_s, base_mib = _measure(xlsx_built)
    print(f"XLSX of the first {small:,} flows:")
    print(f"  write-only to a file (today): {size / MIB:6.1f} MiB, {fast_s:6.1f} s, peak {fast_mib:7.1f} MiB")
    print(f"  ordinary workbook (before):   {base_size / MIB:6.1f} MiB, {base_s:6.1f} s, peak {base_mib:7.1f} MiB")
    print(f"  ratio of peaks: {base_mib / fast_mib:.1f}x less memory")
    size, fast_s, fast_mib = _measure(xlsx_streamed(None))
    print(f"XLSX of all {flows:,} flows, write-only: {size / MIB:.1f} MiB, {fast_s:.1f} s, peak {fast_mib:.1f} MiB")


if __name__ == "__main__":
    main()
