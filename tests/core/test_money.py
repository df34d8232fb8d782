"""Money is stored exactly (whole cents) on SQLite and PostgreSQL, within one bound, and sums never overflow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from ccm.core import money
from ccm.core.money import MAX_AMOUNT, AmountFormField, AmountSerializerField, MoneyField
from ccm.core.tabular import parse_amount
from ccm.funding.models import ExchangeRate, FundingFlow
from ccm.funding.rates import RateTable, convert
from ccm.funding.services import need_pledged
from tests.factories import FlowFactory, NeedFactory
from tests.personas import organisation

AT_BOUND = Decimal("999999999999999.99")
ABOVE = Decimal("1000000000000000.00")
ISSUE_EXAMPLE = "9999999999999999.99"  # the flow that took /funding/ down


def test_the_bound_is_exact_and_fits_a_64_bit_integer_with_room_for_sums():
    assert MAX_AMOUNT == AT_BOUND
    assert money.to_cents(MAX_AMOUNT) == 10**17 - 1 < 2**63 - 1
    assert money.from_cents(10**17 - 1) == AT_BOUND
    # 100 million US dollars in Lebanese pounds (about 89,500 a dollar) is within the bound
    assert Decimal(100_000_000) * 89_500 < MAX_AMOUNT


@pytest.mark.parametrize("value", ["0.01", "1", "1234.5", "999999999999999.99", "-999999999999999.99"])
def test_cents_round_trip_exactly(value):
    amount = Decimal(value)
    assert money.from_cents(money.to_cents(amount)) == amount


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1000000000000000", "at most 999,999,999,999,999.99"),
        (ISSUE_EXAMPLE, "at most 999,999,999,999,999.99"),
        ("1e400", "at most 999,999,999,999,999.99"),
        ("0.001", "two decimal places"),
        ("NaN", "at most"),
    ],
)
def test_storage_refuses_what_is_not_whole_cents_within_the_bound(value, message):
    with pytest.raises(ValueError, match=message):
        MoneyField().get_prep_value(Decimal(value))
    assert money.bound_problem(Decimal(value))


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999999999999999.99", "0.01", "123456789012345.67"])
def test_a_flow_round_trips_exactly_on_this_database(value):
    """Run on SQLite (make test) and on PostgreSQL (DATABASE_URL=postgres://…): both keep every cent."""
    flow = FlowFactory(amount=Decimal(value), currency="USD")
    stored = FundingFlow.objects.get(pk=flow.pk)
    assert (stored.amount, stored.usd_amount) == (Decimal(value), Decimal(value))
    assert FundingFlow.objects.values_list("amount", flat=True).get(pk=flow.pk) == Decimal(value)
    assert FundingFlow.objects.filter(amount=Decimal(value)).count() == 1
    with connection.cursor() as cursor:  # whole cents in the column
        cursor.execute("SELECT amount FROM funding_fundingflow WHERE id = %s", [flow.pk])
        assert int(cursor.fetchone()[0]) == money.to_cents(Decimal(value))


@pytest.mark.django_db
def test_sums_of_many_stored_amounts_at_the_bound_do_not_overflow():
    """Pledges are capped by their need's amount through the services, but reads must survive any stored
    rows: a hundred at the bound (10^19 cents, past a 64-bit integer) are summed exactly."""
    from ccm.needs.selectors import need_detail
    from ccm.states.models import State
    from tests.personas import persona

    need = NeedFactory(state=State.objects.get(iso3="LBN"), amount=AT_BOUND, currency="LBP", visibility="public")
    io = organisation("io")
    FundingFlow.objects.bulk_create(
        FundingFlow(
            need=need,
            funder=io,
            recipient_state=need.state,
            stage="pledge",
            amount=AT_BOUND,
            currency="LBP",
            value_date=date(2025, 1, 1),
            source="entered",
        )
        for _ in range(100)
    )
    assert need_pledged(need) == AT_BOUND * 100
    row = need_detail(user=persona("coordinator").user, need_id=need.pk, today=date(2026, 1, 1))
    assert row is not None and row.pledged == AT_BOUND * 100 and row.remaining == 0
    for name in ("anonymous", "coordinator", "io_viewer"):
        client = persona(name).client()
        for url in (
            "/needs/",
            "/needs/export.csv",
            "/needs/export.xlsx",
            f"/api/v1/needs/{need.pk}/",
            "/api/v1/needs/",
        ):
            assert client.get(url).status_code == 200, (name, url)


def test_sum_parts_adds_up_exactly():
    assert money.from_parts(None, None) is None
    assert money.from_parts(3, 5) == money.from_cents(3 * 10**9 + 5)
    assert money.from_parts(Decimal(10**10), Decimal(0)) == money.from_cents(10**19)


def test_a_page_form_refuses_an_amount_above_the_bound_with_a_message():
    field = AmountFormField(label="Amount")
    assert field.clean("999999999999999.99") == AT_BOUND
    for text in (ISSUE_EXAMPLE, "1000000000000000", "1e30"):
        with pytest.raises(Exception) as refused:
            field.clean(text)
        assert "at most 999,999,999,999,999.99" in str(refused.value), text


def test_an_api_amount_refuses_above_the_bound_and_shows_any_stored_value():
    field = AmountSerializerField()
    assert field.run_validation("999999999999999.99") == AT_BOUND
    for text in (ISSUE_EXAMPLE, "1e400", "1000000000000000"):
        with pytest.raises(Exception) as refused:
            field.run_validation(text)
        assert "at most 999,999,999,999,999.99" in str(refused.value), text
    shown = AmountSerializerField(read_only=True)
    assert shown.to_representation(AT_BOUND * 1000) == "999999999999999990.00"  # a total may pass the bound


def test_spreadsheet_amounts_share_the_bound():
    assert parse_amount("999,999,999,999,999.99") == AT_BOUND
    for text in (ISSUE_EXAMPLE, "1000000000000000", "1e400", "999999999999999.995"):
        with pytest.raises(ValueError, match=r"at most 999,999,999,999,999\.99|less than 10\^15"):
            parse_amount(text)


def test_a_conversion_past_the_bound_is_a_recorded_problem_not_an_error():
    table = RateTable(daily={"KWD": ([date(2025, 1, 1)], [Decimal("3.2500000000")])})
    result = convert(table, AT_BOUND, "KWD", date(2025, 1, 2))
    assert result.usd_amount is None and result.rate == Decimal("3.25")
    assert "above the largest amount accepted" in result.rate_problem
    fits = convert(table, Decimal("100"), "KWD", date(2025, 1, 2))
    assert (fits.usd_amount, fits.rate_problem) == (Decimal("325.00"), "")


@pytest.mark.django_db
def test_a_flow_whose_usd_amount_would_pass_the_bound_is_recorded_with_its_problem():
    ExchangeRate.objects.create(currency="KWD", on=date(2025, 1, 6), kind="daily", to_usd=Decimal("3.25"), source="t")
    flow = FlowFactory(amount=AT_BOUND, currency="KWD")
    stored = FundingFlow.objects.get(pk=flow.pk)
    assert stored.amount == AT_BOUND and stored.usd_amount is None
    assert "above the largest amount accepted" in stored.rate_problem


@pytest.mark.django_db
def test_rates_are_bounded_and_round_trip_exactly(tmp_path):
    from ccm.funding.rates import load_rates

    path = tmp_path / "rates.csv"
    path.write_text("currency,date,to_usd\nXAU,2025-01-01,99999.9999999999\nLBP,2025-01-01,0.0000111111\n")
    assert load_rates(path=path, actor=None).stored == 2
    assert ExchangeRate.objects.get(currency="XAU").to_usd == money.MAX_RATE
    assert ExchangeRate.objects.get(currency="LBP").to_usd == Decimal("0.0000111111")
    path.write_text("currency,date,to_usd\nXAU,2025-01-02,9999999999.9999999999\n")
    with pytest.raises(ValueError, match="a rate can be at most 99999.9999999999"):
        load_rates(path=path, actor=None)


def test_a_stored_amount_shows_in_its_box_without_empty_cents():
    from ccm.core.money import AmountFormField

    field = AmountFormField()
    assert field.prepare_value(Decimal("500000.00")) == "500000"
    assert field.prepare_value(Decimal("1234.50")) == "1234.50"
    assert field.clean(field.prepare_value(Decimal("999999999999999.99"))) == Decimal("999999999999999.99")
