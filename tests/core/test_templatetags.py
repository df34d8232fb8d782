from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ccm.core.templatetags.ccm import ccm_number


def test_numbers_in_english_keep_their_format():
    with translation.override("en"):
        assert ccm_number(1234567) == "1,234,567"
        assert ccm_number(Decimal("1234.5")) == "1,234.50"
        assert ccm_number(Decimal("1234.565")) == "1,234.56"  # half to even, as before
        assert ccm_number(Decimal("1200.00")) == "1,200"
        assert ccm_number(-2500.0) == "-2,500"
        assert ccm_number(True) == "True" and ccm_number("n/a") == "n/a"


@given(
    st.one_of(
        st.integers(min_value=-(2**53), max_value=2**53),
        st.decimals(min_value=-(10**15), max_value=10**15, places=4, allow_nan=False),
        st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    )
)
def test_english_output_is_what_python_formatting_gave(value):
    expected = f"{value:,.2f}" if isinstance(value, Decimal) and value != value.to_integral() else f"{value:,.0f}"
    with translation.override("en"):
        assert ccm_number(value) == expected


def test_numbers_follow_the_active_language():
    with translation.override("fr"):
        assert ccm_number(Decimal("1234567.5")) == "1\u202f234\u202f567,50"
    with translation.override("es"):
        assert ccm_number(1234567) == "1.234.567"
