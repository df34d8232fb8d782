"""Request-scoped helpers. Middleware never writes the audit trail; it only names the request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found

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


class FriendlyNotFoundMiddleware:
    """With ``DEBUG`` on (the demo), a page that does not exist shows the same "Not found" page a
    deployment shows, not Django's technical page listing every URL pattern.

    Unused when ``DEBUG`` is off, where Django renders ``404.html`` itself; ``CCM_TECHNICAL_404=1``
    brings the technical page back for a developer who wants it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        if not settings.DEBUG or getattr(settings, "CCM_TECHNICAL_404", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            resolve(request.path_info)
        except Resolver404:
            if not request.path_info.endswith("/") and settings.APPEND_SLASH:
                try:  # CommonMiddleware redirects to the slashed address when it exists
                    resolve(request.path_info + "/")
                    return self.get_response(request)
                except Resolver404:
                    pass
            return page_not_found(request, Http404())
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
