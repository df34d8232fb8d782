"""The treaty rules against the real dates in tests/data/ccm/states.csv (rows marked confirmed)."""

import csv
import re
from datetime import date

import pytest

from ccm.treaty import Decision, ExtensionRequest, add_years, current_deadline, entry_into_force, original_deadline

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(text: str) -> date | None:
    match = ISO_DATE.match(text.strip())
    return date.fromisoformat(match.group()) if match else None


@pytest.fixture
def confirmed_rows(data_dir):
    with (data_dir / "ccm" / "states.csv").open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["confidence"] == "confirmed"]
    assert len(rows) >= 5
    return rows


def test_entry_into_force_follows_from_the_deposit_date(confirmed_rows):
    checked = 0
    for row in confirmed_rows:
        deposit, eif = _date(row["ratification_or_accession_date"]), _date(row["eif_date"])
        if deposit and eif:
            assert entry_into_force(deposit) == eif, row["country"]
            checked += 1
    assert checked >= 5


def test_original_deadlines_follow_from_entry_into_force(confirmed_rows):
    checked = 0
    for row in confirmed_rows:
        eif = _date(row["eif_date"])
        for kind, column in (
            ("stockpile_destruction", "art3_original_deadline"),
            ("clearance", "art4_original_deadline"),
        ):
            deadline = _date(row[column])
            if eif and deadline:
                assert original_deadline(kind, eif) == deadline, (row["country"], kind)
                checked += 1
    assert checked >= 6


def test_extension_chains_stay_within_the_treaty_and_give_the_last_deadline(confirmed_rows):
    checked = 0
    for row in confirmed_rows:
        for years, prefix in ((4, "art3"), (5, "art4")):
            original = _date(row[f"{prefix}_original_deadline"])
            grants = [
                date.fromisoformat(d)
                for d in re.findall(r"-> (\d{4}-\d{2}-\d{2})", row[f"{prefix}_extensions_new_deadline"])
            ]
            if not original or not grants:
                continue
            previous = original
            for granted in grants:
                assert previous < granted <= add_years(previous, years), (row["country"], granted)
                previous = granted
            chain = [ExtensionRequest(decision=Decision.GRANTED, granted_until=d) for d in grants]
            assert current_deadline(original, chain) == grants[-1]
            checked += 1
    assert checked >= 3  # Bulgaria (Art 3), Chad (Art 4), Peru (Art 3)
