"""The answer-upload form (input only; the file is checked by the import pipeline)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.core.forms import CleanTextMixin

WORKBOOK = "workbook"
FIELD_TOOL = "field_tool"


class AnswerUploadForm(CleanTextMixin, forms.Form):
    source = forms.ChoiceField(
        label=_("What file is it?"),
        choices=[
            (WORKBOOK, _("The answering workbook (XLSX) downloaded here and filled in")),
            (FIELD_TOOL, _("An export from ODK or KoboToolbox (XLSX or CSV), with columns named by question key")),
        ],
        initial=WORKBOOK,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("File"))
