"""The one set of formatting filters (``{% load ccm %}``): money, area, number, percent, share, days, date."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ccm.core.templatetags.ccm import area, date_filter, datetime_filter, days, money, number, percent, share

NBSP = "\N{NO-BREAK SPACE}"


def test_money_in_whole_units_without_noise_and_cents_when_there_are_any():
    with translation.override("en"):
        assert money(Decimal("4200000.00"), "usd") == f"4,200,000{NBSP}USD"
        assert money(Decimal("1234.5"), "EUR") == f"1,234.50{NBSP}EUR"
        assert money(Decimal("0.01"), "EUR") == f"0.01{NBSP}EUR"
        assert money(250, "") == "250"
        assert money(None, "USD") == "" and money("", "USD") == "" and money("n/a", "USD") == ""
        assert money(Decimal("Infinity"), "USD") == "" and money(float("nan"), "USD") == ""
        assert money(True, "USD") == ""


def test_french_and_spanish_write_numbers_their_way():
    with translation.override("fr"):
        assert money(Decimal("4200000"), "USD").replace("\u202f", " ").replace(NBSP, " ") == "4 200 000 USD"
        assert percent(42.5).replace("\u202f", " ").replace(NBSP, " ") == "42,5 %"
        assert date_filter(date(2026, 5, 1)) == "1 mai 2026"
    with translation.override("es"):
        assert money(Decimal("4200000"), "USD") == f"4.200.000{NBSP}USD"
        assert date_filter(date(2026, 5, 1)) == "1 de mayo de 2026"


def test_areas_in_square_metres_with_square_kilometres_from_one_on():
    with translation.override("en"):
        assert area(50000) == f"50,000{NBSP}m²"
        assert area(12_500_000) == f"12,500,000{NBSP}m² (12.5{NBSP}km²)"
        assert area(12_500_000, "m2") == f"12,500,000{NBSP}m²"
        assert area(None) == ""


def test_shares_percentages_days_and_numbers():
    with translation.override("en"):
        assert share(0.42) == "42%" and share(1) == "100%" and share(Decimal("0.005")) == "0%"
        assert share(None) == ""
        assert percent(42.5) == "42.5%" and percent(40) == "40%"
        assert days(20.0) == "20 days" and days(1) == "1 day" and days(20.5) == "20.5 days" and days(None) == ""
        assert number(1234.4) == "1,234" and number(3.46, 1) == "3.5" and number(0.3333, 2) == "0.33"


def test_one_date_style_and_django_formats_on_request():
    with translation.override("en"):
        assert date_filter(date(2026, 5, 1)) == "1 May 2026"
        assert date_filter(date(2026, 5, 1), "Y-m-d") == "2026-05-01"
        assert date_filter(None) == "" and date_filter("not a date") == ""
        moment = datetime(2026, 5, 1, 14, 5, tzinfo=UTC)
        assert datetime_filter(moment) == "1 May 2026, 14:05 UTC"
        rendered = Template('{% load ccm %}{{ d|date }}|{{ d|date:"c" }}|{{ m|datetime }}').render(
            Context({"d": date(2026, 5, 1), "m": moment})
        )
        assert rendered == "1 May 2026|2026-05-01|1 May 2026, 14:05 UTC"


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@given(
    value=st.one_of(
        st.none(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.floats(),
        st.text(max_size=20),
    )
)
def test_no_value_breaks_a_filter(language, value):
    with translation.override(language):
        for result in (money(value, "USD"), area(value), number(value), percent(value), share(value), days(value)):
            assert isinstance(result, str)


def test_an_exchange_rate_keeps_its_significant_digits():
    from ccm.core.templatetags.ccm import rate

    assert rate("0.0000111732") == "0.0000111732"
    assert rate("1.0823000000") == "1.0823"
    assert rate("1") == "1" and rate(None) == "" and rate("0") == "0"
    assert rate("1234.56789") == "1,234.57"
