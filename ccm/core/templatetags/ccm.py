"""Shared template helpers (``{% load ccm %}``): dates shown with their precision, numbers, query strings.

Core imports no domain app. Filters that need an app's models or code are written in that app and
added to this same library from the app's ``ready()`` (e.g. ``ccm/states/template_filters.py``), so
templates keep loading one library.
"""

import decimal
import functools
import html
from datetime import date, datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel.numbers import format_decimal
from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.defaultfilters import date as django_date_filter
from django.utils import timezone, translation
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe

register = template.Library()

_FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.filter
def fuzzy_date(value: date | None, precision: str = "day") -> str:
    """A date written only as precisely as it is known: "1 May 2021", "August 2023" or "2023"."""
    if value is None:
        return ""
    if precision in ("", None, "day"):
        return date_filter(value)  # the one date style of the platform
    return date_format(value, _FORMATS.get(precision, "j F Y"))


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
def audit_change(entry: Any) -> str:
    """An audit entry's change, one ``<div>`` per field: "**field**: old → new", or "old → —" for a field
    that went away; an empty value shows as "—". (Built here rather than in the template: the audit page
    shows fifty entries of many fields each.)"""

    def both(value: object) -> str:
        return html.escape(str(localize(value))) if value else "—"  # as {{ value|default:"—" }} shows it

    new, old = entry.new, entry.old
    if new:
        lines = (
            f"<div><strong>{html.escape(k)}</strong>: {both(old[k])} → {both(v)}</div>"
            if k in old
            else f"<div><strong>{html.escape(k)}</strong>: {both(v)}</div>"
            for k, v in new.items()
        )
    else:
        lines = (f"<div><strong>{html.escape(k)}</strong>: {both(v)} → —</div>" for k, v in old.items())
    return mark_safe("".join(lines))  # noqa: S308 - every key and value escaped above


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


# --- One set of formatting filters --------------------------------------------------------------------
#
# Every figure shown to a person goes through one of these, so that the same kind of value is written the
# same way on every page, in the style of the active language (Babel; English, French and Spanish ready):
#
#   number    a count or measure: "1,234" (``number:1`` for one decimal: "3.5").
#   money     "4,200,000 USD" (fr "4 200 000 USD"): the ISO code after the amount, never a symbol (a "$"
#             is ambiguous between donors). Amounts are whole currency units where they are whole (plans,
#             needs, pledges and grants are budgeted in whole units), so there is no ".00" noise; an
#             amount with cents keeps its two decimals ("1,234.56 EUR"). Exact values are in the exports.
#   area      square metres, as the Convention's reports count them: "50,000 m²"; from one square
#             kilometre on, the km² follow in brackets: "12,500,000 m² (12.5 km²)". A table column stays
#             in one unit.
#   percent   a number already in percent: 42.5 → "42.5%" (fr "42,5 %").
#   share     a fraction: 0.42 → "42%"; 1 → "100%".
#   days      a count of days: 20.0 → "20 days", 1 → "1 day", 20.5 → "20.5 days".
#   date      "1 May 2026" (fr "1 mai 2026", es "1 de mayo de 2026"); with a Django format argument
#             (``|date:"c"``, ``|date:'Y-m-d'``) it is Django's own filter, for machine-readable values.
#   datetime  "1 May 2026, 14:05 UTC".
#
# Empty values (None, "") give "" so that templates can add ``|default:"—"``.


def _decimal(value: object) -> decimal.Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


_LARGEST_DIGITS = 30


def _plain(number: decimal.Decimal, max_fraction: int = 2) -> str:
    """A number in the active language's style, with at most ``max_fraction`` decimals and none when whole."""
    if number.adjusted() > _LARGEST_DIGITS:  # beyond any real figure: no million-digit string on a page
        return f"{number:.3E}"
    quantum = decimal.Decimal(1).scaleb(-max_fraction)
    with decimal.localcontext() as context:
        context.prec = max(28, number.adjusted() + max_fraction + 8)
        rounded = number.quantize(quantum, rounding=decimal.ROUND_HALF_EVEN)
        pattern = "#,##0" if rounded == rounded.to_integral() else "#,##0." + "#" * max_fraction
        return format_decimal(rounded, format=pattern, locale=_number_locale())


@register.filter
def number(value: object, max_fraction: int = 0) -> str:
    """A count or measure with thousands separators, rounded to ``max_fraction`` decimals (none by default):
    1234.4 → "1,234"; ``number:1`` 3.46 → "3.5"."""
    figure = _decimal(value)
    return "" if figure is None else _plain(figure, int(max_fraction))


@register.filter
def rate(value: object, significant: int = 6) -> str:
    """An exchange rate to ``significant`` significant digits, however small: 0.0000111732 (a pound of
    Lebanon in US dollars) stays readable instead of rounding to 0; 1.08230 → "1.0823"."""
    figure = _decimal(value)
    if figure is None:
        return ""
    if not figure:
        return _plain(figure, 0)
    return _plain(figure, max(0, int(significant) - 1 - figure.adjusted()))


@register.filter
def money(value: object, currency: object = "") -> str:
    """An amount and its currency: "4,200,000 USD"; cents only when there are any ("1,234.56 EUR")."""
    number = _decimal(value)
    if number is None:
        return ""
    fraction = number != number.to_integral()
    text = _plain(number, 2 if fraction else 0)
    if fraction and len(text.rsplit(_decimal_symbol(), 1)[-1]) == 1:
        text += "0"  # 1,234.5 → 1,234.50: money keeps both decimals when it has cents
    code = str(currency or "").strip().upper()
    return f"{text}\N{NO-BREAK SPACE}{code}" if code else text


