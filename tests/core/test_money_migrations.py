"""The migrations to amounts in whole cents convert every stored amount exactly, and back.

For each money field: rows written in the old schema (decimal columns, through the migration executor)
are migrated forward and read back as the same Decimal (stored as cents), then migrated back and read
as the old decimal again. A legacy value above today's bound still reads back without an error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ccm.core.money import _legacy_cents, from_cents

# exactly representable on SQLite too (at most 15 significant digits: the old columns lost the rest there)
VALUES = [Decimal("0.01"), Decimal("1234.56"), Decimal("9999999999999.99")]


@pytest.fixture
def world(transactional_db):
    from ccm.states.reference_data import read_reference
    from ccm.states.services import reference_load
    from tests.personas import create_personas

    reference_load(data=read_reference())
    create_personas()
    yield
    _migrate(None)


def _migrate(target: tuple[str, str] | None) -> Any:
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _raw(table: str, column: str, pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _need(apps: Any, amount: Decimal) -> Any:
    state = apps.get_model("states", "State").objects.get(iso3="LBN")
    return apps.get_model("needs", "Need").objects.create(
        state=state, title="t", pillar="clearance", modality="financial", description="d", amount=amount, currency="LBP"
    )


@pytest.mark.parametrize("value", VALUES)
def test_needs_responses_and_donor_profiles_convert_exactly_and_back(world, value):
    from ccm.needs.models import DonorProfile, Need, Response

    old = _migrate(("needs", "0002_one_visibility_vocabulary"))
    need = _need(old, value)
    org = old.get_model("accounts", "Organisation").objects.get(slug="international-organisation")
    response = old.get_model("needs", "Response").objects.create(
        need=need, organisation=org, kind="pledge", amount=value
    )
    profile = old.get_model("needs", "DonorProfile").objects.create(organisation=org, grant_min=value, grant_max=value)
    _migrate(None)
    assert Need.objects.get(pk=need.pk).amount == value
    # the pledge's amount is now its flow's in the funding ledger (funding 0005)
    from ccm.funding.models import FundingFlow

    assert Response.objects.filter(pk=response.pk).exists()
    assert FundingFlow.objects.get(response_id=response.pk).amount == value
    assert (DonorProfile.objects.get(pk=profile.pk).grant_min, DonorProfile.objects.get(pk=profile.pk).grant_max) == (
        value,
        value,
    )
    assert int(_raw("needs_need", "amount", need.pk)) == int(value * 100)  # whole cents in the column
    back = _migrate(("needs", "0002_one_visibility_vocabulary"))
    assert back.get_model("needs", "Need").objects.get(pk=need.pk).amount == value
    assert back.get_model("needs", "Response").objects.get(pk=response.pk).amount == value
    assert back.get_model("needs", "DonorProfile").objects.get(pk=profile.pk).grant_max == value


@pytest.mark.parametrize("value", VALUES)
def test_flows_convert_exactly_and_back(world, value):
    from ccm.funding.models import FundingFlow

    old = _migrate(("funding", "0002_one_visibility_vocabulary"))
    flow = old.get_model("funding", "FundingFlow").objects.create(
        recipient_label="LBN",
        stage="commitment",
        amount=value,
        usd_amount=value,
        currency="USD",
        value_date=date(2025, 1, 6),
        source="entered",
    )
    blank = old.get_model("funding", "FundingFlow").objects.create(
        recipient_label="LBN",
        stage="pledge",
        amount=value,
        currency="XXX",
        value_date=date(2025, 1, 6),
        source="entered",
    )
    _migrate(None)
    stored = FundingFlow.objects.get(pk=flow.pk)
    assert (stored.amount, stored.usd_amount) == (value, value)
    assert FundingFlow.objects.get(pk=blank.pk).usd_amount is None
    back = _migrate(("funding", "0002_one_visibility_vocabulary"))
    restored = back.get_model("funding", "FundingFlow").objects.get(pk=flow.pk)
    assert (restored.amount, restored.usd_amount) == (value, value)


def test_a_legacy_flow_above_the_bound_reads_back_without_an_error(world):
    """The issue's flow (9,999,999,999,999,999.99, allowed by the old 18-digit column) is kept: exactly on
    PostgreSQL; on SQLite as the 10^16 the old column had already rounded it to."""
    from ccm.funding.models import FundingFlow

    old = _migrate(("funding", "0002_one_visibility_vocabulary"))
    flow = old.get_model("funding", "FundingFlow").objects.create(
        recipient_label="LBN",
        stage="commitment",
        amount=Decimal("1"),
        currency="USD",
        value_date=date(2025, 1, 6),
        source="entered",
    )
    with connection.cursor() as cursor:  # written as the old form did, past what the old ORM reads back on SQLite
        cursor.execute("UPDATE funding_fundingflow SET amount = %s WHERE id = %s", ["9999999999999999.99", flow.pk])
    _migrate(None)
    expected = Decimal("9999999999999999.99") if connection.vendor == "postgresql" else Decimal("10000000000000000.00")
    assert FundingFlow.objects.get(pk=flow.pk).amount == expected


@pytest.mark.parametrize("value", VALUES)
def test_plan_years_and_progress_convert_exactly_and_back(world, value):
    from ccm.reporting.models import PlanYear, ProgressReport

    old = _migrate(("reporting", "0004_move_spreadsheetimport_to_core"))
    state = old.get_model("states", "State").objects.get(iso3="LBN")
    obligation = old.get_model("states", "Obligation").objects.filter(state=state).first()
    plan = old.get_model("reporting", "CompletionPlan").objects.create(obligation=obligation, version=1, currency="LBP")
    year = old.get_model("reporting", "PlanYear").objects.create(
        plan=plan, year=2027, target_output=1, cost=value, national_funding=value, international_funding=value
    )
    report = old.get_model("reporting", "ProgressReport").objects.create(
        state=state, year=2024, national_resources=value, national_resources_currency="LBP"
    )
    _migrate(None)
    stored = PlanYear.objects.get(pk=year.pk)
    assert (stored.cost, stored.national_funding, stored.international_funding) == (value, value, value)
    assert ProgressReport.objects.get(pk=report.pk).national_resources == value
    back = _migrate(("reporting", "0004_move_spreadsheetimport_to_core"))
    assert back.get_model("reporting", "PlanYear").objects.get(pk=year.pk).cost == value
    assert back.get_model("reporting", "ProgressReport").objects.get(pk=report.pk).national_resources == value


@pytest.mark.parametrize(
    ("raw", "cents"),
    [(1234.56, 123456), (1e16, 10**18), (Decimal("9999999999999999.99"), 999999999999999999), (7, 700), ("0.01", 1)],
)
def test_legacy_values_become_the_cents_the_old_column_meant(raw, cents):
    assert _legacy_cents(raw) == cents
    assert from_cents(cents) == Decimal(cents) / 100
