"""Benchmark: IATI parse-and-normalise against a bare iterparse walk, and database writes of flows.

    .venv/bin/python bench/iati_import.py [--megabytes 100] [--write-activities 5000]

1. Builds a file of at least --megabytes by repeating the real sample activities
   (ccm/funding/data/iati/dportal_78-real-activities.xml) with new identifiers.
2. Times, in this process, a bare lxml iterparse walk over it (elements cleared as it goes) and
   ccm's read_activities (parse, shares, stages, normalised flows); prints both speeds, the ratio,
   activities per second, and the peak memory of each in a fresh child process.
3. Times the database write of flows on SQLite (bulk insert through the import service), for a
   generated file where every activity is in sector 15250.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "ccm" / "funding" / "data" / "iati" / "dportal_78-real-activities.xml"
sys.path.insert(0, str(REPO))


def build(path: Path, megabytes: int) -> int:
    text = SAMPLE.read_text(encoding="utf-8")
    blocks = [
        "<iati-activity " + part.split("</iati-activity>")[0] + "</iati-activity>"
        for part in text.split("<iati-activity ")[1:]
    ]
    target = megabytes * 1024 * 1024
    count = written = copy = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        while written < target:
            suffix = f"-copy{copy}</iati-identifier>"
            for block in blocks:
                renamed = block.replace("</iati-identifier>", suffix, 1)
                out.write(renamed + "\n")
                written += len(renamed) + 1
                count += 1
            copy += 1
        out.write("</iati-activities>\n")
    return count


BARE = """
import sys
from lxml import etree
n = 0
for _event, el in etree.iterparse(sys.argv[1], events=("end",), tag="iati-activity", resolve_entities=False,
                                  no_network=True, load_dtd=False):
    n += 1
    el.clear(keep_tail=False)
    while el.getprevious() is not None:
        del el.getparent()[0]
print(n)
"""
OURS = """
import sys
sys.path.insert(0, sys.argv[2])
from ccm.funding.iati import read_activities
n = flows = 0
for a in read_activities(sys.argv[1]):
    n += 1
    flows += len(a.flows)
print(n, flows)
"""


def run(code: str, *args: str) -> tuple[float, int, str]:
    """Run ``code`` in a fresh interpreter: (seconds, peak resident memory in MB, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024, done.stdout.strip()


def writes(activities: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.test_settings")
    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.core.management import call_command

    from ccm.funding import iati_import
    from ccm.funding.iati import read_activities
    from ccm.funding.models import FundingFlow
    from ccm.funding.rates import rate_table
    from ccm.states.models import State

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    path = db.parent / "all-15250.xml"
    with path.open("w") as out:
        out.write('<?xml version="1.0"?><iati-activities version="2.03">')
        for i in range(activities):
            out.write(
                f'<iati-activity default-currency="EUR"><iati-identifier>XM-BENCH-{i}</iati-identifier>'
                '<reporting-org ref="XM-DONOR"/><participating-org ref="XM-DONOR" role="1"/>'
                '<sector code="15250" percentage="100"/><recipient-country code="LB" percentage="60"/>'
                '<recipient-country code="LA" percentage="40"/>'
            )
            for t, kind in enumerate(("2", "3", "3", "12")):
                out.write(
                    f'<transaction><transaction-type code="{kind}"/><transaction-date iso-date="2021-0{1 + t}-15"/>'
                    f'<value value-date="2021-0{1 + t}-15">{1000 + i}</value></transaction>'
                )
            out.write("</iati-activity>")
        out.write("</iati-activities>")
    parsed = [a for a in read_activities(str(path)) if a.matched]
    report = iati_import.ImportReport()
    file_report = iati_import.FileReport(path=str(path))
    states = {s.iso2: s for s in State.objects.all()}
    table = rate_table()
    start = time.perf_counter()
    iati_import._write_file(parsed, states, table, report, file_report, None, False)
    seconds = time.perf_counter() - start
    count = FundingFlow.objects.count()
    print(
        f"DB writes (SQLite): {count:,} flows (with rate lookup and conversion) in {seconds:.2f} s = "
        f"{count / seconds:,.0f} flows/s (goal: at least 5,000 flows/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--write-activities", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each walk; the fastest counts.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "iati-big.xml"
        activities = build(path, args.megabytes)
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"File: {size_mb:.1f} MB, {activities:,} activities (real sample activities repeated)")
        bare = min((run(BARE, str(path)) for _ in range(args.repeat)), key=lambda r: r[0])
        ours = min((run(OURS, str(path), str(REPO)) for _ in range(args.repeat)), key=lambda r: r[0])
        (bare_s, bare_mb, bare_out), (ours_s, ours_mb, ours_out) = bare, ours
        assert int(bare_out) == activities == int(ours_out.split()[0]), (bare_out, ours_out)
        print(f"Bare iterparse walk:   {bare_s:6.2f} s  {size_mb / bare_s:6.1f} MB/s  peak {bare_mb} MB")
        print(
            f"Parse and normalise:   {ours_s:6.2f} s  {size_mb / ours_s:6.1f} MB/s  peak {ours_mb} MB  "
            f"{activities / ours_s:,.0f} activities/s, {ours_out.split()[1]} flows"
        )
        print(f"Ratio (our speed / bare speed): {bare_s / ours_s:.2f}  (goal: at least 0.50; peak under 250 MB)")
    writes(args.write_activities)


if __name__ == "__main__":
    main()
