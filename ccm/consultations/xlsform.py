"""A question set version as an XLSForm, for a State that prefers to run it in ODK or KoboToolbox.

Three sheets, as the XLSForm standard names them:

- ``survey``: type, name (the question's key, so the tool's export comes back by column name, see
  ``ccm.consultations.fieldtools``), label, hint, required. Free text → ``text``; number → ``decimal``;
  single and multiple choice → ``select_one`` / ``select_multiple`` of a list named after the question;
  a 1–5 scale → ``select_one scale_1_5``; yes/no → ``select_one yes_no``. A first ``organisation``
  question asks who answers (its short name), so one export may hold several organisations' rows.
- ``choices``: list_name, name, label.
- ``settings``: form_title, form_id (the set's short name), version (the version's number).

Every cell goes through ``ccm.core.spreadsheets.xlsx_append``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ccm.consultations.models import Question, QuestionSetVersion, QuestionType
from ccm.core.spreadsheets import xlsx_append, xlsx_bytes

SCALE_LIST = "scale_1_5"
YES_NO_LIST = "yes_no"
ORGANISATION_FIELD = "organisation"
NAME = re.compile(r"[^A-Za-z0-9_]")
VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def xml_name(text: str) -> str:
    """A name XForms accept (letters, digits, underscores; not starting with a digit)."""
    name = NAME.sub("_", text)
    return name if name and not name[0].isdigit() else f"q_{name}"


def field_name(question: Question) -> str:
    """The question's name in the form: its key, made a valid XML name where it is not one."""
    return question.key if VALID_NAME.match(question.key) else xml_name(question.key)


def list_name(question: Question) -> str:
    return xml_name(f"{question.key}_options")


def _type(question: Question) -> str:
    return {
        QuestionType.TEXT: "text",
        QuestionType.NUMBER: "decimal",
        QuestionType.SINGLE: f"select_one {list_name(question)}",
        QuestionType.MULTIPLE: f"select_multiple {list_name(question)}",
        QuestionType.SCALE: f"select_one {SCALE_LIST}",
        QuestionType.YES_NO: f"select_one {YES_NO_LIST}",
    }[QuestionType(question.qtype)]


def form_id(version: QuestionSetVersion) -> str:
    return xml_name(version.question_set.slug)


def survey_rows(questions: Iterable[Question]) -> list[list[str]]:
    rows = [
        ["type", "name", "label", "hint", "required"],
        [
            "text",
            ORGANISATION_FIELD,
            _("Your organisation's short name on the platform"),
            _("As in the address of your organisation's page, e.g. lebanon-government."),
            "yes",
        ],
    ]
    for question in questions:
        rows.append(
            [
                _type(question),
                field_name(question),
                question.text,
                question.help_text,
                "yes" if question.required else "no",
            ]
        )
    return rows


def choice_rows(questions: Iterable[Question]) -> list[list[str]]:
    rows = [["list_name", "name", "label"]]
    scale = yes_no = False
    for question in questions:
        if question.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            for option in question.options or []:
                key = str(option.get("key"))
                rows.append([list_name(question), key, str(option.get("label", key))])
        scale = scale or question.qtype == QuestionType.SCALE
        yes_no = yes_no or question.qtype == QuestionType.YES_NO
    if scale:
        rows.extend([SCALE_LIST, str(n), str(n)] for n in range(1, 6))
    if yes_no:
        rows.extend([[YES_NO_LIST, "yes", str(_("Yes"))], [YES_NO_LIST, "no", str(_("No"))]])
    return rows


def xlsform(version: QuestionSetVersion) -> bytes:
    """The XLSForm of ``version`` (its questions in order)."""
    questions = list(version.questions.order_by("position"))
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in survey_rows(questions):
        xlsx_append(survey, row)
    choices = book.create_sheet("choices")
    for row in choice_rows(questions):
        xlsx_append(choices, row)
    settings = book.create_sheet("settings")
    xlsx_append(settings, ["form_title", "form_id", "version"])
    xlsx_append(settings, [f"{version.question_set.title} (v{version.number})", form_id(version), str(version.number)])
    return xlsx_bytes(book)


def file_name(version: QuestionSetVersion) -> str:
    return f"{version.question_set.slug}-v{version.number}-xlsform.xlsx"
