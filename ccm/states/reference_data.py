"""The project's reference data on States (``ccm/states/reference/*.csv``), read and checked whole.

``read_reference(directory)`` parses every file and cross-checks them (unknown States, unknown
sources, dates that contradict the treaty rules, duplicated rows) without touching the database.
Any error, with its file, row and column, means nothing is loaded.
"""

from __future__ import annotations

import hashlib
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
    Column("is_state", parse_bool, required=True),
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
PARTICIPANT_COLUMNS = [
    Column("iso3", _iso3, required=True),
    Column("name", required=True),
    Column("status", choice(*[v for v in TreatyStatus.values if v]), required=True),
    Column("signature_date", parse_date),
    Column("consent_date", parse_date),
    Column("consent_type", choice(*[v for v in Instrument.values if v])),
    Column("entry_into_force", parse_date),
    Column("withdrawal_notified", parse_date),
    Column("withdrawal_effective", parse_date),
    Column("source_url", _url, required=True),
    Column("source_title", required=True),
    Column("source_as_of", parse_date, required=True),
    Column("confidence", _confidence, required=True),
    Column("notes"),
]
# Treaty facts held in both participants.csv (the depositary record) and states.csv: where both give a
# value and they differ, the loader reports it (``ReferenceData.conflicts``) and the State's note says so.
SHARED_FACTS = {
    "ccm_status": "status",
    "signature_date": "signature_date",
    "deposit_date": "consent_date",
    "instrument": "consent_type",
    "entry_into_force": "entry_into_force",
    "withdrawal_effective": "withdrawal_effective",
}
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
class Conflict:
    """Two reference files give different values for the same fact of one State."""

    iso3: str
    column: str
    participants_value: Any
    states_value: Any
    states_source: str
    line: int

    def __str__(self) -> str:
        return (
            f"{self.iso3} {self.column}: participants.csv (depositary record) gives {self.participants_value}, "
            f"states.csv line {self.line} ({self.states_source}) gives {self.states_value}; "
            "the depositary record is used and the State's note says so"
        )


@dataclass
class ReferenceData:
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # One row per State with treaty facts: participants.csv merged with the notes of states.csv.
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
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
        "participants": PARTICIPANT_COLUMNS,
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
    skip_states = (
        {r.get("iso3") for r in tables["states"].partial_rows}
        | {r.get("iso3") for r in tables["participants"].partial_rows}
        | ({ANY} if tables["states"].broken or tables["participants"].broken else set())
    )
    skip_obligations = {(r.get("iso3"), r.get("kind")) for r in tables["obligations"].partial_rows} | (
        {ANY} if tables["obligations"].broken else set()
    )
    checker = _Checker(errors, skip_sources)
    for line, row in _rows(tables["countries"]):
        checker.unique(data.countries, row["iso3"], row, "countries.csv", line, "iso3")
    for line, row in _rows(tables["sources"]):
        checker.unique(data.sources, row["key"], row, "sources.csv", line, "key")
    for line, row in _rows(tables["participants"]):
        if checker.unique(data.participants, row["iso3"], row, "participants.csv", line, "iso3"):
            _check_participant(row, "participants.csv", line, checker)
            country = data.countries.get(row["iso3"])
            if country is not None and not country["is_state"]:
                checker.add(
                    "participants.csv", line, "iso3", f"{row['iso3']} takes part but is_state = no in countries.csv"
                )
    state_rows: dict[str, dict[str, Any]] = {}
    for line, row in _rows(tables["states"]):
        if checker.unique(state_rows, row["iso3"], row, "states.csv", line, "iso3"):
            checker.source(data, row, "states.csv", line, "source")
            _check_state(row, "states.csv", line, checker)
            if row["iso3"] not in data.participants and not tables["participants"].broken:
                checker.add("states.csv", line, "iso3", f"{row['iso3']} has no row in participants.csv")
    _merge_participants(data, state_rows)
    for line, row in _rows(tables["obligations"]):
        key = (row["iso3"], row["kind"])
        if row["iso3"] in skip_states or ANY in skip_states:
            continue
        if row["iso3"] not in data.states:
            checker.add("obligations.csv", line, "iso3", f"{row['iso3']} has no row in participants.csv or states.csv")
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


