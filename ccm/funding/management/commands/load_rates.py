from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.funding.rates import load_rates


class Command(BaseCommand):
    help = "Load exchange rates to USD from CSV (currency,date,to_usd[,kind][,source]); they override the ECB default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = load_rates(path=options["path"], actor=None)
        except (ValueError, OSError) as exc:
            raise CommandError(f"Nothing was loaded.\n{exc}") from exc
        self.stdout.write(f"{count} rates loaded.")
