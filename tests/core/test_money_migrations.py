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


def test_needs_responses_and_donor_profiles_convert_exactly_and_back(world):
    """Every value of VALUES in one round trip (each migration cycle costs seconds: one cycle per test)."""
    from ccm.funding.models import FundingFlow
    from ccm.needs.models import DonorProfile, Need, Response

    old = _migrate(("needs", "0002_one_visibility_vocabulary"))
    orgs = list(old.get_model("accounts", "Organisation").objects.order_by("pk")[: len(VALUES)])
    assert len(orgs) == len(VALUES)
    rows = []
    for value, org in zip(VALUES, orgs, strict=True):
        need = _need(old, value)
        response = old.get_model("needs", "Response").objects.create(
            need=need, organisation=org, kind="pledge", amount=value
        )
        profile = old.get_model("needs", "DonorProfile").objects.create(
            organisation=org, grant_min=value, grant_max=value
        )
        rows.append((value, need, response, profile))
    _migrate(None)
    for value, need, response, profile in rows:
        assert Need.objects.get(pk=need.pk).amount == value
        # the pledge's amount is now its flow's in the funding ledger (funding 0005)
        assert Response.objects.filter(pk=response.pk).exists()
        assert FundingFlow.objects.get(response_id=response.pk).amount == value
        stored = DonorProfile.objects.get(pk=profile.pk)
        assert (stored.grant_min, stored.grant_max) == (value, value)
        assert int(_raw("needs_need", "amount", need.pk)) == int(value * 100)  # whole cents in the column
    back = _migrate(("needs", "0002_one_visibility_vocabulary"))
    for value, need, response, profile in rows:
        assert back.get_model("needs", "Need").objects.get(pk=need.pk).amount == value
        assert back.get_model("needs", "Response").objects.get(pk=response.pk).amount == value
        assert back.get_model("needs", "DonorProfile").objects.get(pk=profile.pk).grant_max == value


def test_flows_convert_exactly_and_back_and_a_legacy_flow_above_the_bound_reads_back(world):
    """Every value of VALUES, and the issue's legacy flow (9,999,999,999,999,999.99, allowed by the old
    18-digit column), which is kept: exactly on PostgreSQL; on SQLite as the 10^16 the old column had
    already rounded it to."""
    from ccm.funding.models import FundingFlow

    old = _migrate(("funding", "0002_one_visibility_vocabulary"))
    model = old.get_model("funding", "FundingFlow")
    common = {"recipient_label": "LBN", "value_date": date(2025, 1, 6), "source": "entered"}
    rows = []
    for value in VALUES:
        flow = model.objects.create(stage="commitment", amount=value, usd_amount=value, currency="USD", **common)
        blank = model.objects.create(stage="pledge", amount=value, currency="XXX", **common)
        rows.append((value, flow, blank))
    legacy = model.objects.create(stage="commitment", amount=Decimal("1"), currency="USD", **common)
    with connection.cursor() as cursor:  # written as the old form did, past what the old ORM reads back on SQLite
        cursor.execute("UPDATE funding_fundingflow SET amount = %s WHERE id = %s", ["9999999999999999.99", legacy.pk])
    _migrate(None)
    for value, flow, blank in rows:
        stored = FundingFlow.objects.get(pk=flow.pk)
        assert (stored.amount, stored.usd_amount) == (value, value)
        assert FundingFlow.objects.get(pk=blank.pk).usd_amount is None
    expected = Decimal("9999999999999999.99") if connection.vendor == "postgresql" else Decimal("10000000000000000.00")
    assert FundingFlow.objects.get(pk=legacy.pk).amount == expected
    FundingFlow.objects.filter(pk=legacy.pk).delete()  # beyond the old column on the way back
    back = _migrate(("funding", "0002_one_visibility_vocabulary"))
    for value, flow, _blank in rows:
        restored = back.get_model("funding", "FundingFlow").objects.get(pk=flow.pk)
        assert (restored.amount, restored.usd_amount) == (value, value)


def test_plan_years_and_progress_convert_exactly_and_back(world):
    from ccm.reporting.models import PlanYear, ProgressReport

    old = _migrate(("reporting", "0004_move_spreadsheetimport_to_core"))
    state = old.get_model("states", "State").objects.get(iso3="LBN")
    obligation = old.get_model("states", "Obligation").objects.filter(state=state).first()
    plan = old.get_model("reporting", "CompletionPlan").objects.create(obligation=obligation, version=1, currency="LBP")
    rows = []
    for i, value in enumerate(VALUES):
        year = old.get_model("reporting", "PlanYear").objects.create(
            plan=plan, year=2027 + i, target_output=1, cost=value, national_funding=value, international_funding=value
        )
        report = old.get_model("reporting", "ProgressReport").objects.create(
            state=state, year=2024 - i, national_resources=value, national_resources_currency="LBP"
        )
        rows.append((value, year, report))
    _migrate(None)
    for value, year, report in rows:
        stored = PlanYear.objects.get(pk=year.pk)
        assert (stored.cost, stored.national_funding, stored.international_funding) == (value, value, value)
        assert ProgressReport.objects.get(pk=report.pk).national_resources == value
    back = _migrate(("reporting", "0004_move_spreadsheetimport_to_core"))
    for value, year, report in rows:
        assert back.get_model("reporting", "PlanYear").objects.get(pk=year.pk).cost == value
        assert back.get_model("reporting", "ProgressReport").objects.get(pk=report.pk).national_resources == value


@pytest.mark.parametrize(
    ("raw", "cents"),
    [(1234.56, 123456), (1e16, 10**18), (Decimal("9999999999999999.99"), 999999999999999999), (7, 700), ("0.01", 1)],
)
def test_legacy_values_become_the_cents_the_old_column_meant(raw, cents):
    assert _legacy_cents(raw) == cents
    assert from_cents(cents) == Decimal(cents) / 100