def _decimal_symbol() -> str:
    return str(_number_locale().number_symbols.get("latn", _number_locale().number_symbols).get("decimal", "."))


@register.filter
def area(value: object, arg: str = "") -> str:
    """An area given in m²: "50,000 m²", and from 1 km² on "12,500,000 m² (12.5 km²)" (``area:"m2"``: m² only)."""
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{_plain(number, 0)}\N{NO-BREAK SPACE}m²"
    if arg != "m2" and abs(number) >= 1_000_000:
        text += f" ({_plain(number / 1_000_000, 2)}\N{NO-BREAK SPACE}km²)"
    return text


def _percent_text(number: decimal.Decimal, max_fraction: int) -> str:
    """Babel's percent pattern of the active language ("42%", "42 %") around a number already in percent."""
    locale = _number_locale()
    pattern = locale.percent_formats.get(None)
    prefix, suffix = "", "%"
    if pattern is not None:
        prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    symbol = str(locale.number_symbols.get("latn", locale.number_symbols).get("percentSign", "%"))
    return (prefix + _plain(number, max_fraction) + suffix).replace("%", symbol)


@register.filter
def percent(value: object, max_fraction: int = 1) -> str:
    """A number already in percent: 42.5 → "42.5%", 40 → "40%"."""
    number = _decimal(value)
    return "" if number is None else _percent_text(number, int(max_fraction))


@register.filter
def share(value: object, max_fraction: int = 0) -> str:
    """A fraction as a percentage: 0.42 → "42%", 1 → "100%"."""
    number = _decimal(value)
    return "" if number is None else _percent_text(number * 100, int(max_fraction))


@register.filter
def days(value: object) -> str:
    """A number of days: "20 days", "1 day", "20.5 days" (never "20.0")."""
    number = _decimal(value)
    if number is None:
        return ""
    text = _plain(number, 1)
    one = abs(number - 1) < decimal.Decimal("0.05")
    return translation.ngettext("%(n)s day", "%(n)s days", 1 if one else 2) % {"n": text}


def _date_locale() -> tuple[Locale, str]:
    locale = _number_locale()
    # English is written the British way ("1 May 2026"), other languages in their own long style
    return locale, ("d MMMM y" if locale.language == "en" else "long")


@register.filter(name="date", expects_localtime=True, is_safe=False)
def date_filter(value: date | datetime | None, arg: str | None = None) -> str:
    """One date style everywhere: "1 May 2026". With a Django format argument, Django's own filter."""
    if value in (None, ""):
        return ""
    if arg:
        return django_date_filter(value, arg)
    if not isinstance(value, date):
        return ""
    locale, pattern = _date_locale()
    day = value.date() if isinstance(value, datetime) else value
    return babel_dates.format_date(day, pattern, locale=locale)


@register.filter(name="datetime", expects_localtime=True)
def datetime_filter(value: datetime | None) -> str:
    """A moment: "1 May 2026, 14:05 UTC" (in the current time zone)."""
    if not isinstance(value, datetime):
        return date_filter(value)
    zone = value.tzname() or ""
    return f"{date_filter(value)}, {value:%H:%M}" + (f" {zone}" if zone else "")


class SharedFragmentNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: FilterExpression,
        topics: FilterExpression,
        vary: list[FilterExpression],
    ):
        self.nodelist, self.name, self.topics, self.vary = nodelist, name, topics, vary

    def render(self, context: template.Context) -> str:
        from ccm.core import cache as aggregate_cache
        from ccm.core.policies import is_signed_in, reader_key

        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not (is_signed_in(user) or getattr(user, "is_anonymous", False)):
            return self.nodelist.render(context)
        # shared by readers not signed in, or by coordinators; a member's page part is kept for that one
        # person (their memberships and roles, which decide the actions it offers, are part of the key): a
        # reload or a return to the page reads it back
        reader = reader_key(user)
        parts = (
            *reader,
            timezone.localdate(),  # statuses and "days since" change with the day
            request.get_full_path() if request is not None else "",
            *(str(v.resolve(context)) for v in self.vary),
        )
        topics = [t for t in str(self.topics.resolve(context)).split(",") if t]
        return aggregate_cache.cached(
            f"fragment:{self.name.resolve(context)}",
            topics=topics,
            parts=parts,
            build=lambda: self.nodelist.render(context),
        )


@register.tag("shared_fragment")
def shared_fragment(parser: Parser, token: Token) -> SharedFragmentNode:
    """``{% shared_fragment "name" "topic,topic" [vary ...] %}…{% endshared_fragment %}``: the part of a page
    that is the same for every reader of a shared audience (``ccm.core.policies.shared_audience``: readers
    not signed in, or coordinators), kept in the shared cache until a write to one of its topics; the
    address with its query string, the reader's organisations, the language and any ``vary`` values are part of
    the key. For a member of organisations it is kept for that one person (their id, memberships and roles in
    the key), never shared with another. Only around content computed from what the reader sees, never around
    a form (its CSRF token is the reader's own)."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("shared_fragment takes a name and its topics")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(b) for b in bits[3:]],
    )
