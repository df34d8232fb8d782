"""requirements.lock stays in step with pyproject.toml (.ci/check_lock.py, also run by CI)."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def check_lock():
    spec = importlib.util.spec_from_file_location("check_lock", REPO / ".ci" / "check_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PYPROJECT = """
[project]
name = "x"
dependencies = ["Django>=5.2,<5.3", "psycopg[binary]>=3.1,<3.4", "pywin32>=300; sys_platform == 'nonexistent'"]
[project.optional-dependencies]
test = ["pytest>=8,<9"]
docs = ["sphinx>=7"]
"""
HASH = "    --hash=sha256:" + "0" * 64


def lock(*pins: str) -> str:
    return "# header\n" + "".join(f"{pin} \\\n{HASH}\n" for pin in pins)


def test_the_repository_lock_pins_every_declared_dependency_within_its_bounds(check_lock):
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert check_lock.check(pyproject, (REPO / "requirements.lock").read_text(encoding="utf-8")) == []


def test_a_lock_in_step_passes_and_only_the_test_extra_counts(check_lock):
    assert check_lock.check(PYPROJECT, lock("django==5.2.7", "psycopg==3.2.1", "pytest==8.4.2")) == []


def test_a_missing_or_out_of_bounds_pin_is_reported(check_lock):
    problems = check_lock.check(PYPROJECT, lock("Django==5.3.0", "pytest==8.4.2"))
    assert problems == [
        "Django<5.3,>=5.2: requirements.lock pins 5.3.0, outside the declared bounds",
        "psycopg[binary]<3.4,>=3.1: declared in pyproject.toml, missing from requirements.lock",
    ]


def test_a_pin_without_hash_or_a_loose_line_is_reported(check_lock):
    text = lock("django==5.2.7", "pytest==8.4.2") + "psycopg==3.2.1\nrequests>=2\n"
    assert check_lock.check(PYPROJECT, text) == [
        "requirements.lock line 7: not a pinned requirement (name==version): requests>=2",
        "requirements.lock: psycopg has no hash",
    ]
