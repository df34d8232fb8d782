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
        RequirementFact("LBN", "clearance", 2026, Decimal(1000), "plan"),
        RequirementFact("LBN", "clearance", 2026, Decimal(700), "needs"),  # the same gap: the larger counts
    ]
    [cell] = coverage(flows, requirements)
    assert cell.required == 1000
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
