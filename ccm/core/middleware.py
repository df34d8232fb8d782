"""Request-scoped helpers. Middleware never writes the audit trail; it only names the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from ccm.core.audit import new_request_id, reset_request_id, set_request_id


class RequestIdMiddleware:
    """Gives every request an id, made here (never taken from the client, so audit rows cannot be
    made to look like part of another request), returned as ``X-Request-ID`` for support."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id()
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer that may hold non-public data: every page for a
    signed-in user, every API answer to a token, and every download (exports, briefs, documents).

    Browsers and proxies then keep no copy of a token page, an export or a restricted need on disk
    (a shared computer in a ministry, a field office proxy). Public pages for anonymous readers stay
    cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or "HTTP_AUTHORIZATION" in request.META or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response
