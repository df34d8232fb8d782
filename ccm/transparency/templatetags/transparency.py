"""``{% transparency_status state %}``: a State's Article 7 reporting status, for the State page (which
lives in an app below this one, so it loads this tag instead of importing the app)."""

from __future__ import annotations

from typing import Any

from django import template

from ccm.core.clock import today
from ccm.transparency import selectors

register = template.Library()


@register.inclusion_tag("transparency/_state_summary.html", takes_context=True)
def transparency_status(context: template.Context, state: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"state": state, "summary": selectors.state_summary(user=user, state=state, today=today())}
