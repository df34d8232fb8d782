"""CI follows docs/deployment.md step by step, on this machine, against the local PostgreSQL and Redis.

Every ``sh`` block of the document runs as written, in order; every ``ExecStart=`` of a service unit is
started where the unit appears (``ExecReload`` where the upgrade section reloads it); the cron line runs
once. Only the paths and addresses change: ``/srv/ccm``, ``/srv/shared`` and ``/etc/ccm`` move into a
temporary folder, and the settings file gets the local database and Redis. The reverse proxy is left out
(the health check sends the host name and the header the proxy would send).

Around the document, CI checks what the document promises: the services answer ``/readyz`` with every
check ``ok``; a task enqueued on Redis is run by the worker; the restored database holds exactly the rows of
the original, table by table; the restored documents are the ones backed up.

    .venv/bin/python .ci/deployment.py   # needs PostgreSQL (CI_POSTGRES, default postgres://postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "deployment.md"
POSTGRES = os.environ.get("CI_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("CI_REDIS", "redis://127.0.0.1:6379/8")
DATABASE, RESTORED = "ccm_deploy_ci", "ccm_deploy_ci_restored"
PROBE = "probe-attachment.txt"

BLOCK = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
HEADING = re.compile(r"^## (.+)$", re.M)


def _psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", f"{POSTGRES}/{database}", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _row_counts(database: str) -> dict[str, int]:
    tables = _psql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name",
        database,
    ).split()
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    return {name: int(count) for name, count in (line.split("|") for line in _psql(query, database).splitlines())}


class Walk:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = {
            "/srv/ccm": str(root / "srv-ccm"),
            "/srv/shared": str(root / "srv-shared"),
            "/etc/ccm": str(root / "etc-ccm"),
        }
        self.services: dict[str, subprocess.Popen[bytes]] = {}
        self.units: dict[str, str] = {}
        self.env: dict[str, str] = {}

    def local(self, text: str) -> str:
        for old, new in self.paths.items():
            text = text.replace(old, new)
        return text

    def settings_file(self, text: str) -> None:
        """The document's /etc/ccm/env, with this machine's database, Redis and a fresh secret."""
        overrides = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "REDIS_URL": REDIS,
        }
        lines = []
        for line in self.local(text).splitlines():
            name = line.split("=", 1)[0]
            lines.append(f"{name}={overrides[name]}" if name in overrides else line)
        path = Path(self.paths["/etc/ccm"]) / "env"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
        loaded = subprocess.run(
            ["bash", "-c", f"set -a && . {path} && set +a && env -0"], check=True, capture_output=True
        ).stdout.decode()
        self.env = dict(item.split("=", 1) for item in loaded.split("\0") if "=" in item)
        self.env["RESTORE_URL"] = f"{POSTGRES}/{RESTORED}"
        for folder in ("CCM_PRIVATE_STORAGE_DIR", "CCM_TASK_FILES_DIR", "STATIC_ROOT"):
            Path(self.env[folder]).mkdir(parents=True, exist_ok=True)

    def shell(self, text: str) -> None:
        print(f"$ {text.strip()}", flush=True)
        subprocess.run(["bash", "-euo", "pipefail", "-c", self.local(text)], env=self.env, check=True)

    def unit(self, name: str, text: str) -> None:
        text = self.local(text)
        self.units[name] = text
        start = re.search(r"^ExecStart=(.+)$", text, re.M)
        directory = re.search(r"^WorkingDirectory=(.+)$", text, re.M)
        if start and directory:
            self.start(name)

    def start(self, name: str) -> None:
        text = self.units[name]
        command = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)  # type: ignore[union-attr]
        directory = re.search(r"^WorkingDirectory=(.+)$", text, re.M).group(1)  # type: ignore[union-attr]
        print(f"[start {name}] {command}", flush=True)
        self.services[name] = subprocess.Popen(
            ["bash", "-c", f"exec {command}"], cwd=directory, env=self.env, start_new_session=True
        )

    def stop(self, name: str) -> None:
        process = self.services.pop(name)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)

    def stop_all(self) -> None:
        for name in list(self.services):
            self.stop(name)


def _check_ready(walk: Walk) -> None:
    import json
    import urllib.request

    request = urllib.request.Request("http://127.0.0.1:8000/readyz", headers={"Host": "ccm.example.org"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
        body = json.loads(response.read())
    assert body == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "queue": "ok"}}, body
    print(f"[check] /readyz: {body}", flush=True)


def _check_worker_runs_a_task(walk: Walk) -> None:
    """A task enqueued on Redis by this release is run by the worker the document started."""
    code = (
        "import time\n"
        "from ccm.core.tasks import run_job\n"
        "result = run_job.enqueue(0)\n"  # no job 0: the task answers "missing" and writes nothing
        "deadline = time.monotonic() + 60\n"
        "while time.monotonic() < deadline:\n"
        "    result.refresh()\n"
        "    if result.is_finished: break\n"
        "    time.sleep(0.5)\n"
        "print(result.status, result.return_value if result.is_finished else '')\n"
    )
    app = Path(walk.paths["/srv/ccm"]) / "app"
    done = subprocess.run(
        [str(app / ".venv/bin/ccm"), "shell", "-c", code], cwd=app, env=walk.env, check=True, capture_output=True
    )
    status = done.stdout.decode().strip().splitlines()[-1]
    assert status == "SUCCESSFUL missing", status
    print(f"[check] a task enqueued on Redis ran in the worker: {status}", flush=True)


def main() -> None:
    if not shutil.which("psql") or not shutil.which("pg_dump"):
        raise SystemExit("psql and pg_dump are needed (Debian: postgresql-client)")
    for name in (DATABASE, RESTORED):
        _psql(f'DROP DATABASE IF EXISTS "{name}"')
        _psql(f'CREATE DATABASE "{name}"')
    root = Path(tempfile.mkdtemp(prefix="ccm-deploy-"))
    walk = Walk(root)
    app = Path(walk.paths["/srv/ccm"]) / "app"
    app.mkdir(parents=True)
    # The release: the repository's files as they are (tracked, and new ones not ignored).
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = REPO / name.decode()
        if source.is_file():
            target = app / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)

    text = DOC.read_text()
    headings = [(m.start(), m.group(1)) for m in HEADING.finditer(text)]
    before_backup: dict[str, int] = {}
    wiped = restored_checked = upgraded = False
    try:
        for match in BLOCK.finditer(text):
            kind, body = match.group(1), match.group(2)
            section = next((title for start, title in reversed(headings) if start < match.start()), "")
            first = body.splitlines()[0] if body else ""
            if section.startswith("8.") and not wiped:
                # what a restore is for: the documents are lost (the database copy goes to an empty database)
                shutil.rmtree(walk.env["CCM_PRIVATE_STORAGE_DIR"])
                wiped = True
            if section.startswith("7.") and kind == "sh":
                before_backup = _row_counts(DATABASE)
            if kind == "ini" and first.startswith("# /etc/ccm/env"):
                walk.settings_file(body)
            elif kind == "ini" and first.startswith("# /etc/systemd/system/"):
                walk.unit(first.rsplit("/", 1)[1], body)
            elif kind == "cron":
                command = body.strip().split(None, 6)[6]
                walk.shell(command)
            elif kind == "sh":
                if section.startswith("9."):
                    # the upgrade: the new release is the same one here; migrate, then reload and restart
                    walk.shell(body)
                    os.killpg(walk.services["ccm-web.service"].pid, signal.SIGHUP)
                    walk.stop("ccm-worker.service")
                    walk.start("ccm-worker.service")
                    time.sleep(3)
                    _check_ready(walk)
                    _check_worker_runs_a_task(walk)
                    upgraded = True
                    continue
                walk.shell(body)
                if section.startswith("3."):
                    # something of a user's to back up: an attached document
                    Path(walk.env["CCM_PRIVATE_STORAGE_DIR"], PROBE).write_text("an attachment\n")
                if section.startswith("7."):
                    assert _row_counts(DATABASE) == before_backup, "the database changed while it was backed up"
                if section.startswith("8."):
                    restored = _row_counts(RESTORED)
                    assert restored == before_backup, {
                        t: (n, restored.get(t)) for t, n in before_backup.items() if restored.get(t) != n
                    }
                    filled = sum(1 for count in restored.values() if count)
                    assert filled >= 10, f"only {filled} tables hold rows: the backup test proves little"
                    assert Path(walk.env["CCM_PRIVATE_STORAGE_DIR"], PROBE).read_text() == "an attachment\n"
                    print(
                        f"[check] restored: {len(restored)} tables, {sum(restored.values())} rows, the same as the "
                        f"original's at the backup ({filled} tables with rows); the attached document is back",
                        flush=True,
                    )
                    restored_checked = True
                if section.startswith("6."):
                    _check_ready(walk)
                    _check_worker_runs_a_task(walk)
        assert restored_checked and upgraded, "the document lost its restore or upgrade section"
    finally:
        walk.stop_all()
        shutil.rmtree(root, ignore_errors=True)
    print("docs/deployment.md followed: every step ran", flush=True)


if __name__ == "__main__":
    sys.exit(main())
