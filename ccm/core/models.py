"""The audit trail: one append-only row per change, written by services in the same transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """Who did what to which object, when, with the values before and after."""

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    organisation_id = models.BigIntegerField(
        _("organisation concerned"), null=True, blank=True, db_index=True, help_text=_("For managers' view.")
    )
    data = models.JSONField(_("change"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["organisation_id", "-timestamp"], name="audit_org_time_idx"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit entries are append-only.")

    @property
    def old(self) -> dict[str, Any]:
        return dict(self.data.get("old") or {})

    @property
    def new(self) -> dict[str, Any]:
        return dict(self.data.get("new") or {})


from ccm.core.task_models import Job, JobStatus, PeriodicRun, SentMessage  # noqa: E402, F401 - background work
