"""Money helpers shared by every app: ISO 4217 currency codes, the one bound for amounts, and how
amounts are stored.

Money is ``Decimal`` with a currency code, never float. Conversions between currencies (dated rates)
live in ``ccm.funding.rates``.

Every amount is stored as whole minor units (cents) in a 64-bit integer column (:class:`MoneyField`),
so it round-trips exactly on SQLite (which keeps only about 15 significant digits of a decimal) and on
PostgreSQL; the rest of the code sees ``Decimal`` with two places. One bound, :data:`MAX_AMOUNT`,
applies wherever an amount enters (page forms, API, spreadsheet imports, IATI, conversion to US
dollars). Sums of stored amounts go through :func:`sum_parts` and :func:`from_parts`, which never
overflow a 64-bit integer in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from functools import partial
from typing import Any

import pycountry
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.expressions import Combinable
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

CURRENCIES: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.currencies)
"""Every ISO 4217 alphabetic code known to pycountry."""

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999999.99")
"""The largest amount accepted anywhere (10^15 − 0.01): about 9 × 10^12 Lebanese pounds is 100 million
US dollars, so large nominal currencies fit; in cents (10^17 − 1) it fits a signed 64-bit integer with
room for sums."""
MAX_AMOUNT_TEXT = "999,999,999,999,999.99"

MAX_RATE = Decimal("99999.9999999999")
"""The largest rate to US dollars accepted (US dollars for one unit of a currency). Rates keep ten
places, so a rate below 10^5 has at most 15 significant digits and round-trips exactly on SQLite."""
RATE_PLACES = Decimal("0.0000000001")

_WIDE = Context(prec=60)  # arithmetic on amounts and sums never runs out of digits


def is_currency(code: str) -> bool:
    return code in CURRENCIES


def currency_name(code: str) -> str:
    """The currency's English name from ISO 4217 ("" for an unknown code)."""
    currency = pycountry.currencies.get(alpha_3=code)
    return str(currency.name) if currency is not None else ""


# Which currencies have a rate source: the funding app (above core) registers the answer at start.
_rated_currencies: list[Callable[[], set[str]]] = []


def register_rated_currencies(provider: Callable[[], set[str]]) -> None:
    """Register the function that says which currencies have rates on file (once, from its app)."""
    if provider not in _rated_currencies:
        _rated_currencies.append(provider)


def rated_currencies() -> set[str]:
    """Currencies with a rate source (US dollars at least)."""
    rated = {"USD"}
    for provider in _rated_currencies:
        rated |= provider()
    return rated


def currency_choices(*, first: str = "", blank: str | None = None) -> list[Any]:
    """Choices for a currency list: ``first`` (the State's usual currency) at the top, then those with
    a rate source, then the others (which need a dated rate and its source to be counted)."""
    rated = rated_currencies() & CURRENCIES

    def option(code: str) -> tuple[str, str]:
        return code, f"{code} — {currency_name(code)}"

    choices: list[Any] = [("", blank)] if blank is not None else []
    if first in CURRENCIES:
        choices.append((_("The State's usual currency"), [option(first)]))
    choices.append((_("With exchange rates on file"), [option(c) for c in sorted(rated - {first})]))
    choices.append(
        (
            _("No exchange rate on file (give a dated rate and its source)"),
            [option(c) for c in sorted(CURRENCIES - rated - {first})],
        )
    )
    return choices


