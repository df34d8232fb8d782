"""Words that identify a State, for the de-identification check (``ccm.core.deidentify``).

Read once per process from the package's own reference files (``reference/identifiers.csv``, with
its sources in ``identifiers-SOURCES.md``, and the hand-written ``identifiers-supplement.csv``);
``ccm.states.selectors.identity_terms`` turns them into terms for the States of a meeting or campaign.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
IDENTIFIERS = REFERENCE_DIR / "identifiers.csv"
SUPPLEMENT = REFERENCE_DIR / "identifiers-supplement.csv"


@dataclass(frozen=True)
class StateWords:
    """What one row says about a State: (kind, text) pairs, kinds as in ``ccm.core.deidentify.KINDS``."""

    iso3: str
    words: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _split(value: str, separator: str) -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def _row_words(row: dict[str, str]) -> list[tuple[str, str]]:
    words: list[tuple[str, str]] = []
    for column in ("iso3", "iso2"):
        words.append(("code", row[column]))
    for column in ("name_en", "name_fr", "name_es"):
        words.append(("name", row[column]))
    for column in ("official_en", "official_fr", "official_es"):
        words.append(("official_name", row[column]))
    words.extend(("adjective", part) for part in _split(row["demonym_en"], ","))
    for column in ("demonym_fr_m", "demonym_fr_f"):
        words.append(("adjective", row[column]))
    words.extend(("capital", part) for part in _split(row["capitals"], "|"))
    for part in _split(row["alt_spellings"], "|"):
        if any(ord(c) in range(0x250, 0x2B0) for c in part):
            continue  # a phonetic transcription (IPA), not a spelling anyone writes
        words.append(("code" if part.isupper() and part.isalpha() and len(part) <= 3 else "other_spelling", part))
    return [(kind, text.strip()) for kind, text in words if text and text.strip()]


@cache
def state_words() -> dict[str, StateWords]:
    """Every State's identifying words by ISO alpha-3 (cached for the process)."""
    collected: dict[str, list[tuple[str, str]]] = {}
    with IDENTIFIERS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            collected.setdefault(row["iso3"], []).extend(_row_words(row))
    with SUPPLEMENT.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            collected.setdefault(row["iso3"], []).append((row["kind"], row["text"].strip()))
    return {iso3: StateWords(iso3, tuple(dict.fromkeys(words))) for iso3, words in collected.items()}
