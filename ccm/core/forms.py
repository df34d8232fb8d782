from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, help_text=_("e.g. membership.add"))
    actor = forms.CharField(label=_("Actor's e-mail contains"), required=False)
    object = forms.CharField(label=_("Object contains"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["action"]:
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
