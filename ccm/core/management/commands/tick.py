from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.core import periodic


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs that are due (weekly digests, ...). Run it from cron every few minutes: "
        "running it twice, or late, enqueues nothing twice and misses nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", type=datetime.fromisoformat, help="Act as if it were this moment (ISO 8601 with a time zone)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        enqueued = periodic.tick(now=options["now"])
        for line in enqueued:
            self.stdout.write(f"Enqueued: {line}")
        self.stdout.write(f"{len(enqueued)} periodic job(s) enqueued.")
