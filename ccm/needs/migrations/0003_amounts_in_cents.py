"""Amounts stored as whole cents (``MoneyField``, a 64-bit integer) so that they round-trip exactly on
SQLite and PostgreSQL; every stored value is converted exactly, and back (issue 11)."""

from decimal import Decimal  # noqa: F401

from django.db import migrations, models

import ccm.core.money
from ccm.core.money import to_cents_operations


class Migration(migrations.Migration):
    dependencies = [("needs", "0002_one_visibility_vocabulary")]

    operations = [
        *to_cents_operations(
            "needs",
            "donorprofile",
            "grant_min",
            old=models.DecimalField(
                blank=True, decimal_places=2, max_digits=16, null=True, verbose_name="typical grant from"
            ),
            new=ccm.core.money.MoneyField(blank=True, null=True, verbose_name="typical grant from"),
        ),
        *to_cents_operations(
            "needs",
            "donorprofile",
            "grant_max",
            old=models.DecimalField(
                blank=True, decimal_places=2, max_digits=16, null=True, verbose_name="typical grant up to"
            ),
            new=ccm.core.money.MoneyField(blank=True, null=True, verbose_name="typical grant up to"),
        ),
        *to_cents_operations(
            "needs",
            "need",
            "amount",
            old=models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name="amount"),
            new=ccm.core.money.MoneyField(blank=True, null=True, verbose_name="amount"),
        ),
        *to_cents_operations(
            "needs",
            "response",
            "amount",
            old=models.DecimalField(
                blank=True, decimal_places=2, max_digits=16, null=True, verbose_name="amount pledged"
            ),
            new=ccm.core.money.MoneyField(blank=True, null=True, verbose_name="amount pledged"),
        ),
    ]
