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


SIGN_IN = "sent to sign in"


def outcome(response: HttpResponse) -> int | str:
    """The status code, or ``SIGN_IN`` for a redirect to the sign-in page."""
    if response.status_code == 302 and "/accounts/sign-in/" in response["Location"]:
        return SIGN_IN
    return response.status_code


def assert_denied(
    url: str,
    names: Iterable[str],
    method: str = "get",
    data: dict[str, Any] | None = None,
    *,
    forbidden: Iterable[str] = (),
    anonymous: int | str | None = None,
) -> None:
    """Each persona in ``names`` is refused with exactly the right answer: 403 for those in
    ``forbidden`` (they see the object, or the workspace it belongs to, but may not do this); 404 for
    every other signed-in persona (the object is hidden from them: they must not learn it exists).
    Anonymous gets ``anonymous``: by default 401 from the API and, on a page, a redirect to sign in
    (404 on a public page whose object is hidden)."""
    forbidden = set(forbidden)
    for name in names:
        if name == "anonymous":
            expected = anonymous if anonymous is not None else (401 if url.startswith("/api/") else SIGN_IN)
        else:
            expected = 403 if name in forbidden else 404
        got = outcome(request_as(name, method, url, data))
        assert got == expected, f"{name} {method.upper()} {url} → {got}, expected {expected}"
