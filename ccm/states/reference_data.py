"""The project's reference data on States (``ccm/states/reference/*.csv``), read and checked whole.

``read_reference(directory)`` parses every file and cross-checks them (unknown States, unknown
sources, dates that contradict the treaty rules, duplicated rows) without touching the database.
Any error, with its file, row and column, means nothing is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from ccm import treaty
from ccm.core.tabular import (
    CellError,
    Column,
    Table,
    choice,
    parse_bool,
    parse_date,
    parse_positive_int,
    read_csv,
)
from ccm.states.models import Confidence, DatePrecision, Decision, Instrument, ObligationKind, Region, TreatyStatus

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

ISO3_CODES = frozenset(country.alpha_3 for country in pycountry.countries)


def _iso3(value: str) -> str:
    if value not in ISO3_CODES:
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-3 code")
    return value


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an http(s) link")
    return value


_confidence = choice(*Confidence.values)

COUNTRY_COLUMNS = [
    Column("iso3", _iso3, required=True),
    Column("name"),
    Column("region", choice(*Region.values), required=True),
    Column("subregion", required=True),
]
SOURCE_COLUMNS = [
    Column("key", required=True),
    Column("citation", required=True),
    Column("url", _url),
    Column("as_of", parse_date),
    Column("note"),
]
STATE_COLUMNS = [
    Column("iso3", _iso3, required=True),
    Column("ccm_status", choice(*[v for v in TreatyStatus.values if v]), required=True),
    Column("signature_date", parse_date),
    Column("deposit_date", parse_date),
    Column("instrument", choice(*[v for v in Instrument.values if v])),
    Column("entry_into_force", parse_date),
    Column("withdrawal_effective", parse_date),
    Column("source", required=True),
    Column("confidence", _confidence, required=True),
    Column("note"),
]
OBLIGATION_COLUMNS = [
    Column("iso3", _iso3, required=True),
    Column("kind", choice(*ObligationKind.values), required=True),
    Column("original_deadline", parse_date),
    Column("hostilities_ended", parse_date),
    Column("source", required=True),
    Column("confidence", _confidence, required=True),
    Column("completed", parse_bool, required=True),
    Column("completed_on", parse_date),
    Column("completed_on_precision", choice(*DatePrecision.values)),
    Column("completion_declaration"),
    Column("completion_source"),
    Column("completion_confidence", _confidence),
    Column("note"),
]
EXTENSION_COLUMNS = [
    Column("iso3", _iso3, required=True),
    Column("kind", choice(*ObligationKind.values), required=True),
    Column("sequence", parse_positive_int, required=True),
    Column("is_interim", parse_bool, required=True),
    Column("submitted_on", parse_date),
    Column("meeting"),
    Column("meeting_on", parse_date),
    Column("requested_until", parse_date),
    Column("decision", choice(*Decision.values), required=True),
    Column("decided_on", parse_date),
    Column("granted_until", parse_date),
    Column("exceptional_circumstances", parse_bool, required=True),
    Column("benchmarks"),
    Column("source", required=True),
    Column("confidence", _confidence, required=True),
    Column("note"),
]


class ReferenceDataError(Exception):
    def __init__(self, errors: list[CellError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ReferenceData:
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    obligations: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    extensions: dict[tuple[str, str, int], dict[str, Any]] = field(default_factory=dict)


def _rows(table: Table) -> Iterable[tuple[int, dict[str, Any]]]:
    return zip(table.line_numbers, table.rows, strict=True)


def read_reference(directory: Path = REFERENCE_DIR) -> ReferenceData:
    """Parse and cross-check the reference files in ``directory``; raise ReferenceDataError on any error."""
    files = {
        "countries": COUNTRY_COLUMNS,
        "sources": SOURCE_COLUMNS,
        "states": STATE_COLUMNS,
        "obligations": OBLIGATION_COLUMNS,
        "extensions": EXTENSION_COLUMNS,
    }
    missing = [
        CellError(f"{name}.csv", 0, "", "the file is missing")
        for name in files
        if not (directory / f"{name}.csv").exists()
    ]
    if missing:
        raise ReferenceDataError(missing)
    tables = {name: read_csv(directory / f"{name}.csv", columns) for name, columns in files.items()}
    # Cell errors are reported together with the cross-checks of the rows that did parse.
    errors: list[CellError] = [e for t in tables.values() for e in t.errors]

    data = ReferenceData()
    # Keys of rows that already have an error: rows referring to them are not reported again.
    skip_sources = {r.get("key") for r in tables["sources"].partial_rows} | (
        {ANY} if tables["sources"].broken else set()
    )
    skip_states = {r.get("iso3") for r in tables["states"].partial_rows} | ({ANY} if tables["states"].broken else set())
    skip_obligations = {(r.get("iso3"), r.get("kind")) for r in tables["obligations"].partial_rows} | (
        {ANY} if tables["obligations"].broken else set()
    )
    checker = _Checker(errors, skip_sources)
    for line, row in _rows(tables["countries"]):
        checker.unique(data.countries, row["iso3"], row, "countries.csv", line, "iso3")
    for line, row in _rows(tables["sources"]):
        checker.unique(data.sources, row["key"], row, "sources.csv", line, "key")
    for line, row in _rows(tables["states"]):
        if checker.unique(data.states, row["iso3"], row, "states.csv", line, "iso3"):
            checker.source(data, row, "states.csv", line, "source")
            _check_state(row, "states.csv", line, checker)
    for line, row in _rows(tables["obligations"]):
        key = (row["iso3"], row["kind"])
        if row["iso3"] in skip_states or ANY in skip_states:
            continue
        if row["iso3"] not in data.states:
            checker.add("obligations.csv", line, "iso3", f"{row['iso3']} has no row in states.csv")
        elif checker.unique(data.obligations, key, row, "obligations.csv", line, "kind"):
            checker.source(data, row, "obligations.csv", line, "source")
            checker.source(data, row, "obligations.csv", line, "completion_source")
            _check_obligation(row, data.states[row["iso3"]], "obligations.csv", line, checker)
    for line, row in _rows(tables["extensions"]):
        key3 = (row["iso3"], row["kind"], row["sequence"])
        if (row["iso3"], row["kind"]) in skip_obligations or ANY in skip_obligations or row["iso3"] in skip_states:
            continue
        if (row["iso3"], row["kind"]) not in data.obligations:
            checker.add("extensions.csv", line, "kind", f"{row['iso3']} has no {row['kind']} row in obligations.csv")
        elif checker.unique(data.extensions, key3, row, "extensions.csv", line, "sequence"):
            checker.source(data, row, "extensions.csv", line, "source")
            _check_extension(row, "extensions.csv", line, checker)
    if errors:
        raise ReferenceDataError(errors)
    return data


ANY = object()  # marks a whole file as unusable for cross-checks


class _Checker:
    def __init__(self, errors: list[CellError], skip_sources: set[Any]):
        self.errors = errors
        self.skip_sources = skip_sources

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.append(CellError(file, line, column, message))

    def unique(self, target: dict[Any, Any], key: Any, row: dict[str, Any], file: str, line: int, column: str) -> bool:
        if key in target:
            self.add(file, line, column, f"duplicate row for {key}")
            return False
        row["_line"] = line
        target[key] = row
        return True

    def source(self, data: ReferenceData, row: dict[str, Any], file: str, line: int, column: str) -> None:
        key = row.get(column)
        if ANY in self.skip_sources or key in self.skip_sources:
            return
        if key and key not in data.sources:
            self.add(file, line, column, f"unknown source {key!r} (not in sources.csv)")


def _check_state(row: dict[str, Any], file: str, line: int, checker: _Checker) -> None:
    deposit, eif = row["deposit_date"], row["entry_into_force"]
    if deposit and eif and treaty.entry_into_force(deposit) != eif:
        checker.add(
            file,
            line,
            "entry_into_force",
            f"Article 17 gives {treaty.entry_into_force(deposit)} for a deposit on {deposit}, not {eif}",
        )
    if deposit and row["signature_date"] and row["signature_date"] > deposit:
        checker.add(file, line, "signature_date", "signature cannot follow the deposit of the instrument")
    if row["ccm_status"] == TreatyStatus.WITHDRAWN and not row["withdrawal_effective"]:
        checker.add(file, line, "withdrawal_effective", "a withdrawn State needs the date its withdrawal took effect")
    if row["ccm_status"] != TreatyStatus.WITHDRAWN and row["withdrawal_effective"]:
        checker.add(file, line, "withdrawal_effective", "only a withdrawn State has a withdrawal date")


def _check_obligation(row: dict[str, Any], state: dict[str, Any], file: str, line: int, checker: _Checker) -> None:
    eif = state["entry_into_force"] or (
        treaty.entry_into_force(state["deposit_date"]) if state["deposit_date"] else None
    )
    if row["confidence"] == Confidence.DERIVED:
        if not row["original_deadline"] or not eif:
            checker.add(
                file, line, "confidence", "a derived deadline needs the deadline and the State's entry into force"
            )
        else:
            expected = treaty.original_deadline(row["kind"], eif, row["hostilities_ended"])
            if expected != row["original_deadline"]:
                checker.add(
                    file, line, "original_deadline", f"the treaty gives {expected} from entry into force on {eif}"
                )
    if row["completed_on"] and not row["completed"]:
        checker.add(file, line, "completed", "a completion date needs completed = yes")
    if row["completed_on_precision"] and not row["completed_on"]:
        checker.add(file, line, "completed_on_precision", "a precision needs a completion date")
    if row["completed"] and not row["completion_source"]:
        checker.add(file, line, "completion_source", "a completion needs its source")
    if row["completion_source"] and not row["completion_confidence"]:
        checker.add(file, line, "completion_confidence", "a completion source needs its confidence")


def _check_extension(row: dict[str, Any], file: str, line: int, checker: _Checker) -> None:
    if row["granted_until"] and row["decision"] != Decision.GRANTED:
        checker.add(file, line, "granted_until", "only a granted request has a granted date")
    if row["granted_until"] and row["requested_until"] and row["granted_until"] > row["requested_until"]:
        checker.add(file, line, "granted_until", "a grant cannot be longer than the request")
