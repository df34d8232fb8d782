"""Completion forecast for open Article 3 and Article 4 obligations: a Monte Carlo model (no Django).

Quantities are m² (Art 4, contaminated area) or items (Art 3, stockpile); money is US dollars a year.

Per obligation and per draw d, the years y = start_year, start_year + 1, … are simulated up to the horizon:

    R₀ = remaining
    R_y = R_{y−1} + A_{d,y} − O_{d,y}
    completion year = the first y with R_y ≤ 10⁻⁹ · max(R₀, 1) (additions stop once the work is done)

Yearly output O_{d,y} = min(L_d · b_y · x_{d,y}, F / c), where

- history (at least ``MIN_YEARS`` of the last ``HISTORY_WINDOW`` reported years with output > 0):
  x_{d,y} is one of those reported years' outputs, drawn with equal chance (zero years included), b_y = 1,
  and L_d = exp(s · W_d), W_d ~ N(0, 1) once per draw, s = sd(ln x > 0) / √k over the k years with output:
  the uncertainty of the State's typical level, on top of the year-to-year spread of its own record;
- plan (history shorter than that, and a costed plan with some output): b_y = the planned output for year y
  (the mean of the planned years outside the plan's span), x = 1, and L_d = exp(``PLAN_SPREAD`` · W_d): the
  State delivers a steady share of its plan, the share unknown, with median 1 (an assumption, since there is
  no record to measure it by);
- F = national_funding + international_funding (+ the extra funding searched for), c = cost_per_unit; the cap
  F / c applies only when the cost is known (> 0); F = 0 with a known cost means nothing can be paid for.
  Funding is taken as steady at those yearly figures.

Newly found work A_{d,y} is one of the same reported years' additions, drawn with equal chance and independently
of the output (so the chance that a year adds something is the share of reported years that did, and the amount
is what those years added); without a record of additions, none is assumed.

Outputs: p10, p50, p90 = the first year by which at least 10 %, 50 %, 90 % of the draws have finished (None if
that is beyond the horizon); probability_on_time = the share finished by the end of deadline_year;
beyond_horizon = the share not finished within ``horizon`` years. With nothing remaining the work was finished in
the last reported year, start_year − 1.

extra_funding_for_80: the least additional USD a year (to within 0.1 %, rounded up to a whole dollar) for which
P(on time) ≥ 0.8, found by bisection over the funding cap with the same random numbers at every step (so
P(on time) never falls as funding rises); 0.0 when it is already ≥ 0.8. None when the cost per unit is unknown,
when the deadline has passed, or when even unlimited money does not reach 0.8 (output capacity or newly found
work bind, not money).

Thin data (status "thin", a plain-English reason and no numbers): remaining work unknown (not a finite number
≥ 0), or fewer than ``MIN_YEARS`` reported years with output and no plan with output.

Random numbers: one numpy Generator per call, seeded with ``seed``. Tables of uniforms (horizon × draws, one for
outputs and one for additions) and standard normals (draws) are shared; obligation i reads them at draw
(d + δᵢ) mod draws with its own random offset δᵢ, so obligations are independent of each other while each
obligation's numbers never depend on its funding or on which draws are still running (common random numbers).
Results therefore depend on the seed, the number of draws and the obligation's position in the list.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

HISTORY_WINDOW = 10  # the last reported years used
MIN_YEARS = 3  # reported years with output needed to forecast from the record
PLAN_SPREAD = 0.35  # log-sd of the share of its plan a State delivers (assumed: no record to measure it)
TARGET = 0.8  # the probability the extra funding aims at
SEARCH_STEPS = 40  # at most; the search stops once the bracket is within 0.1 % of its upper end
RELATIVE_TOLERANCE = 1e-9  # remaining work at or below this share of the start counts as finished

Floats = NDArray[np.float64]
Ints = NDArray[np.intp]


@dataclass(frozen=True)
class ForecastInput:
    key: str  # e.g. "LBN-art4"
    kind: str  # "art3" (stockpile items) or "art4" (contaminated m²)
    remaining: float  # units left at the start of start_year; > 0 for open
    start_year: int  # first year to simulate (the year after the last reported year)
    deadline_year: int  # current deadline (the end of that year counts as on time)
    history: tuple[tuple[int, float, float], ...]  # (year, output, newly added) per reported year
    planned: tuple[tuple[int, float], ...] = ()  # (year, planned output) from the costed plan
    cost_per_unit: float | None = None  # USD per m² or per item (None: unknown)
    national_funding: float = 0.0  # USD a year the State puts in itself
    international_funding: float = 0.0  # USD a year expected from donors


@dataclass(frozen=True)
class ForecastResult:
    key: str
    status: str  # "ok" or "thin"
    reason: str  # plain English, empty when ok
    p10: int | None
    p50: int | None
    p90: int | None
    probability_on_time: float | None
    beyond_horizon: float | None
    extra_funding_for_80: float | None
    draws: int
    seed: int


@dataclass(frozen=True)
class _Model:
    """One obligation's inputs to the simulation (index = its position in the call)."""

    index: int
    remaining: float
    samples: tuple[float, ...]  # x: reported outputs (history) or (1.0,) (plan)
    additions: tuple[float, ...]  # reported additions (empty: none)
    base: tuple[float, ...]  # b_y for y = 0 … horizon − 1
    spread: float  # s: log-sd of the level L_d
    cost: float | None
    funding: float
    years_to_deadline: int  # deadline_year − start_year + 1, at most the horizon (≤ 0: passed)


