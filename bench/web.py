"""Load benchmark: the platform under gunicorn on the scale data set, driven by wrk at 8 concurrent clients.

    .venv/bin/python bench/web.py [--seconds 10] [--connections 8] [--workers 2] [--factor 1] [--only TEXT] [--json]

The database is ``DATABASE_URL`` when it points at PostgreSQL, otherwise ``var/bench/scale.sqlite3``; either is
migrated and filled with ``ccm seed_scale --factor`` when it does not hold the scale data set yet (about
ten minutes at factor 1 on SQLite). gunicorn serves it on a free port of 127.0.0.1 with ``DEBUG`` off, as a
deployment would. For every route, wrk runs --seconds with --connections connections (anonymously, or with
the session cookie of the scale data set's State editor, donor or coordinator, second factor verified), and
the table gives requests per second, median and 95th percentile, and the **ratio of requests per second to
a trivial Django response measured in the same run** (the "Not found" page, as the issue defining the goal
measured it). Every answer must be 200: a route with errors is flagged. The load targets only 127.0.0.1 and
stops by itself (wrk's duration, and a timeout around it).

Needs Debian's ``wrk`` and ``gunicorn`` (the ``production`` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
WRK = shutil.which("wrk") or "/usr/bin/wrk"

# (who, path). "anonymous" or a key of ccm.accounts.scale.BENCH_ACCOUNTS. The first is the trivial baseline.
TRIVIAL = ("anonymous", "/bench-trivial-not-found/")
ROUTES: list[tuple[str, str]] = [
    ("anonymous", "/"),
    ("anonymous", "/states/"),
    ("anonymous", "/states/LBN/"),
    ("anonymous", "/states/LBN/profile/"),
    ("anonymous", "/deadlines/"),
    ("anonymous", "/needs/"),
    ("anonymous", "/donors/"),
    ("anonymous", "/funding/"),
    ("anonymous", "/funding/explorer/"),
    ("anonymous", "/api/v1/states/"),
    ("anonymous", "/api/v1/needs/"),
    ("anonymous", "/api/v1/flows/"),
    ("anonymous", "/api/v1/coverage/"),
    ("anonymous", "/victims/"),
    ("anonymous", "/library/"),
    ("anonymous", "/search/?q=survey"),
    ("anonymous", "/api/v1/library/practices/"),
    ("editor", "/me/"),
    ("editor", "/needs/"),
    ("editor", "/states/LBN/profile/"),
    ("editor", "/api/v1/needs/"),
    ("donor", "/needs/"),
    ("donor", "/funding/explorer/"),
    ("donor", "/api/v1/flows/"),
    ("coordinator", "/coordination/"),
    ("coordinator", "/needs/"),
    ("coordinator", "/audit/"),
    ("coordinator", "/api/v1/flows/"),
    ("editor", "/meetings/"),
    ("editor", "/coalitions/"),
    ("editor", "/consultations/"),
    ("editor", "/api/v1/meetings/"),
    ("coordinator", "/transparency/"),
    ("coordinator", "/coordination/attention/"),
]

# wrk reports these from its done() hook as one JSON line (latency in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors_status": %d, "errors_connect": %d, "errors_timeout": %d, "errors_read": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.timeout, summary.errors.read))
end
"""


