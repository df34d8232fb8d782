"""Answers from a file, through the shared import pipeline (``ccm.core.imports``): the answering workbook
(``ccm.consultations.sheets``) and a field tool's export (``ccm.consultations.fieldtools``).

Both kinds are checked whole for one campaign and one recipient organisation (its editors upload for
it), previewed as the changes they make to the organisation's draft answer (one line per question whose
answer changes), and applied at once through ``ccm.consultations.services.answer_save``. An empty cell
leaves the answer on record as it is. Nothing is accepted outside the campaign's dates or once the
organisation's answer is submitted.

The campaign is not one of the pipeline's owners (a State or an organisation), so the check is started
by ``answers_check`` here, which hands the campaign to the spec's ``context`` for the length of the call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.accounts.models import Organisation
from ccm.consultations import sheets
from ccm.consultations.models import Answer, AnswerStatus, Campaign, Question, QuestionSet
from ccm.core.audit import AuditAction, register_actions
from ccm.core.clock import today
from ccm.core.imports import Column, ImportSpec, ProblemLog, Row, RowProblems, Sheet, apply_import, check_import
from ccm.core.models import SpreadsheetImport
from ccm.core.spreadsheets import CellProblem, sheet_rows
from ccm.core.templatetags.ccm import date_filter

register_actions(
    AuditAction("answers_workbook_import.check", gettext_lazy("Consultation answers workbook: checked")),
    AuditAction("answers_workbook_import.apply", gettext_lazy("Consultation answers workbook: applied")),
    AuditAction("answers_field_import.check", gettext_lazy("Consultation answers from a field tool: checked")),
    AuditAction("answers_field_import.apply", gettext_lazy("Consultation answers from a field tool: applied")),
)


@dataclass
class Upload:
    """What the caller of the check knows and the pipeline does not pass on: the campaign, and (field
    tools) the headings of the file, read beforehand."""

    campaign: Campaign
    headings: tuple[str, ...] = ()


_UPLOAD: ContextVar[Upload | None] = ContextVar("consultation_answers_upload", default=None)


@contextmanager
def uploading(upload: Upload) -> Iterator[None]:
    token = _UPLOAD.set(upload)
    try:
        yield
    finally:
        _UPLOAD.reset(token)


def current_upload() -> Upload:
    upload = _UPLOAD.get()
    if upload is None:
        raise LookupError("Answers are checked through answers_check (the campaign is needed).")
    return upload


@dataclass
class AnswersContext:
    campaign: Campaign
    organisation: Organisation
    questions: dict[str, Question]  # by key, in order
    current: dict[str, Any]  # question key → the value on record
    answer: Answer | None
    today: date
    headings: tuple[str, ...] = ()
    seen: dict[str, int] = field(default_factory=dict)  # question key → row
    wrong_file: bool = False

    @property
    def version_words(self) -> str:
        version = self.campaign.version
        return _("'%(title)s' version %(n)s") % {"title": version.question_set.title, "n": version.number}


def refusal(campaign: Campaign, answer: Answer | None, *, on: date) -> str | None:
    """Why no file may change this organisation's answer now, or None."""
    if on > campaign.closes_on:
        return _("The campaign closed on %(date)s: answers can no longer be changed.") % {
            "date": date_filter(campaign.closes_on)
        }
    if on < campaign.opens_on:
        return _("The campaign opens on %(date)s: answers can be given from then on.") % {
            "date": date_filter(campaign.opens_on)
        }
    if answer is not None and answer.status == AnswerStatus.SUBMITTED:
        return _("Your organisation's answer was submitted on %(date)s: it can no longer be changed.") % {
            "date": date_filter(answer.submitted_at)
        }
    return None


def question_label(question: Question) -> str:
    text = " ".join(question.text.split())
    return f"{question.position}. {text[:100]}{'…' if len(text) > 100 else ''}"


