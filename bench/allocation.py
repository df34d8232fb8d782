"""The coordinated allocation against a straightforward PuLP/CBC formulation of the same programme.

    .venv/bin/python bench/allocation.py [--sizes 1000 5000 20000] [--donors 40] [--seed 1]
                                         [--skip-peer-above N] [--json]

For each number of needs (with 40 donors, from ``scenario``) it times ``allocate`` end to end (the
aggregated model, both stages, the lines, the baseline) and the peer: one PuLP variable per eligible
donor–need pair, the same two stages (amounts in millions, the same States, tolerance and preference
term) solved with CBC, the lines read back. It prints both times, their ratio, the eligible pairs, the
lowest urgency-weighted coverage each reached (asserted to agree within 1e-6) and the lowest plain
coverage, and how the time grows with size. The peer is skipped above --skip-peer-above needs.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pulp  # noqa: E402

from ccm.analytics import allocation  # noqa: E402
from ccm.analytics.allocation import AllocDonor, AllocNeed, Outcome, allocate, scenario  # noqa: E402

AGREEMENT = 1e-6


def peer(needs: list[AllocNeed], donors: list[AllocDonor]) -> Outcome:
    """The same two stages with one variable per eligible donor–need pair, built with PuLP, solved by CBC."""
    data = allocation._data(needs, donors)
    scale = allocation.SCALE
    pairs = list(zip(*np.nonzero(data.eligible), strict=True))
    n_states = len(data.states)
    weighted_gap = np.bincount(data.state, weights=data.urgency * data.gap / scale, minlength=n_states)
    bonus = allocation.PREFERENCE * float(data.urgency.min())

    problem = pulp.LpProblem("allocation", pulp.LpMaximize)
    x = {(int(d), int(i)): pulp.LpVariable(f"x_{d}_{i}", lowBound=0) for d, i in pairs}
    t = pulp.LpVariable("t", lowBound=0, upBound=1)
    by_donor: dict[int, list[int]] = {}
    by_need: dict[int, list[int]] = {}
    by_state: dict[int, list[tuple[int, int]]] = {}
    for d, i in x:
        by_donor.setdefault(d, []).append(i)
        by_need.setdefault(i, []).append(d)
        by_state.setdefault(int(data.state[i]), []).append((d, i))
    problem += t
    for d, its_needs in by_donor.items():
        problem += pulp.lpSum(x[d, i] for i in its_needs) <= data.envelope[d] / scale
    for i, its_donors in by_need.items():
        problem += pulp.lpSum(x[d, i] for d in its_donors) <= data.gap[i] / scale
    for s, its_pairs in by_state.items():
        problem += pulp.lpSum(data.urgency[i] / weighted_gap[s] * x[d, i] for d, i in its_pairs) >= t
    problem.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.LpStatus[problem.status] == "Optimal", pulp.LpStatus[problem.status]
    lowest = float(t.value())

    problem += t >= max(0.0, lowest - allocation.STAGE_TOLERANCE)
    problem.setObjective(
        pulp.lpSum(
            (data.urgency[i] + bonus * data.preferred[d, data.state[i]]) * variable for (d, i), variable in x.items()
        )
    )
    problem.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.LpStatus[problem.status] == "Optimal", pulp.LpStatus[problem.status]
    donor = np.array([d for d, _ in x], dtype=np.intp)
    need = np.array([i for _, i in x], dtype=np.intp)
    amount = np.array([max(v.value() or 0.0, 0.0) * scale for v in x.values()])
    return allocation._outcome(data, donor, need, amount)


def measure(n_needs: int, n_donors: int, seed: int, with_peer: bool) -> dict[str, Any]:
    needs, donors = scenario(n_needs, n_donors, seed)
    started = time.perf_counter()
    result = allocate(needs, donors)
    ours = time.perf_counter() - started
    assert result.status == "optimal" and result.coordinated and result.baseline, result.message
    row: dict[str, Any] = {
        "needs": n_needs,
        "donors": n_donors,
        "eligible_pairs": result.eligible_pairs,
        "seconds": round(ours, 3),
        "lowest_weighted_coverage": result.coordinated.lowest_weighted_coverage,
        "lowest_coverage": result.coordinated.lowest_coverage,
        "baseline_lowest_weighted_coverage": result.baseline.lowest_weighted_coverage,
        "states_with_nothing": result.coordinated.states_with_nothing,
        "baseline_states_with_nothing": result.baseline.states_with_nothing,
        "peer_seconds": None,
        "ratio": None,
        "peer_lowest_weighted_coverage": None,
        "peer_lowest_coverage": None,
        "agreement": None,
    }
    if with_peer:
        started = time.perf_counter()
        theirs = peer(needs, donors)
        row["peer_seconds"] = round(time.perf_counter() - started, 3)
        row["ratio"] = round(row["peer_seconds"] / ours, 1)
        row["peer_lowest_weighted_coverage"] = theirs.lowest_weighted_coverage
        row["peer_lowest_coverage"] = theirs.lowest_coverage
        row["agreement"] = abs(theirs.lowest_weighted_coverage - result.coordinated.lowest_weighted_coverage)
        assert row["agreement"] <= AGREEMENT, f"lowest coverage differs by {row['agreement']:.2e}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--donors", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-peer-above", type=int, default=None, metavar="N")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    allocate(*scenario(20, 3, args.seed))  # load HiGHS once, outside the timings
    rows = []
    for size in args.sizes:
        with_peer = args.skip_peer_above is None or size <= args.skip_peer_above
        rows.append(measure(size, args.donors, args.seed, with_peer))
        if not args.json:
            print_row(rows[-1])
    growth = [
        {
            "from": a["needs"],
            "to": b["needs"],
            "needs_factor": round(b["needs"] / a["needs"], 2),
            "time_factor": round(b["seconds"] / a["seconds"], 2),
            "exponent": round(math.log(b["seconds"] / a["seconds"]) / math.log(b["needs"] / a["needs"]), 2),
        }
        for a, b in zip(rows, rows[1:], strict=False)
    ]
    if args.json:
        print(json.dumps({"sizes": rows, "growth": growth}, indent=2))
        return
    for g in growth:
        print(
            f"{g['from']:>6} → {g['to']:<6} needs ×{g['needs_factor']}: time ×{g['time_factor']} "
            f"(time ∝ needs^{g['exponent']})"
        )


def print_row(row: dict[str, Any]) -> None:
    print(
        f"{row['needs']:>6} needs × {row['donors']} donors, {row['eligible_pairs']:,} eligible pairs: "
        f"ours {row['seconds']:.3f} s, lowest weighted coverage {row['lowest_weighted_coverage']:.9f} "
        f"(plain {row['lowest_coverage']:.4f}); baseline {row['baseline_lowest_weighted_coverage']:.4f}; "
        f"States with nothing {row['states_with_nothing']} (baseline {row['baseline_states_with_nothing']})"
    )
    if row["peer_seconds"] is None:
        print("        peer skipped")
    else:
        print(
            f"        PuLP/CBC per pair {row['peer_seconds']:.3f} s, ratio {row['ratio']}×, lowest weighted coverage "
            f"{row['peer_lowest_weighted_coverage']:.9f} (plain {row['peer_lowest_coverage']:.4f}), "
            f"agreement {row['agreement']:.1e}"
        )


if __name__ == "__main__":
    main()
