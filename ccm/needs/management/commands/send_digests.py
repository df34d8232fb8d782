from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.core.clock import today
from ccm.needs.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Send the weekly digest of the last complete week now (`ccm tick` does it every week: the periodic job "
        "needs.weekly_digest). Safe to run twice: nobody gets the same digest twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        sent, skipped = send_digests(today=options["today"] or today())
        self.stdout.write(f"Digests sent: {sent}; already sent before: {skipped}.")
