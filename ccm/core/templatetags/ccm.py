"""Shared template helpers (``{% load ccm %}``): dates shown with their precision, numbers, query strings.

Core imports no domain app. Filters that need an app's models or code are written in that app and
added to this same library from the app's ``ready()`` (e.g. ``ccm/states/template_filters.py``), so
templates keep loading one library.
"""

import decimal
import functools
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from django import template
from django.utils import translation
from django.utils.formats import date_format

register = template.Library()

_FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.filter
def fuzzy_date(value: date | None, precision: str = "day") -> str:
    """A date written only as precisely as it is known: "1 May 2021", "August 2023" or "2023"."""
    if value is None:
        return ""
    return date_format(value, _FORMATS.get(precision or "day", "j F Y"))


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: str) -> str:
    """The current query string with some parameters replaced (for sort links and pagination)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def ccm_number(value: object) -> str:
    """A number with thousands separators in the active language's style (Babel: "1,234.50" in English,
    "1 234,50" in French); whole numbers without decimals, others with two. Anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return str(value)
    fraction = isinstance(value, decimal.Decimal) and value != value.to_integral()
    number = value if isinstance(value, decimal.Decimal) else decimal.Decimal(value)  # exact, floats too
    if not number.is_finite():
        return f"{value:,.2f}" if fraction else f"{value:,.0f}"
    with decimal.localcontext() as context:  # room for every digit: Babel rounds in the current context
        context.prec = max(28, number.adjusted() + 8)
        context.rounding = decimal.ROUND_HALF_EVEN
        return format_decimal(number, format="#,##0.00" if fraction else "#,##0", locale=_number_locale())


def _number_locale() -> Locale:
    """The Babel locale of the active language (English when Babel does not know it)."""
    name = translation.to_locale(translation.get_language() or "en")
    try:
        return _babel_locale(name)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=16)
def _babel_locale(name: str) -> Locale:
    return Locale.parse(name)
