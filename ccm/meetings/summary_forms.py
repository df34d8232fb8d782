"""Forms of a meeting's summary: writing it, waiving one hit with a reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.meetings.summary import MAX_REASON, MAX_TEXT


class SummaryForm(CleanTextMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Shown on the public page. It is checked too: name no participant."),
    )
    text = forms.CharField(
        label=_("Summary"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What was discussed, without naming any participant: no State, capital, nationality, organisation, "
            "person, or figure that only one of them published."
        ),
    )


class WaiveForm(CleanTextMixin, forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(
        label=_("Why these words may stay"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
