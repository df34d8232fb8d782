import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.funding.iati import SECTOR
from ccm.funding.iati_import import import_iati


class Command(BaseCommand):
    help = (
        "Import IATI activity files (2.01-2.03; 1.0x). Counts the share of sector 15250 (or --sector) of each "
        "transaction as funding flows. Each file is checked whole: a bad file is reported and the others imported. "
        "Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--sector", default=SECTOR, help="DAC 5-digit sector code (default 15250).")
        parser.add_argument("--dry-run", action="store_true", help="Read and report, write nothing.")
        parser.add_argument("--report", type=Path, help="Write the JSON report to this file.")
        parser.add_argument(
            "--validate",
            type=Path,
            metavar="XSD",
            help="Also validate each file against this IATI activities schema (e.g. iati-activities-schema.xsd).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = import_iati(
            paths=[str(p) for p in options["paths"]],
            actor=None,
            sector=options["sector"],
            dry_run=options["dry_run"],
            schema=str(options["validate"] or ""),
        ).as_dict()
        if options["report"]:
            options["report"].write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        counts = report["counts"]
        if options["dry_run"]:
            flows = (
                f"flows that would be created {counts['flows_would_be_created']}, would be updated "
                f"{counts['flows_would_be_updated']}, unchanged {counts['flows_unchanged']}"
            )
        else:
            flows = (
                f"flows created {counts['flows_created']}, updated {counts['flows_updated']}, unchanged "
                f"{counts['flows_unchanged']}"
            )
        self.stdout.write(
            f"{counts['files']} file(s), {counts['activities_read']} activities read, {counts['activities_matched']} "
            f"matched; {counts['transactions_read']} transactions read, {counts['transactions_counted']} counted, "
            f"{counts['transactions_skipped']} not counted, {counts['reversals']} reversals netted; "
            f"{flows}; {len(report['skips'])} skips listed, {len(report['warnings'])} warnings, "
            f"{len(report['rate_problems'])} rate problems."
            + (" (dry run: nothing written)" if options["dry_run"] else "")
        )
        refused = [f for f in report["files"] if f["error"]]
        for file in refused:
            self.stderr.write(f"REFUSED {file['error']}")
        if refused and len(refused) == len(report["files"]):
            raise CommandError("No file could be imported.")