class AnswersImport(ImportSpec[AnswersContext]):
    """What the two answer kinds share: the context, the owner, the preview and the apply."""

    field_labels: ClassVar[dict[str, Any]] = {"answer": gettext_lazy("answer")}

    def context(self, *, state: Any, organisation: Any, actor: Any) -> AnswersContext:
        upload = current_upload()
        campaign = upload.campaign
        questions = {q.key: q for q in campaign.version.questions.order_by("position")}
        answer = Answer.objects.filter(campaign=campaign, organisation=organisation).first()
        current: dict[str, Any] = {}
        if answer is not None:
            for item in answer.items.select_related("question"):
                if item.question.key in questions:
                    current[item.question.key] = sheets.stored_value(questions[item.question.key], item)
        return AnswersContext(
            campaign=campaign,
            organisation=organisation,
            questions=questions,
            current=current,
            answer=answer,
            today=today(),
            headings=upload.headings,
        )

    def owner(self, payload: dict[str, Any], context: AnswersContext) -> dict[str, Any]:
        return {"organisation": context.organisation}

    def check_answer(self, question: Question, raw: Any, problems: RowProblems, column: str, **options: Any) -> Any:
        """The parsed answer of one cell, or None (empty, or a problem added)."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            return sheets.parse_answer(question, raw, **options)
        except ValueError as exc:
            problems.add(column, str(exc))
            return None

    def payload(self, context: AnswersContext, answers: dict[str, Any], problems: ProblemLog) -> dict[str, Any]:
        why = refusal(context.campaign, context.answer, on=context.today)
        if why:
            problems.add(CellProblem("", 0, "", "", why), first=True)
        return {
            "campaign": context.campaign.pk,
            "organisation": context.organisation.pk,
            "version": context.campaign.version_id,
            "answers": {key: sheets.to_json(value) for key, value in answers.items()},
        }

    def preview(self, payload: dict[str, Any], context: AnswersContext) -> list[dict[str, Any]]:
        changes = []
        for key, question in context.questions.items():
            if key not in payload["answers"]:
                continue
            new = sheets.from_json(question, payload["answers"][key])
            old = context.current.get(key)
            same = sheets.same_answer(question, old, new)
            changes.append(
                {
                    "sheet": self.sheets[0].name if not self.sheets[0].active else "",
                    "key": question_label(question),
                    "question": key,
                    "action": "unchanged" if same else ("create" if old is None else "update"),
                    "fields": []
                    if same
                    else [["answer", sheets.answer_words(question, old), sheets.answer_words(question, new)]],
                }
            )
        return changes

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        from ccm.consultations import services

        payload = record.payload
        campaign = Campaign.objects.select_related("version__question_set").get(pk=payload["campaign"])
        organisation = record.organisation
        if campaign.version_id != payload["version"] or organisation is None:
            raise ValidationError(_("The campaign changed since the file was checked; upload it again."))
        answer = Answer.objects.filter(campaign=campaign, organisation=organisation).first()
        why = refusal(campaign, answer, on=today())
        if why:
            raise ValidationError(why)
        questions = {q.key: q for q in campaign.version.questions.all()}
        changed = [c["question"] for c in record.changes if c["action"] != "unchanged"]
        values = {key: sheets.from_json(questions[key], payload["answers"][key]) for key in changed}
        services.answer_save(campaign=campaign, organisation=organisation, values=values, actor=actor)
        return {"changed": len(changed), "unchanged": len(record.changes) - len(changed)}


# --- The answering workbook ----------------------------------------------------------------------

WORKBOOK_SHEET = Sheet(
    sheets.SHEET,
    tuple(Column(name, heading, required=name == "key") for name, heading in sheets.HEADINGS.items()),
    headers="named",
    label=sheets.SHEET_LABEL,
)


class AnswerWorkbookImport(AnswersImport):
    """The answering workbook of one campaign, filled in and uploaded by a recipient organisation."""

    kind = "consultation_sheet"
    formats = frozenset({"xlsx"})
    sheets = (WORKBOOK_SHEET,)
    check_action = "answers_workbook_import.check"
    apply_action = "answers_workbook_import.apply"

    def not_ready_message(self) -> str:
        return _("Only a checked workbook without errors can be applied, once.")

    def check_workbook(self, book: Any, context: AnswersContext, problems: ProblemLog) -> None:
        rows = sheet_rows(book[WORKBOOK_SHEET.find(book.sheetnames) or sheets.SHEET])
        first = next(rows, (1, ()))[1]
        found = {" ".join(str(h or "").split()).casefold() for h in first}
        for column in WORKBOOK_SHEET.columns:
            if column.field == "answer" and not column.accepts() & found:
                heading = column.heading
                problems.add(
                    CellProblem(
                        WORKBOOK_SHEET.title, 1, "", heading, _("the column '%(c)s' is missing") % {"c": heading}
                    )
                )

    def parse_cell(self, column: Column, value: Any, context: AnswersContext) -> Any:
        if column.field == "answer":
            return value  # read as the question's type in check_row
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def check_row(self, sheet: Sheet, row: Row, context: AnswersContext, problems: RowProblems) -> None:
        key = row.values.get("key") or ""
        if key == sheets.MARKER:
            self._check_key_row(row, context, problems)
            return
        if context.wrong_file:
            problems.found.clear()  # one message says it all: the file is for another question set
            return
        question = context.questions.get(key)
        if question is None:
            problems.add(
                "key", _("'%(key)s' is not a question of %(set)s") % {"key": key, "set": context.version_words}
            )
            return
        if key in context.seen:
            problems.add(
                "key", _("question '%(key)s' appears twice (also row %(r)s)") % {"key": key, "r": context.seen[key]}
            )
            return
        context.seen[key] = row.number
        row.values["answer"] = self.check_answer(question, row.values.get("answer"), problems, "answer")

    def _check_key_row(self, row: Row, context: AnswersContext, problems: RowProblems) -> None:
        context.seen["#key"] = row.number
        slug = row.values.get("question") or ""
        number = row.values.get("type") or ""
        campaign_id = row.values.get("options") or ""
        version = context.campaign.version
        if slug != version.question_set.slug or number != str(version.number):
            other = QuestionSet.objects.filter(slug=slug).first()
            title = other.title if other is not None else slug
            problems.add(
                "key",
                _("This file is for '%(file_set)s' version %(file_n)s; this campaign uses %(ours)s.")
                % {"file_set": title, "file_n": number or "?", "ours": context.version_words},
                cell=False,
            )
            context.wrong_file = True
        elif campaign_id != str(context.campaign.pk):
            problems.add(
                "key",
                _(
                    "This file was downloaded for another campaign (number %(other)s) of %(ours)s; "
                    "download the workbook of this campaign."
                )
                % {"other": campaign_id or "?", "ours": context.version_words},
                cell=False,
            )
            context.wrong_file = True

    def finish(self, rows: dict[str, list[Row]], context: AnswersContext, problems: ProblemLog) -> dict[str, Any]:
        if "#key" not in context.seen:
            problems.add(
                CellProblem(
                    WORKBOOK_SHEET.title,
                    2,
                    "",
                    "",
                    _("the hidden key row (row 2) is missing: download the workbook again"),
                )
            )
        answers = {
            row.values["key"]: row.values["answer"]
            for row in rows.get(sheets.SHEET, [])
            if row.values.get("key") in context.questions and row.values.get("answer") is not None
        }
        return self.payload(context, answers, problems)


# --- Entry points --------------------------------------------------------------------------------


def answers_check(
    *,
    kind: str,
    campaign: Campaign,
    organisation: Organisation,
    upload: Any,
    actor: Any,
    headings: tuple[str, ...] = (),
) -> SpreadsheetImport:
    """Check an uploaded file of answers (``kind``: the workbook or a field tool's export) whole."""
    with uploading(Upload(campaign=campaign, headings=headings)):
        return check_import(kind, upload=upload, actor=actor, organisation=organisation)


def answers_apply(*, sheet_import: SpreadsheetImport, actor: Any) -> dict[str, int]:
    return apply_import(import_id=sheet_import.pk, actor=actor)
