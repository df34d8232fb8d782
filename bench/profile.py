"""Where a page spends its time: one route, profiled with pyinstrument, on the scale data set.

    .venv/bin/python bench/profile.py /states/ [--who anonymous|editor|donor|coordinator] [--repeat 5]

Uses the database bench/web.py builds (``var/bench/scale.sqlite3``, or ``DATABASE_URL`` when it points at
PostgreSQL). Runs the request once to warm the process, then ``--repeat`` times under the profiler, and
prints the time per request, the SQL queries per request and their time, and pyinstrument's call tree.
Needs pyinstrument (the ``test`` extra).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--who", default="anonymous")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--depth", type=int, default=40, help="Call tree depth shown.")
    args = parser.parse_args()

    from bench.scale_setup import setup

    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from ccm.accounts.models import User
    from ccm.accounts.scale import BENCH_ACCOUNTS
    from tests.personas import signed_in_client

    client = Client() if args.who == "anonymous" else signed_in_client(User.objects.get(email=BENCH_ACCOUNTS[args.who]))
    first = client.get(args.path)
    if first.status_code != 200:
        raise SystemExit(f"{args.path} answered {first.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.stop()
    per_request = (time.perf_counter() - started) / args.repeat * 1000
    print(
        f"{args.path} as {args.who}: {per_request:.1f} ms per request (profiled); "
        f"{len(queries.captured_queries)} queries, {sql_ms:.1f} ms in SQL; {len(first.content)} bytes"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=False, timeline=False))


if __name__ == "__main__":
    main()
