from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ccm.reporting import services as reporting
from ccm.reporting.models import ReportStatus
from ccm.states.models import State
from ccm.states.reference_data import read_reference
from ccm.states.services import reference_load

DATA = Path(__file__).resolve().parent / "data"


_blocker = []  # the session's django_db_blocker, for the hook below


def _load_world() -> None:
    from ccm.core.cache import bump_all
    from tests.personas import create_personas

    reference_load(data=read_reference())
    create_personas()
    bump_all()  # ids changed: nothing cached before may be read again


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the project's reference data, loaded once per session."""
    _blocker.append(django_db_blocker)
    with django_db_blocker.unblock():
        _load_world()


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return by_marker or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_configure(config):
    """Pages in French and Spanish need the compiled catalogues: compile them when missing or older than
    their .po (``make test`` already does; this is for ``pytest`` run by hand). Once, in the controller."""
    if hasattr(config, "workerinput"):
        return
    from ccm.core import catalogues

    for language in catalogues.LANGUAGES:
        if catalogues.stale(language):
            catalogues.compile_catalogue(language)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with the database emptied (flushed): the reference data and the personas are
    loaded again at once, so a test that runs after it on the same worker (xdist may hand one over in any
    order) finds the world every test expects."""
    yield
    # (after a worker's last test the session's fixtures are gone with it, the test database included)
    if _blocker and nextitem is not None and _transactional(item):
        with _blocker[0].unblock():
            from ccm.states.models import State

            if not State.objects.exists():
                _load_world()


@pytest.fixture
def data_dir() -> Path:
    """The test data kept in the repository (tests/data; provenance in the SOURCES.md files there)."""
    return DATA


@pytest.fixture
def lebanon_reported():
    """Lebanon with a clearance baseline, a published 2021 report, a draft 2022 report (each naming an obstacle)
    and an approved plan kept to the organisation."""
    state = State.objects.get(iso3="LBN")
    obligation = state.obligations.get(kind="clearance")
    reporting.baseline_add(
        obligation=obligation,
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=10_000_000,
        source="test",
        actor=None,
    )
    published = reporting.progress_save(
        state=state, year=2021, figures={"cleared_m2": 1_000_000, "obstacles": "PUBLISHED-OBSTACLE"}, actor=None
    )
    reporting.progress_set_status(report=published.report, status=ReportStatus.SUBMITTED, actor=None)
    reporting.progress_set_status(report=published.report, status=ReportStatus.PUBLISHED, actor=None)
    reporting.progress_save(
        state=state, year=2022, figures={"cleared_m2": 2_000_000, "obstacles": "DRAFT-OBSTACLE"}, actor=None
    )
    plan, _ = reporting.plan_save(
        obligation=obligation,
        currency="USD",
        actor=None,
        visibility="organisation",
        years=[
            {
                "year": 2027,
                "target_output": 3_000_000,
                "cost": Decimal("9000000"),
                "national_funding": Decimal("1000000"),
            }
        ],
    )
    reporting.plan_approve(plan=plan, actor=None)
    return state
