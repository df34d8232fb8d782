"""Answering a consultation offline: the answering workbook, and reading an answer from a cell.

The workbook (``answer_workbook``) has one sheet, "Answers": a heading row, a hidden key row (the
question set's short name, the version number and the campaign's number, which an upload must match),
then one row per question — its key, the question, its type in words, the options by label, whether it
is required, the help, and the answer column, pre-filled with the organisation's draft where there is
one. Choice and yes/no answers get a drop-down list (a hidden "Lists" sheet holds the options), a scale
accepts 1 to 5. Every cell goes through ``ccm.core.spreadsheets.xlsx_append`` (formula-like text never
evaluates). The upload is read back by ``ccm.consultations.imports``.

``parse_answer`` turns one cell (from this workbook or a field tool's export) into the value
``answer_save`` takes (text → str, number and scale → Decimal, single → option key, multiple → list of
option keys, yes/no → bool), or raises ``ValueError`` with a message naming what was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ccm.consultations.models import Campaign, Question, QuestionType
from ccm.core.spreadsheets import xlsx_append, xlsx_bytes

SHEET = "Answers"
SHEET_LABEL = gettext_lazy("Answers")
LISTS = "Lists"
MARKER = "#ccm-answers"  # the key column of the hidden key row
# Headings of the "Answers" sheet: field → heading, written in the reader's language and recognised in any of
# the platform's languages (ccm.core.imports), so a file filled in French is uploaded by a colleague working
# in English.
HEADINGS = {
    "key": gettext_lazy("Key"),
    "question": gettext_lazy("Question"),
    "type": gettext_lazy("Type"),
    "options": gettext_lazy("Options"),
    "required": gettext_lazy("Required"),
    "help": gettext_lazy("Help"),
    "answer": gettext_lazy("Answer"),
}
ANSWER_COLUMN = get_column_letter(list(HEADINGS).index("answer") + 1)
MAX_NUMBER = Decimal(10) ** 16  # AnswerItem.number: 20 digits, 4 of them after the point
FOUR_PLACES = Decimal("0.0001")
YES_WORDS = frozenset({"yes", "y", "true", "1", "oui", "sí", "si"})
NO_WORDS = frozenset({"no", "n", "false", "0", "non"})
MULTIPLE_SEPARATORS = re.compile(r"[;\n]")


# --- Reading one answer --------------------------------------------------------------------------


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    try:
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(str(value).strip().replace(",", "").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _option_keys(question: Question) -> list[str]:
    return [str(o.get("key")) for o in question.options or []]


def _match_option(question: Question, text: str) -> str | None:
    """The key of the option ``text`` names, by its label or by its key (case ignored)."""
    wanted = text.strip().casefold()
    for option in question.options or []:
        if str(option.get("label", "")).strip().casefold() == wanted:
            return str(option.get("key"))
    for option in question.options or []:
        if str(option.get("key", "")).casefold() == wanted:
            return str(option.get("key"))
    return None


def _not_an_option(question: Question, text: str) -> ValueError:
    labels = "; ".join(str(o.get("label", o.get("key"))) for o in question.options or [])
    return ValueError(
        _("'%(v)s' is not one of the options of question '%(key)s': %(labels)s")
        % {"v": text, "key": question.key, "labels": labels or "—"}
    )


def parse_answer(question: Question, value: Any, *, multiple_by_space: bool = False) -> Any:
    """The value of one non-empty cell for ``question`` (see the module's docstring), or ``ValueError``.

    Options are named by their label or their key. Several options (multiple choice) are separated by
    ";" or line breaks; with ``multiple_by_space`` (field tools: "funding training"), also by spaces
    when the cell is not one label."""
    qtype = question.qtype
    if isinstance(value, datetime | date):
        value = value.isoformat()
    if qtype == QuestionType.TEXT:
        return str(value).strip()
    if qtype == QuestionType.NUMBER:
        try:
            number = _number(value)
        except ValueError:
            raise ValueError(_("'%(v)s' is not a number") % {"v": value}) from None
        if abs(number) >= MAX_NUMBER:
            raise ValueError(_("%(v)s is too large for a number answer") % {"v": value})
        return number.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP).normalize()
    if qtype == QuestionType.SCALE:
        scale: Decimal | None
        try:
            scale = _number(value)
        except ValueError:
            scale = None
        if scale is None or scale != scale.to_integral_value() or not 1 <= scale <= 5:
            raise ValueError(_("'%(v)s' is not a whole number from 1 to 5") % {"v": value})
        return Decimal(int(scale))
    if qtype == QuestionType.YES_NO:
        word = str(value).strip().casefold()
        if isinstance(value, bool):
            return value
        if word in YES_WORDS or word == _("Yes").casefold():
            return True
        if word in NO_WORDS or word == _("No").casefold():
            return False
        raise ValueError(_("'%(v)s' is not Yes or No") % {"v": value})
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # an option keyed "1" read back as a number
    if qtype == QuestionType.SINGLE:
        key = _match_option(question, text)
        if key is None:
            raise _not_an_option(question, text)
        return key
    if qtype == QuestionType.MULTIPLE:
        whole = _match_option(question, text)
        if whole is not None:
            return [whole]
        parts = [p for p in MULTIPLE_SEPARATORS.split(text) if p.strip()]
        if len(parts) == 1 and multiple_by_space:
            parts = text.split()
        keys: list[str] = []
        for part in parts:
            key = _match_option(question, part)
            if key is None:
                raise _not_an_option(question, part.strip())
            if key not in keys:
                keys.append(key)
        order = _option_keys(question)
        return sorted(keys, key=order.index)
    raise ValueError(_("the question's type is unknown"))  # pragma: no cover - every type is handled


# --- Values as stored, as JSON, and in words -----------------------------------------------------


def stored_value(question: Question, item: Any) -> Any:
    """The value an ``AnswerItem`` holds, in the form ``parse_answer`` returns (None when empty)."""
    if item is None:
        return None
    qtype = question.qtype
    if qtype == QuestionType.TEXT:
        return item.text or None
    if qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        return None if item.number is None else Decimal(item.number).normalize()
    choices = list(item.choices or [])
    if qtype == QuestionType.YES_NO:
        return None if not choices else choices[0] == "yes"
    if qtype == QuestionType.SINGLE:
        return choices[0] if choices else None
    return choices or None


def to_json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def from_json(question: Question, value: Any) -> Any:
    if value is not None and question.qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        return Decimal(str(value))
    return value


def answer_words(question: Question, value: Any) -> str | None:
    """An answer as people read it: option labels, Yes/No, the number, the text."""
    if value is None or value == [] or value == "":
        return None
    qtype = question.qtype
    if qtype == QuestionType.YES_NO:
        return str(_("Yes") if value else _("No"))
    if qtype == QuestionType.SINGLE:
        return question.option_label(str(value))
    if qtype == QuestionType.MULTIPLE:
        return "; ".join(question.option_label(str(k)) for k in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def same_answer(question: Question, old: Any, new: Any) -> bool:
    if question.qtype == QuestionType.MULTIPLE:
        return sorted(old or []) == sorted(new or [])
    return old == new


# --- The workbook --------------------------------------------------------------------------------


def type_words(question: Question) -> str:
    return str(QuestionType(question.qtype).label)


def _options_words(question: Question) -> str:
    if question.qtype == QuestionType.YES_NO:
        return f"{_('Yes')}; {_('No')}"
    if question.qtype == QuestionType.SCALE:
        return "1; 2; 3; 4; 5"
    return "; ".join(str(o.get("label", o.get("key"))) for o in question.options or [])


def _cell_value(question: Question, value: Any) -> Any:
    """What the answer column shows for a value on record."""
    if value is None:
        return None
    if question.qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        number = Decimal(value).normalize()
        return int(number) if number == number.to_integral_value() else float(number)
    return answer_words(question, value)


def answer_workbook(campaign: Campaign, questions: Iterable[Question], current: Mapping[str, Any]) -> bytes:
    """The answering workbook of ``campaign`` (``questions`` in order; ``current``: question key → the
    organisation's draft value, empty for a blank workbook)."""
    version = campaign.version
    book = Workbook()
    sheet = book.active
    sheet.title = str(SHEET_LABEL)[:31]
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    xlsx_append(sheet, [str(heading) for heading in HEADINGS.values()])
    xlsx_append(sheet, [MARKER, version.question_set.slug, version.number, campaign.pk])
    sheet.row_dimensions[2].hidden = True
    yes_no = [str(_("Yes")), str(_("No"))]
    list_rows = 0
    for index, question in enumerate(questions):
        row = index + 3
        xlsx_append(
            sheet,
            [
                question.key,
                question.text,
                type_words(question),
                _options_words(question),
                str(_("Yes") if question.required else _("No")),
                question.help_text,
                _cell_value(question, current.get(question.key)),
            ],
        )
        cell = f"{ANSWER_COLUMN}{row}"
        validation: DataValidation | None = None
        if question.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YES_NO):
            labels = yes_no if question.qtype == QuestionType.YES_NO else _labels(question)
            list_rows += 1
            xlsx_append(lists, labels)  # one row of the hidden sheet per question with a list
            last = get_column_letter(max(len(labels), 1))
            area = f"{quote_sheetname(LISTS)}!$A${list_rows}:${last}${list_rows}"
            validation = DataValidation(type="list", formula1=f"={area}", allow_blank=True)
            if question.qtype == QuestionType.MULTIPLE:
                # several options are typed separated by ";": the list helps, it does not refuse
                validation.errorStyle = "information"
                validation.promptTitle = str(_("Several options"))[:32]
                validation.prompt = str(_("Choose one, or type several separated by ;"))[:255]
                validation.showInputMessage = True
        elif question.qtype == QuestionType.SCALE:
            validation = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
        elif question.qtype == QuestionType.NUMBER:
            validation = DataValidation(type="decimal", allow_blank=True, operator="between")
            validation.formula1 = str(-MAX_NUMBER + 1)
            validation.formula2 = str(MAX_NUMBER - 1)
        if validation is not None:
            validation.showErrorMessage = True
            validation.error = str(_("Choose one of the options of this question."))[:255]
            sheet.add_data_validation(validation)
            validation.add(cell)
    _layout(sheet)
    return xlsx_bytes(book)


def _labels(question: Question) -> list[str]:
    return [str(o.get("label", o.get("key"))) for o in question.options or []]


def _layout(sheet: Any) -> None:
    widths = {"A": 24, "B": 60, "C": 18, "D": 36, "E": 10, "F": 40, "G": 50}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
