from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ccm.core import catalogues


class Command(BaseCommand):
    help = (
        "Check the French and Spanish catalogues: every string translated, none fuzzy, the same placeholders, "
        "tags and entities as the source, and the treaty terms of ccm/locale/glossary.csv rendered as the "
        "Convention's own texts render them. Exits non-zero with one line per problem."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = [problem for language in catalogues.LANGUAGES for problem in catalogues.check_catalogue(language)]
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the catalogues.")
        terms = len(catalogues.glossary())
        self.stdout.write(f"Catalogues complete: {', '.join(catalogues.LANGUAGES)}; {terms} glossary terms checked.")