@dataclass
class Result:
    who: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    status_errors: int
    ratio: float = 0.0


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "API_THROTTLE_ANON": "1000000/minute",
            "API_THROTTLE_USER": "1000000/minute",
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(REPO / "var" / "bench" / "static"),
        }
    )
    return env


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    path = REPO / "var" / "bench" / "scale.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _prepare(database_url: str, factor: float) -> None:
    """Migrate, and build the scale data set when the database does not hold it yet."""
    env = _env(database_url)
    ccm = str(BIN / "ccm")
    subprocess.run([ccm, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([ccm, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    probe = (
        "from ccm.accounts.models import User; print(User.objects.filter(email='scale-editor@example.org').exists())"
    )
    held = subprocess.run([ccm, "shell", "-c", probe], env=env, check=True, capture_output=True, text=True)
    if held.stdout.strip().splitlines()[-1:] != ["True"]:
        print(f"Building the scale data set (factor {factor}) ...", flush=True)
        subprocess.run([ccm, "seed_scale", "--factor", str(factor)], env={**env, "DEBUG": "1"}, check=True)


def _sessions(database_url: str) -> dict[str, str]:
    """Session keys of the benchmark accounts (signed in, second factor verified), made in the database."""
    code = (
        "import json\n"
        "from tests.personas import signed_in_client\n"
        "from ccm.accounts.models import User\n"
        "from ccm.accounts.scale import BENCH_ACCOUNTS\n"
        "from django.conf import settings\n"
        "out = {}\n"
        "for who, email in BENCH_ACCOUNTS.items():\n"
        "    client = signed_in_client(User.objects.get(email=email))\n"
        "    out[who] = client.cookies[settings.SESSION_COOKIE_NAME].value\n"
        "print(json.dumps(out))\n"
    )
    env = {**_env(database_url), "PYTHONPATH": str(REPO)}
    done = subprocess.run([str(BIN / "ccm"), "shell", "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _wait(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {timeout} s")


def _cold(url: str, cookie: str | None) -> float:
    """One request, awaited to its end (at most two minutes): its time in milliseconds."""
    assert url.startswith(f"http://{HOST}:"), "the benchmark targets only 127.0.0.1"
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - 127.0.0.1 only
            response.read()
    except urllib.error.HTTPError as error:  # the trivial route answers 404
        error.read()
    return (time.perf_counter() - started) * 1000


def _wrk(url: str, cookie: str | None, seconds: int, connections: int, script: str) -> Result:
    assert url.startswith(f"http://{HOST}:"), "the benchmark targets only 127.0.0.1"
    command = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True)
    line = [row for row in done.stdout.splitlines() if row.startswith("{")][-1]
    data = json.loads(line)
    errors = data["errors_connect"] + data["errors_timeout"] + data["errors_read"]
    return Result(
        who="",
        path="",
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        status_errors=data["errors_status"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--factor", type=float, default=1.0)
    parser.add_argument("--only", default="", help="Only routes whose path contains this text.")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", default="", help="Also write the JSON to this file.")
    args = parser.parse_args()
    if not Path(WRK).exists():
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    if not (BIN / "gunicorn").exists():
        raise SystemExit("gunicorn is not installed: pip install -e '.[production]'")

    database_url = _database_url()
    _prepare(database_url, args.factor)
    cookies = _sessions(database_url)
    port = _free_port()
    env = _env(database_url)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "ccm.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(args.workers)],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    results: list[Result] = []
    try:
        _wait(port)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(WRK_SCRIPT)
            script = handle.name
        routes = [TRIVIAL] + [r for r in ROUTES if args.only in r[1]]
        for who, path in routes:
            cookie = None if who == "anonymous" else cookies[who]
            # Warm-up, as the reader of the route (with their session): one request awaited to its end, so
            # that what the shared cache keeps is in it (its time is printed: the cost of a cold cache),
            # then a second of requests for every worker's own caches; then the measured run.
            cold = _cold(f"http://{HOST}:{port}{path}", cookie)
            warm = [WRK, "-t1", "-c2", "-d1s"] + (["-H", f"Cookie: sessionid={cookie}"] if cookie else [])
            subprocess.run([*warm, f"http://{HOST}:{port}{path}"], capture_output=True)
            result = _wrk(f"http://{HOST}:{port}{path}", cookie, args.seconds, args.connections, script)
            result.who, result.path = who, path
            results.append(result)
            if not args.json:
                print(
                    f"  measured {who:<12} {path:<28} {result.rps:8.1f} req/s (first request {cold:.0f} ms)",
                    file=sys.stderr,
                    flush=True,
                )
        os.unlink(script)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    trivial = results[0].rps
    for r in results:
        r.ratio = r.rps / trivial if trivial else 0.0
    database = "postgresql" if database_url.startswith("postgres") else "sqlite"
    report = {
        "database": database,
        "factor": args.factor,
        "connections": args.connections,
        "workers": args.workers,
        "seconds": args.seconds,
        "results": [asdict(r) for r in results],
    }
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"Scale data set, factor {args.factor}, {database}; gunicorn {args.workers} workers; "
        f"wrk {args.connections} connections, {args.seconds} s per route"
    )
    print(f"{'who':<12} {'path':<28} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'ratio':>6}  goal")
    for r in results:
        goal = "baseline" if r is results[0] else ("ok" if r.ratio >= 0.1 and r.p95_ms < 200 else "MISSED")
        # The trivial page answers 404 by design; every other route must answer 200.
        failed = r.errors + (0 if r is results[0] else r.status_errors)
        if failed:
            goal += f" ({failed} errors)"
        print(f"{r.who:<12} {r.path:<28} {r.rps:8.1f} {r.p50_ms:10.1f} {r.p95_ms:8.1f} {r.ratio:6.2f}  {goal}")


if __name__ == "__main__":
    main()
