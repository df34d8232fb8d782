"""Role-matrix helpers: ``assert_allowed`` and ``assert_denied`` over personas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpResponse

from tests.personas import persona


def request_as(name: str, method: str, url: str, data: dict[str, Any] | None = None, **extra: Any) -> HttpResponse:
    """One request as persona ``name``; whatever it writes is rolled back, so personas don't interfere."""
    client = persona(name).client()
    with transaction.atomic():
        response = getattr(client, method.lower())(url, data or {}, **extra)
        transaction.set_rollback(True)
    return response


def assert_allowed(
    url: str,
    names: Iterable[str],
    method: str = "get",
    data: dict[str, Any] | None = None,
    ok: Iterable[int] = (200, 302),
) -> None:
    for name in names:
        response = request_as(name, method, url, data)
        assert response.status_code in tuple(ok), f"{name} {method.upper()} {url} → {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"], f"{name} was sent to sign in by {url}"


def assert_denied(url: str, names: Iterable[str], method: str = "get", data: dict[str, Any] | None = None) -> None:
    """Anonymous → sent to sign in, or 404 on a public page whose object is hidden (pages), 401/403 (API);
    signed in → 404 (hidden) or 403 (read-only)."""
    for name in names:
        response = request_as(name, method, url, data)
        if name == "anonymous":
            if url.startswith("/api/"):
                assert response.status_code in (401, 403), f"anonymous {url} → {response.status_code}"
            else:
                signed_out = response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
                assert signed_out or response.status_code == 404, (
                    f"anonymous {method.upper()} {url} → {response.status_code}"
                )
        else:
            assert response.status_code in (403, 404), f"{name} {method.upper()} {url} → {response.status_code}"
