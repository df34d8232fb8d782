from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ccm.core import audit


def action_choices() -> list[tuple[str, str]]:
    """The registered actions, by name (an object's actions together), shown by their labels."""
    return [("", str(_("All actions")))] + [(a.name, str(a.label)) for a in audit.registered_actions()]


def valid_action_filter(value: str) -> bool:
    """A registered action, or the start of one (``need.`` for every action on needs)."""
    return any(a.name.startswith(value) for a in audit.registered_actions())


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, widget=forms.Select)
    actor = forms.CharField(label=_("Actor's e-mail contains"), required=False)
    object = forms.CharField(label=_("Object contains"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.choices = action_choices()

    def clean_action(self) -> str:
        value: str = self.cleaned_data["action"]
        if value and not valid_action_filter(value):
            raise forms.ValidationError(_("No such action."))
        return value

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return queryset.none() if "action" in self.errors else queryset
        data = self.cleaned_data
        if data["action"]:
            if audit.is_registered(data["action"]):
                queryset = queryset.filter(action=data["action"])
            else:
                queryset = queryset.filter(action__startswith=data["action"])
        if data["actor"]:
            queryset = queryset.filter(actor_label__icontains=data["actor"])
        if data["object"]:
            queryset = queryset.filter(object_label__icontains=data["object"])
        if data["since"]:
            queryset = queryset.filter(timestamp__date__gte=data["since"])
        if data["until"]:
            queryset = queryset.filter(timestamp__date__lte=data["until"])
        return queryset
