from typing import Any

from django.core.management.base import BaseCommand

from ccm.core import catalogues


class Command(BaseCommand):
    help = (
        "Compile the French and Spanish catalogues (ccm/locale/*/LC_MESSAGES/django.po) into the .mo files "
        "Django reads. Pure Python (Babel): no GNU gettext needed. Run it after every upgrade."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for language in catalogues.LANGUAGES:
            target = catalogues.compile_catalogue(language)
            self.stdout.write(f"Compiled {target.relative_to(catalogues.LOCALE_DIR.parent.parent)}")
