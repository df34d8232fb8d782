"""Small-number protection, tested as an attacker would read the published table.

The attacker knows every published number, that a "fewer than 5" cell lies in 1..4, that a withheld
cell is at least 5 (zeros are never withheld), and every relation between a total and its parts — as an
equality when it holds exactly. For each suppressed cell they solve two integer programmes (its smallest
and largest possible value); the test fails if the two agree, i.e. if the cell can be worked out.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from ccm.analytics.suppression import Relation, Status, exposed_cells, protect, two_way_relations

ROWS = ("f", "m", "u")
COLS = ("c", "a", "u")
GRID = two_way_relations(ROWS, COLS, "all")


def integer_ranges(published: dict, cells: dict, relations: list[Relation]) -> dict:
    """The attacker: the integer range of every suppressed cell, from the published table only (the
    published values, the status of suppressed cells, and which relations hold with equality)."""
    hidden = [k for k, v in published.items() if isinstance(v, Status)]
    index = {k: i for i, k in enumerate(hidden)}
    rows, lower, upper = [], [], []
    for rel in relations:
        if rel.total not in published:
            continue
        parts = [p for p in rel.parts if p in published]
        if not parts:
            continue
        row = np.zeros(len(hidden))
        rhs = 0.0
        for key, sign in [(p, 1.0) for p in parts] + [(rel.total, -1.0)]:
            if key in index:
                row[index[key]] += sign
            else:
                rhs -= sign * published[key]
        if not row.any():
            continue
        equal = sum(cells[p] for p in parts) == cells[rel.total]  # the careful attacker's assumption
        rows.append(row)
        lower.append(rhs if equal else -np.inf)
        upper.append(rhs)
    lo = [1 if published[k] == Status.SMALL else 5 for k in hidden]
    hi = [4 if published[k] == Status.SMALL else 10**7 for k in hidden]
    out = {}
    for key, i in index.items():
        ends = []
        for sign in (1, -1):
            c = np.zeros(len(hidden))
            c[i] = sign
            result = milp(
                c,
                integrality=np.ones(len(hidden)),
                bounds=Bounds(lo, hi),
                constraints=[LinearConstraint(np.array(rows), lower, upper)] if rows else [],
            )
            assert result.status == 0, "the true values must be feasible"
            ends.append(round(sign * result.fun))
        out[key] = tuple(ends)
    return out


def publish(cells: dict, relations: list[Relation]) -> dict:
    status = protect(cells, relations)
    return {k: (cells[k] if s == Status.SHOWN else s) for k, s in status.items()}


def assert_nothing_recoverable(cells: dict, relations: list[Relation]) -> dict:
    published = publish(cells, relations)
    for key, (low, high) in integer_ranges(published, cells, relations).items():
        assert low < high, f"{key} = {cells[key]} is recoverable from {published}"
        assert low <= cells[key] <= high
    return published


def consistent_grid(rng: random.Random, small_bias: float = 0.5, missing: float = 0.2) -> dict:
    interior = {
        (r, c): rng.choice([0, 1, 2, 3, 4]) if rng.random() < small_bias else rng.randint(0, 40)
        for r in ROWS
        for c in COLS
    }
    cells = dict(interior)
    for r in ROWS:
        cells[(r, "all")] = sum(interior[(r, c)] for c in COLS) + (rng.randint(0, 3) if rng.random() < 0.2 else 0)
    for c in COLS:
        cells[("all", c)] = sum(interior[(r, c)] for r in ROWS)
    cells[("all", "all")] = max(sum(cells[(r, "all")] for r in ROWS), sum(cells[("all", c)] for c in COLS))
    # some cells not reported (never the total)
    for key in list(cells):
        if key != ("all", "all") and rng.random() < missing:
            del cells[key]
    # the row margins' slack must keep the column side valid: make the total the larger sum
    return cells


def test_a_count_from_one_to_four_is_small_and_zero_is_shown():
    status = protect({("f", "c"): 0, ("f", "a"): 3, ("f", "u"): 5, ("all", "all"): 30}, [])
    assert status == {
        ("f", "c"): Status.SHOWN,
        ("f", "a"): Status.SMALL,
        ("f", "u"): Status.SHOWN,
        ("all", "all"): Status.SHOWN,
    }


def test_a_total_that_gives_away_the_only_small_part_is_protected_by_a_second_cell():
    cells = {"total": 20, "a": 3, "b": 9, "c": 8}
    relations = [Relation("total", ("a", "b", "c"))]
    status = protect(cells, relations)
    assert status["a"] == Status.SMALL
    assert status["c"] == Status.WITHHELD  # the next smallest part, not the total
    assert status["b"] == Status.SHOWN and status["total"] == Status.SHOWN
    assert_nothing_recoverable(cells, relations)


def test_a_pair_whose_bounds_pin_the_small_cell_takes_a_third():
    # small 1 + withheld 5 = 6 would pin both (1..4 and >=5): a third cell is withheld
    cells = {"total": 26, "a": 1, "b": 5, "c": 20}
    relations = [Relation("total", ("a", "b", "c"))]
    published = assert_nothing_recoverable(cells, relations)
    assert sum(isinstance(v, Status) for v in published.values()) >= 3


def test_an_incomplete_breakdown_still_bounds_a_cell():
    # total 10, parts 6 + small: the small cell is at most 4 and at least 1 — no equality, nothing exact
    cells = {"total": 10, "a": 6, "b": 2}
    assert protect(cells, [Relation("total", ("a", "b"))])["a"] == Status.SHOWN
    # total 7, parts 6 + small 1: "at most 1" pins it: protected
    cells = {"total": 8, "a": 6, "b": 1}
    assert_nothing_recoverable(cells, [Relation("total", ("a", "b"))])


def test_an_exposed_cell_is_reported_by_the_check():
    cells = {"total": 20, "a": 3, "b": 17}
    status = {"total": Status.SHOWN, "a": Status.SMALL, "b": Status.SHOWN}
    assert exposed_cells(cells, status, [Relation("total", ("a", "b"))]) == ["a"]


def test_a_full_two_way_table_with_margins():
    cells = {(r, c): v for (r, c), v in zip(itertools.product(ROWS, COLS), [2, 10, 0, 7, 15, 1, 0, 0, 3], strict=True)}
    for r in ROWS:
        cells[(r, "all")] = sum(cells[(r, c)] for c in COLS)
    for c in COLS:
        cells[("all", c)] = sum(cells[(r, c)] for r in ROWS)
    cells[("all", "all")] = sum(cells[(r, "all")] for r in ROWS)
    assert_nothing_recoverable(cells, GRID)


@pytest.mark.parametrize("seed", range(60))
def test_random_two_way_tables_leak_nothing(seed):
    assert_nothing_recoverable(consistent_grid(random.Random(seed)), GRID)  # noqa: S311 - test data


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6), st.integers(min_value=0, max_value=3))
def test_one_way_tables_leak_nothing(parts, slack):
    cells = {"total": sum(parts) + slack, **{f"p{i}": v for i, v in enumerate(parts)}}
    assert_nothing_recoverable(cells, [Relation("total", tuple(f"p{i}" for i in range(len(parts))))])


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        protect({"a": -1}, [])
