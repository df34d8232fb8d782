from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ccm.core.documents.services import TITLE_MAX_LENGTH
from ccm.core.forms import CleanTextMixin
from ccm.core.uploads import DEFAULT_MAX_BYTES


class DocumentForm(CleanTextMixin, forms.Form):
    """Attach a file. Works without JavaScript (a multipart form posted to ``documents:attach``)."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.csv,.png"}),
        error_messages={"required": _("Choose a file to attach."), "empty": _("The file is empty.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Optional: the file's name is used otherwise."),
    )
    description = forms.CharField(
        label=_("Description (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = int(getattr(settings, "CCM_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)) / 1e6
        self.fields["file"].help_text = _("PDF, Word (DOCX), Excel (XLSX), CSV or PNG, at most %(limit)s MB.") % {
            "limit": f"{limit:.1f}"
        }
