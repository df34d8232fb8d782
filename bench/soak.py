"""Soak: the platform under gunicorn for minutes, reading and writing at once, on the scale data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccm_bench .venv/bin/python bench/soak.py [--seconds 300]

8 clients (threads) for ``--seconds``: most requests read the main pages and API lists (anonymous and as the
scale data set's State editor, donor and coordinator); about one in eight writes through the platform's own
forms, as a person would (the form first, then the post with its CSRF token): the editor states a need for
Lebanon, the donor answers a published need, the donor records a funding flow. It prints, and fails when one
does not hold:

- zero errors (every read answers 200, every write redirects after saving);
- the web workers' memory (resident set) grows by at most 10 % from the end of the second minute to the end
  (after a warm-up of every route and write; the samples every 30 s are printed);
- the audit trail holds exactly one entry of the write's action for each write (matched by request id).

gunicorn runs two workers that are never renewed (no ``--max-requests``), so growth shows. The database is
``DATABASE_URL`` (PostgreSQL; SQLite works, at ``var/bench/scale.sqlite3``), built as bench/web.py builds it.
Targets only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import web  # noqa: E402 - bench/web.py: the same database, settings and sign-in

READS = [
    ("anonymous", "/"),
    ("anonymous", "/states/"),
    ("anonymous", "/needs/"),
    ("anonymous", "/funding/"),
    ("anonymous", "/states/LBN/profile/"),
    ("anonymous", "/api/v1/needs/"),
    ("anonymous", "/api/v1/flows/"),
    ("editor", "/needs/"),
    ("editor", "/me/"),
    ("donor", "/funding/explorer/"),
    ("donor", "/api/v1/flows/"),
    ("coordinator", "/coordination/"),
    ("coordinator", "/audit/"),
]
WRITES = ("need", "response", "flow")
WRITE_SHARE = 0.125
ACTIONS = {"need": "need.create", "response": "response.", "flow": "funding_flow.create"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Tally:
    reads: Counter[str] = field(default_factory=Counter)
    writes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    written: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in WRITES})
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    def __init__(self, port: int, session: str | None):
        self.port, self.session = port, session

    def request(self, method: str, path: str, body: str = "", csrf: str = "") -> http.client.HTTPResponse:
        cookies = [f"sessionid={self.session}"] if self.session else []
        if csrf:
            cookies.append(f"csrftoken={csrf}")
        headers = {"Host": web.HOST, "Cookie": "; ".join(cookies)}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(web.HOST, self.port, timeout=60)
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response

    def post_form(self, path: str, values: dict[str, str], page_path: str = "") -> http.client.HTTPResponse:
        """The page with the form first (its CSRF token and cookie), then the post, as a browser does."""
        page = self.request("GET", page_path or path)
        token = CSRF.search(page.body.decode())  # type: ignore[attr-defined]
        cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
        if page.status != 200 or token is None or cookie is None:
            raise RuntimeError(f"GET {page_path or path} answered {page.status} without a form to post")
        from urllib.parse import urlencode

        return self.request("POST", path, urlencode({**values, "csrfmiddlewaretoken": token.group(1)}), cookie.group(1))


def _shell(database_url: str, code: str) -> Any:
    """Run ``code`` in ``ccm shell`` on the benchmark's database; the JSON its last line prints."""
    env = {**web._env(database_url), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [str(web.BIN / "ccm"), "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _facts(database_url: str) -> dict[str, object]:
    """Ids the writes need: the donor's organisation, Lebanon, and published public needs it may answer: not its
    own State's (a government does not answer its own needs) and not answered yet (an earlier soak on the
    same database answered some)."""
    code = (
        "import json\n"
        "from ccm.accounts.models import User\n"
        "from ccm.accounts.scale import BENCH_ACCOUNTS\n"
        "from ccm.needs.models import Need\n"
        "from ccm.states.models import State\n"
        "donor = User.objects.get(email=BENCH_ACCOUNTS['donor'])\n"
        "membership = donor.memberships.select_related('organisation').first()\n"
        "org, own_state = membership.organisation_id, membership.organisation.state_id\n"
        "needs = list(Need.objects.filter(visibility='public', published_at__isnull=False, withdrawn_at__isnull=True)"
        ".exclude(responses__organisation_id=org).exclude(state_id=own_state).values_list('pk', flat=True)[:1000])\n"
        "print(json.dumps({'donor_org': org, 'lebanon': State.objects.get(iso3='LBN').pk, 'needs': needs}))\n"
    )
    return _shell(database_url, code)


def _write(
    kind: str, clients: dict[str, Client], facts: dict[str, object], rng: random.Random
) -> http.client.HTTPResponse:
    n = rng.randrange(10**9)
    if kind == "need":
        return clients["editor"].post_form(
            "/needs/new/LBN/",
            {
                "title": f"Soak need {n}",
                "pillar": "clearance",
                "modality": "financial",
                "description": "Written by the soak benchmark.",
                "amount": str(rng.randrange(10_000, 900_000)),
                "currency": "USD",
                "priority": "2",
                "visibility": "public",
            },
        )
    if kind == "response":
        # an organisation says it is interested in a need once: each write takes a need not answered yet
        need = facts["needs"].pop()  # type: ignore[attr-defined]
        return clients["donor"].post_form(
            f"/needs/{need}/respond/",
            {"organisation": str(facts["donor_org"]), "kind": "interest", "message": f"Soak interest {n}"},
            page_path=f"/needs/{need}/",
        )
    return clients["donor"].post_form(
        "/funding/flows/new/",
        {
            "funder": str(facts["donor_org"]),
            "recipient_state": str(facts["lebanon"]),
            "pillar": "clearance",
            "stage": "commitment",
            "amount": str(rng.randrange(1_000, 500_000)),
            "currency": "USD",
            "value_date": "2026-06-01",
            "visibility": "public",
        },
    )


def _worker(stop: float, port: int, cookies: dict[str, str], facts: dict[str, object], tally: Tally, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - a load mix, not a secret
    clients = {who: Client(port, cookies.get(who)) for who in ("anonymous", "editor", "donor", "coordinator")}
    while time.monotonic() < stop:
        try:
            if rng.random() < WRITE_SHARE:
                kind = rng.choice(WRITES)
                response = _write(kind, clients, facts, rng)
                with tally.lock:
                    if response.status == 302:
                        tally.writes[kind] += 1
                        tally.written[kind].append(response.getheader("X-Request-ID") or "")
                    else:
                        tally.errors.append(f"write {kind}: {response.status}")
            else:
                who, path = rng.choice(READS)
                response = clients[who].request("GET", path)
                with tally.lock:
                    tally.reads[path] += 1
                    if response.status != 200:
                        tally.errors.append(f"GET {path} as {who}: {response.status}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            with tally.lock:
                tally.errors.append(f"{type(exc).__name__}: {exc}")


def _rss_kib(master: int) -> dict[int, int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text()
    sizes = {}
    for pid in (int(p) for p in children.split()):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return sizes


def _audit(database_url: str, written: dict[str, list[str]]) -> dict[str, Counter[int]]:
    """For each kind of write: how many entries of its action each write's request holds."""
    code = (
        "import json, sys\n"
        "from ccm.core.models import AuditEntry\n"
        f"written = json.loads({json.dumps(json.dumps(written))})\n"
        f"actions = {ACTIONS!r}\n"
        "out = {}\n"
        "for kind, ids in written.items():\n"
        "    rows = AuditEntry.objects.filter(request_id__in=ids, action__startswith=actions[kind])\n"
        "    per = {i: 0 for i in ids}\n"
        "    for rid in rows.values_list('request_id', flat=True):\n"
        "        per[rid] += 1\n"
        "    out[kind] = list(per.values())\n"
        "print(json.dumps(out))\n"
    )
    return {kind: Counter(values) for kind, values in _shell(database_url, code).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--factor", type=float, default=1.0)
    args = parser.parse_args()
    database_url = web._database_url()
    web._prepare(database_url, args.factor)
    cookies = web._sessions(database_url)
    facts = _facts(database_url)
    port = web._free_port()
    env = {**web._env(database_url), "TASKS_BACKEND": "immediate"}  # e-mail composed in the request, no worker
    server = subprocess.Popen(
        [str(web.BIN / "gunicorn"), "ccm.wsgi", "--bind", f"{web.HOST}:{port}", "--workers", "2", "--timeout", "120"],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    tally = Tally()
    try:
        web._wait(port)
        # warm-up: every route and every kind of write a few times, so both workers have loaded what they keep
        # (templates, translations, per-process tables) before the memory is first measured
        warm = {who: Client(port, cookies.get(who)) for who in ("anonymous", "editor", "donor", "coordinator")}
        warm_rng = random.Random(-1)  # noqa: S311 - a load mix, not a secret
        for _round in range(4):
            for who, path in READS:
                warm[who].request("GET", path)
            for kind in WRITES:
                _write(kind, warm, facts, warm_rng)
        started = time.monotonic()
        stop = started + args.seconds
        threads = [
            threading.Thread(target=_worker, args=(stop, port, cookies, facts, tally, seed), daemon=True)
            for seed in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        # memory is compared from the end of the second minute (a worker's heap settles in the first) to the end
        time.sleep(min(120, args.seconds * 0.4))
        first = _rss_kib(server.pid)
        samples = [first]
        while any(thread.is_alive() for thread in threads):
            time.sleep(5)
            if len(samples) < 1 + (time.monotonic() - started - min(120, args.seconds * 0.4)) // 30:
                samples.append(_rss_kib(server.pid))
        for thread in threads:
            thread.join(timeout=120)
        last = _rss_kib(server.pid)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    audit = _audit(database_url, tally.written)
    database = "postgresql" if database_url.startswith("postgres") else "sqlite"
    reads, writes = sum(tally.reads.values()), sum(tally.writes.values())
    print(f"Soak on the scale data set (factor {args.factor}, {database}): {elapsed:.0f} s, {args.clients} clients")
    print(f"  reads {reads} ({reads / elapsed:.1f}/s), writes {writes}: {dict(tally.writes)}")
    growth = {pid: (last.get(pid, 0) - size) / size for pid, size in first.items()}
    for pid in first:
        series = ", ".join(f"{sample.get(pid, 0) / 1024:.0f}" for sample in [*samples, last])
        print(f"  worker {pid} resident MiB every 30 s from the second minute: {series}")
    for pid, size in first.items():
        print(f"  worker {pid}: {size / 1024:.1f} MiB after two minutes, {last.get(pid, 0) / 1024:.1f} MiB at the end")
    print(f"  errors: {len(tally.errors)}" + (f" (first: {tally.errors[:5]})" if tally.errors else ""))
    exact = {kind: dict(counts) for kind, counts in audit.items()}
    print(f"  audit entries per write, by kind ({{entries: writes}}): {exact}")
    failed = []
    if tally.errors:
        failed.append("errors")
    if set(first) != set(last):
        failed.append("a worker was replaced")
    if any(g > 0.10 for g in growth.values()):
        failed.append("memory grew by more than 10 %")
    if any(set(counts) - {1} for counts in audit.values()) or not writes:
        failed.append("not exactly one audit entry per write")
    print("  FAILED: " + ", ".join(failed) if failed else "  held: no errors, memory within 10 %, one entry per write")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
