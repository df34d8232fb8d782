from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.demo import demo_steps


class Command(BaseCommand):
    help = (
        "Create the demo data (demo accounts with published passwords). Idempotent. "
        "Refuses to run with DEBUG off unless --force is given: demo accounts must not reach production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like a production configuration: seed_demo creates accounts "
                "with published passwords and will not run here. Use --force only on a throwaway database."
            )
        lines: list[str] = []
        for step in demo_steps():
            lines.extend(step())
        self.stdout.write("Demo data ready. DEMO ONLY — these passwords are public:")
        for line in lines:
            self.stdout.write(f"  {line}")
