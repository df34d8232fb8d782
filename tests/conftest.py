from pathlib import Path

import pytest

from ccm.states.reference_data import read_reference
from ccm.states.services import reference_load

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the project's reference data, loaded once per session."""
    from tests.personas import create_personas

    with django_db_blocker.unblock():
        reference_load(data=read_reference())
        create_personas()


@pytest.fixture
def data_dir() -> Path:
    """The test data kept in the repository (tests/data; provenance in the SOURCES.md files there)."""
    return DATA
