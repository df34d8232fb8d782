"""Check that requirements.lock is in step with pyproject.toml (offline, deterministic).

Every dependency declared in pyproject.toml (the runtime list and the `test` and `production` extras) must be pinned in
the lock (`name==version`) at a version its specifier allows, and every pinned package must carry at
least one hash. Run from the repository root (or pass the two paths):

    .venv/bin/python .ci/check_lock.py [pyproject.toml] [requirements.lock]

Exit status 0 when they agree; otherwise 1, with one line per problem. `make lock` fixes most.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

EXTRAS = ("test", "production")
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def declared(pyproject_text: str) -> list[Requirement]:
    project = tomllib.loads(pyproject_text)["project"]
    lines = list(project.get("dependencies", []))
    for extra in EXTRAS:
        lines += project.get("optional-dependencies", {}).get(extra, [])
    return [Requirement(line) for line in lines]


def pinned(lock_text: str) -> tuple[dict[str, Version], list[str]]:
    """The pinned versions by canonical name, and the problems found reading the lock."""
    pins: dict[str, Version] = {}
    problems: list[str] = []
    current = ""
    hashes: dict[str, int] = {}
    for number, line in enumerate(lock_text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0].isspace():
            if stripped.startswith("--hash=") and current:
                hashes[current] += 1
            continue
        match = _PIN.match(stripped)
        if match is None:
            problems.append(f"requirements.lock line {number}: not a pinned requirement (name==version): {stripped}")
            current = ""
            continue
        current = canonicalize_name(match["name"])
        try:
            pins[current] = Version(match["version"])
        except InvalidVersion:
            problems.append(f"requirements.lock line {number}: invalid version {match['version']!r}")
        hashes[current] = hashes.get(current, 0) + ("--hash=" in stripped)
    problems += [f"requirements.lock: {name} has no hash" for name, count in sorted(hashes.items()) if not count]
    return pins, problems


def check(pyproject_text: str, lock_text: str) -> list[str]:
    try:
        requirements = declared(pyproject_text)
    except (InvalidRequirement, KeyError) as exc:
        return [f"pyproject.toml: {exc}"]
    pins, problems = pinned(lock_text)
    for requirement in requirements:
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue  # not needed on this interpreter or platform
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement}: declared in pyproject.toml, missing from requirements.lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement}: requirements.lock pins {pins[name]}, outside the declared bounds")
    return problems


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    pyproject = Path(argv[0]) if argv else root / "pyproject.toml"
    lock = Path(argv[1]) if len(argv) > 1 else root / "requirements.lock"
    if not lock.is_file():
        print(f"{lock}: missing (run `make lock`)")
        return 1
    problems = check(pyproject.read_text(encoding="utf-8"), lock.read_text(encoding="utf-8"))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{lock.name}: every dependency of {pyproject.name} is pinned within its bounds, with hashes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
