from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.library.search_index import rebuild
from ccm.library.search_models import SearchKind


class Command(BaseCommand):
    help = (
        "Build the site-search index again from the objects (all kinds, or those given). Safe to run at any "
        "time: each kind is replaced in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*", help=f"Kinds to rebuild (default all): {', '.join(SearchKind.values)}")

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = sorted(set(options["kinds"]) - set(SearchKind.values))
        if unknown:
            raise CommandError(f"Unknown kinds: {', '.join(unknown)}. Known: {', '.join(SearchKind.values)}.")
        counts = rebuild(options["kinds"] or None)
        for kind, count in counts.items():
            self.stdout.write(f"{SearchKind(kind).label}: {count}")
        self.stdout.write(f"Search index rebuilt: {sum(counts.values())} entries.")
