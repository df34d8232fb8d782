"""Text that every output survives: the one definition of which characters the platform keeps.

Every text value that enters (forms, imports, commands, services) and every text value that leaves (XLSX,
CSV, DOCX, PDF, e-mail) goes through :func:`clean_text`:

- control characters are removed: C0 controls except tab and newline, DEL, C1 controls;
- a carriage return (alone or before a newline) becomes a newline;
- lone surrogates (which no UTF-8 writer can encode) and the non-characters U+FFFE and U+FFFF (which XML
  forbids) are removed;
- in single-line text (titles, names, labels, references: a one-line input), every line break, tab and
  Unicode line or paragraph separator becomes a space (other controls, vertical tab included, are removed).

Ordinary Unicode (letters of every script, emoji, combining marks, right-to-left text) is kept as it is.
Forms refuse single-line text with a line break (:func:`text_problem`, used by
:class:`ccm.core.forms.CleanTextMixin`); the storage layer cleans as a last line of defence
(:func:`clean_model_text`, connected to ``pre_save`` for every model of the platform).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

# C0 controls except tab (\x09) and newline (\x0a); carriage return (\x0d) is handled before this runs.
# DEL and the C1 controls; lone surrogates; U+FFFE and U+FFFF.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What a form refuses in one-line text: newline, carriage return, NEL, the Unicode line and paragraph
# separators. When one-line text is cleaned these and tab become a space; the other controls (vertical
# tab, form feed, ...) are removed like everywhere else.
_LINE_BREAK_RE = re.compile("[\n\r\x85\u2028\u2029]")
_ONE_LINE_RE = re.compile("[\n\t\x85\u2028\u2029]")
# What no XML writer (XLSX, DOCX) can hold or no UTF-8 encoder can encode; the writers remove it
# (``writable_text``) and keep everything else as it is, so that what they write reads back unchanged.
_UNWRITABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CR_RE = re.compile("\r\n?")


def clean_text(value: str, *, multiline: bool) -> str:
    """The text as the platform keeps it (see the module's description). Idempotent."""
    if not value:
        return value
    text = _CR_RE.sub("\n", value)
    if not multiline:
        text = _ONE_LINE_RE.sub(" ", text)
    return _CONTROL_RE.sub("", text)


def writable_text(value: str) -> str:
    """The text without what no spreadsheet or document writer can hold (XML-illegal control characters,
    lone surrogates, U+FFFE, U+FFFF); everything else, carriage returns included, is kept."""
    return _UNWRITABLE_RE.sub("", value)


def has_line_break(value: str) -> bool:
    return bool(_LINE_BREAK_RE.search(value))


def text_problem(value: str, *, multiline: bool) -> str | None:
    """Why a form refuses this text (a line break in one-line text), or None. Control characters are not
    refused but removed by :func:`clean_text`."""
    if not multiline and has_line_break(value):
        return _("Enter this on one line: line breaks are not allowed here.")
    return None


def one_line(value: str) -> str:
    """Text for a place that can hold one line only (an e-mail subject, a header)."""
    return " ".join(clean_text(value, multiline=False).split())


def is_multiline_field(field: models.Field[Any, Any]) -> bool:
    """A TextField holds several lines; a CharField (a one-line input) one."""
    return isinstance(field, models.TextField)


def clean_model_text(
    sender: type[models.Model], instance: models.Model, *, keep: frozenset[str] = frozenset(), **kwargs: Any
) -> None:
    """``pre_save`` for the platform's models: clean every text field before it is written (a last line of
    defence behind the forms and the import pipeline; writes through ``update()`` and ``bulk_create`` do
    not pass here: bulk writers call it for each row, and the writers clean what they output too).
    ``keep`` names fields left as they are (identifiers matched against their source)."""
    if not sender.__module__.startswith("ccm."):
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.name in keep:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and value:
            cleaned = clean_text(value, multiline=is_multiline_field(field))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
