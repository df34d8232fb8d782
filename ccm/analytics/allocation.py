"""Coordinated allocation: who could fund what, so that money reaches every State in need (no Django
imports; amounts in US dollars).

A donor may fund a need when the need's State, pillar and modality are each in the donor's lists (an
empty list allows any). Only open needs count (gap > 0), and only donors with money left (envelope > 0).

Coverage of a State = what is placed on its needs ÷ its total gap.

Urgency-weighted coverage of a State = Σ urgency × placed ÷ Σ urgency × gap over its needs: a dollar
on a need of urgency 3 counts three times a dollar on a need of urgency 1, in both the numerator and
the denominator, so it stays between 0 and 1. When all of a State's needs share one urgency it is
exactly the plain coverage, so in the first stage urgency only decides which of a State's needs are
covered first.

The coordinated proposal is a linear programme in two stages, solved with HiGHS:

1. maximise t, the lowest urgency-weighted coverage among the States that at least one donor can
   fund, within every donor's envelope and every need's gap (a State no donor can reach cannot be
   raised, and would pin t at zero; the message names such States);
2. keep every such State at t* − 1e-7 or more and maximise the total urgency-weighted funding
   Σ urgency × amount, plus a preference term: each dollar a donor places in one of its preferred
   States earns a further 0.001 × the smallest urgency, enough to choose between otherwise equal
   proposals and too little to outweigh a larger difference of urgency.

Amounts are in millions inside the model: with raw dollars (10^5–10^9) next to coverage fractions the
coefficients fall below the smallest value the solver keeps (1e-9) and the lowest coverage comes back
wrong (zero in the trial the issue reports).

Speed comes from aggregation: the model has a variable only for what the objectives can tell apart.
Donors that accept the same pillars and modalities are of one *kind*; needs of the same State and
urgency open to the same kinds form a *class* (with the class's summed gap). Money flows from a donor
to a (kind, State) node, only where the donor accepts the State (z, which carries the preference
term), and from the node to the classes of that State the kind accepts (w, which carries the urgency
and the coverage); what enters a node leaves it. In the scenario below that is about 8,500 variables
instead of 170,000 donor–need pairs at 5,000 needs and 40 donors (9,200 instead of 690,000 at 20,000).
The solution is turned back into donor–need lines: what a node passes to a class comes from the
node's donors in proportion to what each put in, and a class's amount is spread over its needs in
proportion to their gaps. Every eligible per-pair allocation maps onto the flow model and back with
the same envelopes, gaps, coverage and objectives, so the optimum is the same
(tests/analytics/test_allocation.py checks it against the per-pair programme).

The outcome's figures (coverage, States with nothing, lowest coverage, Gini) cover every affected
State, including any no donor can reach. The baseline never has a higher lowest urgency-weighted
coverage than the proposal, since it is one of the allocations the first stage chooses among.

The uncoordinated baseline: donors in the order given, each funding its eligible needs greedily,
those in its preferred States first, then the most urgent, then in the order the needs were given,
each need up to what is left of its gap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

SCALE = 1e6  # model amounts in millions of US dollars
STAGE_TOLERANCE = 1e-7  # how far below t* stage 2 may let the lowest coverage go (the solvers' own tolerance)
PREFERENCE = 1e-3  # bonus per dollar in a preferred State, as a share of the smallest urgency
SMALLEST_LINE = 1e-6  # US dollars: amounts below this are solver noise and are left out


@dataclass(frozen=True)
class AllocNeed:
    id: int
    iso3: str
    pillar: str
    modality: str
    gap: float  # USD still needed
    urgency: float = 1.0  # > 0; a higher number is more urgent


@dataclass(frozen=True)
class AllocDonor:
    id: int
    envelope: float  # USD available
    countries: frozenset[str] = frozenset()  # empty = any
    pillars: frozenset[str] = frozenset()  # empty = any
    modalities: frozenset[str] = frozenset()  # empty = any
    preferred: frozenset[str] = frozenset()  # ISO3s it prefers (pledges/priorities)


@dataclass(frozen=True)
class Line:
    donor_id: int
    need_id: int
    amount: float


@dataclass(frozen=True)
class Outcome:
    lines: tuple[Line, ...]
    coverage: Mapping[str, float]  # per State: placed / its total gap
    states_with_nothing: int  # States with a gap that get nothing
    lowest_coverage: float
    gini: float  # of the States' coverage (0 = all equal)
    total_placed: float
    # added to the agreed interface: the urgency-weighted coverage the programme raises (see above)
    weighted_coverage: Mapping[str, float] = field(default_factory=dict)
    lowest_weighted_coverage: float = 0.0


@dataclass(frozen=True)
class AllocationResult:
    status: str  # "optimal", "empty" (nothing to allocate), "infeasible", "error"
    message: str  # plain English for the page
    coordinated: Outcome | None
    baseline: Outcome | None
    solver: str
    seconds: float
    eligible_pairs: int


@dataclass(frozen=True)
class _Data:
    """The open needs and the donors with money, as arrays (positions index ``needs``/``donors``)."""

    needs: tuple[AllocNeed, ...]
    donors: tuple[AllocDonor, ...]
    gap: NDArray[np.float64]  # USD per need
    urgency: NDArray[np.float64]
    envelope: NDArray[np.float64]  # USD per donor
    states: tuple[str, ...]  # affected States, sorted
    state: NDArray[np.intp]  # each need's position in ``states``
    eligible: NDArray[np.bool_]  # donors × needs
    accepts: NDArray[np.bool_]  # donors × needs: the need's pillar and modality are accepted
    country: NDArray[np.bool_]  # donors × states: the State is accepted
    preferred: NDArray[np.bool_]  # donors × states


def _problem(needs: Sequence[AllocNeed], donors: Sequence[AllocDonor]) -> str | None:
    """What is wrong with the input, in plain English (None: nothing)."""
    seen: set[int] = set()
    for need in needs:
        if need.id in seen:
            return f"Need {need.id} appears more than once."
        seen.add(need.id)
        if not math.isfinite(need.gap) or need.gap < 0:
            return f"Need {need.id} has a gap of {need.gap}; a gap must be a number of dollars, zero or more."
        if not math.isfinite(need.urgency) or need.urgency <= 0:
            return f"Need {need.id} has an urgency of {need.urgency}; urgency must be a positive number."
    seen = set()
    for donor in donors:
        if donor.id in seen:
            return f"Donor {donor.id} appears more than once."
        seen.add(donor.id)
        if not math.isfinite(donor.envelope) or donor.envelope < 0:
            return (
                f"Donor {donor.id} has an envelope of {donor.envelope}; it must be a number of dollars, zero or more."
            )
    return None


def _allowed(values: Sequence[str], allowed: frozenset[str]) -> NDArray[np.bool_]:
    if not allowed:
        return np.ones(len(values), dtype=bool)
    return np.fromiter((value in allowed for value in values), dtype=bool, count=len(values))


def _data(needs: Sequence[AllocNeed], donors: Sequence[AllocDonor]) -> _Data:
    """Open needs and donors with money; needs or donors with unusable numbers are left out."""
    open_needs = tuple(
        n for n in needs if math.isfinite(n.gap) and n.gap > 0 and math.isfinite(n.urgency) and n.urgency > 0
    )
    givers = tuple(d for d in donors if math.isfinite(d.envelope) and d.envelope > 0)
    states = tuple(sorted({n.iso3 for n in open_needs}))
    pillars = sorted({n.pillar for n in open_needs})
    modalities = sorted({n.modality for n in open_needs})
    position = {iso3: i for i, iso3 in enumerate(states)}
    state = np.fromiter((position[n.iso3] for n in open_needs), dtype=np.intp, count=len(open_needs))
    pillar_at = {p: i for i, p in enumerate(pillars)}
    modality_at = {m: i for i, m in enumerate(modalities)}
    pillar = np.fromiter((pillar_at[n.pillar] for n in open_needs), dtype=np.intp, count=len(open_needs))
    modality = np.fromiter((modality_at[n.modality] for n in open_needs), dtype=np.intp, count=len(open_needs))
    accepts = np.zeros((len(givers), len(open_needs)), dtype=bool)
    country = np.zeros((len(givers), len(states)), dtype=bool)
    preferred = np.zeros((len(givers), len(states)), dtype=bool)
    for row, donor in enumerate(givers):
        accepts[row] = _allowed(pillars, donor.pillars)[pillar] & _allowed(modalities, donor.modalities)[modality]
        country[row] = _allowed(states, donor.countries)
        preferred[row] = np.fromiter((s in donor.preferred for s in states), dtype=bool, count=len(states))
    return _Data(
        needs=open_needs,
        donors=givers,
        gap=np.array([n.gap for n in open_needs], dtype=float),
        urgency=np.array([n.urgency for n in open_needs], dtype=float),
        envelope=np.array([d.envelope for d in givers], dtype=float),
        states=states,
        state=state,
        eligible=country[:, state] & accepts,
        accepts=accepts,
        country=country,
        preferred=preferred,
    )


def _outcome(data: _Data, donor: NDArray[np.intp], need: NDArray[np.intp], amount: NDArray[np.float64]) -> Outcome:
    """The metrics of a set of lines (positions into ``data``), after holding them within every limit."""
    keep = amount >= SMALLEST_LINE
    donor, need, amount = donor[keep], need[keep], amount[keep]
    # floating-point rounding must never show a donor over its envelope or a need over its gap
    given = _total(donor, amount, len(data.donors))
    amount = amount * _within(data.envelope, given)[donor]
    placed = _total(need, amount, len(data.needs))
    amount = amount * _within(data.gap, placed)[need]
    placed = _total(need, amount, len(data.needs))
    n_states = len(data.states)
    gap = _total(data.state, data.gap, n_states)
    got = _total(data.state, placed, n_states)
    weighted_gap = _total(data.state, data.urgency * data.gap, n_states)
    weighted_got = _total(data.state, data.urgency * placed, n_states)
    coverage = np.minimum(got / gap, 1.0) if n_states else np.zeros(0)
    weighted = np.minimum(weighted_got / weighted_gap, 1.0) if n_states else np.zeros(0)
    order = np.lexsort((need, donor))
    lines = tuple(
        Line(data.donors[d].id, data.needs[n].id, float(a))
        for d, n, a in zip(donor[order].tolist(), need[order].tolist(), amount[order].tolist(), strict=True)
    )
    return Outcome(
        lines=lines,
        coverage={iso3: float(c) for iso3, c in zip(data.states, coverage, strict=True)},
        states_with_nothing=int(np.count_nonzero(got <= 0)),
        lowest_coverage=float(coverage.min()) if n_states else 0.0,
        gini=gini(coverage),
        total_placed=float(amount.sum()),
        weighted_coverage={iso3: float(c) for iso3, c in zip(data.states, weighted, strict=True)},
        lowest_weighted_coverage=float(weighted.min()) if n_states else 0.0,
    )


def _total(index: NDArray[np.intp], weights: NDArray[np.float64], length: int) -> NDArray[np.float64]:
    """The weights summed by index (0 to length − 1)."""
    return np.bincount(index, weights=weights, minlength=length).astype(float, copy=False)


def _within(limit: NDArray[np.float64], used: NDArray[np.float64]) -> NDArray[np.float64]:
    """The factor that brings what is used down to its limit where it is over (1 elsewhere)."""
    return np.divide(limit, used, out=np.ones_like(limit), where=used > limit)


def gini(values: NDArray[np.float64] | Sequence[float]) -> float:
    """The Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one has all."""
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    total = float(ordered.sum())
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * ordered) / (n * total))


def _baseline(data: _Data) -> Outcome:
    left = data.gap.copy()
    donors: list[NDArray[np.intp]] = []
    needs: list[NDArray[np.intp]] = []
    amounts: list[NDArray[np.float64]] = []
    position = np.arange(len(data.needs))
    for d in range(len(data.donors)):
        candidates = np.flatnonzero(data.eligible[d] & (left > 0))
        if not len(candidates):
            continue
        in_preferred = data.preferred[d, data.state[candidates]]
        order = candidates[np.lexsort((position[candidates], -data.urgency[candidates], ~in_preferred))]
        wanted = left[order]
        before = np.cumsum(wanted) - wanted
        take = np.clip(data.envelope[d] - before, 0.0, wanted)
        funded = take > 0
        donors.append(np.full(int(funded.sum()), d, dtype=np.intp))
        needs.append(order[funded])
        amounts.append(take[funded])
        left[order[funded]] -= take[funded]
    if not donors:
        return _outcome(data, np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0))
    return _outcome(data, np.concatenate(donors), np.concatenate(needs), np.concatenate(amounts))


def baseline(needs: Sequence[AllocNeed], donors: Sequence[AllocDonor]) -> Outcome:
    """The uncoordinated baseline (see the module's docstring); unusable numbers are left out."""
    return _baseline(_data(needs, donors))


@dataclass(frozen=True)
class _Model:
    """The aggregated programme's structure.

    Donors that accept the same pillars and modalities are of one kind. A need can be funded by a kind
    when the kind accepts its pillar and modality and one of its donors its State. Needs of the same
    State and urgency open to the same kinds form a class (the model cannot tell them apart). Money
    flows from a donor to a (kind, State) node (variable z, only where the donor accepts the State),
    and from the node to the classes of that State open to the kind (variable w).
    """

    of_need: NDArray[np.intp]  # each need's class
    state: NDArray[np.intp]  # per class
    urgency: NDArray[np.float64]  # per class
    gap: NDArray[np.float64]  # per class, USD summed over its needs
    z_donor: NDArray[np.intp]
    z_state: NDArray[np.intp]
    z_node: NDArray[np.intp]
    w_node: NDArray[np.intp]
    w_class: NDArray[np.intp]
    nodes: int


def _model(data: _Data) -> _Model:
    n_states = len(data.states)
    kinds: dict[tuple[frozenset[str], frozenset[str]], int] = {}
    kind = np.array([kinds.setdefault((d.pillars, d.modalities), len(kinds)) for d in data.donors], dtype=np.intp)
    first_donor = np.unique(kind, return_index=True)[1]
    kind_state = np.zeros((len(kinds), n_states), dtype=bool)  # some donor of the kind accepts the State
    np.logical_or.at(kind_state, kind, data.country)
    open_to = data.accepts[first_donor] & kind_state[:, data.state]  # kinds × needs
    # donors reach a State where they may fund at least one of its needs
    reach = (data.eligible.astype(float) @ np.eye(n_states)[data.state]) > 0
    z_donor, z_state = np.nonzero(reach)
    node_of = np.full((len(kinds), n_states), -1, dtype=np.intp)
    used = np.unique(kind[z_donor] * n_states + z_state)
    node_of.flat[used] = np.arange(len(used))

    _, urgency_code = np.unique(data.urgency, return_inverse=True)
    keys = np.column_stack([data.state, urgency_code, np.packbits(open_to.T, axis=1).astype(np.int64)])
    _, first, of_need = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    of_need = of_need.ravel()
    w_kind, w_class = np.nonzero(open_to[:, first])
    w_node = node_of[w_kind, data.state[first][w_class]]
    return _Model(
        of_need=of_need,
        state=data.state[first],
        urgency=data.urgency[first],
        gap=_total(of_need, data.gap, len(first)),
        z_donor=z_donor,
        z_state=z_state,
        z_node=node_of[kind[z_donor], z_state],
        w_node=w_node,
        w_class=w_class,
        nodes=len(used),
    )


def _solve(data: _Data, model: _Model) -> tuple[str, NDArray[np.float64], NDArray[np.float64]]:
    """Both stages: (HiGHS model status, z and w in USD)."""
    import highspy

    nz, nw, n_donors, n_classes = len(model.z_donor), len(model.w_class), len(data.donors), len(model.state)
    reachable = np.unique(model.z_state)
    state_row = np.full(len(data.states), -1, dtype=np.intp)
    state_row[reachable] = np.arange(len(reachable))
    weighted_gap = _total(model.state, model.urgency * model.gap / SCALE, len(data.states))
    w_state = model.state[model.w_class]
    # rows: donors' envelopes, nodes (in = out), classes' gaps, States' coverage ≥ t
    node0, class0, state0 = n_donors, n_donors + model.nodes, n_donors + model.nodes + n_classes
    n_rows = state0 + len(reachable)
    index = np.concatenate(
        [
            np.column_stack([model.z_donor, node0 + model.z_node]).ravel(),
            np.column_stack([node0 + model.w_node, class0 + model.w_class, state0 + state_row[w_state]]).ravel(),
            state0 + np.arange(len(reachable)),
        ]
    )
    value = np.concatenate(
        [
            np.ones(2 * nz),
            np.column_stack([-np.ones(nw), np.ones(nw), model.urgency[model.w_class] / weighted_gap[w_state]]).ravel(),
            -np.ones(len(reachable)),
        ]
    )
    n_cols = nz + nw + 1
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = np.r_[np.zeros(nz + nw), 1.0]
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.r_[np.full(nz + nw, np.inf), 1.0]
    lp.row_lower_ = np.r_[np.full(n_donors, -np.inf), np.zeros(model.nodes), np.full(n_classes, -np.inf),
                          np.zeros(len(reachable))]  # fmt: skip
    lp.row_upper_ = np.r_[data.envelope / SCALE, np.zeros(model.nodes), model.gap / SCALE,
                          np.full(len(reachable), np.inf)]  # fmt: skip
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.r_[0, 2 * np.arange(1, nz + 1), 2 * nz + 3 * np.arange(1, nw + 1),
                                2 * nz + 3 * nw + len(reachable)].astype(np.int32)  # fmt: skip
    lp.a_matrix_.index_ = index.astype(np.int32)
    lp.a_matrix_.value_ = value

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return h.modelStatusToString(h.getModelStatus()), np.zeros(0), np.zeros(0)
    lowest = float(h.getSolution().col_value[n_cols - 1])

    bonus = PREFERENCE * float(data.urgency.min()) * data.preferred[model.z_donor, model.z_state]
    h.changeColsCost(n_cols, np.arange(n_cols, dtype=np.int32), np.r_[bonus, model.urgency[model.w_class], 0.0])
    h.changeColBounds(n_cols - 1, max(0.0, lowest - STAGE_TOLERANCE), 1.0)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return h.modelStatusToString(h.getModelStatus()), np.zeros(0), np.zeros(0)
    found = np.maximum(np.asarray(h.getSolution().col_value)[: nz + nw], 0.0) * SCALE
    return "Optimal", found[:nz], found[nz:]


def _split(
    data: _Data, model: _Model, z: NDArray[np.float64], w: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Back to donor–need lines: what a node passes on to a class comes from the node's donors in
    proportion to what each put in; a class's amount goes to its needs in proportion to their gaps."""
    out = _total(model.w_node, w, model.nodes)
    z_used, w_used = np.flatnonzero(z > 0), np.flatnonzero(w > 0)
    # pair every donor feeding a node with every class the node feeds
    z_used = z_used[np.argsort(model.z_node[z_used], kind="stable")]
    per_node = np.bincount(model.w_node[w_used], minlength=model.nodes)
    w_sorted = w_used[np.argsort(model.w_node[w_used], kind="stable")]
    w_start = np.r_[0, np.cumsum(per_node)[:-1]]
    fan = per_node[model.z_node[z_used]]
    pair_z = np.repeat(z_used, fan)
    pair_w = w_sorted[np.repeat(w_start[model.z_node[z_used]], fan) + _ranges(fan)]
    node_out = out[model.z_node[pair_z]]
    amount = z[pair_z] * w[pair_w] / node_out
    donor, klass = model.z_donor[pair_z], model.w_class[pair_w]
    # each donor's amount for a class over the class's needs, in the order given
    members = np.argsort(model.of_need, kind="stable")
    size = np.bincount(model.of_need, minlength=len(model.state))
    start = np.r_[0, np.cumsum(size)[:-1]]
    count = size[klass]
    need = members[np.repeat(start[klass], count) + _ranges(count)]
    share = data.gap[need] / model.gap[model.of_need[need]]
    return np.repeat(donor, count), need, np.repeat(amount, count) * share


def _ranges(counts: NDArray[np.intp]) -> NDArray[np.intp]:
    """0, 1, …, c − 1 for each count c, end to end."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def allocate(needs: Sequence[AllocNeed], donors: Sequence[AllocDonor]) -> AllocationResult:
    """The coordinated proposal beside the uncoordinated baseline (see the module's docstring)."""
    started = time.perf_counter()

    def result(
        status: str, message: str, *outcomes: Outcome | None, solver: str = "", pairs: int = 0
    ) -> AllocationResult:
        coordinated, base = outcomes if outcomes else (None, None)
        return AllocationResult(status, message, coordinated, base, solver, time.perf_counter() - started, pairs)

    problem = _problem(needs, donors)
    if problem:
        return result("error", problem)
    data = _data(needs, donors)
    if not data.needs:
        return result("empty", "There is nothing to allocate: no open need has a gap left to fund.")
    if not data.donors:
        return result("empty", "There is nothing to allocate: no donor has money left in its envelope.")
    pairs = int(data.eligible.sum())
    if not pairs:
        return result(
            "infeasible",
            "No donor can fund any open need: the countries, pillars and modalities each donor accepts rule "
            "out every need.",
        )
    try:
        import highspy

        solver = f"HiGHS {highspy.Highs().version()}"
        model = _model(data)
        status, z, w = _solve(data, model)
    except Exception as error:  # the page says what went wrong instead of failing
        return result("error", f"The solver failed: {error}.", pairs=pairs)
    if status != "Optimal":
        return result("error", f"The solver did not find an optimal proposal (HiGHS: {status}).", pairs=pairs)
    coordinated = _outcome(data, *_split(data, model, z, w))
    base = _baseline(data)
    message = _message(data, coordinated, base)
    return result("optimal", message, coordinated, base, solver=solver, pairs=pairs)


def _dollars(amount: float) -> str:
    return f"${amount / SCALE:,.1f} million" if amount >= SCALE else f"${amount:,.0f}"


def _message(data: _Data, coordinated: Outcome, base: Outcome) -> str:
    fewer = base.states_with_nothing - coordinated.states_with_nothing
    parts = [
        f"The proposal places {_dollars(coordinated.total_placed)} (uncoordinated: {_dollars(base.total_placed)}).",
        f"States left with nothing: {coordinated.states_with_nothing} of {len(data.states)} "
        f"(uncoordinated: {base.states_with_nothing}" + (f", {fewer} fewer)." if fewer > 0 else ")."),
        f"Lowest coverage: {coordinated.lowest_coverage:.1%} (uncoordinated: {base.lowest_coverage:.1%}); "
        f"weighted by urgency: {coordinated.lowest_weighted_coverage:.1%} "
        f"(uncoordinated: {base.lowest_weighted_coverage:.1%}).",
    ]
    reached = set(data.state[data.eligible.any(axis=0)].tolist())
    unreachable = [iso3 for s, iso3 in enumerate(data.states) if s not in reached]
    if unreachable:
        parts.append(
            "No donor can fund the needs of " + ", ".join(unreachable) + ": the countries, pillars and "
            "modalities the donors accept rule them out."
        )
    return " ".join(parts)


HIGH_PROFILE = ("UKR", "SYR", "LAO", "IRQ")
OTHER_STATES = (
    "AFG", "AGO", "AZE", "BIH", "COD", "COL", "ERI", "GEO", "GNB", "HRV", "KHM", "LBN", "LBY", "MMR", "MNE",
    "MRT", "SDN", "SOM", "SRB", "SSD", "TCD", "THA", "TJK", "VNM", "YEM", "ZWE",
)  # fmt: skip
PILLARS = (
    "clearance", "survey", "risk_education", "victim_assistance", "stockpile_destruction", "capacity_building",
)  # fmt: skip
MODALITIES = ("financial", "technical_expertise", "equipment", "capacity_building", "direct_engagement")


def scenario(n_needs: int, n_donors: int = 40, seed: int = 1) -> tuple[list[AllocNeed], list[AllocDonor]]:
    """A made-up but realistically skewed problem (deterministic for a seed): 30 affected States, four
    of them high-profile and preferred by most donors; needs of $20,000 to $20 million, mostly
    clearance and financial; donors' envelopes together 30% of the total gap; a third of the donors
    fund only some countries, a quarter leave out a pillar or two and a few give money only, so about
    four in five donor–need pairs are eligible."""
    rng = np.random.default_rng(seed)
    states = HIGH_PROFILE + OTHER_STATES
    weight = 1.0 / np.arange(1, len(states) + 1) ** 0.6  # more needs in some States than others
    state = rng.choice(len(states), size=n_needs, p=weight / weight.sum())
    pillar = rng.choice(len(PILLARS), size=n_needs, p=[0.4, 0.15, 0.15, 0.15, 0.05, 0.1])
    modality = rng.choice(len(MODALITIES), size=n_needs, p=[0.6, 0.15, 0.12, 0.08, 0.05])
    gap = np.round(np.clip(rng.lognormal(np.log(400_000), 1.1, n_needs), 20_000, 20_000_000), -3)
    urgency = rng.choice([1.0, 2.0, 3.0], size=n_needs, p=[0.5, 0.3, 0.2])
    needs = [
        AllocNeed(i + 1, states[s], PILLARS[p], MODALITIES[m], float(g), float(u))
        for i, (s, p, m, g, u) in enumerate(zip(state, pillar, modality, gap, urgency, strict=True))
    ]
    share = rng.lognormal(0.0, 1.0, n_donors)  # a few large donors, many small ones
    envelope = np.round(0.3 * gap.sum() * share / share.sum(), -3)
    donors = []
    for d in range(n_donors):
        countries: frozenset[str] = frozenset()
        pillars: frozenset[str] = frozenset()
        modalities: frozenset[str] = frozenset()
        if d % 3 == 1:  # a third fund only some countries (always the high-profile ones among them)
            others = rng.choice(len(OTHER_STATES), size=int(rng.integers(14, 24)), replace=False)
            countries = frozenset(HIGH_PROFILE) | {OTHER_STATES[i] for i in others}
        if d % 4 == 2:  # a quarter leave out one or two pillars
            dropped = rng.choice(len(PILLARS) - 1, size=int(rng.integers(1, 3)), replace=False) + 1
            pillars = frozenset(PILLARS) - {PILLARS[i] for i in dropped}
        if d % 10 == 7:  # a few give money only
            modalities = frozenset({"financial"})
        preferred = {
            HIGH_PROFILE[i] for i in rng.choice(len(HIGH_PROFILE), size=int(rng.integers(1, 4)), replace=False)
        }
        if rng.random() < 0.3:
            preferred.add(OTHER_STATES[int(rng.integers(len(OTHER_STATES)))])
        donors.append(AllocDonor(d + 1, float(envelope[d]), countries, pillars, modalities, frozenset(preferred)))
    return needs, donors
