from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.states.models import Region, TreatyStatus
from ccm.states.selectors import NO_STATUS, OPEN_OBLIGATIONS

STATUS_CHOICES = [
    ("", _("Any")),
    *[(value, label) for value, label in TreatyStatus.choices if value],
    (NO_STATUS, _("Not a signatory or State Party")),
]
# Regions in which there are States (no State lies in Antarctica).
REGION_CHOICES = [(value, label) for value, label in Region.choices if value != Region.ANTARCTICA]
OBLIGATION_CHOICES = [
    ("", _("Any")),
    ("stockpile_destruction", _("Stockpile destruction (Art 3)")),
    ("clearance", _("Clearance (Art 4)")),
    (OPEN_OBLIGATIONS, _("Any obligation not yet completed")),
]
SORT_CHOICES = [
    ("name", _("Name (A–Z)")),
    ("-name", _("Name (Z–A)")),
    ("region", _("Region")),
    ("entry_into_force", _("Entry into force (earliest first)")),
    ("-entry_into_force", _("Entry into force (latest first)")),
    ("next_deadline", _("Next open deadline (soonest first)")),
]


class StateFilterForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Treaty status"), choices=STATUS_CHOICES, required=False)
    obligation = forms.ChoiceField(label=_("Obligation"), choices=OBLIGATION_CHOICES, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Any")), *REGION_CHOICES], required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def filters(self) -> dict[str, str]:
        """The cleaned filters, falling back to "no filter" for any invalid value."""
        if not self.is_valid():
            return {"status": "", "obligation": "", "region": "", "sort": "name"}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "obligation": data["obligation"],
            "region": data["region"],
            "sort": data["sort"] or "name",
        }
