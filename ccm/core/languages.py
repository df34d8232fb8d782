"""Which language a person reads: pages, e-mail and documents.

A page is in the language the person chose (the switch in the header: a cookie, and for a signed-in person
their saved preference, ``User.language``), else the one the browser asks for (``Accept-Language``) on a
first visit; URLs stay the same in every language. E-mail is composed in each recipient's own language
(:func:`speaking`), whatever language the sender or the background job was in. A document is made in the
language of the request that asked for it; a background job runs in the language of whoever enqueued it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


def known(code: str | None) -> bool:
    return bool(code) and code in {language for language, _name in settings.LANGUAGES}


def language_of(person: Any) -> str:
    """The language to write to ``person`` (a user, an invitation, or a language code) in: their saved
    preference, else the platform's default."""
    code = person if isinstance(person, str) else getattr(person, "language", "")
    return code if known(code) else settings.LANGUAGE_CODE


def speaking(person: Any) -> translation.override:
    """``with speaking(user): subject = _("...")`` — compose in ``person``'s language."""
    return translation.override(language_of(person))


def set_language_cookie(response: Any, code: str) -> None:
    """Remember ``code`` in the browser (Django's language cookie, read by ``LocaleMiddleware``); an empty
    code forgets it, so the browser's own ``Accept-Language`` decides again."""
    if not known(code):
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
