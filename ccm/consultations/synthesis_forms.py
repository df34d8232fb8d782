"""Forms of the synthesis pages (input only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.consultations.synthesis_models import ThemeKey
from ccm.core.forms import CleanTextMixin


class RetagForm(CleanTextMixin, forms.Form):
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=ThemeKey.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)


class RewriteForm(CleanTextMixin, forms.Form):
    rewritten_text = forms.CharField(
        label=_("The quote as it may be shown"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave out or generalise every word that points to a participant."),
    )


class WaiveForm(CleanTextMixin, forms.Form):
    waiver_reason = forms.CharField(
        label=_("Why it may be shown as written"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class KeyPointsForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Key points"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=20000,
        help_text=_("Plain text, one point a paragraph. Name no participant: the check runs before it is ready."),
    )
