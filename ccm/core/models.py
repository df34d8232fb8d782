"""The audit trail: one append-only row per change, written by services in the same transaction."""

from __future__ import annotations

import os
import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
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
    def action_label(self) -> str:
        """The registered label of the action (the name itself for an undeclared one)."""
        from ccm.core.audit import action_label

        return action_label(self.action)

    @cached_property
    def old(self) -> dict[str, Any]:
        """The values before the change (read once per entry: the audit page looks at each key)."""
        return dict(self.data.get("old") or {})

    @cached_property
    def new(self) -> dict[str, Any]:
        return dict(self.data.get("new") or {})


class Document(models.Model):
    """A file attached to any object whose model is registered in ``ccm.core.documents.registry``.

    The bytes live once per content in private storage, under their SHA-256 (``documents/ab/cd/<sha256>``);
    the row says who attached them to what. Withdrawing keeps the row (and the bytes): the audit trail
    and earlier references stay whole, but the document is no longer listed or served.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("attached to (id)"))
    parent = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Titles and file names can say what a restricted need is about; the content hash could confirm a guess.
    audit_confidential = {"title": "changed", "description": "changed", "original_name": "changed", "sha256": "hmac"}
    audit_neutral_label = True

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_parent_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.pk, self.download_name])

    @property
    def download_name(self) -> str:
        """A safe file name for saving: the original name's stem, the extension of the kind found by content."""
        from ccm.core.uploads import KIND_EXTENSIONS

        base = os.path.basename(self.original_name.replace("\\", "/"))
        stem = re.sub(r"[^\w.-]+", "_", os.path.splitext(base)[0]).strip("._-")[:100]
        return f"{stem or 'document'}{KIND_EXTENSIONS.get(self.kind, '')}"


class ImportStatus(models.TextChoices):
    """uploaded → checked (invalid | ready) → applied | failed; see ``SpreadsheetImport.TRANSITIONS``."""

    UPLOADED = "uploaded", _("Uploaded, not yet checked")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Checked, ready to apply")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed while applying")


class SpreadsheetImport(models.Model):
    """An uploaded file of one import kind (see ``ccm.core.imports``): checked whole first, previewed,
    then applied all at once."""

    TRANSITIONS: dict[str, frozenset[str]] = {
        ImportStatus.UPLOADED: frozenset({ImportStatus.INVALID, ImportStatus.READY, ImportStatus.FAILED}),
        ImportStatus.READY: frozenset({ImportStatus.APPLIED, ImportStatus.FAILED}),
        ImportStatus.INVALID: frozenset(),
        ImportStatus.APPLIED: frozenset(),
        ImportStatus.FAILED: frozenset(),
    }

    state = models.ForeignKey(
        "states.State", null=True, blank=True, on_delete=models.CASCADE, related_name="spreadsheet_imports"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="spreadsheet_imports",
        help_text="For imports made for an organisation (a donor's funding flows).",
    )
    kind = models.CharField(max_length=20, default="progress", help_text="The import kind (ccm.core.imports).")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    errors = models.JSONField(default=list, help_text="The problems kept (a bounded number).")
    problem_count = models.PositiveIntegerField(default=0, help_text="All problems found, kept or not.")
    payload = models.JSONField(default=dict)
    changes = models.JSONField(default=list)
    result = models.JSONField(default=dict, blank=True, help_text="What applying did (counts).")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.state.iso3 if self.state else self.organisation} import {self.pk} ({self.status})"

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[ImportStatus(self.status)]

    @property
    def omitted_problems(self) -> int:
        return max(self.problem_count - len(self.errors), 0)

    @property
    def has_changes(self) -> bool:
        """Whether applying would change anything (a file identical to what is on record does not)."""
        return any(change.get("action") != "unchanged" for change in self.changes)


from ccm.core.task_models import Job, JobStatus, PeriodicRun, SentMessage  # noqa: E402, F401 - background work
