"""One pipeline for every spreadsheet import: parse → cell problems → stored import → preview → apply.

An import kind is an ``ImportSpec`` registered by its own app (core imports no domain app). The
pipeline does the rest the same way for every kind:

1. ``check_import(kind, upload=…, actor=…, state=…/organisation=…)`` validates the upload
   (``ccm.core.uploads``), refuses hostile archives, streams the rows (at most
   ``settings.CCM_IMPORT_MAX_ROWS``, counted before they are kept), parses every cell of every column,
   runs the spec's row and whole-file rules, keeps a bounded number of ``CellProblem``s, and stores a
   ``SpreadsheetImport`` that goes uploaded → invalid (problems, nothing else written) or ready (with
   the parsed payload and the preview of its changes). Audited with the spec's ``check_action``.
2. The page shows the problems, or the preview; a file identical to what is on record shows "nothing to
   change" and no apply button.
3. ``apply_import(import_id=…, actor=…)`` locks the import (``select_for_update``), refuses anything but
   a ready import with changes, and applies it in one transaction through the app's services (the
   spec's ``apply``): ready → applied, audited with ``apply_action``; if the spec's apply raises, nothing
   is written and the import becomes failed, with the reason. It takes only an id and an actor, so a
   background task can call it.

Adding a kind (for example consultation answers), in ``ccm/consultations/imports.py``::

    from ccm.core.imports import Column, ImportSpec, Row, RowProblems, Sheet, register

    class AnswersImport(ImportSpec[AnswersContext]):
        kind = "answers"
        formats = frozenset({"xlsx", "csv"})
        sheets = (Sheet("Answers", (Column("question", "question", required=True),
                                    Column("answer", "answer", required=True)), headers="named", active=True),)
        check_action, apply_action = "answers_import.check", "answers_import.apply"

        def context(self, *, state, organisation, actor): ...          # lookups loaded once
        def parse_cell(self, column, value, context): ...              # one cell → value, or ValueError(message)
        def check_row(self, sheet, row, context, problems): ...        # rules on one row
        def finish(self, rows, context, problems): ...                 # whole-file rules → JSON payload
        def preview(self, payload, context): ...                       # [{"sheet", "key", "action", "fields"}]
        def apply(self, record, actor): ...                            # through the app's services → counts

    register(AnswersImport())   # from the app's AppConfig.ready()

Views call ``check_import`` and ``apply_import`` (or thin wrappers in the app) and render
``reporting/import_preview.html``; the access policy of ``SpreadsheetImport`` decides who sees an import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from ccm.core import audit, tasks
from ccm.core.models import ImportStatus, SpreadsheetImport
from ccm.core.policies import Action, Permission, Policy, organisation_ids, state_ids
from ccm.core.spreadsheets import (
    CellProblem,
    ProblemLog,
    UnreadableFile,
    csv_rows,
    is_blank,
    max_rows,
    open_workbook,
    sheet_rows,
)
from ccm.core.task_models import Job
from ccm.core.text import clean_text
from ccm.core.uploads import validate_upload

C = TypeVar("C")

__all__ = [
    "CellProblem",
    "Column",
    "ImportSpec",
    "ProblemLog",
    "Row",
    "RowProblems",
    "Sheet",
    "apply_import",
    "check_import",
    "register",
    "spec_for",
]


@dataclass(frozen=True)
class Column:
    """A column of a sheet. ``parse`` turns a non-empty cell into its value or raises ``ValueError`` —
    with a message, or without one to get "'<value>' is not <expects>"."""

    field: str
    # The heading: a plain string, or a lazy translation (then written in the reader's language and recognised
    # in any of the platform's languages). "named" sheets compare headings ignoring case.
    header: Any
    parse: Callable[[Any], Any] | None = None
    required: bool = False
    expects: Any = ""  # a phrase (or a lazy translation): "a whole number"
    # Another heading to write in templates and messages (a lazy translation), when ``header`` stays a plain
    # string. A file's heading is recognised in any of the platform's languages, as ``header``, or as the
    # ``field`` key itself, so a workbook filled in French imports on an English page.
    label: Any = None

    @property
    def heading(self) -> str:
        """The heading in the active language."""
        return str(self.label if self.label is not None else self.header)

    def accepts(self) -> frozenset[str]:
        """Every heading this column is recognised by, folded for comparison."""
        texts = [self.field, *in_every_language(self.header), *in_every_language(self.label)]
        return frozenset(_fold(text) for text in texts)


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's key: its English name, and the key of its rows
    columns: tuple[Column, ...]
    # "ordered": the headings are exactly these, in this order; "named": columns are found by their
    # heading (any order, case ignored, other columns ignored), the required ones must be present.
    headers: Literal["ordered", "named"] = "ordered"
    active: bool = False  # read the workbook's active sheet whatever its name (and a CSV file)
    label: Any = None  # the sheet's name in the reader's language (lazy); found by its name in any language

    @property
    def title(self) -> str:
        """The sheet's name in the active language (templates write it, problems name it)."""
        return str(self.label) if self.label is not None else self.name

    def find(self, names: Sequence[str]) -> str | None:
        """The workbook sheet that is this one, by its name in any of the platform's languages."""
        accepted = {_fold(self.name)} | {_fold(text) for text in in_every_language(self.label)}
        return next((name for name in names if _fold(name) in accepted), None)


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def in_every_language(text: Any) -> list[str]:
    """A lazy translation rendered in each of the platform's languages (a plain string as it is)."""
    if text is None:
        return []
    if not isinstance(text, Promise):
        return [str(text)]
    rendered = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered.append(str(text))
    return rendered


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    ok: bool = True  # every cell parsed


