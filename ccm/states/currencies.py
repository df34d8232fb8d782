"""A State's usual currency (ISO 4217), from the reference data ``reference/currencies.csv``.

Provenance: the Unicode CLDR supplemental data on territory currencies (source key
``cldr-territory-currencies`` in ``reference/sources.csv``): the first currency in legal tender on
2026-01-01 for each ISO 3166 country; further legal tenders in ``also_legal_tender``. Codes only.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from ccm.states.reference_data import REFERENCE_DIR


@lru_cache(maxsize=1)
def usual_currencies() -> dict[str, str]:
    """ISO 3166 alpha-3 → the State's usual ISO 4217 currency."""
    with (REFERENCE_DIR / "currencies.csv").open(newline="", encoding="utf-8") as handle:
        return {row["iso3"]: row["currency"] for row in csv.DictReader(handle) if row["currency"]}


def usual_currency(iso3: str | None) -> str:
    """The State's usual currency ("" when unknown)."""
    return usual_currencies().get((iso3 or "").upper(), "")
