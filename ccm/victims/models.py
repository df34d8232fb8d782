"""Victim assistance (Article 5): per State, whether it has cluster munition victims, its focal point and
plan, and yearly aggregate figures by domain, sex and age group.

Aggregates only: nothing here describes an individual person. Small counts are protected on public
surfaces by the selectors (``ccm.analytics.suppression``); the stored figures are exact.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.core.money import MoneyField
from ccm.states.models import State


class HasVictims(models.TextChoices):
    YES = "yes", _("Yes, as the State declared")
    NO = "no", _("No, as the State declared")
    UNKNOWN = "unknown", _("Not declared")


class VictimAssistanceProfile(models.Model):
    """What a State declared about its cluster munition victims, its focal point and its national plan."""

    state = models.OneToOneField(State, on_delete=models.CASCADE, related_name="victim_assistance")
    has_victims = models.CharField(
        _("has cluster munition victims"), max_length=10, choices=HasVictims.choices, default=HasVictims.UNKNOWN
    )
    declaration_source = models.CharField(_("source of the declaration"), max_length=300, blank=True)
    declaration_source_url = models.URLField(_("source link"), max_length=500, blank=True)
    focal_point_name = models.CharField(_("national focal point"), max_length=200, blank=True)
    focal_point_institution = models.CharField(_("focal point's institution"), max_length=200, blank=True)
    focal_point_email = models.EmailField(_("focal point's e-mail"), blank=True)
    plan_title = models.CharField(_("national plan or strategy"), max_length=300, blank=True)
    plan_starts_on = models.DateField(_("plan from"), null=True, blank=True)
    plan_ends_on = models.DateField(_("plan until"), null=True, blank=True)
    plan_budget = MoneyField(_("plan budget"), null=True, blank=True)
    plan_currency = models.CharField(_("currency"), max_length=3, blank=True)
    plan_url = models.URLField(_("plan link"), max_length=500, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state__name"]
        verbose_name = _("victim assistance profile")
        verbose_name_plural = _("victim assistance profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan_budget__isnull=True) | models.Q(plan_budget__gte=0),
                name="va_profile_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.name}: {_('victim assistance')}"


class VictimAssistanceYear(models.Model):
    """A State's figures for one calendar year, with their source. The cells are ``VictimFigure`` rows."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="victim_assistance_years")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=300, help_text=_("e.g. Article 7 report 2025, Form H"))
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state__name", "-year"]
        verbose_name = _("victim assistance year")
        verbose_name_plural = _("victim assistance years")
        constraints = [
            models.UniqueConstraint(fields=["state", "year"], name="va_year_unique_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.state.name} {self.year}"


class Measure(models.TextChoices):
    KILLED = "killed", _("Casualties: killed")
    INJURED = "injured", _("Casualties: injured")
    MEDICAL = "medical", _("Reached: medical care")
    REHABILITATION = "rehabilitation", _("Reached: rehabilitation")
    PSYCHOLOGICAL = "psychological", _("Reached: psychological support")
    INCLUSION = "inclusion", _("Reached: social and economic inclusion")


CASUALTY_MEASURES: tuple[str, ...] = (Measure.KILLED, Measure.INJURED)
DOMAIN_MEASURES: tuple[str, ...] = (Measure.MEDICAL, Measure.REHABILITATION, Measure.PSYCHOLOGICAL, Measure.INCLUSION)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Sex not recorded")
    ALL = "all", _("All")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Under 18")
    ADULT = "adult", _("18 and over")
    UNKNOWN = "unknown", _("Age not recorded")
    ALL = "all", _("All ages")


class VictimFigure(models.Model):
    """One cell of a year's figures: a measure for one sex and age group.

    The cell (``all``, ``all``) is the total the State reported for the measure; the other cells are its
    breakdown, whose sum may not exceed that total. A missing row means "not reported", never zero.
    """

    year = models.ForeignKey(VictimAssistanceYear, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["year", "measure", "sex", "age_group"]
        verbose_name = _("victim assistance figure")
        verbose_name_plural = _("victim assistance figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "measure", "sex", "age_group"], name="va_figure_unique_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.measure} {self.sex} {self.age_group} = {self.count}"
