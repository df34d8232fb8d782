from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.states.models import Region, TreatyStatus
from ccm.states.selectors import NO_STATUS, OPEN_OBLIGATIONS, choosable_states, grouped_by_region


class StateChoiceField(forms.ChoiceField):
    """A State chosen by its name: a plain ``<select>`` grouped by region in ``<optgroup>``s (it works
    without JavaScript, and browsers jump to "Lebanon" as it is typed), whose submitted value is the ISO
    code; a name or a code in any case typed into a link (``?state=Lebanon``, ``?state=lbn``) is resolved
    on the server too. Its choices come from ``choosable_states()``, loaded by ``load()`` (one query)."""

    def __init__(self, *, empty_label: Any = None, **kwargs: Any):
        # With JavaScript, ccm/static/ccm/autocomplete.js turns the select into a box that suggests names
        # as they are typed (a native <datalist>); the name typed is resolved here like a code.
        kwargs.setdefault(
            "widget", forms.Select(attrs={"data-autocomplete": "state", "data-autocomplete-placeholder": _("Any")})
        )
        super().__init__(choices=(), **kwargs)
        self.empty_label = _("Any") if empty_label is None else empty_label
        self.lookup: dict[str, str] = {}

    def load(self) -> None:
        states = list(choosable_states())
        self.lookup = {}
        for state in states:
            self.lookup[state.iso3.casefold()] = state.iso3
            self.lookup.setdefault(state.name.casefold(), state.iso3)
        self.choices = [("", self.empty_label), *grouped_by_region(states)]

    def bound_data(self, data: Any, initial: Any) -> Any:
        """A name typed into a link shows as the chosen option."""
        return initial if self.disabled else self.to_python(data)

    def to_python(self, value: Any) -> str:
        text = " ".join(str(super().to_python(value)).split())
        return self.lookup.get(text.casefold(), text) if text else ""


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
