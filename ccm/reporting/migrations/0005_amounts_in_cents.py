"""Amounts stored as whole cents (``MoneyField``, a 64-bit integer) so that they round-trip exactly on
SQLite and PostgreSQL; every stored value is converted exactly, and back (issue 11)."""

from decimal import Decimal  # noqa: F401

from django.db import migrations, models

import ccm.core.money
from ccm.core.money import to_cents_operations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_move_spreadsheetimport_to_core")]

    operations = [
        *to_cents_operations(
            "reporting",
            "planyear",
            "cost",
            old=models.DecimalField(decimal_places=2, max_digits=16, verbose_name="cost"),
            new=ccm.core.money.MoneyField(verbose_name="cost"),
        ),
        *to_cents_operations(
            "reporting",
            "planyear",
            "national_funding",
            old=models.DecimalField(
                decimal_places=2, default=Decimal("0"), max_digits=16, verbose_name="national funding"
            ),
            new=ccm.core.money.MoneyField(default=Decimal("0"), verbose_name="national funding"),
        ),
        *to_cents_operations(
            "reporting",
            "planyear",
            "international_funding",
            old=models.DecimalField(
                decimal_places=2, default=Decimal("0"), max_digits=16, verbose_name="expected international funding"
            ),
            new=ccm.core.money.MoneyField(default=Decimal("0"), verbose_name="expected international funding"),
        ),
        *to_cents_operations(
            "reporting",
            "progressreport",
            "national_resources",
            old=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=16,
                null=True,
                verbose_name="national resources allocated (Art 7(1)(m))",
            ),
            new=ccm.core.money.MoneyField(
                blank=True, null=True, verbose_name="national resources allocated (Art 7(1)(m))"
            ),
        ),
    ]
