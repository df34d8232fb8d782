"""Amounts stored as whole cents (``MoneyField``, a 64-bit integer) so that they round-trip exactly on
SQLite and PostgreSQL; every stored value is converted exactly, and back (issue 11)."""

from decimal import Decimal  # noqa: F401

from django.db import migrations, models

import ccm.core.money
from ccm.core.money import to_cents_operations


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_one_visibility_vocabulary")]

    operations = [
        *to_cents_operations(
            "funding",
            "fundingflow",
            "amount",
            old=models.DecimalField(decimal_places=2, max_digits=18, verbose_name="amount as reported"),
            new=ccm.core.money.MoneyField(verbose_name="amount as reported"),
        ),
        *to_cents_operations(
            "funding",
            "fundingflow",
            "usd_amount",
            old=models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name="USD"),
            new=ccm.core.money.MoneyField(blank=True, null=True, verbose_name="USD"),
        ),
    ]
