import io
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from ccm.core.cache import bump_all
from ccm.core.clock import today
from ccm.core.scale import SCALE_PREFIX, ScaleContext, scale_steps


class Command(BaseCommand):
    help = (
        "Build the scale data set (every State in the registry, 300 organisations, 2,000 users, 20 years of "
        "progress, 5,000 needs, 50,000 responses, 200,000 funding flows, audit entries, victim assistance figures, "
        "Article 7 records, 150 consultations, 400 meetings, 60 coalitions, 500 practices, 300 offers) on an empty "
        "database, reproducibly from --seed. For measuring speed only: refuses to run with DEBUG off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=float, default=1.0, help="Multiply every count (default 1).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "DEBUG is off, so this looks like a production configuration: seed_scale fills the database with "
                "made-up data and accounts with a published password, and will not run here."
            )
        factor = options["factor"]
        if not 0 < factor <= 20:
            raise CommandError("--factor must be above 0 and at most 20.")
        if get_user_model().objects.filter(email__startswith=SCALE_PREFIX).exists():
            raise CommandError("This database already holds the scale data set; build it on an empty database.")
        call_command("load_reference", stdout=io.StringIO())
        context = ScaleContext(factor=factor, seed=options["seed"], today=today())
        for step in scale_steps():
            started = time.perf_counter()
            with transaction.atomic():
                lines = step(context)
            elapsed = time.perf_counter() - started
            for line in lines:
                self.stdout.write(f"  {line}")
            self.stdout.write(f"  ({step.__module__}: {elapsed:.1f} s)")
        bump_all()  # the rows went in without the services: every cached aggregate is computed afresh
        with connection.cursor() as cursor:
            # the planner's statistics, as after any bulk load (autovacuum would get there later)
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Scale data set ready (factor {factor}, seed {options['seed']})."))
