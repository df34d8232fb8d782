"""A meeting's published summary and its review, and the briefing packs built for its readers.

Imported at the end of ``ccm.meetings.models`` (so Django finds the models in the meetings app).

- **Summary**: one per meeting, written by its conveners, submitted for review, checked for anything
  that identifies a participant (``ccm.core.deidentify``), then published by a reviewer. Its text is
  confidential until published (never stored in the audit trail).
- **SummaryHitDecision**: what was done about one hit of the check: rewritten (the text no longer hits)
  or waived with a reason (audited). A waiver is found again by its fingerprint (what matched, whom it
  identifies and the words around it), so editing elsewhere in the text keeps it.
- **BriefingPack**: one reader's pack (PDF and DOCX), built by a background job.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Summary(models.Model):
    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="summary")
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("summary"))
    status = models.CharField(_("status"), max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Before publication the text may name a participant: it never reaches the audit trail.
    audit_confidential = {"text": "changed", "title": "changed"}
    audit_neutral_label = True

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("meeting summary")
        verbose_name_plural = _("meeting summaries")
        indexes = [models.Index(fields=["status", "-published_at"], name="meeting_summary_status_pub")]

    def __str__(self) -> str:
        return f"Summary #{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == SummaryStatus.PUBLISHED


class HitDecision(models.TextChoices):
    REWRITTEN = "rewritten", _("Rewritten")
    WAIVED = "waived", _("Waived")


class SummaryHitDecision(models.Model):
    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="decisions")
    matched = models.CharField(_("matched text"), max_length=300)
    kind = models.CharField(_("kind of term"), max_length=30)
    participant = models.CharField(_("identifies"), max_length=300)
    start = models.PositiveIntegerField(_("position in the text"), null=True, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    decision = models.CharField(_("decision"), max_length=20, choices=HitDecision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    # What matched and whom it identifies name a participant: never in the audit trail.
    audit_confidential = {"matched": "changed", "participant": "changed"}
    audit_neutral_label = True

    class Meta:
        ordering = ["summary", "decided_at", "pk"]
        verbose_name = _("decision on a summary's hit")
        verbose_name_plural = _("decisions on a summary's hits")

    def __str__(self) -> str:
        return f"Decision #{self.pk}"


class BriefingPack(models.Model):
    """One reader's briefing pack for one meeting; built again on request (the newest is served)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="briefing_packs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pdf = models.BinaryField(default=b"", editable=False)
    docx = models.BinaryField(default=b"", editable=False)
    built_for = models.DateField(_("as of"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("briefing pack")
        verbose_name_plural = _("briefing packs")
        indexes = [models.Index(fields=["meeting", "user", "-requested_at"], name="meeting_pack_reader")]

    def __str__(self) -> str:
        return f"Briefing pack #{self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.built_at is not None
