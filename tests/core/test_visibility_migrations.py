"""The migrations to one visibility vocabulary keep every object's audience exactly as it was.

For each old value: rows written in the old schema (through the migration executor), migrated
forward, get the mapped level and are seen by exactly the personas who saw them before (the old
rule, written out here); migrated back, they get their old value again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ccm.core.policies import is_coordinator, organisation_ids, state_ids
from tests.personas import ALL_PERSONAS, organisation, persona

NEEDS_OLD = ("needs", "0001_initial")
NEEDS_NEW = ("needs", "0002_one_visibility_vocabulary")
FUNDING_OLD = ("funding", "0001_initial")
FUNDING_NEW = ("funding", "0002_one_visibility_vocabulary")


@pytest.fixture
def world(transactional_db):
    """Reference data and personas (a previous transactional test may have emptied the tables)."""
    from ccm.states.reference_data import read_reference
    from ccm.states.services import reference_load
    from tests.personas import create_personas

    reference_load(data=read_reference())
    create_personas()
    yield
    _migrate(None)  # whatever happened, leave the schema at the latest migrations


def _migrate(target: tuple[str, str] | None) -> Any:
    """Migrate one app to ``target`` (or everything to the latest); the historical apps there."""
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _seers(policy: Any, model: Any, pk: int) -> set[str]:
    return {p for p in ALL_PERSONAS if policy.visible_to(persona(p).user).filter(pk=pk).exists()}


def _old_obstacle_rule(name: str, is_public: bool, state_id: int) -> bool:
    user = persona(name).user
    return is_coordinator(user) or is_public or state_id in state_ids(user)


OBSTACLE_LEVELS = [(True, "public"), (False, "organisation")]
NEED_LEVELS = ["public", "platform", "chosen"]


def test_obstacle_is_public_becomes_a_visibility_level(world):
    """Every old value in one round trip (each migration cycle costs seconds: one cycle per test)."""
    from ccm.needs.models import Obstacle
    from ccm.needs.policies import obstacles

    old_apps = _migrate(NEEDS_OLD)
    state = old_apps.get_model("states", "State").objects.get(iso3="LBN")
    rows = [
        (
            is_public,
            level,
            old_apps.get_model("needs", "Obstacle")
            .objects.create(
                state=state, category="funding", statement="s", observed_on=date(2025, 1, 1), is_public=is_public
            )
            .pk,
        )
        for is_public, level in OBSTACLE_LEVELS
    ]
    _migrate(NEEDS_NEW)
    _migrate(None)
    for is_public, level, pk in rows:
        assert Obstacle.objects.get(pk=pk).visibility == level
        before = {p for p in ALL_PERSONAS if _old_obstacle_rule(p, is_public, state.pk)}
        assert _seers(obstacles, Obstacle, pk) == before
        assert before != set(ALL_PERSONAS) or is_public  # the private one is really private

    back_apps = _migrate(NEEDS_OLD)
    for is_public, _level, pk in rows:
        assert back_apps.get_model("needs", "Obstacle").objects.get(pk=pk).is_public is is_public


def test_need_visibility_values_are_the_core_levels_of_the_same_name(world):
    from ccm.needs.models import Need
    from ccm.needs.policies import needs

    old_apps = _migrate(NEEDS_OLD)
    state = old_apps.get_model("states", "State").objects.get(iso3="LBN")
    io = old_apps.get_model("accounts", "Organisation").objects.get(pk=organisation("io").pk)
    created = {}
    for old in NEED_LEVELS:
        need = old_apps.get_model("needs", "Need").objects.create(
            state=state,
            title="t",
            pillar="clearance",
            modality="financial",
            description="d",
            in_kind="x",
            visibility=old,
            published_at="2025-01-01T00:00:00Z",
        )
        need.chosen_donors.add(io)
        created[old] = need.pk
    _migrate(None)
    expected = {
        "public": set(ALL_PERSONAS),
        "platform": set(ALL_PERSONAS) - {"anonymous"},
        "chosen": {"state_viewer", "state_editor", "state_manager", "io_viewer", "io_editor", "io_manager"}
        | {"coordinator", "administrator"},
    }
    for old, pk in created.items():
        assert Need.objects.get(pk=pk).visibility == old
        assert _seers(needs, Need, pk) == expected[old], old

    back_apps = _migrate(NEEDS_OLD)
    for old, pk in created.items():
        assert back_apps.get_model("needs", "Need").objects.get(pk=pk).visibility == old


def _old_flow_rule(name: str, confidentiality: str, funder_id: int) -> bool:
    user = persona(name).user
    return is_coordinator(user) or confidentiality == "public" or funder_id in organisation_ids(user)


FLOW_LEVELS = [("public", "public"), ("coordinators", "organisation")]


def test_flow_confidentiality_becomes_a_visibility_level(world):
    from ccm.funding.models import FundingFlow
    from ccm.funding.policies import flows

    old_apps = _migrate(FUNDING_OLD)
    funder = old_apps.get_model("accounts", "Organisation").objects.get(pk=organisation("io").pk)
    rows = [
        (
            old,
            level,
            old_apps.get_model("funding", "FundingFlow")
            .objects.create(
                funder=funder,
                stage="pledge",
                amount=Decimal("10"),
                currency="USD",
                value_date=date(2025, 1, 1),
                source="entered",
                confidentiality=old,
            )
            .pk,
        )
        for old, level in FLOW_LEVELS
    ]
    _migrate(None)
    for old, level, pk in rows:
        assert FundingFlow.objects.get(pk=pk).visibility == level
        before = {p for p in ALL_PERSONAS if _old_flow_rule(p, old, funder.pk)}
        assert _seers(flows, FundingFlow, pk) == before
        if old == "coordinators":  # the funder's members and coordinators, not the recipient State
            assert before == {"io_viewer", "io_editor", "io_manager", "coordinator", "administrator"}

    back_apps = _migrate(FUNDING_OLD)
    for old, _level, pk in rows:
        assert back_apps.get_model("funding", "FundingFlow").objects.get(pk=pk).confidentiality == old
