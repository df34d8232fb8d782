"""``{% pack_and_summary meeting %}``: the briefing pack and the summary on a meeting's page, shown to
each reader as far as they may act (the pack to the meeting's circle, the summary to those who may
see it, writing it to its conveners)."""

from __future__ import annotations

from typing import Any

from django import template

from ccm.core.policies import Action
from ccm.meetings.publish_policies import REVIEW, in_circle, may_write_summary, summaries

register = template.Library()


@register.inclusion_tag("meetings/_pack_and_summary.html", takes_context=True)
def pack_and_summary(context: dict[str, Any], meeting: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    summary = summaries.visible_to(user).filter(meeting=meeting).first()
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "meeting": meeting,
        "may_pack": in_circle(user).filter(pk=meeting.pk).exists(),
        "summary": summary,
        "may_write": summary is None
        and may_write_summary(user, meeting)
        or (summary is not None and summaries.can(user, Action.CHANGE, summary)),
        "may_review": summary is not None and summaries.can(user, REVIEW, summary),
    }
