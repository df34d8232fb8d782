"""Benchmark: the IATI import's check-only run against a bare iterparse walk and against iatikit, on a
corpus of varied real files; and database writes of flows.

    .venv/bin/python bench/iati_import.py [--megabytes 100] [--write-activities 5000] [--repeat 3]

1. Builds a directory of activity files of about --megabytes in all, from the real published samples
   shipped with the package (ccm/funding/data/iati/*.xml). Each file holds a few hundred activities
   drawn from the samples, varied the way publishers' files vary: new identifiers, another default
   currency, dates shifted by whole years, amounts scaled, some reversals (a negative copy of a
   transaction) and zero values, IATI version 2.01, 2.02 or 2.03, indented or minified, with or without
   the exporter's extra attributes. The share of activities in sector 15250 stays that of the samples
   (a few percent).
2. Times, each in a fresh interpreter and over the same files in the same run (fastest of --repeat):
   - a bare lxml iterparse walk (each activity found and cleared, nothing read);
   - the import's check-only run (``import_iati(dry_run=True)``: parse, shares, stages, netting,
     skips, conversion to US dollars, totals per recipient × stage × currency; nothing written);
   - iatikit reading the same fields (identifier, reporting organisation, default currency, sectors,
     recipient countries and regions, participating organisations, each transaction's type, value,
     currency, dates, provider and receiver, sectors and country).
   Prints the corpus size (files, activities, MB), each speed, and the ratios to the bare walk.
3. Times the database write of flows on SQLite (bulk insert through the import service), for a
   generated file where every activity is in sector 15250.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "ccm" / "funding" / "data" / "iati").glob("*.xml"))
sys.path.insert(0, str(REPO))

CURRENCIES = ("EUR", "USD", "GBP", "SEK", "NOK", "CHF", "JPY", "CAD")
VERSIONS = ("2.01", "2.02", "2.03")
_DATE = re.compile(r'((?:iso-date|value-date)=")(\d{4})(-\d\d-\d\d")')
_VALUE = re.compile(r"(<value\b[^>]*>)\s*([0-9.]+)\s*(</value>)")
_TRANSACTION = re.compile(r"<transaction\b.*?</transaction>", re.S)
_EXTRA_ATTRS = re.compile(r'\s(?:dstore:[a-z]+|iati-activities:version|xmlns:dstore|xmlns:iati-activities)="[^"]*"')


def _activities(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        "<iati-activity " + part.split("</iati-activity>")[0] + "</iati-activity>"
        for part in text.split("<iati-activity ")[1:]
    ]


def _vary(block: str, rng: random.Random, serial: str) -> str:
    """One activity, varied as publishers' files vary (see the module's docstring)."""
    block = block.replace("</iati-identifier>", f"-{serial}</iati-identifier>", 1)
    block = re.sub(r'default-currency="[A-Z]{3}"', f'default-currency="{rng.choice(CURRENCIES)}"', block, count=1)
    shift = rng.randint(-3, 2)
    block = _DATE.sub(lambda m: f"{m[1]}{int(m[2]) + shift}{m[3]}", block)
    scale = rng.choice((1, 1, 2, 5, 10))

    def scaled(match: re.Match[str]) -> str:
        number = match[2]
        if rng.random() < 0.03:
            number = "0"  # a zero value, as some publishers report
        elif scale != 1:
            number = str(round(float(number) * scale, 2))
        return f"{match[1]}{number}{match[3]}"

    block = _VALUE.sub(scaled, block)
    if "15250" in block and rng.random() < 0.5:  # a reversal: a negative copy of one transaction
        transactions = _TRANSACTION.findall(block)
        if transactions:
            reversal = _VALUE.sub(lambda m: f"{m[1]}-{m[2]}{m[3]}", rng.choice(transactions), count=1)
            block = block.replace("</iati-activity>", reversal + "</iati-activity>")
    if rng.random() < 0.5:
        block = _EXTRA_ATTRS.sub("", block)
    return block


def build_corpus(folder: Path, megabytes: int, seed: int = 10) -> tuple[int, int, float]:
    """Write the varied files into ``folder``: (files, activities, MB)."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable corpus, not a secret
    pool = [block for sample in SAMPLES for block in _activities(sample)]
    target = megabytes * 1024 * 1024
    written = files = activities = 0
    while written < target:
        count = rng.randint(150, 600)
        minified = rng.random() < 0.3
        blocks = [_vary(rng.choice(pool), rng, f"f{files}a{n}") for n in range(count)]
        if minified:
            blocks = [re.sub(r">\s+<", "><", b) for b in blocks]
        text = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{rng.choice(VERSIONS)}" '
            f'generated-datetime="2024-0{rng.randint(1, 9)}-01T00:00:00">\n'
            + "\n".join(blocks)
            + "\n</iati-activities>\n"
        )
        path = folder / f"publisher-{files:03d}.xml"
        path.write_text(text, encoding="utf-8")
        written += path.stat().st_size
        files += 1
        activities += count
    return files, activities, written / 1024 / 1024


