"""Money helpers shared by every app: ISO 4217 currency codes and amount limits.

Money is ``Decimal`` with a currency code, never float. Conversions between currencies (dated rates)
live in ``ccm.funding.rates``.
"""

from __future__ import annotations

from decimal import Decimal

import pycountry

CURRENCIES: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.currencies)
"""Every ISO 4217 alphabetic code known to pycountry."""

MAX_AMOUNT = Decimal("1e15")
"""Amounts at or above this are refused as absurd (and would overflow the database columns)."""


def is_currency(code: str) -> bool:
    return code in CURRENCIES
