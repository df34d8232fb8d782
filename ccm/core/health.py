"""Health endpoints for a load balancer or an orchestrator.

- ``/healthz``: the process answers (no database, no cache): a web worker that is alive.
- ``/readyz``: the process can serve: the database answers a query, the cache stores and returns a value,
  and the task queue is reachable (Redis when tasks go through RQ, the database table otherwise).
  503 with the failing check named (never the error's text, which may hold a host or a password).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"ccm:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _queue() -> None:
    if settings.TASKS_BACKEND == "rq":
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    elif settings.TASKS_BACKEND == "db":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache, "queue": _queue}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    ready = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if ready else "failing", "checks": results}, status=200 if ready else 503)
