"""Follow-up actions on the meeting page (the actions app's registry, once merged)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.meetings.models import Meeting


def page_context(request: HttpRequest, meeting: Meeting, page: Any) -> dict[str, Any]:
    return {}
