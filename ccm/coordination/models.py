"""What the coordinators keep: their attention-gap weights, forecast runs, and allocation runs with their
lines (a proposal, never a commitment: a donor turns a line into a pledge through the funding ledger)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.money import MoneyField
from ccm.core.task_models import Job
from ccm.funding.models import FundingFlow
from ccm.needs.models import Need


class AttentionWeights(models.Model):
    """The weights of the attention gap, as a coordinator saved them (the newest row is in use)."""

    weights = models.JSONField(_("weights"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attention-gap weights")
        verbose_name_plural = _("attention-gap weights")

    def __str__(self) -> str:
        return f"Attention-gap weights #{self.pk}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ForecastStatus(models.TextChoices):
    """A forecast's outcome for one obligation (``ccm.analytics.forecast``)."""

    OK = "ok", _("Forecast")
    THIN = "thin", _("Too little data")


class ForecastRun(models.Model):
    """Completion forecasts of every open obligation, computed in the background from the data of the day."""

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    seed = models.PositiveIntegerField(_("seed"))
    draws = models.PositiveIntegerField(_("draws"))
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)  # a summary: obligations and as-of day
    results = models.JSONField(_("results"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")

    def __str__(self) -> str:
        return f"Forecast run #{self.pk}"


class AllocationStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Solved")
    EMPTY = "empty", _("Nothing to allocate")
    INFEASIBLE = "infeasible", _("No allocation possible")
    ERROR = "error", _("Solver error")


class AllocationRun(models.Model):
    """A saved proposal of who could fund what, with the uncoordinated baseline beside it."""

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=AllocationStatus.choices)
    message = models.TextField(_("message"), blank=True)
    solver = models.CharField(_("solver"), max_length=60, blank=True)
    seconds = models.FloatField(_("seconds"), default=0.0)
    eligible_pairs = models.PositiveIntegerField(_("eligible donor–need pairs"), default=0)
    envelope_percent = models.PositiveSmallIntegerField(_("share of each donor's yearly funding placed"), default=100)
    inputs = models.JSONField(_("inputs"), default=dict)  # needs and donors as given to the solver
    outputs = models.JSONField(_("outputs"), default=dict)  # metrics and coverage, coordinated and baseline
    shared = models.BooleanField(_("shared with the donors in it"), default=False)
    shared_with = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("shared with"))
    shared_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self) -> str:
        return self.title


class AllocationLine(models.Model):
    """One proposed line: this donor could fund this need with this amount (US dollars)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="lines")
    donor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    amount = MoneyField(_("amount (USD)"))
    pledged_flow = models.ForeignKey(FundingFlow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "donor__name", "need_id"]
        verbose_name = _("allocation line")
        verbose_name_plural = _("allocation lines")
        constraints = [models.UniqueConstraint(fields=["run", "donor", "need"], name="allocation_line_unique")]

    def __str__(self) -> str:
        return f"Allocation line #{self.pk}"

    @property
    def pledged(self) -> bool:
        return self.pledged_at is not None

    # Stored redacted in the audit trail: a line names a need a reader may not see.
    audit_confidential = {"amount": "hmac"}
    audit_neutral_label = True
