from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.states.reference_data import REFERENCE_DIR, ReferenceDataError, read_reference
from ccm.states.services import reference_load


class Command(BaseCommand):
    help = (
        "Load the reference data: every ISO 3166 country as a State, and the sourced CCM facts "
        "(treaty status, obligations, extension requests). Checks every file first; any error "
        "means nothing is written. Loading twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path", type=Path, default=REFERENCE_DIR, help="Directory holding the reference CSV files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_reference(options["path"])
        except ReferenceDataError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"The reference data has {len(exc.errors)} error(s); nothing was loaded.\n{lines}"
            ) from exc
        for conflict in data.conflicts:
            self.stdout.write(f"Sources differ: {conflict}.")
        result = reference_load(data=data)
        self.stdout.write(f"Reference data loaded. {result.summary()}.")
        if not result.changed:
            self.stdout.write("Nothing changed: the registry already held this data.")
