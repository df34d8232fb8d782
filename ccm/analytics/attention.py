"""The attention gap: which affected States the donors are leaving behind (no Django imports; amounts
in US dollars).

A transparent composite in the spirit of the EU's Forgotten Crisis Assessment, but computed live from
the platform's own figures. Each component comes from plain facts about one State, is put on a scale
from 0 to 1 where 1 is the most neglected, and the score is the weighted mean of the components the
State has (the weights renormalised over them). The method, with the formulas and the reasons for the
default weights, is in docs/methods.md; the functions below follow it line for line.

Components (raw value → normalised value):

- ``coverage_gap``: 1 − received ÷ requirement, clipped to [0, 1] → itself (already on the scale);
  missing when nothing is required.
- ``donor_count``: distinct donors n → 1 ÷ (1 + n) (no donor 1, one donor 0.5, three donors 0.25).
- ``concentration``: the Herfindahl–Hirschman index of the donors' shares, Σ sᵢ² with the shares
  rescaled to sum to 1 → itself (1 = a single donor); missing when there is no donor money.
- ``unanswered_share``: unanswered ÷ open needs → itself; missing when the State has no open need.
- ``unanswered_age``: the median age in days of the unanswered needs → min(1, days ÷ 365); missing when
  the State has no open need.
- ``deadline_risk``: 1 − probability of finishing on time → itself; missing without a forecast.
- ``funding_per_km2``: USD over the window ÷ km² left, r = that ÷ the median across the States that
  have it → 1 ÷ (1 + r) (at the median 0.5, nothing 1); missing without contaminated area left.

Every transform but the last is fixed, not min–max across the States given: a fixed scale cannot
divide by zero when one State (or several equal ones) is given, an outlier does not squash everyone
else, and a State's component does not move because another State's figures changed. Funding per km²
has no natural scale (a km² costs very different amounts in different terrain), so it is read against
the median, which one outlier cannot drag.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

COMPONENTS: tuple[str, ...] = (
    "coverage_gap",
    "donor_count",
    "concentration",
    "unanswered_share",
    "unanswered_age",
    "deadline_risk",
    "funding_per_km2",
)

# Written down, with the reasons, in docs/methods.md ("Default weights"). They sum to 1.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "coverage_gap": 0.25,
        "donor_count": 0.10,
        "concentration": 0.10,
        "unanswered_share": 0.15,
        "unanswered_age": 0.10,
        "deadline_risk": 0.20,
        "funding_per_km2": 0.10,
    }
)

AGE_CAP_DAYS = 365.0  # a need unanswered for a whole annual funding cycle counts as fully neglected


@dataclass(frozen=True)
class StateFacts:
    iso3: str
    requirement: float  # USD stated as needed (open needs + plan), >= 0
    received: float  # USD received/committed towards it
    donors: int  # distinct donors in the window
    donor_shares: tuple[float, ...]  # each donor's share of received (for HHI)
    open_needs: int
    unanswered_needs: int
    unanswered_age_days: float  # median age of unanswered needs (0 if none)
    probability_on_time: float | None  # from the forecast (None: unknown)
    remaining_km2: float | None  # contaminated area left
    funding_last_years: float  # USD over the window (for funding per km²)


@dataclass(frozen=True)
class Component:
    name: str
    raw: float | None
    normalised: float | None  # in [0, 1], 1 = most neglected; None when missing


@dataclass(frozen=True)
class AttentionScore:
    iso3: str
    score: float
    rank: int
    components: tuple[Component, ...]  # one per name in COMPONENTS, in that order
    missing: tuple[str, ...]  # the components this State has no figure for


def validate_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights to use, every component named (those left out weigh 0). Raises ValueError, with a
    message fit to show on the page, for an unknown name, a negative or non-finite weight, or weights
    that are all zero."""
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise ValueError(f"Unknown component(s): {', '.join(unknown)}. Known: {', '.join(COMPONENTS)}.")
    result: dict[str, float] = {}
    for name in COMPONENTS:
        try:
            value = float(weights.get(name, 0.0))
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(f"The weight of {name} must be a number.")
        if value < 0:
            raise ValueError(f"The weight of {name} must not be negative.")
        result[name] = value
    if not any(result.values()):
        raise ValueError("At least one weight must be above zero.")
    return result


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def coverage_gap(facts: StateFacts) -> float | None:
    requirement = _finite(facts.requirement)
    if requirement is None or requirement <= 0:
        return None
    return _clip(1.0 - max(_finite(facts.received) or 0.0, 0.0) / requirement)