@dataclass(frozen=True)
class _Tables:
    """The random numbers of one call, shared by the obligations (read at their own offsets)."""

    output: NDArray[np.float64]  # horizon × draws uniforms
    added: NDArray[np.float64]  # horizon × draws uniforms
    level: NDArray[np.float64]  # draws standard normals
    offsets: NDArray[np.intp]  # per obligation


def forecast(
    inputs: Sequence[ForecastInput], *, draws: int = 10_000, seed: int = 2026, horizon: int = 40
) -> list[ForecastResult]:
    """Forecast every obligation (see the module docstring); results in the order of ``inputs``."""
    if draws < 1 or horizon < 1:
        raise ValueError("draws and horizon must be at least 1")
    rng = np.random.default_rng(seed)
    tables = _Tables(
        output=rng.random((horizon, draws)),
        added=rng.random((horizon, draws)),
        level=rng.standard_normal(draws),
        offsets=rng.integers(0, draws, size=max(len(inputs), 1)).astype(np.intp),
    )
    results: list[ForecastResult | None] = [None] * len(inputs)
    models: list[_Model] = []
    for index, item in enumerate(inputs):
        model_or_reason = _model(index, item, horizon)
        if isinstance(model_or_reason, str):
            results[index] = _thin(item, model_or_reason, draws, seed)
        else:
            models.append(model_or_reason)

    running = [m for m in models if m.remaining > 0]
    finished_at = _simulate(running, tables, [_cap(m) for m in running], [horizon] * len(running))
    shares = {m.index: row for m, row in zip(running, _finished_shares(finished_at, horizon), strict=True)}
    extra = _extra_funding(running, tables, shares)

    for m in models:
        item = inputs[m.index]
        if m.remaining <= 0:  # already finished in the last reported year
            done = item.start_year - 1
            on_time = 1.0 if done <= item.deadline_year else 0.0
            results[m.index] = ForecastResult(
                item.key, "ok", "", done, done, done, on_time, 0.0,
                0.0 if on_time >= TARGET else None, draws, seed,
            )  # fmt: skip
            continue
        cumulative = shares[m.index]  # share finished by the end of year offset t
        on_time = float(cumulative[m.years_to_deadline - 1]) if m.years_to_deadline >= 1 else 0.0
        p10, p50, p90 = (_percentile(cumulative, q, item.start_year) for q in (0.1, 0.5, 0.9))
        results[m.index] = ForecastResult(
            item.key, "ok", "", p10, p50, p90, on_time, float(1.0 - cumulative[-1]),
            extra.get(m.index), draws, seed,
        )  # fmt: skip
    return [r for r in results if r is not None]


