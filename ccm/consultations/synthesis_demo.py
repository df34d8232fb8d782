"""Demo step of the synthesis (``ccm seed_demo``): after the consultations demo has its campaigns and
answers, find the themes of every submitted free-text answer and start the key points of each
campaign (illustrative). Idempotent. Registered at import: ``ccm/consultations/demo.py`` imports
this module after registering its own step, so this one runs after it."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from ccm.consultations import synthesis_selectors as selectors
from ccm.consultations import synthesis_services as services
from ccm.consultations.models import AnswerStatus, Campaign
from ccm.consultations.synthesis_models import KeyPointsDraft, ThemeKey, ThemeTag
from ccm.core import clock, demo

ILLUSTRATIVE = "Illustrative key points (demo), drafted from the themes found: not a real synthesis."


def _draft_text(campaign: Campaign) -> str:
    counts = Counter(
        ThemeTag.objects.filter(item__answer__campaign=campaign, active=True).values_list("theme", flat=True)
    )
    labels = dict(ThemeKey.choices)
    lines = [ILLUSTRATIVE, ""]
    lines += [f"- {labels.get(theme, theme)}: named in {n} answers." for theme, n in counts.most_common(5)]
    return "\n".join(lines)


@demo.register
@transaction.atomic
def demo_synthesis() -> list[str]:
    lines = []
    campaigns = Campaign.objects.filter(answers__status=AnswerStatus.SUBMITTED).distinct()
    for campaign in campaigns:
        tagged = ThemeTag.objects.filter(item__answer__campaign=campaign).exists()
        if not tagged:
            services.themes_auto_tag(campaign=campaign, actor=None)
        if not KeyPointsDraft.objects.filter(campaign=campaign).exists():
            services.key_points_save(campaign=campaign, text=_draft_text(campaign), actor=None)
        held = sum(q.status == "held" for q in selectors.held_quotes(campaign=campaign, today=clock.today()))
        found = "kept" if tagged else "found"
        lines.append(f"Synthesis demo: {campaign.title}: themes {found}, {held} quote(s) held for review.")
    return lines or ["Synthesis demo: no campaign with submitted answers yet."]
