"""Request-scoped helpers. Middleware never writes the audit trail; it only names the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
