"""Matching needs to donor profiles, and measuring silence: pure functions on plain data."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class NeedFacts:
    id: int
    state: str  # ISO3
    region: str
    pillar: str
    modality: str
    amount: Decimal | None  # in the need's currency
    currency: str


@dataclass(frozen=True)
class DonorFacts:
    organisation_id: int
    priority_states: frozenset[str]
    priority_regions: frozenset[str]
    pillars: frozenset[str]
    modalities: frozenset[str]
    grant_min: Decimal | None
    grant_max: Decimal | None
    currency: str


def matches(need: NeedFacts, donor: DonorFacts) -> bool:
    """Whether a need falls within a donor's stated priorities. An empty list means "any". A need
    smaller than the donor's smallest grant does not match (larger ones do: the donor may co-fund);
    amounts are compared only in the same currency (conversion is the funding ledger's job)."""
    in_priorities = need.state in donor.priority_states or need.region in donor.priority_regions
    if (donor.priority_states or donor.priority_regions) and not in_priorities:
        return False
    if donor.pillars and need.pillar not in donor.pillars:
        return False
    if donor.modalities and need.modality not in donor.modalities:
        return False
    if need.amount is not None and need.currency == donor.currency and donor.grant_min is not None:
        return need.amount >= donor.grant_min
    return True


def matching_donors(need: NeedFacts, donors: Iterable[DonorFacts]) -> list[int]:
    return [d.organisation_id for d in donors if matches(need, d)]


@dataclass(frozen=True)
class Thread:
    """One published need: when it was published and when each organisation first answered."""

    need_id: int
    state: str
    published_at: datetime
    first_response_by: dict[int, datetime]  # organisation id → its first response


@dataclass(frozen=True)
class Responsiveness:
    needs: int
    answered: int
    median_days_to_first_response: float | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.needs if self.needs else None


def _days(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 86400, 0.0)


def by_state(threads: Sequence[Thread]) -> dict[str, Responsiveness]:
    """Per State: how many of its published needs got any response, and how fast the first came."""
    result: dict[str, Responsiveness] = {}
    for state in sorted({t.state for t in threads}):
        own = [t for t in threads if t.state == state]
        firsts = [_days(t.published_at, min(t.first_response_by.values())) for t in own if t.first_response_by]
        result[state] = Responsiveness(len(own), len(firsts), statistics.median(firsts) if firsts else None)
    return result


def by_donor(threads: Sequence[Thread], matched: dict[int, set[int]]) -> dict[int, Responsiveness]:
    """Per donor organisation: of the needs that matched its profile, how many it answered, and how
    fast. ``matched`` maps an organisation id to the need ids that matched it."""
    by_id = {t.need_id: t for t in threads}
    result: dict[int, Responsiveness] = {}
    for organisation_id, need_ids in matched.items():
        own = [by_id[n] for n in need_ids if n in by_id]
        firsts = [
            _days(t.published_at, t.first_response_by[organisation_id])
            for t in own
            if organisation_id in t.first_response_by
        ]
        result[organisation_id] = Responsiveness(len(own), len(firsts), statistics.median(firsts) if firsts else None)
    return result
