"""Forms of the transparency pages: the board's filters, one report's record, the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin
from ccm.states.models import Region
from ccm.transparency.models import ReportKind, SubmissionStatus
from ccm.transparency.selectors import STATUS_LABELS

MIN_YEAR, MAX_YEAR = 2010, 2100


class BoardFilterForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *STATUS_LABELS.items()], required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Any")), *Region.choices], required=False)
    year = forms.IntegerField(label=_("Due in (year)"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)


class RecordForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    year = forms.IntegerField(
        label=_("Calendar year covered"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        required=False,
        help_text=_("Annual reports only: the year the report covers (due 30 April of the next year)."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=SubmissionStatus.choices, widget=forms.RadioSelect)
    submitted_on = forms.DateField(
        label=_("Submitted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the report reached the UN Secretary-General."),
    )
    checked_on = forms.DateField(
        label=_("Checked on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a report not received: the day someone checked and found none."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("For example: UN Article 7 database, consulted on a date; or the State's note verbale."),
    )
    source_url = forms.URLField(label=_("Source link"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["aria-describedby"] = "id_year_help"


class ImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("Reporting status file (CSV or XLSX)"))