def herfindahl(shares: Sequence[float]) -> float | None:
    """Σ sᵢ² of the shares rescaled to sum to 1 (so amounts work as well as shares); None without money."""
    positive = [s for s in shares if s > 0 and math.isfinite(s)]
    total = sum(positive)
    if total <= 0:
        return None
    return sum((s / total) ** 2 for s in positive)


def funding_per_km2(facts: StateFacts) -> float | None:
    area = _finite(facts.remaining_km2)
    if area is None or area <= 0:
        return None
    return _finite(max(_finite(facts.funding_last_years) or 0.0, 0.0) / area)  # None if it overflows


def relative_to_median(value: float, median: float) -> float:
    """1 ÷ (1 + value ÷ median): 1 with nothing, 0.5 at the median, towards 0 far above it. With a
    median of zero a State with nothing sits at the median (0.5) and one with anything at 0."""
    if median <= 0:
        return 0.5 if value <= 0 else 0.0
    return 1.0 / (1.0 + value / median)


def _age(facts: StateFacts) -> float:
    """The median age of the unanswered needs; 0 when every open need has had an answer."""
    age = _finite(facts.unanswered_age_days)
    return max(age, 0.0) if facts.unanswered_needs > 0 and age is not None else 0.0


def _raw_components(facts: StateFacts) -> dict[str, float | None]:
    has_needs = facts.open_needs > 0
    probability = _finite(facts.probability_on_time)
    return {
        "coverage_gap": coverage_gap(facts),
        "donor_count": float(max(facts.donors, 0)),
        "concentration": herfindahl(facts.donor_shares),
        "unanswered_share": _clip(facts.unanswered_needs / facts.open_needs) if has_needs else None,
        "unanswered_age": _age(facts) if has_needs else None,
        "deadline_risk": _clip(1.0 - probability) if probability is not None else None,
        "funding_per_km2": funding_per_km2(facts),
    }


def _normalise(name: str, raw: float, median_per_km2: float) -> float:
    if name == "donor_count":
        return 1.0 / (1.0 + raw)
    if name == "unanswered_age":
        return _clip(raw / AGE_CAP_DAYS)
    if name == "funding_per_km2":
        return relative_to_median(raw, median_per_km2)
    return _clip(raw)  # coverage_gap, concentration, unanswered_share, deadline_risk: already on [0, 1]


def attention_gap(states: Sequence[StateFacts], weights: Mapping[str, float] | None = None) -> list[AttentionScore]:
    """Every State's attention gap, ranked most neglected first (ties broken by ISO3). A component a
    State has no figure for is left out of its score and the weights renormalised over the rest; a
    State with no figure for any weighted component scores 0 and is ranked after all the others."""
    used = validate_weights(weights)
    codes = [s.iso3 for s in states]
    if len(set(codes)) != len(codes):
        raise ValueError("Each State may appear only once.")
    raws = [_raw_components(s) for s in states]
    per_km2 = [r["funding_per_km2"] for r in raws if r["funding_per_km2"] is not None]
    median_per_km2 = statistics.median(per_km2) if per_km2 else 0.0

    scored: list[tuple[bool, float, str, tuple[Component, ...], tuple[str, ...]]] = []
    for facts, raw in zip(states, raws, strict=True):
        components = tuple(
            Component(name, value, None if value is None else _normalise(name, value, median_per_km2))
            for name, value in raw.items()
        )
        present = [(used[c.name], c.normalised) for c in components if c.normalised is not None]
        # only the ratios of the weights present matter: divided by the largest of them, huge weights (1e308)
        # cannot overflow the sums, and a tiny one (5e-324) is not lost to a larger weight of a missing component
        largest = max((w for w, _ in present), default=0.0)
        if largest > 0:
            present = [(w / largest, n) for w, n in present]
        total_weight = sum(w for w, _ in present)
        score = sum(w * n for w, n in present) / total_weight if total_weight > 0 else 0.0
        missing = tuple(c.name for c in components if c.normalised is None)
        scored.append((total_weight > 0, _clip(score), facts.iso3, components, missing))

    scored.sort(key=lambda row: (not row[0], -row[1], row[2]))
    return [
        AttentionScore(iso3=iso3, score=score, rank=rank, components=components, missing=missing)
        for rank, (_, score, iso3, components, missing) in enumerate(scored, start=1)
    ]