def _thin(item: ForecastInput, reason: str, draws: int, seed: int) -> ForecastResult:
    return ForecastResult(item.key, "thin", reason, None, None, None, None, None, None, draws, seed)


def _model(index: int, item: ForecastInput, horizon: int) -> _Model | str:
    """The obligation's simulation inputs, or the reason the data is too thin."""
    if not (math.isfinite(item.remaining) and item.remaining >= 0):
        return "The remaining work is not known, so no completion year can be forecast."
    recent = sorted(item.history)[-HISTORY_WINDOW:]
    outputs = [max(float(output), 0.0) for _, output, _ in recent]
    positive = [x for x in outputs if x > 0]
    added = [max(float(a), 0.0) for _, _, a in recent]
    additions = tuple(added) if any(added) else ()
    cost = item.cost_per_unit if item.cost_per_unit is not None and item.cost_per_unit > 0 else None
    funding = max(item.national_funding, 0.0) + max(item.international_funding, 0.0)
    def model(samples: tuple[float, ...], base: tuple[float, ...], spread: float) -> _Model:
        return _Model(
            index=index,
            remaining=float(item.remaining),
            samples=samples,
            additions=additions,
            base=base,
            spread=spread,
            cost=cost,
            funding=funding,
            years_to_deadline=min(item.deadline_year - item.start_year + 1, horizon),
        )

    if len(positive) >= MIN_YEARS:
        spread = float(np.std(np.log(positive), ddof=1) / math.sqrt(len(positive)))
        return model(tuple(outputs), (1.0,) * horizon, spread)
    plan = {year: max(float(output), 0.0) for year, output in item.planned}
    if plan and any(plan.values()):
        mean = sum(plan.values()) / len(plan)
        return model((1.0,), tuple(plan.get(item.start_year + t, mean) for t in range(horizon)), PLAN_SPREAD)
    if item.remaining == 0:
        return model((0.0,), (1.0,) * horizon, 0.0)
    years = len(positive)
    record = "no reported year" if years == 0 else f"only {years} reported year{'s' if years > 1 else ''}"
    return (
        f"Too little to forecast from: {record} with output (at least {MIN_YEARS} are needed) "
        "and no costed plan with yearly output."
    )


def _cap(m: _Model, extra: float = 0.0) -> float:
    """Units a year the funding pays for (infinite when the cost is unknown)."""
    return math.inf if m.cost is None else (m.funding + extra) / m.cost


def _simulate(models: Sequence[_Model], tables: _Tables, caps: Sequence[float], years: Sequence[int]) -> Ints:
    """Completion year offset (0 = start_year) per obligation and draw; ``years[i]`` where not finished.

    Flat arrays over the (obligation, draw) pairs still running; the pairs that finish, or that cannot finish
    in the years left even at their largest possible output, leave the arrays.
    """
    n, draws = len(models), tables.level.shape[0]
    finished = np.repeat(np.asarray(years, dtype=np.intp).reshape(n, 1), draws, axis=1)
    if n == 0:
        return finished
    width_x = max(len(m.samples) for m in models)
    width_a = max(max((len(m.additions) for m in models), default=0), 1)
    samples = np.zeros((n, width_x))
    additions = np.zeros((n, width_a))
    count_x = np.empty(n)
    count_a = np.empty(n)
    for i, m in enumerate(models):
        samples[i, : len(m.samples)] = m.samples
        count_x[i] = len(m.samples)
        additions[i, : len(m.additions)] = m.additions
        count_a[i] = max(len(m.additions), 1)
    horizon = max(years)
    base = np.array([m.base[:horizon] for m in models])
    cap = np.asarray(caps, dtype=np.float64)
    spread = np.array([m.spread for m in models])
    tolerance = np.array([RELATIVE_TOLERANCE * max(m.remaining, 1.0) for m in models])
    last = np.asarray(years, dtype=np.intp)
    has_base = bool(np.any(base != 1.0))
    has_additions = any(m.additions for m in models)
    largest = samples.max(axis=1) * base.max(axis=1)

    # the running pairs, flat
    flat = np.arange(n * draws, dtype=np.intp)
    ob = flat // draws
    col = (flat % draws + tables.offsets[[m.index for m in models]][ob]) % draws
    level = np.exp(spread[ob] * tables.level[col])
    remaining = np.array([m.remaining for m in models])[ob]
    most = np.minimum(level * largest[ob], cap[ob])  # the largest output a year this pair can have
    for t in range(horizon):
        pick = (tables.output[t, col] * count_x[ob]).astype(np.intp)
        output = level * samples.ravel()[ob * width_x + pick]
        if has_base:
            output *= base[ob, t]
        np.minimum(output, cap[ob], out=output)
        remaining -= output
        if has_additions:
            pick = (tables.added[t, col] * count_a[ob]).astype(np.intp)
            remaining += additions.ravel()[ob * width_a + pick]
        done = remaining <= tolerance[ob]
        left = last[ob] - 1 - t  # years still to simulate for this pair
        hopeless = ~done & ((left <= 0) | (remaining > left * most))
        finished.ravel()[flat[done]] = t
        keep = ~(done | hopeless)
        if not keep.any():
            break
        flat, ob, col, level, remaining, most = (a[keep] for a in (flat, ob, col, level, remaining, most))
    return finished


