"""Forms of the actions tracker: its filters, and changing an action's status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.actions import selectors, sources
from ccm.actions.models import ActionStatus
from ccm.core.forms import CleanTextMixin
from ccm.states.forms import StateChoiceField

STATUS_FILTER = [(selectors.OPEN, _("Open or in progress")), *ActionStatus.choices, (selectors.ALL, _("Any"))]
SCOPES = [(selectors.MINE, _("My organisations' actions")), (selectors.ALL, _("Every action I may see"))]


class TrackerFilterForm(CleanTextMixin, forms.Form):
    scope = forms.ChoiceField(label=_("Whose"), choices=SCOPES, required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    state = StateChoiceField(label=_("State"), required=False)
    source = forms.ChoiceField(label=_("Decided in"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].load()  # type: ignore[attr-defined]
        owners = [(org.slug, org.name) for org in selectors.owners_choosable(user)]
        self.fields["owner"].choices = [("", _("Any")), *owners]  # type: ignore[attr-defined]
        kinds = sorted(((s.key, s.kind_label) for s in sources.registered()), key=lambda kind: kind[1])
        self.fields["source"].choices = [("", _("Any")), *kinds]  # type: ignore[attr-defined]
        if selectors.default_scope(user) == selectors.ALL:
            del self.fields["scope"]  # coordinators and people without an organisation see one list
        else:
            self.fields["scope"].initial = selectors.MINE

    def filters(self, user: Any) -> selectors.TrackerFilters:
        default = selectors.default_scope(user)
        if not self.is_bound or not self.is_valid():
            return selectors.TrackerFilters(scope=default)
        data = self.cleaned_data
        return selectors.TrackerFilters(
            owner=data["owner"],
            state=data["state"],
            source=data["source"],
            status=data["status"] or selectors.OPEN,
            overdue=data["overdue"],
            scope=data.get("scope") or default,
        )


class ActionUpdateForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the action is done; left empty, today."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Move it only when the owner and the others agreed to."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, or why the status changed. Needed to cancel an action."),
    )
