"""Answers from a field tool's export (ODK Central, KoboToolbox: XLSX or CSV), by column name.

A State that ran the question set's XLSForm (``ccm.consultations.xlsform``) in its own tool uploads
the tool's export of its answer. Columns are matched by name to the questions' keys; a group prefix
is tolerated ("obstacles/deadline_obstacles", ODK Central's "obstacles-deadline_obstacles"), and every
other column is ignored — the tools' metadata ("_uuid", "_submission_time", "meta/instanceID", "KEY",
"SubmissionDate"…) and Kobo's one-column-per-option copies of a multiple choice ("services/funding").
One row is one organisation's answer: the file holds exactly one data row, or an "organisation" column
picks the uploading organisation's row by its short name (or its name). Options are named by key
(multiple choice: keys separated by spaces, as the tools write them) or by label. An ODK "FormVersion"
column must name the campaign's version.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ccm.consultations.imports import AnswersContext, AnswersImport, current_upload
from ccm.consultations.models import Campaign, Question, QuestionType
from ccm.consultations.xlsform import field_name
from ccm.core.imports import Column, ProblemLog, Row, RowProblems, Sheet
from ccm.core.spreadsheets import CellProblem, UnreadableFile, csv_rows, open_workbook, sheet_rows
from ccm.core.uploads import validate_upload

SHEET_NAME = "Answers"
ORGANISATION = "organisation"
FORM_VERSION = "formversion"
SEPARATORS = re.compile(r"[/-]")


def question_for_heading(heading: str, questions: dict[str, Question]) -> str | None:
    """The key of the question a column heading names, or None (metadata, an option's own column…)."""
    text = heading.strip()
    by_key = {key.casefold(): key for key in questions}
    by_key.update({field_name(q).casefold(): key for key, q in questions.items()})
    if text.casefold() in by_key:
        return by_key[text.casefold()]
    for match in SEPARATORS.finditer(text):
        suffix = text[match.end() :].casefold()
        if suffix not in by_key:
            continue
        parent = SEPARATORS.split(text[: match.start()])[-1].casefold()
        parent_key = by_key.get(parent)
        if parent_key is not None and questions[parent_key].qtype == QuestionType.MULTIPLE:
            return None  # "services/funding": Kobo's 0/1 column for one option of a multiple choice
        return by_key[suffix]
    return None


def columns_for(headings: tuple[str, ...], questions: dict[str, Question]) -> tuple[Column, ...]:
    """A column for each heading that names a question (the first, when two name the same), the
    organisation and the form version."""
    columns: list[Column] = []
    taken: set[str] = set()
    for heading in headings:
        name = heading.strip()
        if not name:
            continue
        if name.casefold() == ORGANISATION and ORGANISATION not in taken:
            key = ORGANISATION
        elif name.casefold() == FORM_VERSION and FORM_VERSION not in taken:
            key = FORM_VERSION
        else:
            key = question_for_heading(name, questions) or ""
        if key and key not in taken:
            taken.add(key)
            columns.append(Column(key, name))
    return tuple(columns)


def duplicate_headings(headings: tuple[str, ...], questions: dict[str, Question]) -> dict[str, list[str]]:
    """Question key → the headings that name it, where more than one does."""
    named: dict[str, list[str]] = {}
    for heading in headings:
        key = question_for_heading(heading, questions) if heading.strip() else None
        if key:
            named.setdefault(key, []).append(heading.strip())
    return {key: names for key, names in named.items() if len(names) > 1}


def read_headings(upload: Any) -> tuple[str, ...]:
    """The heading row of an upload, read with the pipeline's own bounded readers before the check (the
    columns of this kind depend on it). A file that cannot be read gives no headings; the check then
    says what is wrong with it."""
    try:
        clean = validate_upload(upload, allowed={"xlsx", "csv"})
        if clean.kind == "csv":
            rows = csv_rows(clean.file)
            first = next(rows, (1, ()))[1]
        else:
            book = open_workbook(clean.file)
            try:
                first = next(sheet_rows(book.active), (1, ()))[1]
            finally:
                book.close()
    except (ValidationError, UnreadableFile):
        return ()
    finally:
        if hasattr(upload, "seek"):
            upload.seek(0)
    return tuple("" if h is None else str(h) for h in first)


class FieldToolImport(AnswersImport):
    """One organisation's answer exported from ODK or KoboToolbox (XLSX or CSV)."""

    kind = "consultation_field"
    formats = frozenset({"xlsx", "csv"})
    check_action = "answers_field_import.check"
    apply_action = "answers_field_import.apply"

    @property
    def sheets(self) -> tuple[Sheet, ...]:  # type: ignore[override]  # the columns: the file's headings
        upload = current_upload()
        questions = {q.key: q for q in _questions(upload.campaign)}
        return (Sheet(SHEET_NAME, columns_for(upload.headings, questions), headers="named", active=True),)

    def parse_cell(self, column: Column, value: Any, context: AnswersContext) -> Any:
        return value  # read as the question's type, in check_row, for the organisation's row only

    def _chosen(self, row: Row, context: AnswersContext) -> bool:
        if not any(c.field == ORGANISATION for c in self.sheets[0].columns):
            return True
        named = str(row.values.get(ORGANISATION) or "").strip().casefold()
        return named in (context.organisation.slug.casefold(), context.organisation.name.casefold())

    def check_row(self, sheet: Sheet, row: Row, context: AnswersContext, problems: RowProblems) -> None:
        if not self._chosen(row, context):
            row.values = {}
            return
        context.seen[f"#row{row.number}"] = row.number
        version = row.values.get(FORM_VERSION)
        if version not in (None, "") and str(version).strip() != str(context.campaign.version.number):
            problems.add(
                FORM_VERSION,
                _("This file is for version %(file_n)s of the form; this campaign uses %(ours)s.")
                % {"file_n": str(version).strip(), "ours": context.version_words},
            )
        for key, question in context.questions.items():
            if key in row.values:
                row.values[key] = self.check_answer(question, row.values[key], problems, key, multiple_by_space=True)

    def finish(self, rows: dict[str, list[Row]], context: AnswersContext, problems: ProblemLog) -> dict[str, Any]:
        columns = self.sheets[0].columns
        by_organisation = any(c.field == ORGANISATION for c in columns)
        if not any(c.field in context.questions for c in columns):
            examples = ", ".join(list(context.questions)[:3])
            problems.add(
                CellProblem(
                    "",
                    1,
                    "",
                    "",
                    _(
                        "No column is named after a question of %(set)s "
                        "(columns are named by question key, such as %(keys)s)."
                    )
                    % {"set": context.version_words, "keys": examples or "—"},
                )
            )
        for key, names in duplicate_headings(context.headings, context.questions).items():
            problems.add(
                CellProblem(
                    "",
                    1,
                    "",
                    "",
                    _("Several columns name question '%(key)s': %(names)s; keep one.")
                    % {"key": key, "names": ", ".join(names)},
                )
            )
        chosen = sorted(n for k, n in context.seen.items() if k.startswith("#row"))
        kept = [r for r in rows.get(SHEET_NAME, []) if r.values]
        who = context.organisation.slug
        if not chosen:
            message = (
                _("No row names your organisation: the 'organisation' column must hold its short name (%(slug)s).")
                if by_organisation
                else _("The file holds no answer.")
            )
            problems.add(CellProblem("", 0, "", "", message % {"slug": who}))
        elif len(chosen) > 1:
            problems.add(
                CellProblem(
                    "",
                    0,
                    "",
                    "",
                    _(
                        "The file holds %(n)s answers (rows %(rows)s); it must hold one, or an 'organisation' "
                        "column with your organisation's short name (%(slug)s) on its row."
                    )
                    % {"n": len(chosen), "rows": ", ".join(str(n) for n in chosen), "slug": who},
                )
            )
        answers: dict[str, Any] = {}
        if len(kept) == 1:
            answers = {k: v for k, v in kept[0].values.items() if k in context.questions and v is not None}
        return self.payload(context, answers, problems)


def _questions(campaign: Campaign) -> list[Question]:
    cached = getattr(campaign, "_ccm_questions", None)
    if cached is None:
        cached = list(campaign.version.questions.order_by("position"))
        campaign._ccm_questions = cached  # type: ignore[attr-defined]
    return cached
