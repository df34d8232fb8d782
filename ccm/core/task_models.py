"""Records of background work: jobs (what a task did, or why it failed), messages sent, periods run.

Kept beside the audit model (imported by ``ccm.core.models``) so that ``core`` owns them; written only
by ``ccm.core.tasks`` and ``ccm.core.periodic``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """One piece of background work: its status, progress, error and report, whatever the task backend.

    Created when the work is enqueued; the task locks this row before it runs, so a retry of a finished
    job does nothing. Coordinators see failed jobs with their error at /tasks/.
    """

    name = models.CharField(_("task"), max_length=100)  # a registered job kind, e.g. "funding.iati_import"
    label = models.CharField(_("about"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("progress"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    arguments = models.JSONField(default=dict, blank=True)  # no secrets: ids and plain values only
    # The language of whoever asked: reports, documents and messages the job makes are in it (e-mail is in
    # each recipient's own language, see ccm.core.languages).
    language = models.CharField(max_length=10, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)  # the task backend's id for the run
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "-created_at"], name="core_job_status_created")]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def kind_label(self) -> str:
        """What the task is, in words (the label its kind registered), for pages."""
        from ccm.core.tasks import kind_label

        return kind_label(self.name)


class SentMessage(models.Model):
    """A ledger of e-mail sent by tasks: one row per (kind, recipient, object or period), written in the
    same transaction as the sending, so a retried task never sends the same message twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key


class PeriodicRun(models.Model):
    """One period of one periodic job, inserted by ``ccm tick`` before it enqueues the job: the unique
    (job, period) pair makes a second or late tick enqueue nothing twice."""

    job = models.CharField(max_length=100)
    period_key = models.CharField(max_length=40)  # e.g. "2026-W48", "2026-11-28", "2026-11-28T14"
    period_start = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    background_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period_key"], name="periodic_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period_key}"
