from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.funding.rates import load_rates


class Command(BaseCommand):
    help = (
        "Load exchange rates from a path or an http(s) or file URL: the ECB's reference-rate history "
        "(eurofxref-hist, zipped or plain CSV: Date, then one column per currency, rates per 1 EUR) or a "
        "CSV of currency,date,to_usd[,kind][,source] (a central bank's or the IMF's series). The whole file "
        "is checked first; nothing is loaded when a cell is wrong. Run it daily to keep rates current; flows "
        "converted with a provisional rate are converted again by the next `ccm tick`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", help="A file path, or an http(s):// or file:// URL")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_rates(path=options["location"], actor=None)
        except (ValueError, OSError) as exc:
            raise CommandError(f"Nothing was loaded.\n{exc}") from exc
        self.stdout.write(
            f"{report.name}: {report.read} rates read ({report.layout} layout), {report.stored} stored, "
            f"{report.unchanged} already on file; latest day {report.last or '-'}."
        )
