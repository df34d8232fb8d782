"""Completion forecast for open Article 3 and Article 4 obligations: a Monte Carlo model (no Django).

Quantities are m² (Art 4, contaminated area) or items (Art 3, stockpile); money is US dollars a year.

Per obligation and per draw d, the years y = start_year, start_year + 1, … are simulated up to the horizon:

    R₀ = remaining
    R_y = R_{y−1} + A_{d,y} − O_{d,y}
    completion year = the first y with R_y ≤ 10⁻⁹ · R₀ (additions stop once the work is done)

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

extra_funding_for_80: the least additional USD a year (to within 0.1 % of the total funding, then rounded up to a
whole dollar) for which
P(on time) ≥ 0.8, found by bisection over the funding cap with the same random numbers at every step (so
P(on time) never falls as funding rises); 0.0 when it is already ≥ 0.8. None when the cost per unit is unknown,
when the deadline has passed, or when even unlimited money does not reach 0.8 (output capacity or newly found
work bind, not money).

Thin data (status "thin", a plain-English reason and no numbers): remaining work unknown (not a finite number
≥ 0), or fewer than ``MIN_YEARS`` reported years with output and no plan with output.

Random numbers: one numpy Generator per call, seeded with ``seed``. Tables of which reported year each draw uses
each year (horizon × draws, one for outputs and one for additions) and standard normals (draws) are shared; an
obligation reads them at draw
(d + δᵢ) mod draws with its own random offset δᵢ, so obligations are independent of each other while each
obligation's numbers never depend on its funding or on which draws are still running (common random numbers).
Results therefore depend on the seed, the number of draws and the obligation's position in the list.

A deadline beyond the horizon is counted at the horizon. The method, with its assumptions, is written up in
docs/methods-forecast.md.
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
BLOCK = 1 << 16  # pairs simulated together
SLOTS = 2520  # the least common multiple of 1 … HISTORY_WINDOW: each of k ≤ 10 years gets SLOTS / k slots

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

    output: NDArray[np.uint8]  # horizon × HISTORY_WINDOW × draws: [t, k − 1, d] which of k reported years' output
    added: NDArray[np.uint8]  # the same for the additions
    level: NDArray[np.float64]  # draws standard normals
    offsets: NDArray[np.intp]  # per obligation


def _tables(seed: int, horizon: int, draws: int, obligations: int) -> _Tables:
    """The random numbers of one call. A slot uniform on 0 … SLOTS − 1 picks year slot // (SLOTS / k) of k."""
    rng = np.random.default_rng(seed)
    widths = (SLOTS // np.arange(1, HISTORY_WINDOW + 1, dtype=np.uint16))[None, :, None]
    output = rng.integers(0, SLOTS, size=(horizon, 1, draws), dtype=np.uint16)
    added = rng.integers(0, SLOTS, size=(horizon, 1, draws), dtype=np.uint16)
    return _Tables(
        output=(output // widths).astype(np.uint8),
        added=(added // widths).astype(np.uint8),
        level=rng.standard_normal(draws),
        offsets=rng.integers(0, draws, size=max(obligations, 1)).astype(np.intp),
    )


def forecast(
    inputs: Sequence[ForecastInput], *, draws: int = 10_000, seed: int = 2026, horizon: int = 40
) -> list[ForecastResult]:
    """Forecast every obligation (see the module docstring); results in the order of ``inputs``."""
    if draws < 1 or horizon < 1:
        raise ValueError("draws and horizon must be at least 1")
    tables = _tables(seed, horizon, draws, len(inputs))
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
    rows = {m.index: row for m, row in zip(running, finished_at, strict=True)}
    extra = _extra_funding(running, tables, shares, rows)

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


def _cap(m: _Model) -> float:
    """Units a year the funding pays for (infinite when the cost is unknown)."""
    return math.inf if m.cost is None else m.funding / m.cost


def _simulate(models: Sequence[_Model], tables: _Tables, caps: Sequence[float], years: Sequence[int]) -> Ints:
    """Completion year offset (0 = start_year) per obligation and draw; ``years[i]`` where not finished."""
    n, draws = len(models), tables.level.shape[0]
    pairs = np.arange(n * draws, dtype=np.intp)
    return _run(models, tables, caps, years, pairs // draws, pairs % draws).reshape(n, draws)


@dataclass(frozen=True)
class _Set:
    """Per-obligation arrays of one simulation, in units of each obligation's starting remaining work."""

    samples: Floats  # flat, HISTORY_WINDOW per obligation
    additions: Floats  # flat, HISTORY_WINDOW per obligation
    with_additions: NDArray[np.bool_]
    base: Floats  # year × obligation
    with_base: NDArray[np.bool_]
    largest: Floats  # the largest output a year at level 1
    count_x: Ints
    count_a: Ints
    offsets: Ints
    spread: Floats
    cap: Floats
    last: Ints


def _run(
    models: Sequence[_Model], tables: _Tables, caps: Sequence[float], years: Sequence[int], ob: Ints, draw: Ints
) -> Ints:
    """Completion year offset for each (obligation ``ob``, draw ``draw``) pair; ``years[ob]`` if not finished.

    The pairs are simulated in blocks of ``BLOCK`` (so that a block's arrays stay in the processor's cache),
    each block vectorised over its pairs with a loop over the years (see ``_block``).
    """
    n = len(models)
    last = np.asarray(years, dtype=np.intp)
    finished = last.take(ob)
    if n == 0 or ob.size == 0:
        return finished
    start = np.array([m.remaining for m in models])
    samples = np.zeros((n, HISTORY_WINDOW))
    additions = np.zeros((n, HISTORY_WINDOW))
    for i, m in enumerate(models):
        samples[i, : len(m.samples)] = m.samples
        additions[i, : len(m.additions)] = m.additions
    samples /= start[:, None]
    additions /= start[:, None]
    horizon = int(last.max())
    base = np.array([m.base[:horizon] for m in models]).T.copy()  # year × obligation
    given = _Set(
        samples=samples.ravel(),
        additions=additions.ravel(),
        with_additions=np.array([bool(m.additions) for m in models]),
        base=base,
        with_base=np.any(base != 1.0, axis=0),
        largest=samples.max(axis=1) * base.max(axis=0),
        count_x=np.array([len(m.samples) for m in models], dtype=np.intp),
        count_a=np.array([max(len(m.additions), 1) for m in models], dtype=np.intp),
        offsets=tables.offsets[[m.index for m in models]],
        spread=np.array([m.spread for m in models]),
        cap=np.asarray(caps, dtype=np.float64) / start,
        last=last,
    )
    for low in range(0, ob.size, BLOCK):
        high = min(low + BLOCK, ob.size)
        _block(given, tables, ob[low:high], draw[low:high], finished[low:high])
    return finished


def _block(given: _Set, tables: _Tables, ob: Ints, draw: Ints, finished: Ints) -> None:
    """Simulate one block of pairs, writing the year offset at which each finishes into ``finished``.

    Flat arrays over the pairs still running. A pair leaves when it finishes or when it cannot finish in the
    years left even at its largest possible output every year (additions only add work); the arrays are
    compacted once a third of their pairs have left. ``tables.output[t, k − 1, d]`` says which of k reported
    years' output the draw d uses in year t.
    """
    draws = tables.level.shape[0]
    has_additions = bool(given.with_additions.take(ob).any())
    has_base = bool(given.with_base.take(ob).any())
    index = np.arange(ob.size, dtype=np.intp)
    col = (draw + given.offsets.take(ob)) % draws
    # (the exponent is bounded only so that absurd records, spanning hundreds of orders of magnitude, cannot overflow)
    level = np.exp(np.minimum(given.spread.take(ob) * tables.level.take(col), 700.0))
    remaining = np.ones(ob.size)
    cap = given.cap.take(ob)
    # the largest output a year this pair can have (a hair more, so rounding never drops a pair that can finish)
    most = np.minimum(level * given.largest.take(ob), cap) * (1 + 1e-9)
    stop = given.last.take(ob)
    budget = (stop - 1) * most + RELATIVE_TOLERANCE  # the most it can still do after this year
    at = ob * HISTORY_WINDOW
    pick_x = (given.count_x.take(ob) - 1) * draws + col  # where the pair reads tables.output[t] (flattened)
    pick_a = (given.count_a.take(ob) - 1) * draws + col
    running = ob.size
    # work buffers, reused every year
    which, position = np.empty(ob.size, dtype=np.uint8), np.empty(ob.size, dtype=np.intp)
    output, found = np.empty(ob.size), np.empty(ob.size)
    done, leaves = np.empty(ob.size, dtype=bool), np.empty(ob.size, dtype=bool)
    for t in range(int(stop.max())):
        size = remaining.size
        w, p, o, f, d, e = which[:size], position[:size], output[:size], found[:size], done[:size], leaves[:size]
        np.take(tables.output[t].ravel(), pick_x, out=w, mode="clip")
        np.add(at, w, out=p)
        np.take(given.samples, p, out=o, mode="clip")
        np.multiply(o, level, out=o)
        if has_base:
            np.take(given.base[t], ob, out=f, mode="clip")
            np.multiply(o, f, out=o)
        np.minimum(o, cap, out=o)
        np.subtract(remaining, o, out=remaining)
        if has_additions:
            np.take(tables.added[t].ravel(), pick_a, out=w, mode="clip")
            np.add(at, w, out=p)
            np.take(given.additions, p, out=f, mode="clip")
            np.add(remaining, f, out=remaining)
        np.less_equal(remaining, RELATIVE_TOLERANCE, out=d)  # NaN (a pair that has left) is never done
        np.greater(remaining, budget, out=e)
        np.logical_or(d, e, out=e)
        leaving = np.flatnonzero(e)
        finished[index.take(leaving[d.take(leaving)])] = t
        remaining[leaving] = np.nan
        np.subtract(budget, most, out=budget)
        running -= leaving.size
        if running == 0:
            break
        if running < 2 * size // 3:
            keep = np.flatnonzero(~np.isnan(remaining))
            index, ob, at, pick_x, pick_a = (a.take(keep) for a in (index, ob, at, pick_x, pick_a))
            level, remaining, cap, most, budget = (a.take(keep) for a in (level, remaining, cap, most, budget))


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


def _extra_funding(
    models: Sequence[_Model], tables: _Tables, shares: dict[int, Floats], rows: dict[int, Ints]
) -> dict[int, float | None]:
    """extra_funding_for_80 per obligation index (see the module docstring).

    Bisection over each obligation's funding cap, all obligations at once. Common random numbers make the
    finish-by-the-deadline outcome of every draw monotone in the cap, so a draw that finishes at the lower end
    of the bracket finishes at every cap inside it, and one that does not finish at the upper end finishes at
    none: only the draws still undecided are simulated at each step.
    """
    extra: dict[int, float | None] = {}
    search: list[_Model] = []
    for m in models:
        k = m.years_to_deadline
        if k >= 1 and shares[m.index][k - 1] >= TARGET:
            extra[m.index] = 0.0
        elif m.cost is None or k < 1:
            extra[m.index] = None
        else:
            search.append(m)
    if not search:
        return extra
    draws = tables.level.shape[0]
    needed = math.ceil(TARGET * draws - 1e-9)  # draws that must finish on time
    deadline = [m.years_to_deadline for m in search]
    low = np.array([_cap(m) for m in search])
    # above this cap money no longer binds: it exceeds the largest output any draw can have in a year
    high = np.array(
        [
            max(m.samples) * max(m.base[: m.years_to_deadline]) * math.exp(min(m.spread * tables.level.max(), 700.0))
            for m in search
        ]
    )
    high = np.maximum(high * (1 + 1e-9), low)
    pairs = np.arange(len(search) * draws, dtype=np.intp)
    ob, draw = pairs // draws, pairs % draws
    at_low = np.concatenate([rows[m.index] < m.years_to_deadline for m in search])  # at the current funding
    sure = np.bincount(ob[at_low], minlength=len(search))  # finish at the lower end, so at every cap above
    # a draw that cannot clear the work by the deadline even at its largest output every year (and nothing
    # found) is out at any funding; an obligation without enough other draws cannot reach the target
    spread = np.array([m.spread for m in search])
    col = (draw + tables.offsets[[m.index for m in search]][ob]) % draws
    level = np.exp(np.minimum(spread[ob] * tables.level[col], 700.0))
    years_at_most = np.array([max(m.samples) * max(m.base[: m.years_to_deadline]) / m.remaining for m in search])
    years_at_most *= np.asarray(deadline)  # the share of the work done by the deadline at the most each year
    possible = ~at_low & (level * years_at_most[ob] * (1 + 1e-9) + RELATIVE_TOLERANCE >= 1.0)
    hopeful = sure + np.bincount(ob[possible], minlength=len(search)) >= needed
    possible &= hopeful[ob]
    ob, draw = ob[possible], draw[possible]
    at_high = _run(search, tables, list(high), deadline, ob, draw) < np.asarray(deadline)[ob]
    reachable = sure + np.bincount(ob[at_high], minlength=len(search)) >= needed
    ob, draw = ob[at_high], draw[at_high]  # undecided: finish at the upper end, not at the lower
    for _ in range(SEARCH_STEPS):
        active = reachable & (high - low > 1e-3 * high)
        if not active.any():
            break
        middle = np.where(active, (low + high) / 2, high)
        chosen = active[ob]
        ob_now, draw_now = ob[chosen], draw[chosen]
        finishes = _run(search, tables, list(middle), deadline, ob_now, draw_now) < np.asarray(deadline)[ob_now]
        count = sure + np.bincount(ob_now[finishes], minlength=len(search))
        enough = active & (count >= needed)
        short = active & ~enough
        high = np.where(enough, middle, high)
        low = np.where(short, middle, low)
        sure = np.where(short, count, sure)
        # enough: the undecided are now those finishing at the middle; short: those not finishing there
        stays = np.ones(ob.size, dtype=bool)
        stays[np.flatnonzero(chosen)] = np.where(enough[ob_now], finishes, ~finishes)
        ob, draw = ob[stays], draw[stays]
    for i, m in enumerate(search):
        cost = m.cost or 0.0  # always known here
        amount = max(high[i] * cost - m.funding, 0.0) * (1 + 1e-9)
        extra[m.index] = float(math.ceil(amount)) if reachable[i] and math.isfinite(amount) else None
    return extra
