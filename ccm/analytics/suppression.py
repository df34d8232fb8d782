"""Small-number protection of a table with margins (pure Python; the method is in ``docs/methods.md``).

A table is a mapping of cell keys to exact counts (only the cells that were reported) and a list of
``Relation`` s: a total and the cells that break it down (the parts' sum never exceeds the total).

- **Primary suppression.** A count from 1 to 4 is published as "fewer than 5" (``Status.SMALL``).
  Zero is published as zero: it tells that nobody was counted in the group, which describes no person.
- **Secondary (complementary) suppression.** A reader knows every published number, that a small cell
  lies in 1..4, that a withheld cell is 0 or at least 5 (we never withhold a zero, so: at least 5), and
  every relation — as an equality when the parts add up to the total, as "at most" otherwise. While
  some suppressed cell's value follows exactly from that (its smallest and largest possible values,
  found by linear programming, agree), the smallest non-zero published cell of a relation that holds
  the exposed cell is withheld too (``Status.WITHHELD``); a part before a total when they are equal.

``exposed_cells`` is the attacker's check, also used by the tests.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

SMALL_MAX = 4  # counts 1..SMALL_MAX are published as "fewer than SMALL_MAX + 1"
WITHHELD_MIN = SMALL_MAX + 1  # a withheld cell is never small (it would be SMALL) and never zero

Key = Any  # any hashable cell key


class Status(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: 1..4, published as "fewer than 5"
    WITHHELD = "withheld"  # secondary: withheld so that a small cell cannot be worked out


@dataclass(frozen=True)
class Relation:
    """``total`` is at least the sum of ``parts`` (and equal to it when the breakdown is complete)."""

    total: Key
    parts: tuple[Key, ...]


@dataclass(frozen=True)
class _Rel:
    total: Key
    parts: tuple[Key, ...]
    equal: bool


def _relations(cells: Mapping[Key, int], relations: Iterable[Relation]) -> list[_Rel]:
    """The relations among reported cells, as a reader who assumes complete breakdowns would use them:
    an equality whenever the reported parts add up to the total (the careful assumption), else "at most"."""
    out = []
    for relation in relations:
        if relation.total not in cells:
            continue
        parts = tuple(p for p in relation.parts if p in cells)
        if not parts:
            continue
        out.append(_Rel(relation.total, parts, sum(cells[p] for p in parts) == cells[relation.total]))
    return out


def _range(status: Status) -> tuple[float, float | None]:
    return (1, SMALL_MAX) if status == Status.SMALL else (WITHHELD_MIN, None)


def value_ranges(
    cells: Mapping[Key, int], status: Mapping[Key, Status], relations: Sequence[_Rel], *, first_exposed: bool = False
) -> dict[Key, tuple[float, float]]:
    """For every suppressed cell, the smallest and largest value consistent with what is published
    (``inf`` when unbounded): two linear programmes per cell, solved with HiGHS on one model whose
    objective alone changes. ``first_exposed``: stop at the first cell whose range is a single value."""
    import highspy

    hidden = [k for k, s in status.items() if s != Status.SHOWN]
    if not hidden:
        return {}
    index = {k: i for i, k in enumerate(hidden)}
    rows: list[tuple[list[int], list[float], float, float]] = []
    for rel in relations:
        # parts - total (= or <=) 0, published cells moved to the right-hand side
        coefficients: dict[int, float] = {}
        rhs = 0.0
        for key, sign in [(p, 1.0) for p in rel.parts] + [(rel.total, -1.0)]:
            if key in index:
                coefficients[index[key]] = coefficients.get(index[key], 0.0) + sign
            else:
                rhs -= sign * cells[key]
        coefficients = {i: c for i, c in coefficients.items() if c}
        if coefficients:
            low = rhs if rel.equal else -highspy.kHighsInf
            rows.append((list(coefficients), list(coefficients.values()), low, rhs))
    lower = [float(_range(status[k])[0]) for k in hidden]
    upper = [float(_range(status[k])[1] or highspy.kHighsInf) for k in hidden]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(len(hidden), np.array(lower), np.array(upper))
    for columns, values, low, high in rows:
        h.addRow(low, high, len(columns), np.array(columns, dtype=np.int32), np.array(values))
    involved = {i for columns, _v, _l, _h in rows for i in columns}
    out: dict[Key, tuple[float, float]] = {}
    for key, i in index.items():
        if i not in involved:
            out[key] = (lower[i], upper[i] if upper[i] < highspy.kHighsInf else float("inf"))
            continue
        ends = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.changeColCost(i, 1.0)
            h.run()
            model_status = h.getModelStatus()
            if model_status == highspy.HighsModelStatus.kOptimal:
                ends.append(float(h.getInfo().objective_function_value))
            elif model_status == highspy.HighsModelStatus.kUnbounded:
                ends.append(float("-inf") if sense == highspy.ObjSense.kMinimize else float("inf"))
            else:  # infeasible cannot happen for true data; treat the cell as not worked out
                ends.append(float("nan"))
            h.changeColCost(i, 0.0)
        out[key] = (ends[0], ends[1])
        if first_exposed and _determined(*out[key]):
            break
    return out


def _determined(low: float, high: float) -> bool:
    return bool(np.isfinite(low) and np.isfinite(high) and high - low < 0.5)


def exposed_cells(cells: Mapping[Key, int], status: Mapping[Key, Status], relations: Iterable[Relation]) -> list[Key]:
    """The suppressed cells whose exact value a reader can work out from what is published."""
    rels = _relations(cells, relations)
    return [k for k, (low, high) in value_ranges(cells, status, rels).items() if _determined(low, high)]


def protect(cells: Mapping[Key, int], relations: Iterable[Relation]) -> dict[Key, Status]:
    """The status of every reported cell: shown, small (primary) or withheld (secondary)."""
    rel_list = list(relations)
    frozen = tuple(sorted(cells.items(), key=repr))
    return dict(_protect(frozen, tuple(rel_list)))


@lru_cache(maxsize=4096)
def _protect(frozen: tuple[tuple[Key, int], ...], relations: tuple[Relation, ...]) -> tuple[tuple[Key, Status], ...]:
    cells = dict(frozen)
    for value in cells.values():
        if value < 0:
            raise ValueError("Counts are never negative.")
    status = {k: (Status.SMALL if 1 <= v <= SMALL_MAX else Status.SHOWN) for k, v in cells.items()}
    if all(s == Status.SHOWN for s in status.values()):
        return tuple(status.items())
    rels = _relations(cells, relations)
    order = {k: i for i, k in enumerate(cells)}
    totals = {r.total for r in rels}
    for _round in range(len(cells) + 1):
        ranges = value_ranges(cells, status, rels, first_exposed=True)
        exposed = [k for k, (low, high) in ranges.items() if _determined(low, high)]
        if not exposed:
            break
        key = exposed[0]
        near = {c for r in rels if key == r.total or key in r.parts for c in (r.total, *r.parts)}
        candidates = [c for c in near if status[c] == Status.SHOWN and cells[c] > 0]
        if not candidates:  # nothing left beside it: withhold every other non-zero cell of the table
            candidates = [c for c in cells if status[c] == Status.SHOWN and cells[c] > 0]
        if not candidates:
            break
        chosen = min(candidates, key=lambda c: (cells[c], c in totals, order[c]))
        status[chosen] = Status.WITHHELD
    return tuple(status.items())


def two_way_relations(rows: Sequence[Hashable], cols: Sequence[Hashable], all_key: Hashable) -> list[Relation]:
    """The relations of a two-way table whose cells are ``(row, col)`` keys, with margins
    ``(row, all_key)``, ``(all_key, col)`` and the total ``(all_key, all_key)``."""
    total = (all_key, all_key)
    interior = tuple((r, c) for r in rows for c in cols)
    return [
        *[Relation((r, all_key), tuple((r, c) for c in cols)) for r in rows],
        *[Relation((all_key, c), tuple((r, c) for r in rows)) for c in cols],
        Relation(total, tuple((r, all_key) for r in rows)),
        Relation(total, tuple((all_key, c) for c in cols)),
        Relation(total, interior),
    ]