@dataclass
class RowProblems:
    """The problems of one row, as they are found (a spec's ``check_row`` adds to them)."""

    sheet: Sheet
    number: int
    columns: dict[str, str]  # field → column letter in this file
    found: list[CellProblem] = field(default_factory=list)

    def add(self, field_name: str, message: str, *, header: str | None = None, cell: bool = True) -> None:
        """A problem of this row, about ``field_name``'s cell (or about the row only, ``cell=False``)."""
        column = self.columns.get(field_name, "") if cell else ""
        heading = header if header is not None else self._heading(field_name)
        self.found.append(CellProblem(self.sheet.title, self.number, column, heading, message))

    def _heading(self, field_name: str) -> str:
        for column in self.sheet.columns:
            if column.field == field_name:
                return column.heading
        return field_name

    def __bool__(self) -> bool:
        return bool(self.found)


class ImportSpec(Generic[C]):
    """One import kind. Subclasses set the class attributes and implement the hooks below."""

    kind: ClassVar[str]
    formats: ClassVar[frozenset[str]] = frozenset({"xlsx", "csv"})
    sheets: ClassVar[tuple[Sheet, ...]]
    check_action: ClassVar[str]
    apply_action: ClassVar[str]
    #: Words for the preview page: field names, coded values by field, and coded row keys (e.g. an
    #: obligation kind) with their labels; a name without a label is shown humanised.
    field_labels: ClassVar[Mapping[str, Any]] = {}
    value_labels: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    key_labels: ClassVar[Mapping[str, Any]] = {}

    def describe(self, change: Mapping[str, Any]) -> dict[str, Any]:
        """One preview change in words: ``{"sheet", "key", "action", "action_label", "published",
        "fields": [(label, old, new)]}`` with coded values replaced by their labels."""
        key = str(change.get("key", ""))
        fields = []
        for name, old, new in change.get("fields", []):
            codes = self.value_labels.get(str(name), {})

            def word(value: Any, codes: Mapping[str, Any] = codes) -> Any:
                label = None if value is None else codes.get(str(value))
                return value if label is None else str(label)

            label = str(self.field_labels.get(str(name)) or str(name).replace("_", " "))
            fields.append((label[:1].upper() + label[1:], word(old), word(new)))
        action = str(change.get("action", ""))
        sheet = str(change.get("sheet", ""))
        return {
            "sheet": self._sheet_title(sheet),
            "key": str(self.key_labels.get(key, key)),
            "action": action,
            "action_label": str(CHANGE_LABELS.get(action, action)),
            "published": change.get("published", False),
            "fields": fields,
        }

    def _sheet_title(self, name: str) -> str:
        """A sheet's name in the reader's language (its key when the kind's sheets are known only while a file
        is being checked, as for field-tool exports)."""
        try:
            sheets = self.sheets
        except LookupError:
            return name
        return next((s.title for s in sheets if s.name == name), name)

    @property
    def names_sheets(self) -> bool:
        """Problems name their sheet only when the file has more than one."""
        return len(self.sheets) > 1

    def not_ready_message(self) -> str:
        return _("Only a checked file without errors can be applied, once.")

    def context(self, *, state: Any, organisation: Any, actor: Any) -> C:
        raise NotImplementedError

    def check_workbook(self, book: Any, context: C, problems: ProblemLog) -> None:
        """Checks on the workbook itself (a cell of a cover sheet, say); XLSX only."""

    def parse_cell(self, column: Column, value: Any, context: C) -> Any:
        if column.parse is None:
            return str(value).strip()
        return column.parse(value)

    def check_row(self, sheet: Sheet, row: Row, context: C, problems: RowProblems) -> None:
        """Rules on one row, after its cells were parsed (``row.ok`` says whether they all were)."""

    def finish(self, rows: dict[str, list[Row]], context: C, problems: ProblemLog) -> dict[str, Any]:
        """Rules on the whole file; returns the payload (JSON) that ``apply`` will use."""
        raise NotImplementedError

    def owner(self, payload: dict[str, Any], context: C) -> dict[str, Any]:
        """Whom the stored import belongs to: ``{"state": …}`` or ``{"organisation": …}``."""
        raise NotImplementedError

    def preview(self, payload: dict[str, Any], context: C) -> list[dict[str, Any]]:
        """The changes applying would make: ``{"sheet", "key", "action", "fields": [[name, old, new]]}``
        with action "create", "update", "new_version" or "unchanged"."""
        raise NotImplementedError

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        """Write the payload through the app's services (inside the pipeline's transaction)."""
        raise NotImplementedError

    def audit_organisation_id(self, record: SpreadsheetImport) -> int | None:
        return record.organisation_id


