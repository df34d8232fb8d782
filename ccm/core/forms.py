from functools import lru_cache
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ccm.core import audit


def action_choices() -> list[tuple[str, str]]:
    """The registered actions, by name (an object's actions together), shown by their labels."""
    return list(_action_choices(translation.get_language() or ""))


@lru_cache(maxsize=16)
def _action_choices(language: str) -> tuple[tuple[str, str], ...]:
    # the actions are registered once, when the apps are ready: the choices change only with the language
    return (("", str(_("All actions"))), *((a.name, str(a.label)) for a in audit.registered_actions()))


class ActionSelect(forms.Select):
    """The ``<select>`` of every registered action (a few hundred options), rendered once per language,
    chosen action and attributes in each process: the options never change while it runs."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        chosen = "" if value in (None, "") else str(value)
        if chosen and not audit.is_registered(chosen):
            return super().render(name, value, attrs, renderer)  # a prefix or a typo: not worth keeping
        final = tuple(sorted((str(k), str(v)) for k, v in {**self.attrs, **(attrs or {})}.items()))
        return mark_safe(_rendered_select(translation.get_language() or "", name, chosen, final))  # noqa: S308


@lru_cache(maxsize=256)
def _rendered_select(language: str, name: str, chosen: str, attrs: tuple[tuple[str, str], ...]) -> str:
    return str(forms.Select(choices=action_choices()).render(name, chosen, dict(attrs)))


def valid_action_filter(value: str) -> bool:
    """A registered action, or the start of one (``need.`` for every action on needs)."""
    return any(a.name.startswith(value) for a in audit.registered_actions())


class CleanTextMixin:
    """For every form of the platform (a test checks that each one has it): one-line text fields
    (``CharField`` with a one-line widget) refuse line breaks, and every text field loses its control
    characters (``ccm.core.text.clean_text``), before the form's values reach a service. Password fields
    are left as typed."""

    cleaned_data: dict[str, Any]
    fields: dict[str, forms.Field]

    def clean(self) -> dict[str, Any]:
        from ccm.core.text import clean_text, text_problem

        data: dict[str, Any] = super().clean() or self.cleaned_data  # type: ignore[misc]
        for name, field in self.fields.items():
            value = data.get(name)
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            if not isinstance(value, str) or not value:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            problem = text_problem(value, multiline=multiline)
            if problem:
                self.add_error(name, problem)  # type: ignore[attr-defined]
                continue
            data[name] = clean_text(value, multiline=multiline)
            if field.required and not data[name].strip():
                self.add_error(name, field.error_messages["required"])  # type: ignore[attr-defined]
        return data


class AuditFilterForm(CleanTextMixin, forms.Form):
    action = forms.CharField(label=_("Action"), required=False, widget=ActionSelect)
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
