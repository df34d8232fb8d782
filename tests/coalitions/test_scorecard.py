"""The five indicators, checked by hand with small numbers (the working is in the comments)."""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

from ccm.analytics import scorecard as sc


def test_combine_rounds_halves_up_and_never_invents_a_score():
    assert sc.combine([None, None]) is None
    assert sc.combine([]) is None
    assert sc.combine([3, 4]) == 4  # 3.5 → 4
    assert sc.combine([2, 3, None, 3]) == 3  # 8/3 = 2.67 → 3
    assert sc.combine([1, 2, 2]) == 2  # 5/3 = 1.67 → 2


def test_flag_needs_two_points_and_an_indicator():
    assert sc.flagged(5, 3)
    assert sc.flagged(1, 3)
    assert not sc.flagged(4, 3)
    assert not sc.flagged(1, None)


def test_political_will_by_hand():
    # Plan: 2025 cost 100, national 10 (10%); 2026 cost 100, national 30 (30%).
    # Share = 40 / 200 = 20% → 2 (≥10%, <25%); trend 30% − 10% = +20 points ≥ 5 → +1 → 3.
    years = [sc.PlanYearFact(2025, D(100), D(10)), sc.PlanYearFact(2026, D(100), D(30))]
    # Reports: 2023 published 2024-03-01 (on time), 2024 published 2025-06-01 (late), 2022 not reported:
    # on time 1/3 = 33% → 2 (≥20%, <40%).
    reports = [
        sc.ReportFact(2023, date(2024, 3, 1)),
        sc.ReportFact(2024, date(2025, 6, 1)),
        sc.ReportFact(2022, None),
    ]
    # Extensions: 1 of 2 backed by a costed plan = 50% → 3.
    extensions = [sc.ExtensionFact(True), sc.ExtensionFact(False)]
    result = sc.political_will(plan_years=years, reports=reports, extensions=extensions)
    assert result.parts == {"national_share": 3, "on_time_reporting": 2, "extensions_backed": 3}
    assert result.score == 3  # (3 + 2 + 3) / 3 = 2.67 → 3
    assert result.measured["national_share"] == 0.2


def test_political_will_falling_share_and_no_data():
    # 60% then 40%: share 100/200 = 50% → 4; trend −20 points → 3. Nothing else on record.
    years = [sc.PlanYearFact(2025, D(100), D(60)), sc.PlanYearFact(2026, D(100), D(40))]
    assert sc.political_will(plan_years=years, reports=[], extensions=[]).score == 3
    empty = sc.political_will(plan_years=[], reports=[], extensions=[])
    assert empty.score is None
    assert set(empty.parts.values()) == {None}


def test_national_ownership_by_hand():
    # National 30, international 70 → 30% → 3; 1 of 4 operators national = 25% → 3;
    # authority yes, strategy no → 3. Mean 3.
    result = sc.national_ownership(
        national_funding=D(30),
        international_funding=D(70),
        national_operators=1,
        operators=4,
        authority_on_record=True,
        strategy_on_record=False,
    )
    assert result.parts == {"national_funding_share": 3, "national_operators_share": 3, "authority_and_strategy": 3}
    assert result.score == 3
    # National 60 of 100 → 60% → 5; no operators; both on record → 5.
    strong = sc.national_ownership(
        national_funding=D(60),
        international_funding=D(40),
        national_operators=0,
        operators=0,
        authority_on_record=True,
        strategy_on_record=True,
    )
    assert strong.parts["national_operators_share"] is None
    assert strong.score == 5
    assert (
        sc.national_ownership(
            national_funding=None,
            international_funding=None,
            national_operators=0,
            operators=0,
            authority_on_record=None,
            strategy_on_record=None,
        ).score
        is None
    )


def test_information_by_hand():
    t0 = datetime(2026, 1, 1, 9)
    # Thread 1: A at 0 h, B at 10 h (A answered in 10 h), B at 12 h, A at 62 h (B's 10 h message and
    # its 12 h one: the first answer from another organisation after each is A at 62 h → 52 h and 50 h).
    # Replies: 10, 52, 50 → median 50 h → 4 (≤72).
    messages = [
        sc.MessageFact(1, 1, t0),
        sc.MessageFact(1, 2, t0 + timedelta(hours=10)),
        sc.MessageFact(1, 2, t0 + timedelta(hours=12)),
        sc.MessageFact(1, 1, t0 + timedelta(hours=62)),
    ]
    assert sorted(sc.reply_hours(messages)) == [10, 50, 52]
    # 3 years reported → 4; baseline yes → 5; no plan in force → 1. (4 + 5 + 1 + 4) / 4 = 3.5 → 4.
    result = sc.information(years_reported=3, baseline_on_record=True, plan_in_force=False, messages=messages)
    assert result.parts == {"years_reported": 4, "baseline": 5, "plan_in_force": 1, "reply_time": 4}
    assert result.score == 4
    assert sc.reply_score(24) == 5 and sc.reply_score(24.5) == 4 and sc.reply_score(400) == 1
    assert sc.information(years_reported=None, baseline_on_record=None, plan_in_force=None, messages=[]).score is None


def test_donor_coordination_by_hand():
    # Donors 60 and 40: 2 donors → 3; HHI 0.36 + 0.16 = 0.52 → 2 (≥0.4, <0.6);
    # funded 100 of required 250 = 40% → 3.
    # Actions (today 2026-06-01): one done on time, one done late, one open and overdue, one not yet
    # due, one cancelled → on time 1 of 3 = 33% → 2.
    today = date(2026, 6, 1)
    actions = [
        sc.ActionFact(date(2026, 3, 1), date(2026, 2, 20)),
        sc.ActionFact(date(2026, 3, 1), date(2026, 3, 5)),
        sc.ActionFact(date(2026, 4, 1), None),
        sc.ActionFact(date(2026, 9, 1), None),
        sc.ActionFact(date(2026, 1, 1), None, cancelled=True),
    ]
    result = sc.donor_coordination(
        funding_by_donor=[D(60), D(40)], required=D(250), funded=D(100), actions=actions, today=today
    )
    assert abs(result.measured["hhi"] - 0.52) < 1e-9
    assert result.parts == {"donors": 3, "concentration": 2, "coverage": 3, "actions_on_time": 2}
    assert result.score == 3  # 10 / 4 = 2.5 → 3
    assert (
        sc.donor_coordination(funding_by_donor=None, required=None, funded=None, actions=[], today=today).score is None
    )


def test_appetite_by_hand():
    # 2 interests → 4; 3 of 4 needs answered = 75% → 4 (≥60%, <80%); 1 pledger → 2. 10/3 = 3.33 → 3.
    result = sc.appetite(interests=2, needs_published=4, needs_answered=3, pledgers=1)
    assert result.parts == {"interests": 4, "needs_answered": 4, "pledgers": 2}
    assert result.score == 3
    # No needs: that part says nothing; 0 interests → 1, 5 pledgers → 5 → 3.
    assert sc.appetite(interests=0, needs_published=0, needs_answered=0, pledgers=5).parts["needs_answered"] is None
    assert sc.appetite(interests=0, needs_published=0, needs_answered=0, pledgers=5).score == 3


def test_share_thresholds_at_their_edges():
    assert [sc.share_score(x) for x in (0, 0.0999, 0.10, 0.25, 0.40, 0.60, 1)] == [1, 1, 2, 3, 4, 5, 5]
    assert [sc.hhi_score(x) for x in (1, 0.6, 0.59, 0.4, 0.25, 0.15, 0.1)] == [1, 1, 2, 2, 3, 4, 5]