CHANGE_LABELS: Mapping[str, Any] = {
    "create": gettext_lazy("New"),
    "update": gettext_lazy("Changed"),
    "new_version": gettext_lazy("New version"),
    "unchanged": gettext_lazy("Unchanged"),
}

_REGISTRY: dict[str, ImportSpec[Any]] = {}


def register(spec: ImportSpec[Any]) -> ImportSpec[Any]:
    existing = _REGISTRY.get(spec.kind)
    if existing is not None and type(existing) is not type(spec):
        raise ValueError(f"Two import specs claim the kind {spec.kind!r}.")
    _REGISTRY[spec.kind] = spec
    tasks.register_import_applier(spec.kind, apply_import)
    return spec


def spec_for(kind: str) -> ImportSpec[Any]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"No import spec is registered for {kind!r}.") from None


# --- Reading -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _layout(sheet: Sheet, header: Sequence[Any], problems: ProblemLog) -> dict[str, int] | None:
    """field → column index of the heading row, or None (and problems) when the headings are wrong."""
    if sheet.headers == "ordered":
        found = [_text(h) for h in header]
        wrong = [
            index
            for index, column in enumerate(sheet.columns)
            if index >= len(found) or _fold(found[index]) not in column.accepts()
        ]
        if not wrong:
            return {c.field: i for i, c in enumerate(sheet.columns)}
        for index in wrong:
            column = sheet.columns[index]
            heading = found[index] if index < len(found) else ""
            problems.add(
                CellProblem(
                    sheet.title,
                    1,
                    get_column_letter(index + 1),
                    column.heading,
                    _("expected the heading '%(h)s', found '%(f)s'") % {"h": column.heading, "f": heading},
                )
            )
        return None
    names = [_fold(_text(h)) for h in header]
    layout: dict[str, int] = {}
    for column in sheet.columns:
        accepted = column.accepts()
        position = next((i for i, name in enumerate(names) if name in accepted), None)
        if position is not None:
            layout[column.field] = position
    missing = [c for c in sheet.columns if c.required and c.field not in layout]
    for column in missing:
        problems.add(
            CellProblem(sheet.title, 1, "", column.heading, _("the column '%(c)s' is missing") % {"c": column.heading})
        )
    return None if missing else layout


