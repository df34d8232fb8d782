from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core import tasks
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
        # Quiet seeding: the notifications the demo's steps cause run at once (not left queued for the
        # worker to print later) into memory, and are counted instead of printed as raw e-mails.
        # Quiet seeding: the notifications the demo's steps cause run at once (not left queued for the
        # worker to print later) into memory, and are counted instead of printed as raw e-mails.
        kept = getattr(mail, "outbox", None)  # a test's outbox is left as it was
        mail.outbox = []
        try:
            with tasks.run_inline(mail_connection=EmailBackend()):
                for step in demo_steps():
                    lines.extend(step())
            written = len(mail.outbox)
        finally:
            if kept is None:
                del mail.outbox
            else:
                mail.outbox = kept
        self.stdout.write("Demo data ready. DEMO ONLY — these passwords are public:")
        for line in lines:
            self.stdout.write(f"  {line}")
        if written:
            self.stdout.write(f"  {written} notification e-mail(s) the demo data caused were composed and not sent.")
