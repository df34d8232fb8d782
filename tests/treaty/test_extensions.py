from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ccm.treaty import Decision, ExtensionRequest, add_years, current_deadline, validate_extension_request


def codes(violations):
    return {v.code for v in violations}


def test_a_five_year_clearance_request_filed_in_time_conforms():
    request = ExtensionRequest(
        requested_until=date(2026, 5, 1), submitted_on=date(2020, 2, 25), meeting_on=date(2020, 11, 25)
    )
    assert validate_extension_request("clearance", deadline=date(2021, 5, 1), request=request) == []


def test_a_clearance_request_longer_than_five_years_is_flagged():
    request = ExtensionRequest(requested_until=date(2026, 5, 2))
    problems = validate_extension_request("clearance", deadline=date(2021, 5, 1), request=request)
    assert codes(problems) == {"too_long"}
    assert "2026-05-01" in problems[0].message


def test_a_stockpile_request_may_be_of_up_to_four_years():
    ok = ExtensionRequest(requested_until=date(2023, 10, 1))
    too_long = ExtensionRequest(requested_until=date(2023, 10, 2))
    assert validate_extension_request("stockpile_destruction", deadline=date(2019, 10, 1), request=ok) == []
    assert codes(validate_extension_request("stockpile_destruction", deadline=date(2019, 10, 1), request=too_long)) == {
        "too_long"
    }


def test_a_further_stockpile_extension_needs_exceptional_circumstances():
    request = ExtensionRequest(requested_until=date(2022, 10, 1))
    assert codes(
        validate_extension_request(
            "stockpile_destruction", deadline=date(2021, 4, 1), request=request, previous_extensions=1
        )
    ) == {"exceptional_circumstances_required"}
    justified = ExtensionRequest(requested_until=date(2022, 10, 1), exceptional_circumstances=True)
    assert (
        validate_extension_request(
            "stockpile_destruction", deadline=date(2021, 4, 1), request=justified, previous_extensions=1
        )
        == []
    )


def test_clearance_extensions_are_renewable_without_exceptional_circumstances():
    request = ExtensionRequest(requested_until=date(2030, 8, 1))
    assert (
        validate_extension_request("clearance", deadline=date(2025, 8, 1), request=request, previous_extensions=1) == []
    )


def test_a_request_filed_less_than_nine_months_before_the_meeting_is_late():
    request = ExtensionRequest(
        requested_until=date(2026, 5, 1), submitted_on=date(2020, 2, 26), meeting_on=date(2020, 11, 25)
    )
    problems = validate_extension_request("clearance", deadline=date(2021, 5, 1), request=request)
    assert codes(problems) == {"late_submission"}
    assert "2020-02-25" in problems[0].message


def test_an_article_4_request_must_come_before_the_deadline_expires():
    request = ExtensionRequest(requested_until=date(2026, 5, 1), submitted_on=date(2021, 5, 1))
    assert "after_deadline" in codes(
        validate_extension_request("clearance", deadline=date(2021, 5, 1), request=request)
    )


def test_the_requested_date_must_be_after_the_deadline():
    request = ExtensionRequest(requested_until=date(2021, 5, 1))
    assert codes(validate_extension_request("clearance", deadline=date(2021, 5, 1), request=request)) == {"not_later"}


def test_a_grant_may_be_shorter_than_requested_but_not_longer():
    shorter = ExtensionRequest(
        decision=Decision.GRANTED, requested_until=date(2026, 5, 1), granted_until=date(2024, 5, 1)
    )
    longer = ExtensionRequest(
        decision=Decision.GRANTED, requested_until=date(2024, 5, 1), granted_until=date(2026, 5, 1)
    )
    assert validate_extension_request("clearance", deadline=date(2021, 5, 1), request=shorter) == []
    assert codes(validate_extension_request("clearance", deadline=date(2021, 5, 1), request=longer)) == {
        "granted_longer_than_requested"
    }


def test_current_deadline_follows_the_chain_of_grants():
    chain = [
        ExtensionRequest(decision=Decision.GRANTED, granted_until=date(2024, 10, 1)),
        ExtensionRequest(decision=Decision.REFUSED, requested_until=date(2029, 10, 1)),
        ExtensionRequest(decision=Decision.GRANTED, granted_until=date(2026, 10, 1)),
        ExtensionRequest(decision=Decision.PENDING, requested_until=date(2031, 10, 1)),
    ]
    assert current_deadline(date(2023, 9, 1), chain) == date(2026, 10, 1)  # Chad
    assert current_deadline(date(2023, 9, 1), []) == date(2023, 9, 1)


def test_a_grant_whose_date_is_not_on_record_makes_the_deadline_unknown():
    assert current_deadline(date(2022, 8, 1), [ExtensionRequest(decision=Decision.GRANTED)]) is None


grants = st.lists(
    st.tuples(
        st.sampled_from(list(Decision)),
        st.integers(min_value=1, max_value=5 * 366),
        st.integers(min_value=0, max_value=5 * 366),
    ),
    max_size=6,
)


@given(st.dates(min_value=date(2018, 1, 1), max_value=date(2040, 1, 1)), grants)
def test_granted_chains_never_move_the_deadline_earlier_or_past_what_was_granted(original, steps):
    deadline = original
    chain = []
    for decision, requested_days, cut_days in steps:
        requested = date.fromordinal(deadline.toordinal() + requested_days)
        granted = date.fromordinal(max(deadline.toordinal() + 1, requested.toordinal() - cut_days))
        if decision is Decision.GRANTED:
            chain.append(ExtensionRequest(decision=decision, requested_until=requested, granted_until=granted))
            deadline = granted
        else:
            chain.append(ExtensionRequest(decision=decision, requested_until=requested))
    result = current_deadline(original, chain)
    assert result is not None and result >= original
    assert result == deadline
    assert all(e.granted_until is None or e.granted_until <= (e.requested_until or e.granted_until) for e in chain)


@given(st.dates(min_value=date(2018, 1, 1), max_value=date(2040, 1, 1)), st.integers(min_value=1, max_value=3000))
def test_a_request_conforms_on_length_exactly_when_within_the_maximum(deadline, days):
    requested = date.fromordinal(deadline.toordinal() + days)
    for kind, years in (("stockpile_destruction", 4), ("clearance", 5)):
        problems = validate_extension_request(
            kind, deadline=deadline, request=ExtensionRequest(requested_until=requested)
        )
        assert ("too_long" in codes(problems)) == (requested > add_years(deadline, years))
