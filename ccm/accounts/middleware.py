"""Second-factor enforcement: a signed-in user who has (or must have) a TOTP device is held at the
verification or set-up page until the session is verified."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django_otp import user_has_device

from ccm.core.languages import known, set_language_cookie

_ALWAYS_ALLOWED = ("accounts:verify", "accounts:two-factor", "accounts:sign-out")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def allowed_paths(self) -> tuple[str, ...]:
        if self._allowed is None:
            self._allowed = tuple(reverse(name) for name in _ALWAYS_ALLOWED) + ("/static/", "/i18n/")
        return self._allowed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.allowed_paths())
        ):
            has_device = user_has_device(user, confirmed=True)
            if has_device or user.requires_second_factor:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Second factor required: sign in again."}, status=403)
                target = "accounts:verify" if has_device else "accounts:two-factor"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person reads pages in the language they saved (``User.language``), on every device; the
    browser is told too (the language cookie), so the pages stay in it after signing out. Without a saved
    language, ``LocaleMiddleware``'s choice stands (the cookie, else ``Accept-Language``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        preferred = user.language if user is not None and user.is_authenticated else ""
        if known(preferred):
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        response = self.get_response(request)
        if known(preferred) and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred:
            set_language_cookie(response, preferred)
        return response
