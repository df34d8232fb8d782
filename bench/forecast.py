"""Benchmark: the completion forecast on synthetic obligations.

    .venv/bin/python bench/forecast.py [--obligations 150] [--draws 10000] [--runs 3] [--baseline-draws 200] [--json]

Builds --obligations realistic synthetic obligations (three in four clearance, one in four stockpile; 3 to 12
reported years with a State's own level and spread, occasional newly found work, some with only a plan, a few
too thin to forecast, most with a cost per unit and funding near what the work needs, deadlines 1 to 11 years
ahead, between 0.9 and 2 times the work left at the State's level), then times ``forecast`` with --draws draws:
the whole call (simulation to the horizon and the search for the extra funding) and the simulation alone, best
of --runs, in wall-clock and in CPU time (the machine is shared: CPU time is the steadier figure). The baseline
is the same model written as a plain-Python loop per draw and per year, reading the same random numbers, run on
the first --baseline-draws draws of every obligation and extrapolated to --draws; its completion years must
equal the vectorised ones.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from ccm.analytics import forecast as fc  # noqa: E402
from ccm.analytics.forecast import ForecastInput  # noqa: E402

START = 2026
T = TypeVar("T")


def obligations(count: int, seed: int = 16) -> list[ForecastInput]:
    """Synthetic obligations with a realistic mix (see the module docstring)."""
    rnd = random.Random(seed)  # noqa: S311 - repeatable data, not a secret
    made = []
    for i in range(count):
        kind = "art3" if i % 4 == 3 else "art4"
        level = 10 ** rnd.uniform(4.5, 7) if kind == "art4" else 10 ** rnd.uniform(2, 5)  # units a year
        spread = rnd.uniform(0.1, 0.6)
        years = rnd.choice([0, 1, 2, *range(3, 13)])
        found_often = rnd.random() * (0.5 if kind == "art4" else 0.1)
        history = tuple(
            (
                START - years + k,
                0.0 if rnd.random() < 0.05 else level * math.exp(rnd.gauss(0, spread)),
                level * rnd.uniform(0.1, 1.5) if rnd.random() < found_often else 0.0,
            )
            for k in range(years)
        )
        left = rnd.uniform(2, 12)  # years of work at the State's level
        remaining = level * left
        deadline = START + min(max(round(left * rnd.uniform(0.9, 2.0)) - 1, 0), 10)
        plan = (
            tuple((START + k, remaining / (deadline - START + 1)) for k in range(deadline - START + 1))
            if rnd.random() < 0.6
            else ()
        )
        cost = (rnd.uniform(0.3, 3.0) if kind == "art4" else rnd.uniform(5, 150)) if rnd.random() < 0.8 else None
        funding = (cost or 1.0) * level * rnd.uniform(0.4, 1.6)
        national = funding * rnd.uniform(0.1, 0.6)
        made.append(
            ForecastInput(
                key=f"S{i:03d}-{kind}",
                kind=kind,
                remaining=remaining,
                start_year=START,
                deadline_year=deadline,
                history=history,
                planned=plan,
                cost_per_unit=cost,
                national_funding=national,
                international_funding=funding - national,
            )
        )
    return made


def baseline(models: list[fc._Model], tables: fc._Tables, horizon: int, draws: int) -> list[list[int]]:
    """The same simulation as ``fc._run``, one draw and one year at a time in plain Python."""
    output, added, normal, offsets = (
        tables.output.tolist(), tables.added.tolist(), tables.level.tolist(), tables.offsets.tolist()
    )  # fmt: skip
    total = len(normal)
    result = []
    for m in models:
        samples = [x / m.remaining for x in m.samples]
        additions = [a / m.remaining for a in m.additions]
        cap = fc._cap(m) / m.remaining
        largest = max(samples) * max(m.base[:horizon])
        row = []
        for d in range(draws):
            col = (d + offsets[m.index]) % total
            level = float(np.exp(m.spread * normal[col]))
            most = min(level * largest, cap) * (1 + 1e-9)
            remaining, year = 1.0, horizon
            for t in range(horizon):
                x = samples[output[t][len(samples) - 1][col]] * level
                if m.base[t] != 1.0:
                    x *= m.base[t]
                remaining -= min(x, cap)
                if additions:
                    remaining += additions[added[t][len(additions) - 1][col]]
                if remaining <= fc.RELATIVE_TOLERANCE:
                    year = t
                    break
                if remaining > (horizon - 1 - t) * most + fc.RELATIVE_TOLERANCE:
                    break
            row.append(year)
        result.append(row)
    return result


def best(runs: int, call: Callable[[], T]) -> tuple[float, float, T]:
    """The best wall-clock and CPU seconds of ``runs`` calls, and the last call's value."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        value = call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--obligations", type=int, default=150)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-draws", type=int, default=200)
    parser.add_argument("--horizon", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    inputs = obligations(args.obligations)
    draws, horizon, seed = args.draws, args.horizon, 2026

    whole, whole_cpu, results = best(args.runs, lambda: fc.forecast(inputs, draws=draws, seed=seed, horizon=horizon))
    tables = fc._tables(seed, horizon, draws, len(inputs))
    built = [fc._model(i, item, horizon) for i, item in enumerate(inputs)]
    models = [m for m in built if isinstance(m, fc._Model) and m.remaining > 0]
    caps = [fc._cap(m) for m in models]
    simulation, simulation_cpu, finished = best(
        args.runs, lambda: fc._simulate(models, tables, caps, [horizon] * len(models))
    )
    sub = min(args.baseline_draws, draws)
    started = time.process_time()
    slow = baseline(models, tables, horizon, sub)
    baseline_cpu = (time.process_time() - started) * draws / sub
    agree = bool(np.array_equal(np.asarray(slow), finished[:, :sub]))

    status = {s: sum(r.status == s for r in results) for s in ("ok", "thin")}
    searched = sum(r.extra_funding_for_80 not in (None, 0.0) for r in results)
    figures = {
        "obligations": len(inputs),
        "forecast": status["ok"],
        "thin": status["thin"],
        "simulated": len(models),
        "draws": draws,
        "horizon": horizon,
        "extra_funding_found": searched,
        "whole_call_seconds": round(whole, 4),
        "whole_call_cpu_seconds": round(whole_cpu, 4),
        "whole_call_draws_per_second": round(len(inputs) * draws / whole),
        "simulation_seconds": round(simulation, 4),
        "simulation_cpu_seconds": round(simulation_cpu, 4),
        "simulation_draws_per_second": round(len(models) * draws / simulation),
        "baseline_draws": sub,
        "baseline_cpu_seconds_extrapolated": round(baseline_cpu, 2),
        "ratio_baseline_to_simulation_cpu": round(baseline_cpu / simulation_cpu, 1),
        "baseline_agrees": agree,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{len(inputs)} obligations ({status['ok']} forecast, {status['thin']} thin; {len(models)} simulated) "
        f"× {draws:,} draws, horizon {horizon} years; an extra funding amount found for {searched}"
    )
    print(
        f"whole call:  {whole * 1000:7.0f} ms wall, {whole_cpu * 1000:5.0f} ms CPU "
        f"({figures['whole_call_draws_per_second']:,} obligation-draws/s)"
    )
    print(
        f"simulation:  {simulation * 1000:7.0f} ms wall, {simulation_cpu * 1000:5.0f} ms CPU "
        f"({figures['simulation_draws_per_second']:,} obligation-draws/s)"
    )
    print(
        f"baseline (plain Python per draw, {sub} draws extrapolated): {baseline_cpu:.1f} s CPU; "
        f"ratio {figures['ratio_baseline_to_simulation_cpu']}× the simulation's CPU time; "
        f"same completion years: {agree}"
    )


if __name__ == "__main__":
    main()