# Each walk times itself: CPU seconds of its own process (so other load on the machine does not skew
# the ratios) and wall-clock seconds.
TIMER = """
import os, sys, time
paths = sorted(os.path.join(sys.argv[1], name) for name in os.listdir(sys.argv[1]))
def took(start):
    return f"{time.process_time() - start[0]} {time.perf_counter() - start[1]}"
"""
BARE = (
    TIMER
    + """
from lxml import etree
start = time.process_time(), time.perf_counter()
n = 0
for path in paths:
    for _event, el in etree.iterparse(path, events=("end",), tag="iati-activity", resolve_entities=False,
                                      no_network=True, load_dtd=False):
        n += 1
        el.clear(keep_tail=False)
        while el.getprevious() is not None:
            del el.getparent()[0]
print(took(start), n)
"""
)
DRY_RUN = (
    TIMER
    + """
sys.path.insert(0, sys.argv[2])
import django
django.setup()
from ccm.funding.iati_import import import_iati
from ccm.funding.rates import ecb_table
ecb_table()  # the ECB history is read once per process, before any file: not part of the import
start = time.process_time(), time.perf_counter()
report = import_iati(paths=paths, actor=None, dry_run=True).as_dict()
seconds = took(start)
assert not report["counts"]["files_refused"], [f["error"] for f in report["files"] if f["error"]]
counts = report["counts"]
print(seconds, counts["activities_read"], counts["activities_matched"], counts["transactions_read"],
      counts["transactions_counted"], counts["transactions_skipped"], counts["reversals"],
      counts["flows_would_be_created"])
"""
)
IATIKIT = (
    TIMER
    + """
import iatikit
start = time.process_time(), time.perf_counter()
n = flows = 0
for path in paths:
    for activity in iatikit.Dataset(path).activities:
        n += 1
        tree = activity.etree
        fields = [activity.iati_identifier, tree.get("default-currency"), tree.xpath("reporting-org/@ref"),
                  [(s.get("code"), s.get("vocabulary"), s.get("percentage")) for s in tree.xpath("sector")],
                  [(c.get("code"), c.get("percentage")) for c in tree.xpath("recipient-country")],
                  [(r.get("code"), r.get("percentage")) for r in tree.xpath("recipient-region")],
                  [(p.get("ref"), p.get("role")) for p in tree.xpath("participating-org")]]
        for t in tree.xpath("transaction"):
            flows += 1
            fields.append((t.xpath("transaction-type/@code"), t.xpath("value/text()"), t.xpath("value/@currency"),
                           t.xpath("value/@value-date"), t.xpath("transaction-date/@iso-date"),
                           t.xpath("provider-org/@ref"), t.xpath("receiver-org/@ref"),
                           t.xpath("sector/@code"), t.xpath("recipient-country/@code")))
print(took(start), n, flows)
"""
)


def run(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[float, float, list[str]]:
    """Run ``code`` in a fresh interpreter: (CPU seconds and wall seconds it measured itself, the rest
    of its output)."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env or os.environ.copy()
    )
    cpu, wall, *rest = done.stdout.split()
    return float(cpu), float(wall), rest


def reference_db(folder: Path) -> dict[str, str]:
    """A migrated SQLite database with the reference data (States), for the check-only run."""
    env = os.environ.copy()
    env.update(DJANGO_SETTINGS_MODULE="ccm.test_settings", DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}")
    ccm = [sys.executable, "-m", "ccm"]
    subprocess.run([*ccm, "migrate", "-v0"], check=True, env=env, cwd=REPO)
    subprocess.run([*ccm, "load_reference"], check=True, env=env, cwd=REPO, capture_output=True)
    return env


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
    parser.add_argument("--megabytes", type=int, default=100, help="Size of the corpus, in all.")
    parser.add_argument("--write-activities", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each walk; the fastest counts.")
    parser.add_argument("--no-iatikit", action="store_true", help="Leave out the iatikit baseline.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        files, activities, size_mb = build_corpus(folder, args.megabytes)
        print(
            f"Corpus: {files} files, {activities:,} activities, {size_mb:.1f} MB "
            f"(varied from {len(SAMPLES)} real sample file(s): {', '.join(p.name for p in SAMPLES)})"
        )
        env = reference_db(Path(tmp))
        walks = {
            "Bare iterparse walk": (BARE, (str(folder),), None),
            "Import, check only": (DRY_RUN, (str(folder), str(REPO)), env),
        }
        if not args.no_iatikit:
            walks["iatikit, same fields"] = (IATIKIT, (str(folder),), None)
        best: dict[str, tuple[float, float, list[str]]] = {}
        for _ in range(args.repeat):  # interleaved, so a slow moment of the machine hits all alike
            for name, (code, arguments, walk_env) in walks.items():
                result = run(code, *arguments, env=walk_env)
                if name not in best or result[0] < best[name][0]:
                    best[name] = result
        bare_cpu, bare_wall, _rest = best["Bare iterparse walk"]
        print("Fastest of each (CPU seconds of the walk's own process; wall-clock beside it):")
        for name, (cpu, wall, rest) in best.items():
            assert int(rest[0]) == activities, (name, rest)
            print(
                f"{name:22} {cpu:6.2f} s CPU  {size_mb / cpu:6.1f} MB/s  {activities / cpu:9,.0f} activities/s  "
                f"ratio to bare {bare_cpu / cpu:.2f}   (wall {wall:6.2f} s, ratio {bare_wall / wall:.2f})"
            )
        dry = best["Import, check only"][2]
        matched, read, counted, skipped, reversals, flows = (int(x) for x in dry[1:])
        print(
            f"Check-only run: {matched:,} activities in the sector; {read:,} transactions read, {counted:,} counted, "
            f"{skipped:,} skipped with a reason; {reversals:,} reversals netted; {flows:,} flows would be created"
        )
        print("Goal: the check-only run at least 0.60 of the bare walk, and faster than iatikit.")
    writes(args.write_activities)


if __name__ == "__main__":
    main()
