"""The platform's idea of "today" (UTC), in one place so tests can move it."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.now().date()
