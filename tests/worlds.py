"""Worlds built once per test module and shared by its tests, as Django's ``setUpTestData`` does.

``shared_world(build)`` makes a module-scoped fixture: ``build()`` runs once, inside a transaction that
is rolled back when the module's tests are done; each test runs in its own savepoint inside it (the
``db`` fixture), so whatever a test writes is gone before the next one starts and every test sees the
world exactly as it was built. Only for values that are safe to share: the builders return primary
keys and plain values, never model instances a test could change in memory. Not for transactional
tests (they would empty the tables under the world). While the world stands, the module's other tests
see it too (pytest keeps a module's fixture until the module's last test that asked for it): a test in
such a module counts what it adds rather than assuming empty tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction


def shared_world(build: Callable[[], Any]) -> Any:
    @pytest.fixture(scope="module")
    def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield build()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return world
