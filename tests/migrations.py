"""Helpers for the tests of data migrations: move the test database to a given migration state and back.

Such tests are transactional (the executor commits), so they start from a database that may have been
emptied by an earlier transactional test: ``start_from_reference`` loads the reference data first.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def start_from_reference() -> None:
    from ccm.states.reference_data import read_reference
    from ccm.states.services import reference_load

    reference_load(data=read_reference())


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets`` (``[(app, migration), ...]``) and return the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> Any:
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
