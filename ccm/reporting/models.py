"""Baselines, annual progress (the Article 7 year), costed completion plans."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.core.money import MoneyField
from ccm.core.policies import Visibility
from ccm.states.models import Obligation, State


class FigureKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    ADDITION = "addition", _("Newly discovered")


class BaselineFigure(models.Model):
    """The extent of the work at a date (baseline), or work found later (addition). Never overwritten:
    newly discovered contamination or stocks are added as their own rows with the date found."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="baseline_figures")
    kind = models.CharField(_("kind"), max_length=10, choices=FigureKind.choices)
    recorded_on = models.DateField(_("as of / found on"))
    # Clearance (Art 4): square metres
    sha_m2 = models.PositiveBigIntegerField(_("suspected hazardous area (m²)"), null=True, blank=True)
    cha_m2 = models.PositiveBigIntegerField(_("confirmed hazardous area (m²)"), null=True, blank=True)
    areas = models.PositiveIntegerField(_("number of areas"), null=True, blank=True)
    # Stockpile destruction (Art 3): items, by type
    munition_type = models.CharField(_("munition type"), max_length=120, blank=True)
    munitions = models.PositiveBigIntegerField(_("cluster munitions"), null=True, blank=True)
    submunitions = models.PositiveBigIntegerField(_("submunitions"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo figure, not from a published source.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["obligation", "recorded_on", "id"]
        verbose_name = _("baseline figure")
        verbose_name_plural = _("baseline figures")

    def __str__(self) -> str:
        return f"{self.obligation}: {self.get_kind_display()} {self.recorded_on}"

    @property
    def area_m2(self) -> int:
        return (self.sha_m2 or 0) + (self.cha_m2 or 0)

    @property
    def amount(self) -> int:
        """Area (clearance) or items (stockpile: submunitions, else munitions)."""
        if self.obligation.kind == "clearance":
            return self.area_m2
        return self.submunitions if self.submunitions is not None else (self.munitions or 0)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")


# Fields of a progress report that hold figures (kept in every version).
PROGRESS_FIGURES = (
    "cancelled_m2",
    "reduced_m2",
    "cleared_m2",
    "submunitions_destroyed",
    "other_remnants_destroyed",
    "stockpile_munitions_destroyed",
    "stockpile_submunitions_destroyed",
    "national_resources",
    "national_resources_currency",
    "risk_education_beneficiaries",
    "victim_assistance_beneficiaries",
    "obstacles",
    "source",
)


class ProgressReport(models.Model):
    """One State's figures for one calendar year (the year an Article 7 report covers)."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="progress_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    cancelled_m2 = models.PositiveBigIntegerField(_("cancelled by non-technical survey (m²)"), default=0)
    reduced_m2 = models.PositiveBigIntegerField(_("reduced by technical survey (m²)"), default=0)
    cleared_m2 = models.PositiveBigIntegerField(_("cleared (m²)"), default=0)
    submunitions_destroyed = models.PositiveIntegerField(_("submunitions destroyed in clearance"), default=0)
    other_remnants_destroyed = models.PositiveIntegerField(_("other remnants destroyed"), default=0)
    stockpile_munitions_destroyed = models.PositiveBigIntegerField(
        _("stockpiled cluster munitions destroyed"), default=0
    )
    stockpile_submunitions_destroyed = models.PositiveBigIntegerField(_("stockpiled submunitions destroyed"), default=0)
    national_resources = MoneyField(_("national resources allocated (Art 7(1)(m))"), null=True, blank=True)
    national_resources_currency = models.CharField(_("currency"), max_length=3, blank=True)
    risk_education_beneficiaries = models.PositiveIntegerField(
        _("people reached by risk education"), null=True, blank=True
    )
    victim_assistance_beneficiaries = models.PositiveIntegerField(
        _("victims and survivors assisted"), null=True, blank=True
    )
    obstacles = models.TextField(_("obstacles"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("e.g. Article 7 report 2024"))
    illustrative = models.BooleanField(_("illustrative"), default=False)
    needs_review = models.BooleanField(_("flagged for review"), default=False)
    review_reason = models.TextField(_("why flagged"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The version readers without edit rights see: set when a manager publishes, kept while a
    # correction awaits review (the working figures above may differ from it).
    published_version = models.ForeignKey(
        "ProgressReportVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["state", "-year"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["state", "year"], name="progress_unique_state_year")]

    def __str__(self) -> str:
        return f"{self.state.name} {self.year}"

    @property
    def land_released_m2(self) -> int:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2

    @property
    def stockpile_destroyed(self) -> int:
        return self.stockpile_submunitions_destroyed or self.stockpile_munitions_destroyed

    @property
    def correction_under_review(self) -> bool:
        """Published once, and the working figures have changes a manager has not published yet."""
        if "_under_review" in self.__dict__:  # a published copy made by the reporting selectors
            return bool(self.__dict__["_under_review"])
        return self.published_version_id is not None and self.status != ReportStatus.PUBLISHED


class ProgressReportVersion(models.Model):
    """A snapshot of a report after each change: who changed what, when."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices)
    data = models.JSONField()
    changed = models.JSONField(default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="progress_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class CompletionPlan(models.Model):
    """A costed multi-year work plan for one obligation. Versions are kept; the plan in force is the
    newest approved one."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    visibility = models.CharField(
        _("who may see it once approved"),
        max_length=20,
        choices=[(v, label) for v, label in Visibility.choices if v in ("public", "platform", "organisation")],
        default=Visibility.PLATFORM,
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    note = models.TextField(_("note"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["obligation", "-version"]
        constraints = [models.UniqueConstraint(fields=["obligation", "version"], name="plan_unique_version")]

    def __str__(self) -> str:
        return f"{self.obligation} plan v{self.version}"


class PlanYear(models.Model):
    plan = models.ForeignKey(CompletionPlan, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    target_output = models.PositiveBigIntegerField(_("target (m² or items)"))
    cost = MoneyField(_("cost"))
    national_funding = MoneyField(_("national funding"), default=Decimal(0))
    international_funding = MoneyField(_("expected international funding"), default=Decimal(0))

    class Meta:
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="plan_year_unique")]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}"

    @property
    def gap(self) -> Decimal:
        return max(self.cost - self.national_funding - self.international_funding, Decimal(0))
