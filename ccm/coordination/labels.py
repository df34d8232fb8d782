"""Words for the attention gap's components and the solver's statuses (the codes never reach a page)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

COMPONENT_LABELS: dict[str, Any] = {
    "coverage_gap": _("Coverage gap"),
    "donor_count": _("Few donors"),
    "concentration": _("Concentration on one donor"),
    "unanswered_share": _("Share of needs unanswered"),
    "unanswered_age": _("Age of unanswered needs"),
    "deadline_risk": _("Deadline risk"),
    "funding_per_km2": _("Low funding per km² left"),
}

COMPONENT_HELP: dict[str, Any] = {
    "coverage_gap": _("1 − funding received ÷ funding required, over the window"),
    "donor_count": _("fewer distinct donors in the window"),
    "concentration": _("Herfindahl–Hirschman index of the donors' shares"),
    "unanswered_share": _("open needs no donor has answered, as a share of open needs"),
    "unanswered_age": _("median days the unanswered needs have waited"),
    "deadline_risk": _("1 − probability of finishing on time (forecast)"),
    "funding_per_km2": _("funding per km² still contaminated, against the median"),
}


def component_label(name: str) -> str:
    return str(COMPONENT_LABELS.get(name, name.replace("_", " ").capitalize()))
