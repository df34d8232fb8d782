"""Matching needs and donors with an explainable score (no Django imports; amounts in US dollars).

Each factor gives points and a reason in plain English; the score is the sum of the points, so the
reasons shown add up to it. The points (docs/methods.md, "Matching", has the table and formulas):

- fit with the donor's stated priorities: country (25 named, 15 open to any), pillar (20 named, 12
  open to any) and modality (10 named, 6 open to any); a need outside a stated list costs 100 points,
  and so does a gap below the donor's smallest grant (when it states one);
- history with the State: 7.5 for having funded it at all, plus up to 7.5 as that money nears the
  need's gap (15 in all);
- envelope left against the need's gap: up to 15, in proportion to the share of the gap it could
  cover;
- timing of the donor's funding cycle against the month: 5 when it opens this month, one twelfth
  less for each month until it opens;
- past response rate: up to 10, in proportion to the share of matched needs it answered.

A factor the donor has not stated (envelope, cycle, response rate) counts as half its points: not
knowing is neither good nor bad news. The positive points add up to at most 100; a need that fits
(within every stated list, and not below the smallest grant) scores at least 33, and one that does
not scores at most 0, so
a donor that ``ccm.analytics.needs.matches`` a need always ranks above one that does not (the
simpler matching is the gate; this score orders the donors that pass it and the near misses after
them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

NAMED = {"country": 25.0, "pillar": 20.0, "modality": 10.0}
OPEN = {"country": 15.0, "pillar": 12.0, "modality": 6.0}
OUTSIDE = -100.0
HISTORY = 15.0
ENVELOPE = 15.0
TIMING = 5.0
RESPONSE = 10.0
MAX_POINTS = sum(NAMED.values()) + HISTORY + ENVELOPE + TIMING + RESPONSE  # 100


@dataclass(frozen=True)
class MatchNeed:
    id: int
    iso3: str
    pillar: str
    modality: str
    gap: float  # USD still to find
    created_days_ago: float
    urgency: float


@dataclass(frozen=True)
class MatchDonor:
    id: int
    name: str
    countries: frozenset[str]  # empty = any
    pillars: frozenset[str]  # empty = any
    modalities: frozenset[str]  # empty = any
    envelope_left: float | None
    funded_states: Mapping[str, float]  # history: USD per State
    response_rate: float | None  # share of matched needs it answered
    cycle_month: int | None  # month its funding cycle opens (1-12)
    grant_min: float | None = None  # its smallest grant in USD (None: not stated or not convertible)


@dataclass(frozen=True)
class Reason:
    factor: str
    points: float
    text: str  # plain English, e.g. "Funds clearance"


@dataclass(frozen=True)
class Match:
    need_id: int
    donor_id: int
    score: float  # the sum of the reasons' points
    reasons: tuple[Reason, ...]


def _words(code: str) -> str:
    return code.replace("_", " ")


def _usd(amount: float) -> str:
    if abs(amount) >= 1_000_000:
        return f"USD {amount / 1_000_000:,.1f} million"
    return f"USD {amount:,.0f}"


def _share(part: float, whole: float) -> float:
    """part ÷ whole within [0, 1]; a whole of zero or less is covered by any positive part."""
    if part <= 0:
        return 0.0
    return 1.0 if whole <= 0 else min(part / whole, 1.0)


def _finite(value: float | None, default: float) -> float:
    return float(value) if value is not None and math.isfinite(value) else default


def _below_smallest_grant(need: MatchNeed, donor: MatchDonor) -> bool:
    return donor.grant_min is not None and _finite(need.gap, 0.0) < donor.grant_min


def fits(need: MatchNeed, donor: MatchDonor) -> bool:
    """Whether the need falls within every list the donor states (an empty list means any) and its gap
    is not below the donor's smallest grant."""
    return not _below_smallest_grant(need, donor) and all(
        not stated or value in stated
        for value, stated in (
            (need.iso3, donor.countries),
            (need.pillar, donor.pillars),
            (need.modality, donor.modalities),
        )
    )


# per fit factor: the reason when the donor lists the value, when it is open to any, when it is outside
FIT_TEXTS = {
    "country": (
        "Lists {} among its priority countries",
        "Open to any country",
        "{} is not among its priority countries",
    ),
    "pillar": ("Funds {}", "Open to any pillar", "Does not fund {}"),
    "modality": (
        "Offers the modality asked for ({})",
        "Open to any modality",
        "Does not offer the modality asked for ({})",
    ),
}


