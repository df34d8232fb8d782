from typing import Any

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ccm.core import cache as aggregate_cache
from ccm.core.forms import CleanTextMixin
from ccm.states.models import Region, TreatyStatus
from ccm.states.selectors import NO_STATUS, OPEN_OBLIGATIONS, choosable_states, grouped_by_region


def _state_choices() -> tuple[dict[str, str], list[Any]]:
    states = list(choosable_states())
    lookup: dict[str, str] = {}
    for state in states:
        lookup[state.iso3.casefold()] = state.iso3
        lookup.setdefault(state.name.casefold(), state.iso3)
        lookup.setdefault(state.display_name.casefold(), state.iso3)
    return lookup, [(str(label), choices) for label, choices in grouped_by_region(states)]


class StateSelect(forms.Select):
    """The ``<select>`` of some 200 States, rendered once per language, name, chosen State and attributes and
    kept in the shared cache until the registry changes (rendering it took a third of a filtered page)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        chosen = "" if value in (None, "") else str(value)
        choices: Any = list(self.choices)
        if chosen and not any(chosen == code for _group, options in choices[1:] for code, _n in options):
            return super().render(name, value, attrs, renderer)  # an unknown value: not worth keeping
        final = {**self.attrs, **(attrs or {})}
        html = aggregate_cache.cached(
            "state-select",
            topics=("states",),
            parts=(
                name,
                chosen,
                sorted((str(k), str(v)) for k, v in final.items()),
                str(choices[0][1]) if choices else "",
            ),
            build=lambda: str(super(StateSelect, self).render(name, value, attrs, renderer)),
        )
        return mark_safe(html)  # noqa: S308 - Django's own rendering, escaped when it was made


class StateChoiceField(forms.ChoiceField):
    """A State chosen by its name: a plain ``<select>`` grouped by region in ``<optgroup>``s (it works
    without JavaScript, and browsers jump to "Lebanon" as it is typed), whose submitted value is the ISO
    code; a name or a code in any case typed into a link (``?state=Lebanon``, ``?state=lbn``) is resolved
    on the server too. Its choices come from ``choosable_states()``, loaded by ``load()`` (one query)."""

    def __init__(self, *, empty_label: Any = None, **kwargs: Any):
        # With JavaScript, ccm/static/ccm/autocomplete.js turns the select into a box that suggests names
        # as they are typed (a native <datalist>); the name typed is resolved here like a code.
        kwargs.setdefault(
            "widget", StateSelect(attrs={"data-autocomplete": "state", "data-autocomplete-placeholder": _("Any")})
        )
        super().__init__(choices=(), **kwargs)
        self.empty_label = _("Any") if empty_label is None else empty_label
        self.lookup: dict[str, str] = {}

    def load(self) -> None:
        """The States to choose from (kept in the shared cache per language until the registry changes)."""
        self.lookup, groups = aggregate_cache.cached("state-choices", topics=("states",), build=_state_choices)
        self.choices = [("", self.empty_label), *groups]

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
