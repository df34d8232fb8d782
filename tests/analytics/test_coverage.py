from decimal import Decimal

from ccm.analytics.coverage import FlowFact, RequirementFact, coverage


def test_coverage_by_hand():
    flows = [
        FlowFact("LBN", "clearance", 2026, "NO", "pledge", Decimal(500)),
        FlowFact("LBN", "clearance", 2026, "NO", "commitment", Decimal(600)),
        FlowFact("LBN", "clearance", 2026, "NO", "disbursement", Decimal(400)),  # same money as the commitment
        FlowFact("LBN", "clearance", 2026, "EU", "disbursement", Decimal(200)),
    ]
    requirements = [
        RequirementFact("LBN", "clearance", 2026, Decimal(800), "plan"),
        RequirementFact("LBN", "clearance", 2026, Decimal(200), "needs"),  # needs not in the plan: added
    ]
    [cell] = coverage(flows, requirements)
    assert (cell.required, cell.required_plan, cell.required_needs) == (1000, 800, 200)
    assert (cell.pledged, cell.committed, cell.disbursed) == (500, 600, 600)
    assert cell.funded == 800  # NO: max(600 committed, 400 disbursed) + EU: 200
    assert cell.coverage == 0.8 and cell.gap == 200
    assert cell.donors == 2
    assert cell.top_donor_share == 0.75
    assert cell.hhi == 0.75**2 + 0.25**2  # 0.625


def test_a_cell_without_requirement_has_no_coverage_and_requirements_without_money_show_the_gap():
    cells = coverage(
        [FlowFact("TCD", "survey", 2025, "EU", "disbursement", Decimal(10))],
        [RequirementFact("SOM", "survey", 2026, Decimal(50), "needs")],
    )
    by_state = {c.state: c for c in cells}
    assert by_state["TCD"].coverage is None and by_state["TCD"].hhi == 1.0
    assert by_state["SOM"].coverage == 0.0 and by_state["SOM"].donors == 0 and by_state["SOM"].gap == 50


def test_a_chain_is_counted_once_even_across_years():
    flows = [
        FlowFact("LBN", "clearance", 2025, "NO", "pledge", Decimal(500), key=1),
        FlowFact("LBN", "clearance", 2025, "NO", "commitment", Decimal(500), key=2, follows=1),
        FlowFact("LBN", "clearance", 2026, "NO", "disbursement", Decimal(300), key=3, follows=2),
        FlowFact("LBN", "clearance", 2026, "NO", "disbursement", Decimal(200), key=4, follows=2),
    ]
    cells = {c.year: c for c in coverage(flows, [])}
    assert cells[2025].funded == 500 and cells[2025].pledged == 500 and cells[2025].committed == 500
    assert cells[2026].disbursed == 500 and cells[2026].funded == 0  # paid against the 2025 commitment
    assert sum(c.funded for c in cells.values()) == 500


def test_a_disbursement_outside_any_chain_is_added_when_the_commitments_are_paid():
    flows = [
        FlowFact("LBN", "clearance", 2026, "NO", "commitment", Decimal(100), key=1),
        FlowFact("LBN", "clearance", 2026, "NO", "disbursement", Decimal(100), key=2, follows=1),
        FlowFact("LBN", "clearance", 2026, "NO", "disbursement", Decimal(80), key=3),  # e.g. from IATI, no link
    ]
    [cell] = coverage(flows, [])
    assert cell.funded == 180
    # without the link, the same disbursements could be the commitment's money: the larger counts
    unlinked = [FlowFact(f.state, f.pillar, f.year, f.funder, f.stage, f.usd, key=f.key) for f in flows]
    assert coverage(unlinked, [])[0].funded == 180
    unpaid = [flows[0], FlowFact("LBN", "clearance", 2026, "NO", "disbursement", Decimal(80), key=3)]
    assert coverage(unpaid, [])[0].funded == 100  # the 80 may pay the 100 committed