def _finished_shares(finished: Ints, horizon: int) -> Floats:
    """Per obligation, the share of draws finished by the end of each year offset 0 … horizon − 1."""
    n, draws = finished.shape
    if n == 0:
        return np.zeros((0, horizon))
    counts = np.bincount((np.arange(n)[:, None] * (horizon + 1) + finished).ravel(), minlength=n * (horizon + 1))
    return np.cumsum(counts.reshape(n, horizon + 1)[:, :horizon], axis=1) / draws


def _percentile(cumulative: Floats, q: float, start_year: int) -> int | None:
    """The first year by which at least a share q of the draws has finished (None beyond the horizon)."""
    reached = np.flatnonzero(cumulative >= q - 1e-12)
    return int(start_year + reached[0]) if reached.size else None


def _on_time(models: Sequence[_Model], tables: _Tables, caps: Sequence[float]) -> Floats:
    deadline = [m.years_to_deadline for m in models]
    finished = _simulate(models, tables, caps, deadline)
    return np.asarray((finished < np.asarray(deadline)[:, None]).mean(axis=1), dtype=np.float64)


def _extra_funding(models: Sequence[_Model], tables: _Tables, shares: dict[int, Floats]) -> dict[int, float | None]:
    """extra_funding_for_80 per obligation index (see the module docstring)."""
    extra: dict[int, float | None] = {}
    search: list[_Model] = []
    for m in models:
        cumulative = shares[m.index]
        k = m.years_to_deadline
        if k >= 1 and cumulative[k - 1] >= TARGET:
            extra[m.index] = 0.0
        elif m.cost is None or k < 1:
            extra[m.index] = None
        else:
            search.append(m)
    if not search:
        return extra
    # the cap above which money no longer binds: the largest output any draw can have in a year
    ceiling = [
        float(max(m.samples) * max(m.base[: m.years_to_deadline]) * np.exp(m.spread * tables.level.max()))
        for m in search
    ]
    low = np.array([_cap(m) for m in search])
    high = np.maximum(np.array(ceiling), low)
    reachable = _on_time(search, tables, list(high)) >= TARGET
    for _ in range(SEARCH_STEPS):
        if np.all(high - low <= 1e-3 * high):
            break
        middle = (low + high) / 2
        enough = _on_time(search, tables, list(middle)) >= TARGET
        high = np.where(enough, middle, high)
        low = np.where(enough, low, middle)
    for i, m in enumerate(search):
        if not reachable[i]:
            extra[m.index] = None
            continue
        assert m.cost is not None
        amount = math.ceil(max(high[i] * m.cost - m.funding, 0.0) * (1 + 1e-9))
        extra[m.index] = float(amount)
    return extra