@dataclass
class _Reading:
    rows: dict[str, list[Row]]
    complete: bool  # False when reading stopped (row limit, unreadable file, wrong headings)


def _read_sheet(
    spec: ImportSpec[C],
    sheet: Sheet,
    source: Any,
    context: C,
    problems: ProblemLog,
    budget: list[int],
) -> tuple[list[Row], bool]:
    """Stream one sheet's rows: every non-blank row is counted against the one row limit before its
    cells are parsed; only rows without problems are kept."""
    kept: list[Row] = []
    header: tuple[Any, ...] | None = None
    layout: dict[str, int] | None = None
    letters: dict[str, str] = {}
    for number, values in source:
        if header is None:
            header = values
            layout = _layout(sheet, header, problems)
            if layout is None:
                return [], False
            letters = {name: get_column_letter(index + 1) for name, index in layout.items()}
            continue
        if is_blank(values):
            continue
        budget[0] -= 1
        if budget[0] < 0:
            limit = max_rows()
            problems.add(CellProblem(sheet.title, number, "", "", _("more than %(n)s rows") % {"n": limit}), first=True)
            return kept, False
        assert layout is not None  # noqa: S101 - set with the heading row
        row = Row(sheet.name, number, {})
        found = RowProblems(sheet, number, letters)
        for column in sheet.columns:
            if column.field not in layout:
                continue
            index = layout[column.field]
            value = values[index] if index < len(values) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                row.values[column.field] = None
                if column.required:
                    found.add(column.field, _("a value is required"))
                continue
            if isinstance(value, str):
                # Control characters never enter (ccm.core.text); one-line fields lose their line breaks
                # when the model is saved.
                value = clean_text(value, multiline=True)
            try:
                row.values[column.field] = spec.parse_cell(column, value, context)
            except ValueError as exc:
                message = str(exc) if exc.args else ""
                if not message:
                    message = _("'%(v)s' is not %(kind)s") % {"v": value, "kind": column.expects}
                found.add(column.field, message)
        row.ok = not found
        spec.check_row(sheet, row, context, found)
        problems.extend(found.found)
        if not found:
            kept.append(row)
    if header is None:
        if sheet.headers == "ordered":
            _layout(sheet, (), problems)
        else:
            problems.add(CellProblem(sheet.title, 0, "", "", _("The file is empty.")))
        return [], False
    return kept, True


