"""Forms for victim assistance pages (input only; the services validate the whole change)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.core.money import CurrencyChoiceField
from ccm.states.currencies import usual_currency
from ccm.states.models import Region, State
from ccm.victims.models import AgeGroup, HasVictims, Measure, Sex, VictimAssistanceProfile
from ccm.victims.rules import FIRST_YEAR, MAX_COUNT, TITLES, cell_name
from ccm.victims.selectors import GRID_AGES, GRID_SEXES


class ListFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("State name contains"), max_length=100, required=False)
    has_victims = forms.ChoiceField(
        label=_("Has cluster munition victims"), choices=[("", _("Any")), *HasVictims.choices], required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Any")), *Region.choices], required=False)
    sort = forms.ChoiceField(
        label=_("Order"), choices=[("name", _("By name, A to Z")), ("-name", _("By name, Z to A"))], required=False
    )


class ProfileForm(CleanTextMixin, forms.ModelForm):
    declaration_source_url = forms.URLField(
        label=_("Source link"), max_length=500, required=False, assume_scheme="https"
    )
    plan_url = forms.URLField(label=_("Plan link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = VictimAssistanceProfile
        fields = [
            "has_victims",
            "declaration_source",
            "declaration_source_url",
            "focal_point_name",
            "focal_point_institution",
            "focal_point_email",
            "plan_title",
            "plan_starts_on",
            "plan_ends_on",
            "plan_budget",
            "plan_currency",
            "plan_url",
        ]
        widgets = {
            "plan_starts_on": forms.DateInput(attrs={"type": "date"}),
            "plan_ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, state: State, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_currency"] = CurrencyChoiceField(
            label=_("Currency of the budget"), first=usual_currency(state.iso3), required=False
        )


class YearForm(CleanTextMixin, forms.Form):
    """A year's figures: the source, then one fieldset per measure with its grid of cells (sex × age
    group, with the totals), each an optional whole number (empty = not reported)."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=9999)
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_("e.g. Article 7 report 2025, Form H"))
    source_url = forms.URLField(label=_("Source link"), max_length=500, required=False, assume_scheme="https")
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)

    def __init__(self, *args: Any, fixed_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_year is not None:
            del self.fields["year"]
        self.fixed_year = fixed_year
        for measure in Measure.values:
            for sex in GRID_SEXES:
                for age in GRID_AGES:
                    self.fields[cell_name(measure, sex, age)] = forms.IntegerField(
                        label=_("%(measure)s, %(sex)s, %(age)s")
                        % {"measure": TITLES[measure], "sex": Sex(sex).label, "age": AgeGroup(age).label},
                        min_value=0,
                        max_value=MAX_COUNT,
                        required=False,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                    )

    def cells(self) -> dict[tuple[str, str, str], int | None]:
        return {
            (m, s, a): self.cleaned_data.get(cell_name(m, s, a))
            for m in Measure.values
            for s in GRID_SEXES
            for a in GRID_AGES
        }

    def grids(self) -> list[dict[str, Any]]:
        """For the template: per measure, its label, errors and rows of bound fields (sex × age)."""
        out = []
        for measure in Measure.values:
            rows = [(Sex(sex).label, [self[cell_name(measure, sex, age)] for age in GRID_AGES]) for sex in GRID_SEXES]
            errors = list(self.errors.get(measure, []))
            out.append({"measure": measure, "label": TITLES[measure], "rows": rows, "errors": errors})
        return out

    @staticmethod
    def initial_from(cells: dict[tuple[str, str, str], int]) -> dict[str, int]:
        return {cell_name(m, s, a): v for (m, s, a), v in cells.items()}
