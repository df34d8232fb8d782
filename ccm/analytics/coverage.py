"""Coverage: what is required against what is pledged, committed and disbursed, and how concentrated
the funding is (no Django imports; amounts in US dollars).

Per cell (State, pillar, year):
- required = the plan gap (the international requirement in the completion plan in force: cost −
  national funding) + the needs not in the plan (the caller leaves out the needs the plan already
  costs); both parts are kept (``required_plan``, ``required_needs``) so pages show them;
- funded = each funder's money once. A commitment with the disbursements recorded against it
  (``follows``) is one chain, worth the larger of the two, counted in the commitment's cell; a
  disbursement linked to no commitment we hold first pays what the funder's commitments in the cell
  have left unpaid, and only the rest is added (with no links at all this is the larger of what the
  funder committed and what it disbursed);
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
    key: int = 0  # the flow's identifier, for the links below (0: none)
    follows: int | None = None  # the flow this one follows (a commitment for a disbursement)


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
    required_plan: Decimal = Decimal(0)
    required_needs: Decimal = Decimal(0)
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
        target = cell(key)
        target.required_plan = plan.get(key, Decimal(0))
        target.required_needs = needs.get(key, Decimal(0))
        target.required = target.required_plan + target.required_needs
    flows = list(flows)
    commitments = {f.key: f for f in flows if f.stage == "commitment" and f.key}
    paid: dict[int, Decimal] = defaultdict(Decimal)  # per commitment, the disbursements linked to it
    chains: dict[tuple[Cell, str], Decimal] = defaultdict(Decimal)
    unpaid: dict[tuple[Cell, str], Decimal] = defaultdict(Decimal)
    loose: dict[tuple[Cell, str], Decimal] = defaultdict(Decimal)
    for flow in flows:
        key = (flow.state, flow.pillar, flow.year)
        target = cell(key)
        if flow.stage == "pledge":
            target.pledged += flow.usd
        elif flow.stage == "commitment":
            target.committed += flow.usd
        else:
            target.disbursed += flow.usd
            if flow.follows in commitments:
                paid[flow.follows] += flow.usd
            else:
                loose[(key, flow.funder)] += flow.usd
    for commitment in commitments.values():
        key_funder = ((commitment.state, commitment.pillar, commitment.year), commitment.funder)
        chains[key_funder] += max(commitment.usd, paid[commitment.key])
        unpaid[key_funder] += max(commitment.usd - paid[commitment.key], Decimal(0))
    for flow in flows:  # commitments without an identifier: each its own chain
        if flow.stage == "commitment" and not flow.key:
            key_funder = ((flow.state, flow.pillar, flow.year), flow.funder)
            chains[key_funder] += flow.usd
            unpaid[key_funder] += flow.usd
    for key_funder in set(chains) | set(loose):
        key, funder = key_funder
        amount = chains.get(key_funder, Decimal(0)) + max(
            loose.get(key_funder, Decimal(0)) - unpaid.get(key_funder, Decimal(0)), Decimal(0)
        )
        cells[key].by_funder[funder] = cells[key].by_funder.get(funder, Decimal(0)) + amount
        cells[key].funded += amount
    return sorted(cells.values(), key=lambda c: (c.state, c.pillar, c.year))