def _read(spec: ImportSpec[C], clean: Any, context: C, problems: ProblemLog) -> _Reading:
    budget = [max_rows()]
    rows: dict[str, list[Row]] = {}
    complete = True
    if clean.kind == "csv":
        [sheet] = [s for s in spec.sheets if s.active]
        try:
            rows[sheet.name], complete = _read_sheet(spec, sheet, csv_rows(clean.file), context, problems, budget)
        except UnreadableFile as exc:
            problems.add(CellProblem("", 0, "", "", str(exc)), first=True)
            return _Reading({}, False)
        return _Reading(rows, complete)
    book = open_workbook(clean.file)
    try:
        named = [s for s in spec.sheets if not s.active]
        found = {s.name: s.find(book.sheetnames) for s in named}
        missing = [s.title for s in named if found[s.name] is None]
        titles = [s.title for s in spec.sheets]
        for name in missing:
            problems.add(
                CellProblem(
                    name,
                    0,
                    "",
                    "",
                    _("the sheet is missing (was it renamed?); keep the names %(names)s")
                    % {"names": _(" and ").join([", ".join(titles[:-1]), titles[-1]])},
                )
            )
        if missing:
            return _Reading({}, False)
        try:
            spec.check_workbook(book, context, problems)
        except Exception as exc:  # noqa: BLE001 - a workbook that breaks the reader gets one message
            raise UnreadableFile(_("This file is not a readable XLSX workbook.")) from exc
        for sheet in spec.sheets:
            if not sheet.columns:
                continue
            worksheet = book.active if sheet.active else book[found[sheet.name]]
            rows[sheet.name], whole = _read_sheet(spec, sheet, sheet_rows(worksheet), context, problems, budget)
            complete = complete and whole
            if budget[0] < 0:
                break
    except UnreadableFile as exc:
        problems.add(CellProblem("", 0, "", "", str(exc)), first=True)
        return _Reading({}, False)
    finally:
        book.close()
    return _Reading(rows, complete)


# --- The stored import ---------------------------------------------------------------------------


def _move(record: SpreadsheetImport, status: str) -> None:
    if not record.can_become(status):
        raise ValidationError(
            _("An import that is %(old)s cannot become %(new)s.")
            % {"old": ImportStatus(record.status).label.lower(), "new": ImportStatus(status).label.lower()}
        )
    record.status = status


def _owner_fields(state: Any, organisation: Any) -> dict[str, Any]:
    return {"state": state, "organisation": organisation}


@transaction.atomic
def check_import(
    kind: str, *, upload: Any, actor: Any, state: Any = None, organisation: Any = None
) -> SpreadsheetImport:
    """Check an uploaded file whole and store the result: its problems, or the preview of its changes.
    Nothing else is written."""
    spec = spec_for(kind)
    record = SpreadsheetImport.objects.create(
        kind=kind,
        status=ImportStatus.UPLOADED,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        original_name=(getattr(upload, "name", "") or "upload")[:200],
        **_owner_fields(state, organisation),
    )
    problems = ProblemLog()
    payload: dict[str, Any] = {}
    context = spec.context(state=state, organisation=organisation, actor=actor)
    try:
        clean = validate_upload(upload, allowed=set(spec.formats))
    except ValidationError as exc:
        problems.add(CellProblem("", 0, "", "", " ".join(exc.messages)))
    else:
        try:
            reading = _read(spec, clean, context, problems)
        except UnreadableFile as exc:
            problems.add(CellProblem("", 0, "", "", str(exc)))
        else:
            if reading.complete:
                payload = spec.finish(reading.rows, context, problems)
    with_sheet = spec.names_sheets
    record.errors = [p.as_dict(with_sheet=with_sheet) for p in problems.kept]
    record.problem_count = problems.total
    for name, value in spec.owner(payload, context).items():
        setattr(record, name, value)
    if problems:
        _move(record, ImportStatus.INVALID)
    else:
        record.payload = payload
        record.changes = spec.preview(payload, context)
        _move(record, ImportStatus.READY)
    record.save()
    audit.record(
        actor=actor,
        action=spec.check_action,
        obj=record,
        new={"status": record.status, "errors": problems.total},
        organisation_id=spec.audit_organisation_id(record),
    )
    return record


