"""/healthz and /readyz: what a load balancer asks, and what it is told when a dependency fails."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from ccm.core import health
from ccm.core.audit import reset_request_id, set_request_id
from ccm.core.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_cache_and_queue():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "queue": "ok"}}


def test_readyz_names_the_failing_check_without_its_error(monkeypatch):
    def broken() -> None:
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(health.CHECKS, "queue", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "queue": "failing"}
    assert b"secret-host" not in response.content


def test_readyz_checks_redis_when_tasks_go_through_rq(settings, monkeypatch):
    settings.TASKS_BACKEND = "rq"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "failing"


def test_health_endpoints_take_only_get():
    assert Client().post("/healthz").status_code == 405
    assert Client().post("/readyz").status_code == 405


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("ccm.test", logging.WARNING, __file__, 1, "slow page %s", ("/states/",), None)
    token = set_request_id("abc123")
    try:
        line = JsonFormatter().format(record)
    finally:
        reset_request_id(token)
    entry = json.loads(line)
    assert entry["message"] == "slow page /states/"
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == "abc123"
    assert entry["time"].endswith("+00:00")
