"""Coverage: what is required against what is pledged, committed and disbursed, and how concentrated
the funding is (no Django imports; amounts in US dollars).

Per cell (State, pillar, year):
- required = the larger of the international requirement in the completion plan in force (cost −
  national funding) and the sum of the State's needs (they often describe the same gap, so they are
  not added together);
- funded = per funder, the larger of what it committed and what it disbursed (a disbursement usually
  follows a commitment of the same money), summed over funders;
- coverage = funded ÷ required; donors = funders with money in the cell; concentration = the
  Herfindahl-Hirschman index of the funders' shares (1 = a single donor) and the top donor's share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

Cell = tuple[str, str, int]  # (State ISO3, pillar, year)


@dataclass(frozen=True)
class FlowFact:
    state: str
    pillar: str
    year: int
    funder: str
    stage: str  # pledge | commitment | disbursement
    usd: Decimal


@dataclass(frozen=True)
class RequirementFact:
    state: str
    pillar: str
    year: int
    usd: Decimal
    origin: str  # "plan" or "needs"


@dataclass
class CoverageCell:
    state: str
    pillar: str
    year: int
    required: Decimal = Decimal(0)
    pledged: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    funded: Decimal = Decimal(0)
    by_funder: dict[str, Decimal] = field(default_factory=dict)

    @property
    def coverage(self) -> float | None:
        return float(self.funded / self.required) if self.required else None

    @property
    def donors(self) -> int:
        return sum(1 for amount in self.by_funder.values() if amount > 0)

    @property
    def hhi(self) -> float | None:
        total = sum(self.by_funder.values(), Decimal(0))
        if not total:
            return None
        return float(sum((amount / total) ** 2 for amount in self.by_funder.values()))

    @property
    def top_donor_share(self) -> float | None:
        total = sum(self.by_funder.values(), Decimal(0))
        return float(max(self.by_funder.values()) / total) if total else None

    @property
    def gap(self) -> Decimal:
        return max(self.required - self.funded, Decimal(0))


def coverage(flows: Iterable[FlowFact], requirements: Iterable[RequirementFact]) -> list[CoverageCell]:
    cells: dict[Cell, CoverageCell] = {}

    def cell(key: Cell) -> CoverageCell:
        if key not in cells:
            cells[key] = CoverageCell(*key)
        return cells[key]

    plan: dict[Cell, Decimal] = defaultdict(Decimal)
    needs: dict[Cell, Decimal] = defaultdict(Decimal)
    for requirement in requirements:
        key = (requirement.state, requirement.pillar, requirement.year)
        (plan if requirement.origin == "plan" else needs)[key] += requirement.usd
    for key in set(plan) | set(needs):
        cell(key).required = max(plan.get(key, Decimal(0)), needs.get(key, Decimal(0)))
    committed: dict[tuple[Cell, str], Decimal] = defaultdict(Decimal)
    disbursed: dict[tuple[Cell, str], Decimal] = defaultdict(Decimal)
    for flow in flows:
        key = (flow.state, flow.pillar, flow.year)
        target = cell(key)
        if flow.stage == "pledge":
            target.pledged += flow.usd
        elif flow.stage == "commitment":
            target.committed += flow.usd
            committed[(key, flow.funder)] += flow.usd
        else:
            target.disbursed += flow.usd
            disbursed[(key, flow.funder)] += flow.usd
    for key_funder in set(committed) | set(disbursed):
        key, funder = key_funder
        amount = max(committed.get(key_funder, Decimal(0)), disbursed.get(key_funder, Decimal(0)))
        cells[key].by_funder[funder] = cells[key].by_funder.get(funder, Decimal(0)) + amount
        cells[key].funded += amount
    return sorted(cells.values(), key=lambda c: (c.state, c.pillar, c.year))