def apply_import(*, import_id: int, actor: Any) -> dict[str, int]:
    """Apply a ready import: every change or none, through the app's services. A plain function of the
    import's id and the actor, so that a background task can run it.

    Raises ``ValidationError`` when the import is not ready, when it changes nothing, or when the app
    refuses a change (then the import is marked failed, with the reason, and nothing is written)."""
    try:
        with transaction.atomic():
            record = SpreadsheetImport.objects.select_for_update().get(pk=import_id)
            spec = spec_for(record.kind)
            if record.status != ImportStatus.READY:
                raise _NotApplicable(spec.not_ready_message())
            if not record.has_changes:
                raise _NotApplicable(_("Nothing to change: everything in this file is already on record."))
            counts = spec.apply(record, actor)
            _move(record, ImportStatus.APPLIED)
            record.applied_at = timezone.now()
            record.result = counts
            record.save(update_fields=["status", "applied_at", "result"])
            audit.record(
                actor=actor,
                action=spec.apply_action,
                obj=record,
                new=counts,
                organisation_id=spec.audit_organisation_id(record),
            )
            return counts
    except _NotApplicable as exc:
        raise ValidationError(exc.messages) from None
    except ValidationError as exc:
        _fail(import_id, " ".join(exc.messages))
        raise
    except Exception:
        _fail(import_id, _("Applying the file failed; nothing was written."))
        raise


@dataclass(frozen=True)
class ApplyOutcome:
    """What ``apply_or_enqueue`` did: applied now (``counts``), or handed to a background ``job``."""

    counts: dict[str, int] | None = None
    job: Job | None = None


def apply_or_enqueue(*, import_id: int, actor: Any) -> ApplyOutcome:
    """Apply a ready import in the request, or, above ``CCM_TASK_APPLY_ABOVE_ROWS`` changes, hand it to
    a background task (the import page then follows the job). Refuses, changing nothing, an import that
    is not ready, changes nothing, or is already being applied."""
    with transaction.atomic():
        record = SpreadsheetImport.objects.select_for_update().get(pk=import_id)
        if tasks.apply_in_background(len(record.changes)):
            spec = spec_for(record.kind)
            if record.status != ImportStatus.READY:
                raise ValidationError(spec.not_ready_message())
            if not record.has_changes:
                raise ValidationError(_("Nothing to change: everything in this file is already on record."))
            if pending_job(record) is not None:
                raise ValidationError(_("This file is already being applied in the background."))
            job = tasks.apply_import_task(
                kind=record.kind,
                import_id=record.pk,
                actor_id=getattr(actor, "pk", None),
                label=f"{record.original_name} ({len(record.changes)} rows)",
            )
            record.result = {"job": job.pk}
            record.save(update_fields=["result"])
            return ApplyOutcome(job=job)
    return ApplyOutcome(counts=apply_import(import_id=import_id, actor=actor))


def pending_job(record: SpreadsheetImport) -> Job | None:
    """The background job applying ``record``, while it has not finished."""
    job_id = (record.result or {}).get("job") if record.status == ImportStatus.READY else None
    if not job_id:
        return None
    job = Job.objects.filter(pk=job_id).first()
    return job if job is not None and not job.is_finished else None


class _NotApplicable(ValidationError):
    """Refused before anything was tried: the import stays as it is."""


def _fail(import_id: int, message: str) -> None:
    with transaction.atomic():
        record = SpreadsheetImport.objects.select_for_update().get(pk=import_id)
        if not record.can_become(ImportStatus.FAILED):
            return
        _move(record, ImportStatus.FAILED)
        record.errors = [CellProblem("", 0, "", "", message).as_dict()]
        record.problem_count = 1
        record.save(update_fields=["status", "errors", "problem_count"])


class SpreadsheetImportPolicy(Policy[SpreadsheetImport]):
    """An import is seen and applied only by the editors and managers of its State (or of the
    organisation it was uploaded for)."""

    model = SpreadsheetImport
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.CHANGE, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[SpreadsheetImport]:
        roles = self.roles_for(action)
        return SpreadsheetImport.objects.filter(
            Q(state_id__in=state_ids(user, roles)) | Q(organisation_id__in=organisation_ids(user, roles))
        )


imports = SpreadsheetImportPolicy()
