"""The search form (input only): the query and its filters, read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.core.text import clean_text
from ccm.library.models import Language
from ccm.library.search import MAX_QUERY_CHARS
from ccm.library.search_models import SearchKind
from ccm.needs.models import Pillar
from ccm.states.forms import StateChoiceField
from ccm.states.models import State


def query_text(value: object) -> str:
    """Any text as a one-line query: control characters and line breaks become spaces, capped."""
    text = str(value or "")[:MAX_QUERY_CHARS].replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return clean_text(text, multiline=False).strip()


class QueryField(forms.CharField):
    """A query of any length and any characters is accepted (made one line and capped), never refused."""

    def to_python(self, value: Any) -> str:
        return query_text(value)


class SearchForm(CleanTextMixin, forms.Form):
    q = QueryField(label=_("Search for"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *SearchKind.choices])
    pillar = forms.ChoiceField(label=_("Pillar"), required=False, choices=[("", _("Any")), *Pillar.choices])
    # the platform's State chooser: its <select> of some 200 States is rendered once per language and kept
    country = StateChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("Any")), *Language.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].load()  # type: ignore[attr-defined]

    def state_id(self) -> int | None:
        """The chosen country's id (one query), or None."""
        code = self.cleaned_data.get("country") or ""
        return State.objects.filter(iso3=code).values_list("pk", flat=True).first() if code else None
