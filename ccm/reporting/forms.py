from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.core.money import AmountFormField
from ccm.reporting.models import PROGRESS_FIGURES, BaselineFigure, FigureKind, ProgressReport


class ProgressForm(CleanTextMixin, forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = ProgressReport
        fields = list(PROGRESS_FIGURES)
        widgets = {"obstacles": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, fixed_year: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = False  # an empty figure is "none reported"
            if self.instance._state.adding:
                self.initial.pop(name, None)  # a new year starts empty, not with 0: unknown is left empty
                self.fields[name].initial = None
        self.order_fields(["year", *self.Meta.fields])  # the year first
        if fixed_year is not None:
            self.fields["year"].initial = fixed_year
            self.fields["year"].disabled = True


class BaselineForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = BaselineFigure
        fields = [
            "kind",
            "recorded_on",
            "sha_m2",
            "cha_m2",
            "areas",
            "munition_type",
            "munitions",
            "submunitions",
            "source",
            "source_url",
        ]
        widgets = {"recorded_on": forms.DateInput(attrs={"type": "date"})}

    obligation = forms.ChoiceField(label=_("Obligation"))
    source_url = forms.URLField(label=_("Source link"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, obligations: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = obligations  # type: ignore[attr-defined]
        self.fields["kind"].initial = FigureKind.BASELINE
        self.order_fields(["obligation", *self.Meta.fields])


class PlanYearForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    target_output = forms.IntegerField(label=_("Target (m² or items)"), min_value=0)
    cost = AmountFormField(label=_("Cost"), min_value=0)
    national_funding = AmountFormField(label=_("National funding"), min_value=0, initial=0)
    international_funding = AmountFormField(label=_("Expected international funding"), min_value=0, initial=0)


PlanYearFormSet = forms.formset_factory(
    PlanYearForm, extra=0, min_num=1, validate_min=True, can_delete=True, max_num=30
)


class PlanForm(CleanTextMixin, forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="USD")
    visibility = forms.ChoiceField(
        label=_("Once approved, who may see it"),
        choices=[
            ("public", _("Everyone")),
            ("platform", _("Signed-in users")),
            ("organisation", _("Only our government and the coordinators")),
        ],
        initial="platform",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("Filled-in workbook (XLSX)"))
