import os
from pathlib import Path

import pytest

from ccm.states.reference_data import read_reference
from ccm.states.services import reference_load

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CCM_SHARED_DIR", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the project's reference data, loaded once per session."""
    from tests.personas import create_personas

    with django_db_blocker.unblock():
        reference_load(data=read_reference())
        create_personas()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"The shared data folder is missing: {SHARED} (set CCM_SHARED_DIR)")
    return SHARED
