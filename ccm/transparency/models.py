"""Transparency reporting (Article 7): for every State Party, when its reports were due and whether and when
they reached the UN Secretary-General, with sources; and the drafts the platform assembles for a State.

Due dates are not stored: they follow from the State's entry into force (``ccm.treaty.reporting``). A report
with no row here is *unknown*, never assumed missing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.states.models import State


class ReportKind(models.TextChoices):
    INITIAL = "initial", _("Initial report")
    ANNUAL = "annual", _("Annual report")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    NOT_RECEIVED = "not_received", _("Not received")


class TransparencyReport(models.Model):
    """What is known about one Article 7 report of one State.

    ``year`` is the calendar year an annual report covers (due 30 April of the next year); it is empty for
    the initial report (due 180 days after entry into force). ``NOT_RECEIVED`` records that someone
    checked on ``checked_on`` and found no report; no row at all means nobody knows. ``self_reported``: the
    State's own managers recorded it (a coordinator's later change clears it).
    """

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="transparency_reports")
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("calendar year covered"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=SubmissionStatus.choices)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    self_reported = models.BooleanField(
        _("reported by the State"),
        default=False,
        help_text=_("Recorded by the State's own government, not checked by the coordinators."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state__name", "kind", "year"]
        verbose_name = _("transparency report")
        verbose_name_plural = _("transparency reports")
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(kind="initial"), name="transparency_one_initial_per_state"
            ),
            models.UniqueConstraint(
                fields=["state", "year"], condition=models.Q(kind="annual"), name="transparency_one_annual_per_year"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="initial", year__isnull=True) | models.Q(kind="annual", year__isnull=False)),
                name="transparency_year_only_for_annual",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="submitted", submitted_on__isnull=False)
                    | models.Q(status="not_received", submitted_on__isnull=True)
                ),
                name="transparency_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display() if self.year is None else f"{self.get_kind_display()} {self.year}"
        return f"{self.state.name}: {label}"
