"""The synthesis of a campaign's answers: themes of free-text answers, reviews of quotes, key points.

- ``ThemeTag``: a theme given to a free-text answer, automatically (with the words that triggered it)
  or by a coordinator or convener; a correction deactivates the tags it replaces (history kept).
- ``QuoteReview``: what a convener decided about a quote that the de-identification check held back
  (rewritten, waived with a reason), or that it is clear.
- ``KeyPointsDraft``: one per campaign, edited by its conveners; marked ready once it passes the check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.needs.models import Modality, ObstacleCategory


class ThemeKey(models.TextChoices):
    """The theme vocabulary (``ccm.analytics.themes.THEMES``): the obstacle categories, the assistance
    modalities (financial assistance is the funding theme) and the themes consultations add."""

    FUNDING = "funding", ObstacleCategory.FUNDING.label
    TECHNICAL_EXPERTISE = "technical_expertise", ObstacleCategory.TECHNICAL_EXPERTISE.label
    EQUIPMENT = "equipment", ObstacleCategory.EQUIPMENT.label
    POLITICAL_WILL = "political_will", ObstacleCategory.POLITICAL_WILL.label
    NATIONAL_CAPACITY = "national_capacity", ObstacleCategory.NATIONAL_CAPACITY.label
    CAPACITY_BUILDING = "capacity_building", Modality.CAPACITY_BUILDING.label
    SECURITY_ACCESS = "security_access", ObstacleCategory.SECURITY_ACCESS.label
    INFORMATION_SURVEY = "information_survey", ObstacleCategory.INFORMATION_SURVEY.label
    DATA_MANAGEMENT = "data_management", _("Data management")
    COORDINATION = "coordination", ObstacleCategory.COORDINATION.label
    DIRECT_ENGAGEMENT = "direct_engagement", Modality.DIRECT_ENGAGEMENT.label
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim assistance")
    REPORTING = "reporting", _("Reporting")


class TagSource(models.TextChoices):
    AUTO = "auto", _("Automatic")
    MANUAL = "manual", _("Given by a person")


class ThemeTag(models.Model):
    item = models.ForeignKey("consultations.AnswerItem", on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.CharField(_("theme"), max_length=40, choices=ThemeKey.choices)
    source = models.CharField(_("source"), max_length=10, choices=TagSource.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=0)
    reason = models.TextField(_("why"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_neutral_label = True

    class Meta:
        ordering = ["item", "-active", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "theme"], condition=models.Q(active=True), name="theme_tag_one_active_per_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"Theme tag #{self.pk}"


class QuoteStatus(models.TextChoices):
    HELD = "held", _("Held back")
    REWRITTEN = "rewritten", _("Rewritten")
    WAIVED = "waived", _("Waived, with a reason")
    CLEAR = "clear", pgettext_lazy("a quote the check found nothing in", "Clear")


class QuoteReview(models.Model):
    item = models.OneToOneField("consultations.AnswerItem", on_delete=models.CASCADE, related_name="quote_review")
    status = models.CharField(_("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.HELD)
    rewritten_text = models.TextField(_("rewritten quote"), blank=True)
    waiver_reason = models.TextField(_("reason for waiving"), blank=True)
    # The answer's text when it was reviewed: a changed answer is reviewed again.
    reviewed_text = models.TextField(_("text reviewed"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    audit_neutral_label = True
    audit_confidential = {"rewritten_text": "changed", "reviewed_text": "changed", "waiver_reason": "changed"}

    def __str__(self) -> str:
        return f"Quote review #{self.pk}"


class KeyPointsDraft(models.Model):
    campaign = models.OneToOneField("consultations.Campaign", on_delete=models.CASCADE, related_name="key_points")
    text = models.TextField(_("key points"), blank=True)
    ready = models.BooleanField(_("ready for a meeting"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    audit_neutral_label = True
    audit_confidential = {"text": "changed"}

    def __str__(self) -> str:
        return f"Key points #{self.pk}"
