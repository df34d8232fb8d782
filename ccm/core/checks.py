"""System checks with stable ids for configurations that would be unsafe in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def check_email_backend(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Invitation and password-reset links are secrets: printing them to the console in production
    would hand accounts to whoever reads the logs."""
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend") and not settings.DEBUG:
        return [
            Error(
                "E-mail would be printed to the console, with invitation and password-reset links in it.",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to an SMTP server.",
                id="ccm.E001",
            )
        ]
    return []


@register()
def check_catalogues_compiled(app_configs: Any, **kwargs: Any) -> list[CheckWarning]:
    """Without compiled catalogues every page is in English whatever language is chosen."""
    from ccm.core import catalogues

    stale = [language for language in catalogues.LANGUAGES if catalogues.stale(language)]
    if stale:
        return [
            CheckWarning(
                f"The {', '.join(stale)} catalogue(s) are not compiled or older than their .po file: pages in "
                "those languages would show untranslated text.",
                hint="Run `ccm compile_catalogues`.",
                id="ccm.W002",
            )
        ]
    return []