def _fit_reasons(need: MatchNeed, donor: MatchDonor) -> list[Reason]:
    checks = (
        ("country", need.iso3, donor.countries),
        ("pillar", need.pillar, donor.pillars),
        ("modality", need.modality, donor.modalities),
    )
    reasons = []
    for factor, value, stated in checks:
        named_text, open_text, outside_text = FIT_TEXTS[factor]
        if not stated:
            reasons.append(Reason(factor, OPEN[factor], open_text))
        elif value in stated:
            reasons.append(Reason(factor, NAMED[factor], named_text.format(_words(value))))
        else:
            reasons.append(Reason(factor, OUTSIDE, outside_text.format(_words(value))))
    if _below_smallest_grant(need, donor):
        text = f"The gap ({_usd(max(need.gap, 0.0))}) is below its smallest grant ({_usd(donor.grant_min or 0.0)})"
        reasons.append(Reason("grant_size", OUTSIDE, text))
    return reasons


def _history(need: MatchNeed, donor: MatchDonor) -> Reason:
    funded = max(_finite(donor.funded_states.get(need.iso3), 0.0), 0.0)
    if funded <= 0:
        return Reason("history", 0.0, f"Has not funded {need.iso3} before")
    points = HISTORY / 2 + HISTORY / 2 * _share(funded, _finite(need.gap, 0.0))
    return Reason("history", points, f"Has funded {need.iso3} before ({_usd(funded)})")


def _envelope(need: MatchNeed, donor: MatchDonor) -> Reason:
    if donor.envelope_left is None:
        return Reason("envelope", ENVELOPE / 2, "Envelope left not stated (counted as half)")
    left = max(_finite(donor.envelope_left, 0.0), 0.0)
    if left <= 0:
        return Reason("envelope", 0.0, "No envelope left")
    share = _share(left, _finite(need.gap, 0.0))
    if share >= 1:
        return Reason("envelope", ENVELOPE, f"Envelope left ({_usd(left)}) covers the gap")
    percent = math.floor(share * 100)  # never "100%" for a share short of the whole gap
    return Reason("envelope", ENVELOPE * share, f"Envelope left ({_usd(left)}) covers {percent}% of the gap")


def months_until(cycle_month: int, month: int) -> int:
    """Whole months from ``month`` until the cycle next opens (0 when it opens this month)."""
    return (cycle_month - month) % 12


def _timing(donor: MatchDonor, month: int) -> Reason:
    if donor.cycle_month is None or not 1 <= donor.cycle_month <= 12:
        return Reason("timing", TIMING / 2, "Funding cycle not stated (counted as half)")
    wait = months_until(donor.cycle_month, month)
    text = "Its funding cycle opens this month" if wait == 0 else f"Its funding cycle opens in {wait} month(s)"
    return Reason("timing", TIMING * (12 - wait) / 12, text)


def _response(donor: MatchDonor) -> Reason:
    if donor.response_rate is None:
        return Reason("response", RESPONSE / 2, "No record of answering needs yet (counted as half)")
    rate = min(max(_finite(donor.response_rate, 0.0), 0.0), 1.0)
    return Reason("response", RESPONSE * rate, f"Answered {rate:.0%} of the needs that matched it")


def score(need: MatchNeed, donor: MatchDonor, *, month: int) -> Match:
    """One need against one donor: the reasons and their sum."""
    if not 1 <= month <= 12:
        raise ValueError("The month must be between 1 and 12.")
    reasons = (
        *_fit_reasons(need, donor),
        _history(need, donor),
        _envelope(need, donor),
        _timing(donor, month),
        _response(donor),
    )
    return Match(need_id=need.id, donor_id=donor.id, score=sum(r.points for r in reasons), reasons=reasons)


def donors_for_need(need: MatchNeed, donors: Sequence[MatchDonor], *, month: int, limit: int = 10) -> list[Match]:
    """The donors ranked for one need, best first (ties by donor id). Donors whose stated lists leave
    the need out come after every donor that fits, with a score of 0 or less and the reason why."""
    matches = [score(need, donor, month=month) for donor in donors]
    matches.sort(key=lambda m: (-m.score, m.donor_id))
    return matches[: max(limit, 0)]


def needs_for_donor(donor: MatchDonor, needs: Sequence[MatchNeed], *, month: int, limit: int = 20) -> list[Match]:
    """The needs that fit one donor best, best first; the same score as ``donors_for_need`` (so the
    two views agree), ties broken by the more urgent, then the older need, then the need id."""
    by_id = {need.id: need for need in needs}
    matches = [score(need, donor, month=month) for need in needs]
    matches.sort(key=lambda m: (-m.score, -by_id[m.need_id].urgency, -by_id[m.need_id].created_days_ago, m.need_id))
    return matches[: max(limit, 0)]