class CurrencyChoiceField(forms.ChoiceField):
    """A currency chosen from the list of :func:`currency_choices` (never free text); the list is made
    when the form is shown, so it follows the rates on file."""

    def __init__(self, *, first: str = "", required: bool = True, **kwargs: Any) -> None:
        blank = None if required else "—"
        super().__init__(choices=partial(currency_choices, first=first, blank=blank), required=required, **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()

    def valid_value(self, value: Any) -> bool:
        return isinstance(value, str) and value in CURRENCIES


def bound_problem(value: Any) -> str:
    """Why ``value`` cannot be stored as an amount ("" when it can): a number within the bound, in cents."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return _("An amount must be a number.")
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        return _max_message()
    if number != number.quantize(CENT, context=_WIDE):
        return _("An amount has at most two decimal places.")
    return ""


def to_cents(value: Decimal) -> int:
    """Whole cents of a Decimal amount within the bound (ValueError otherwise)."""
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        raise ValueError(_("An amount can be at most %(max)s.") % {"max": MAX_AMOUNT_TEXT})
    cents = value.scaleb(2, context=_WIDE)
    if cents != cents.to_integral_value(context=_WIDE):
        raise ValueError(_("An amount has at most two decimal places."))
    return int(cents)


def from_cents(cents: int | Decimal) -> Decimal:
    """A Decimal amount with two places from whole cents (never raises on an integer)."""
    return Decimal(int(cents)).scaleb(-2, context=_WIDE).quantize(CENT, context=_WIDE)


def convert_amount(amount: Decimal, rate: Decimal) -> Decimal | None:
    """``amount × rate`` to the cent, or None when the result is above the bound."""
    result = (amount * rate).quantize(CENT, context=_WIDE)
    return None if result > MAX_AMOUNT else result


# Storage ------------------------------------------------------------------------------------------


class MoneyField(models.BigIntegerField):
    """An amount stored as whole cents in a 64-bit integer, seen by Python as ``Decimal`` (two places).

    Values that are not whole cents or exceed :data:`MAX_AMOUNT` are refused when written (ValueError);
    every stored integer reads back as a Decimal, so reads never raise.
    """

    _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]
    _pyi_lookup_exact_type: Decimal | int | str  # type: ignore[assignment]

    description = gettext_lazy("Amount (stored in cents)")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        # an int on both databases; a Decimal for a sum on PostgreSQL (bigint sum → numeric)
        return from_cents(value)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("'%(v)s' is not an amount.") % {"v": value}, code="invalid") from None

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, float):
            value = Decimal(repr(value))
        elif not isinstance(value, Decimal):
            value = self.to_python(value)
        return to_cents(value)

    def value_to_string(self, obj: Any) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    @cached_property
    def validators(self) -> list[Any]:
        return [
            *self.default_validators,
            *getattr(self, "_validators", []),
            validators.MaxValueValidator(MAX_AMOUNT, _max_message()),
        ]

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("min_value", None)
        return models.Field.formfield(self, form_class=AmountFormField, **kwargs)


def _max_message() -> str:
    return _("An amount can be at most %(max)s.") % {"max": MAX_AMOUNT_TEXT}


# Sums that do not overflow -------------------------------------------------------------------------

_SPLIT = 10**9  # each stored amount < 10^17 cents: high part < 10^8, low part < 10^9


def sum_parts(field: str, *, name: str, filter: Q | None = None) -> dict[str, Sum]:  # noqa: A002
    """Two aggregates (``<name>_high``, ``<name>_low``) whose :func:`from_parts` is the exact sum of a
    money ``field``: a plain ``Sum`` overflows SQLite's 64-bit integers with a few amounts at the bound."""
    high = ExpressionWrapper(F(field) / Value(_SPLIT), output_field=BigIntegerField())
    low = ExpressionWrapper(F(field) % Value(_SPLIT), output_field=BigIntegerField())
    return {
        f"{name}_high": Sum(high, filter=filter, output_field=BigIntegerField()),
        f"{name}_low": Sum(low, filter=filter, output_field=BigIntegerField()),
    }


def from_parts(high: int | Decimal | None, low: int | Decimal | None) -> Decimal | None:
    """The exact sum from the two aggregates of :func:`sum_parts` (None when there was nothing to sum)."""
    if high is None and low is None:
        return None
    return from_cents(int(high or 0) * _SPLIT + int(low or 0))


# Input fields --------------------------------------------------------------------------------------


class AmountFormField(forms.DecimalField):
    """A page form's amount: at most two places, not negative, at most :data:`MAX_AMOUNT`."""

    def __init__(self, *, min_value: Decimal | int | None = 0, **kwargs: Any) -> None:
        kwargs.setdefault("decimal_places", 2)
        kwargs.pop("max_digits", None)
        kwargs.pop("max_value", None)
        super().__init__(max_value=MAX_AMOUNT, min_value=min_value, max_digits=None, **kwargs)
        self.error_messages["max_value"] = _max_message()
        for validator in self.validators:
            if isinstance(validator, validators.MaxValueValidator):
                validator.message = _max_message()

    def prepare_value(self, value: Any) -> Any:
        """A stored amount in the box as a person writes it: 500000, not 500000.00 (cents only if any)."""
        if isinstance(value, Decimal) and value.is_finite():
            return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
        return super().prepare_value(value)


class AmountSerializerField(serializers.DecimalField):
    """An API amount: two places; on input at most :data:`MAX_AMOUNT`; on output any stored value or sum."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", None)
        if not kwargs.get("read_only"):
            kwargs.setdefault("max_value", MAX_AMOUNT)
            kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        self.error_messages["max_value"] = _max_message()

    def to_internal_value(self, data: Any) -> Decimal:
        # refuse a huge number before DRF quantizes it (which raises on very large exponents)
        try:
            value = Decimal(str(data).strip()[:100])
        except (InvalidOperation, ValueError):
            value = None
        if value is not None and value.is_finite() and abs(value) > MAX_AMOUNT:
            raise serializers.ValidationError(_max_message(), code="max_value")
        return super().to_internal_value(data)


# Migrations: decimal columns to cents ----------------------------------------------------------------


def _legacy_cents(value: Any) -> int:
    """Whole cents of a value read raw from an old decimal column (a float on SQLite, read as Django did)."""
    exact = Context(prec=15).create_decimal_from_float(value) if isinstance(value, float) else Decimal(str(value))
    return int(exact.quantize(CENT, context=_WIDE).scaleb(2, context=_WIDE))


def _rewrite(app_label: str, model_name: str, field_name: str, convert: Any) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field(field_name).column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608
            rows = cursor.fetchall()
            for key, value in rows:
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [convert(value), key])  # noqa: S608
            if connection.vendor == "postgresql":
                # run the deferred foreign-key checks now: PostgreSQL refuses to alter a table with pending
                # trigger events, and the next operation changes this column's type
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    return run


def cents_forward(app_label: str, model_name: str, field_name: str) -> Any:
    """A RunPython function turning a decimal column's amounts into whole cents, exactly."""
    return _rewrite(app_label, model_name, field_name, _legacy_cents)


def cents_backward(app_label: str, model_name: str, field_name: str) -> Any:
    """A RunPython function turning whole cents back into decimal amounts."""
    return _rewrite(app_label, model_name, field_name, lambda value: from_cents(value))


def to_cents_operations(
    app_label: str,
    model_name: str,
    field_name: str,
    *,
    old: models.Field,
    new: models.Field,
) -> list[Any]:
    """Operations changing a ``DecimalField`` of amounts (``old``) to a :class:`MoneyField` (``new``),
    converting every stored value exactly, and back: widen the decimal column so cents fit, rewrite the
    values as cents, then change the column to a 64-bit integer."""
    from django.db import migrations

    _name, _path, args, kwargs = old.deconstruct()
    wide: models.DecimalField[Any, Any] = models.DecimalField(
        *args, **{**kwargs, "max_digits": 20, "decimal_places": 2}
    )
    return [
        migrations.AlterField(model_name=model_name, name=field_name, field=wide),
        migrations.RunPython(
            cents_forward(app_label, model_name, field_name), cents_backward(app_label, model_name, field_name)
        ),
        migrations.AlterField(model_name=model_name, name=field_name, field=new),
    ]