def participant_source_key(row: dict[str, Any]) -> str:
    """A stable key for the source a participants.csv row cites (its link, title and as-of date)."""
    digest = hashlib.sha256(f"{row['source_url']}|{row['source_title']}".encode()).hexdigest()[:8]
    return f"participants-{row['source_as_of'].isoformat()}-{digest}"


def _merge_participants(data: ReferenceData, state_rows: dict[str, dict[str, Any]]) -> None:
    """Treaty facts come from participants.csv; states.csv adds its notes (and reports any date it disagrees on)."""
    # A sources.csv row with the same link and as-of date names the source in plain words.
    by_link = {(s["url"], s["as_of"]): key for key, s in data.sources.items() if s.get("url") and s.get("as_of")}
    for iso3, row in data.participants.items():
        key = by_link.get((row["source_url"], row["source_as_of"])) or participant_source_key(row)
        data.sources.setdefault(
            key,
            {
                "key": key,
                "citation": row["source_title"],
                "url": row["source_url"],
                "as_of": row["source_as_of"],
                "note": "",
            },
        )
        extra = state_rows.get(iso3, {})
        notes: list[str] = [extra["note"]] if extra.get("note") else []
        for ours, theirs in SHARED_FACTS.items():
            if extra.get(ours) and row[theirs] and extra[ours] != row[theirs]:
                conflict = Conflict(iso3, ours, row[theirs], extra[ours], extra["source"], extra["_line"])
                data.conflicts.append(conflict)
                notes.append(
                    f"Sources differ on the {ours.replace('_', ' ')}: {row[theirs]} in the depositary record "
                    f"(used here), {extra[ours]} in another source ({extra['source']})."
                )
        data.states[iso3] = {
            "iso3": iso3,
            "ccm_status": row["status"],
            "signature_date": row["signature_date"],
            "deposit_date": row["consent_date"],
            "instrument": row["consent_type"],
            "entry_into_force": row["entry_into_force"],
            "withdrawal_notified": row["withdrawal_notified"],
            "withdrawal_effective": row["withdrawal_effective"],
            "source": key,
            "confidence": row["confidence"],
            "note": " ".join(notes),
            "_line": row["_line"],
        }
    for iso3, extra in state_rows.items():
        data.states.setdefault(iso3, extra)


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


def _check_participant(row: dict[str, Any], file: str, line: int, checker: _Checker) -> None:
    consent, eif, status = row["consent_date"], row["entry_into_force"], row["status"]
    if consent and eif and treaty.entry_into_force(consent) != eif:
        checker.add(
            file,
            line,
            "entry_into_force",
            f"Article 17 gives {treaty.entry_into_force(consent)} for consent on {consent}, not {eif}",
        )
    if status in (TreatyStatus.STATE_PARTY, TreatyStatus.WITHDRAWN):
        for column in ("consent_date", "consent_type", "entry_into_force"):
            if not row[column]:
                checker.add(file, line, column, f"a {status.replace('_', ' ')} needs its {column.replace('_', ' ')}")
    if status == TreatyStatus.SIGNATORY:
        if not row["signature_date"]:
            checker.add(file, line, "signature_date", "a signatory needs its signature date")
        if row["consent_date"] or row["entry_into_force"]:
            checker.add(file, line, "consent_date", "a signatory has no consent or entry into force")
    if consent and row["signature_date"] and row["signature_date"] > consent:
        checker.add(file, line, "signature_date", "signature cannot follow the consent to be bound")
    if status == TreatyStatus.WITHDRAWN and not row["withdrawal_effective"]:
        checker.add(file, line, "withdrawal_effective", "a withdrawn State needs the date its withdrawal took effect")
    if status != TreatyStatus.WITHDRAWN and (row["withdrawal_effective"] or row["withdrawal_notified"]):
        checker.add(file, line, "withdrawal_effective", "only a withdrawn State has a withdrawal date")
    if (
        row["withdrawal_notified"]
        and row["withdrawal_effective"]
        and row["withdrawal_notified"] > row["withdrawal_effective"]
    ):
        checker.add(file, line, "withdrawal_notified", "a withdrawal takes effect after its notification")


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
