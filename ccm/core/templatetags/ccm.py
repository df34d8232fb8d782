"""Shared template helpers (``{% load ccm %}``): dates shown with their precision, numbers, query strings.

Core imports no domain app. Filters that need an app's models or code are written in that app and
added to this same library from the app's ``ready()`` (e.g. ``ccm/states/template_filters.py``), so
templates keep loading one library.
"""

from datetime import date

from django import template
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
    """Thousands separators for numbers; anything else unchanged."""
    from decimal import Decimal

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    return f"{value:,.2f}" if isinstance(value, Decimal) and value != value.to_integral() else f"{value:,.0f}"
