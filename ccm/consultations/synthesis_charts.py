"""The chart of a choice, yes/no or scale question: the shared bar chart (``reporting.charts``), each
bar the share of the answers that chose the option, with a text description; the page also gives the
figures as a table."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ccm.consultations.synthesis_selectors import QuestionSummary
from ccm.reporting.charts import bar_svg


def chart_description(summary: QuestionSummary) -> str:
    parts = [
        _("%(label)s: %(count)s of %(n)s") % {"label": o.label, "count": o.count, "n": summary.answered}
        for o in summary.options
    ]
    return _("Answers to “%(q)s”. %(parts)s.") % {"q": summary.question.text[:120], "parts": "; ".join(parts)}


def question_chart(summary: QuestionSummary) -> str:
    """Inline SVG (wide and narrow drawings; every text escaped by ``bar_svg``)."""
    return bar_svg(
        _("Share of the answers"),
        chart_description(summary),
        [(o.label, o.share) for o in summary.options],
        element_id=f"question-{summary.question.pk}",
    )
