"""Forms of the coordination pages (input only; the services check the whole change)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.analytics import attention as att
from ccm.coordination.labels import COMPONENT_HELP, COMPONENT_LABELS
from ccm.core.forms import CleanTextMixin

MAX_WEIGHT = 100


class WeightsForm(CleanTextMixin, forms.Form):
    """One weight per component of the attention gap (0 or empty leaves a component out; they need not add up
    to 1)."""

    note = forms.CharField(label=_("Why these weights (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for name in att.COMPONENTS:
            fields[name] = forms.FloatField(
                label=COMPONENT_LABELS.get(name, name),
                help_text=COMPONENT_HELP.get(name, ""),
                min_value=0,
                max_value=MAX_WEIGHT,
                required=False,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
        fields["note"] = self.fields.pop("note")
        self.fields = fields

    def weights(self) -> dict[str, float]:
        return {name: float(self.cleaned_data.get(name) or 0.0) for name in att.COMPONENTS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = att.COMPONENTS
        if not any(name in self.errors for name in names) and not sum(data.get(n) or 0.0 for n in names) > 0:
            raise forms.ValidationError(_("At least one weight must be above 0."))
        return data


class AllocationForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    percent = forms.IntegerField(
        label=_("Share of each donor's usual yearly funding to place (%)"),
        help_text=_("100 places as much as each donor gave in an average recent year, less what it pledged this year."),
        min_value=1,
        max_value=100,
        initial=100,
    )


class PledgeLineForm(CleanTextMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the State (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MapForm(CleanTextMixin, forms.Form):
    shade = forms.ChoiceField(
        label=_("Shade the map by"),
        choices=[("attention", _("Attention gap")), ("coverage", _("Coverage"))],
        required=False,
    )
