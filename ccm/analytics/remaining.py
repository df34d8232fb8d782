"""Remaining work on an obligation: baseline + additions − releases, and the pace needed to finish.

Quantities are whole numbers: square metres for clearance, items for stockpile destruction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class RemainingWork:
    baseline: int | None
    additions: int
    released: int
    remaining: int | None  # None when there is no baseline
    deadline: date | None
    as_of: date
    years_to_deadline: float | None  # None when the deadline is unknown; 0 when it has passed
    rate_needed: float | None  # per year, to finish by the deadline
    recent_rate: float | None  # per year, mean over the recent years with figures
    recent_years: tuple[int, ...]
    years_left_at_recent_rate: float | None  # None when nothing is being released

    @property
    def on_course(self) -> bool | None:
        """Whether the recent pace finishes by the deadline (None when it cannot be told)."""
        if self.remaining is None or self.years_to_deadline is None:
            return None
        if self.remaining == 0:
            return True
        if self.years_left_at_recent_rate is None:
            return False
        return self.years_left_at_recent_rate <= self.years_to_deadline


def remaining_work(
    *,
    baseline: int | None,
    additions: Sequence[tuple[date, int]],
    releases: Mapping[int, int],
    deadline: date | None,
    as_of: date,
    recent_window: int = 3,
) -> RemainingWork:
    """Remaining work on ``as_of``.

    ``additions`` are (date found, amount) pairs counted when found on or before ``as_of``;
    ``releases`` map a calendar year to the amount released (or destroyed) that year, counted for
    years up to ``as_of``'s year. The recent rate is the mean over the last ``recent_window`` years
    that have figures (years without a report are not counted as zero: they are unknown).
    """
    added = sum(amount for found, amount in additions if found <= as_of)
    counted = {year: amount for year, amount in releases.items() if year <= as_of.year}
    released = sum(counted.values())
    remaining = None if baseline is None else max(baseline + added - released, 0)

    years_to_deadline = None
    rate_needed = None
    if deadline is not None:
        years_to_deadline = max((deadline - as_of).days / DAYS_PER_YEAR, 0.0)
        if remaining is not None and years_to_deadline > 0:
            rate_needed = remaining / years_to_deadline

    recent = tuple(sorted(counted)[-recent_window:])
    recent_rate = sum(counted[y] for y in recent) / len(recent) if recent else None
    years_left = None
    if remaining is not None and recent_rate:
        years_left = remaining / recent_rate
    elif remaining == 0:
        years_left = 0.0
    return RemainingWork(
        baseline=baseline,
        additions=added,
        released=released,
        remaining=remaining,
        deadline=deadline,
        as_of=as_of,
        years_to_deadline=years_to_deadline,
        rate_needed=rate_needed,
        recent_rate=recent_rate,
        recent_years=recent,
        years_left_at_recent_rate=years_left,
    )


def remaining_by_year(
    *,
    baseline: int,
    baseline_year: int,
    additions: Sequence[tuple[date, int]],
    releases: Mapping[int, int],
    last_year: int,
) -> list[tuple[int, int]]:
    """Remaining at the end of each year from ``baseline_year`` to ``last_year`` (inclusive)."""
    series = []
    remaining = baseline
    for year in range(baseline_year, last_year + 1):
        remaining += sum(amount for found, amount in additions if found.year == year)
        remaining -= releases.get(year, 0)
        series.append((year, max(remaining, 0)))
    return series


def planned_remaining(*, start: int, start_year: int, targets: Mapping[int, int]) -> list[tuple[int, int]]:
    """Remaining at the end of each planned year if every yearly target is met."""
    series = [(start_year, start)]
    remaining = start
    for year in sorted(y for y in targets if y > start_year):
        remaining = max(remaining - targets[year], 0)
        series.append((year, remaining))
    return series
