"""The home of a signed-in person (``/me/``, where signing in lands): what waits for them, by heading."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ccm.core import worklist
from ccm.core.clock import today


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    groups = worklist.for_user(request.user, today=today())
    return render(
        request,
        "core/home.html",
        {"groups": groups, "total": sum(group.count for group in groups)},
    )
