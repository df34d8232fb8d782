"""The five elements of a coalition's success, as indicators on a 1–5 scale (pure code, plain data).

The Coordinators named five elements that decide whether a country coalition works: political will,
capacity for national ownership, detailed information and effective communication, enhanced donor
coordination, and existing appetite. Each indicator here is the rounded mean (halves up) of the
parts for which there is data; each part maps one measured value to 1–5 by the thresholds below.
Where no part has data the indicator is ``None`` — "not enough data" — never a default score.

Thresholds are module constants, so the page that shows them and the code that applies them cannot
drift apart. Shares are fractions (0.35 = 35%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

# A share (0–1) → 1–5: below 10% → 1, below 25% → 2, below 40% → 3, below 60% → 4, else 5.
SHARE_STEPS: tuple[float, ...] = (0.10, 0.25, 0.40, 0.60)
# A rate of things done (0–1) → 1–5: below 20% → 1, below 40% → 2, below 60% → 3, below 80% → 4, else 5.
RATE_STEPS: tuple[float, ...] = (0.20, 0.40, 0.60, 0.80)
# A change of the national share of at least 5 points moves the share's score by one.
TREND_POINTS = 0.05
# Years reported of the last five → 0: 1, 1: 2, 2: 3, 3–4: 4, 5: 5.
REPORT_WINDOW = 5
# Median hours for a member to answer another: ≤24 → 5, ≤72 → 4, ≤168 → 3, ≤336 → 2, else 1.
REPLY_HOURS: tuple[float, ...] = (24, 72, 168, 336)
# Donors: 0 → 1, 1 → 2, 2 → 3, 3–4 → 4, 5 or more → 5.
DONOR_STEPS: tuple[int, ...] = (1, 2, 3, 5)
# HHI (0–1) of money by donor: ≥0.6 → 1, ≥0.4 → 2, ≥0.25 → 3, ≥0.15 → 4, below → 5.
HHI_STEPS: tuple[float, ...] = (0.60, 0.40, 0.25, 0.15)
# Expressions of interest: 0 → 1, 1 → 3, 2 → 4, 3 or more → 5.
INTEREST_SCORES: tuple[int, ...] = (1, 3, 4, 5)
# Organisations pledging in the window: 0 → 1, 1 → 2, 2 → 3, 3 → 4, 4 or more → 5.
PLEDGER_STEPS: tuple[int, ...] = (1, 2, 3, 4)
# A rating this far or further from its indicator is flagged for discussion.
FLAG_DISTANCE = 2


def _rising(value: float, steps: Sequence[float]) -> int:
    """1 + the number of steps ``value`` reaches (steps in rising order)."""
    return 1 + sum(1 for step in steps if value >= step)


def share_score(share: float) -> int:
    return _rising(share, SHARE_STEPS)


def rate_score(rate: float) -> int:
    return _rising(rate, RATE_STEPS)


def _clamp(score: int) -> int:
    return max(1, min(5, score))


def combine(parts: Sequence[int | None]) -> int | None:
    """The rounded mean (halves up) of the parts with data; None when none has data."""
    known = [p for p in parts if p is not None]
    if not known:
        return None
    mean = Decimal(sum(known)) / Decimal(len(known))
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Indicator:
    element: str
    score: int | None
    parts: dict[str, int | None] = field(default_factory=dict)
    measured: dict[str, Any] = field(default_factory=dict)


def flagged(rating: int, indicator: int | None) -> bool:
    """A rating two or more points from its indicator is for discussion (never without an indicator)."""
    return indicator is not None and abs(rating - indicator) >= FLAG_DISTANCE


# --- Political will -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanYearFact:
    year: int
    cost: Decimal
    national: Decimal


@dataclass(frozen=True)
class ReportFact:
    year: int
    published_on: date | None  # None: not reported


@dataclass(frozen=True)
class ExtensionFact:
    backed_by_costed_plan: bool


def national_share(years: Sequence[PlanYearFact]) -> float | None:
    cost = sum((y.cost for y in years), Decimal(0))
    if cost <= 0:
        return None
    return float(sum((y.national for y in years), Decimal(0)) / cost)


def share_trend(years: Sequence[PlanYearFact]) -> float | None:
    """The national share of the last plan year less that of the first (None with fewer than two
    years of cost)."""
    costed = sorted((y for y in years if y.cost > 0), key=lambda y: y.year)
    if len(costed) < 2:
        return None
    first, last = costed[0], costed[-1]
    return float(last.national / last.cost - first.national / first.cost)


def political_will(
    *, plan_years: Sequence[PlanYearFact], reports: Sequence[ReportFact], extensions: Sequence[ExtensionFact]
) -> Indicator:
    """National share of the plan's cost (± 1 for a trend of at least 5 points), on-time reporting
    (published by 30 April of the next year), and extension requests backed by a costed plan."""
    share = national_share(plan_years)
    trend = share_trend(plan_years)
    share_part = None
    if share is not None:
        share_part = share_score(share)
        if trend is not None and trend >= TREND_POINTS:
            share_part = _clamp(share_part + 1)
        elif trend is not None and trend <= -TREND_POINTS:
            share_part = _clamp(share_part - 1)
    reported = [r for r in reports if r.published_on is not None]
    on_time_part = None
    on_time = None
    if reports:
        on_time = sum(1 for r in reported if r.published_on and r.published_on <= date(r.year + 1, 4, 30)) / len(
            reports
        )
        on_time_part = rate_score(on_time)
    backed_part = None
    backed = None
    if extensions:
        backed = sum(1 for e in extensions if e.backed_by_costed_plan) / len(extensions)
        backed_part = rate_score(backed)
    parts = {"national_share": share_part, "on_time_reporting": on_time_part, "extensions_backed": backed_part}
    measured = {"national_share": share, "share_trend": trend, "on_time": on_time, "extensions_backed": backed}
    return Indicator("political_will", combine(list(parts.values())), parts, measured)


# --- Capacity for national ownership --------------------------------------------------------------


def national_ownership(
    *,
    national_funding: Decimal | None,
    international_funding: Decimal | None,
    national_operators: int,
    operators: int,
    authority_on_record: bool | None,
    strategy_on_record: bool | None,
) -> Indicator:
    """National funding's share of all funding, national operators' share of the coalition's operators,
    and a national authority and strategy on record (both → 5, one → 3, none → 1)."""
    funding_share = None
    if national_funding is not None and international_funding is not None:
        total = national_funding + international_funding
        funding_share = float(national_funding / total) if total > 0 else None
    operator_share = national_operators / operators if operators else None
    on_record = None
    if authority_on_record is not None and strategy_on_record is not None:
        on_record = {0: 1, 1: 3, 2: 5}[int(authority_on_record) + int(strategy_on_record)]
    parts = {
        "national_funding_share": share_score(funding_share) if funding_share is not None else None,
        "national_operators_share": share_score(operator_share) if operator_share is not None else None,
        "authority_and_strategy": on_record,
    }
    measured = {"national_funding_share": funding_share, "national_operators_share": operator_share}
    return Indicator("national_ownership", combine(list(parts.values())), parts, measured)


# --- Detailed information and effective communication ---------------------------------------------


@dataclass(frozen=True)
class MessageFact:
    thread: int
    organisation: int | None
    at: datetime


def reply_hours(messages: Sequence[MessageFact]) -> list[float]:
    """For each message answered by another organisation in the same thread: hours until the first such
    answer."""
    by_thread: dict[int, list[MessageFact]] = {}
    for m in sorted(messages, key=lambda m: m.at):
        by_thread.setdefault(m.thread, []).append(m)
    hours = []
    for items in by_thread.values():
        for i, m in enumerate(items):
            answer = next((n for n in items[i + 1 :] if n.organisation != m.organisation), None)
            if answer is not None:
                hours.append((answer.at - m.at).total_seconds() / 3600)
    return hours


def reply_score(median_hours: float) -> int:
    return 5 - sum(1 for step in REPLY_HOURS if median_hours > step)


def years_reported_score(years: int) -> int:
    return {0: 1, 1: 2, 2: 3, 3: 4, 4: 4}.get(years, 5)


def information(
    *,
    years_reported: int | None,
    baseline_on_record: bool | None,
    plan_in_force: bool | None,
    messages: Sequence[MessageFact],
) -> Indicator:
    """Years reported of the last five, a baseline on record (5 or 1), a plan in force (5 or 1), and the
    median time members take to answer one another in the threads."""
    hours = reply_hours(messages)
    middle = median(hours) if hours else None
    parts = {
        "years_reported": years_reported_score(years_reported) if years_reported is not None else None,
        "baseline": None if baseline_on_record is None else (5 if baseline_on_record else 1),
        "plan_in_force": None if plan_in_force is None else (5 if plan_in_force else 1),
        "reply_time": reply_score(middle) if middle is not None else None,
    }
    measured = {"years_reported": years_reported, "median_reply_hours": middle}
    return Indicator("information", combine(list(parts.values())), parts, measured)


# --- Enhanced donor coordination -------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFact:
    due: date
    completed: date | None  # None: not done
    cancelled: bool = False


def hhi(amounts: Sequence[Decimal]) -> float | None:
    """Herfindahl–Hirschman index of money by donor (0–1; 1 = one donor pays everything)."""
    total = sum(amounts, Decimal(0))
    if total <= 0:
        return None
    return float(sum((a / total) ** 2 for a in amounts))


def hhi_score(value: float) -> int:
    return 5 - sum(1 for step in HHI_STEPS if value >= step)


def on_time_rate(actions: Sequence[ActionFact], *, today: date) -> float | None:
    """Actions done by their due date among those done or already due (cancelled ones left out)."""
    counted = [a for a in actions if not a.cancelled and (a.completed is not None or a.due < today)]
    if not counted:
        return None
    return sum(1 for a in counted if a.completed is not None and a.completed <= a.due) / len(counted)


def donor_coordination(
    *,
    funding_by_donor: Sequence[Decimal] | None,
    required: Decimal | None,
    funded: Decimal | None,
    actions: Sequence[ActionFact],
    today: date,
) -> Indicator:
    """Number of donors, their concentration (HHI), coverage of the requirement (funded ÷ required), and
    the work plan's actions done on time."""
    donors = None if funding_by_donor is None else sum(1 for a in funding_by_donor if a > 0)
    concentration = hhi(funding_by_donor) if funding_by_donor else None
    cover = float(funded / required) if required and funded is not None and required > 0 else None
    on_time = on_time_rate(actions, today=today)
    parts = {
        "donors": _rising(donors, DONOR_STEPS) if donors is not None else None,
        "concentration": hhi_score(concentration) if concentration is not None else None,
        "coverage": rate_score(cover) if cover is not None else None,
        "actions_on_time": rate_score(on_time) if on_time is not None else None,
    }
    measured = {"donors": donors, "hhi": concentration, "coverage": cover, "actions_on_time": on_time}
    return Indicator("donor_coordination", combine(list(parts.values())), parts, measured)


# --- Existing appetite -----------------------------------------------------------------------------


def appetite(*, interests: int, needs_published: int, needs_answered: int, pledgers: int) -> Indicator:
    """Expressions of interest in partnering with the State, the share of its published needs that drew
    a response from another organisation, and how many organisations pledged (last three years)."""
    answered = needs_answered / needs_published if needs_published else None
    parts = {
        "interests": INTEREST_SCORES[min(interests, len(INTEREST_SCORES) - 1)],
        "needs_answered": rate_score(answered) if answered is not None else None,
        "pledgers": _rising(pledgers, PLEDGER_STEPS),
    }
    measured = {"interests": interests, "needs_answered": answered, "pledgers": pledgers}
    return Indicator("appetite", combine(list(parts.values())), parts, measured)
