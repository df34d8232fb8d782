"""Writes for question sets: create and describe a set, edit its draft version (add, change, move,
remove questions), publish the draft as the next version, start a new draft from the last version."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ccm.consultations.models import (
    CHOICE_TYPES,
    Audience,
    Question,
    QuestionSet,
    QuestionSetVersion,
    QuestionType,
    VersionStatus,
)
from ccm.core import audit
from ccm.core.policies import is_coordinator
from ccm.core.text import clean_text

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SET_FIELDS = ["title", "slug", "audience", "description"]
QUESTION_FIELDS = ["key", "position", "text", "help_text", "qtype", "required", "options"]


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _require_coordinator(actor: Any) -> None:
    if _actor(actor) is None or not is_coordinator(actor):
        raise PermissionDenied(_("Only coordinators edit question sets."))


def _require_draft(version: QuestionSetVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("A published version is never changed: start a new draft of the set to change it."))


def clean_options(qtype: str, options: Iterable[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    """Options as stored ([{"key", "label"}]): for choice questions at least two, with distinct keys
    (lower-case letters, digits and underscores) and labels; none for other questions."""
    rows = [
        {"key": str(o.get("key", "")).strip(), "label": clean_text(str(o.get("label", "")), multiline=False).strip()}
        for o in options or []
    ]
    if qtype not in CHOICE_TYPES:
        if rows:
            raise ValidationError({"options": _("Only choice questions have options.")})
        return []
    problems = []
    for row in rows:
        if not row["label"]:
            problems.append(_("Every option needs a label."))
        if not row["key"]:
            row["key"] = slugify(row["label"]).replace("-", "_")[:40]
        if not KEY_RE.match(row["key"]):
            problems.append(
                _("Option key “%(key)s”: use lower-case letters, digits and underscores, starting with a letter.")
                % {"key": row["key"]}
            )
    keys = [row["key"] for row in rows]
    if len(set(keys)) != len(keys):
        problems.append(_("Two options have the same key."))
    if len(rows) < 2:
        problems.append(_("A choice question needs at least two options."))
    if problems:
        raise ValidationError({"options": list(dict.fromkeys(problems))})
    return rows


def parse_options(text: str) -> list[dict[str, str]]:
    """Options written one a line, as “key | label” or just the label (its key is made from it)."""
    rows = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, label = line.partition("|")
        if sep:
            rows.append({"key": key.strip(), "label": label.strip()})
        else:
            rows.append({"key": slugify(line).replace("-", "_")[:40], "label": line})
    return rows


def format_options(options: Iterable[Mapping[str, Any]]) -> str:
    return "\n".join(f"{o.get('key', '')} | {o.get('label', '')}" for o in options or [])


@transaction.atomic
def question_set_create(
    *, title: str, audience: str, actor: Any, description: str = "", slug: str = "", introduction: str = ""
) -> QuestionSet:
    """A new set with its first draft (version 1)."""
    _require_coordinator(actor)
    question_set = QuestionSet(
        title=title.strip(),
        slug=(slug or slugify(title))[:80],
        audience=audience,
        description=description,
        created_by=_actor(actor),
    )
    question_set.full_clean()
    question_set.save()
    QuestionSetVersion.objects.create(question_set=question_set, number=1, introduction=introduction)
    audit.record(
        actor=actor, action="question_set.create", obj=question_set, new=audit.snapshot(question_set, SET_FIELDS)
    )
    return question_set


@transaction.atomic
def question_set_update(
    *, question_set: QuestionSet, title: str, audience: str, description: str, actor: Any
) -> QuestionSet:
    _require_coordinator(actor)
    old = audit.snapshot(question_set, SET_FIELDS)
    question_set.title, question_set.audience, question_set.description = title.strip(), audience, description
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose an audience from the list.")})
    question_set.full_clean()
    question_set.save()
    before, after = audit.changes(old, audit.snapshot(question_set, SET_FIELDS))
    if after:
        audit.record(actor=actor, action="question_set.update", obj=question_set, old=before, new=after)
    return question_set


def draft_of(question_set: QuestionSet) -> QuestionSetVersion | None:
    return question_set.versions.filter(status=VersionStatus.DRAFT).first()


@transaction.atomic
def draft_start(*, question_set: QuestionSet, actor: Any) -> QuestionSetVersion:
    """The set's draft: the existing one, or a new one copied from the last published version (numbered
    after it). Answers stay tied to the version they answered."""
    _require_coordinator(actor)
    QuestionSet.objects.select_for_update().filter(pk=question_set.pk).first()
    draft = draft_of(question_set)
    if draft is not None:
        return draft
    last = question_set.versions.order_by("-number").first()
    number = (question_set.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = QuestionSetVersion.objects.create(
        question_set=question_set, number=number, introduction=last.introduction if last else ""
    )
    if last is not None:
        Question.objects.bulk_create(
            Question(version=draft, **{field: getattr(q, field) for field in QUESTION_FIELDS})
            for q in last.questions.all()
        )
    audit.record(actor=actor, action="question_set.new_draft", obj=question_set, new={"version": number})
    return draft


def _clean_question(question: Question) -> None:
    question.text = clean_text(question.text, multiline=True).strip()
    question.help_text = clean_text(question.help_text, multiline=True).strip()
    if question.qtype not in QuestionType.values:
        raise ValidationError({"qtype": _("Choose a question type from the list.")})
    if not KEY_RE.match(question.key or ""):
        raise ValidationError(
            {"key": _("Use lower-case letters, digits and underscores, starting with a letter (e.g. main_obstacles).")}
        )
    question.options = clean_options(question.qtype, question.options)
    clash = Question.objects.filter(version_id=question.version_id, key=question.key).exclude(pk=question.pk)
    if clash.exists():
        raise ValidationError(
            {"key": _("Another question of this version has the key “%(key)s”.") % {"key": question.key}}
        )
    question.full_clean(validate_constraints=False)


@transaction.atomic
def question_add(
    *,
    version: QuestionSetVersion,
    text: str,
    qtype: str,
    actor: Any,
    key: str = "",
    help_text: str = "",
    required: bool = False,
    options: Iterable[Mapping[str, Any]] | None = None,
) -> Question:
    """Add a question at the end of the draft."""
    _require_coordinator(actor)
    _require_draft(version)
    position = (version.questions.aggregate(n=Max("position"))["n"] or 0) + 1
    question = Question(
        version=version,
        key=key.strip() or f"q{position}",
        position=position,
        text=text,
        help_text=help_text,
        qtype=qtype,
        required=required,
        options=list(options or []),
    )
    _clean_question(question)
    question.save()
    audit.record(
        actor=actor,
        action="question.create",
        obj=question,
        new={**audit.snapshot(question, QUESTION_FIELDS), "version": version.number},
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: str,
    qtype: str,
    actor: Any,
    key: str,
    help_text: str = "",
    required: bool = False,
    options: Iterable[Mapping[str, Any]] | None = None,
) -> Question:
    _require_coordinator(actor)
    _require_draft(question.version)
    old = audit.snapshot(question, QUESTION_FIELDS)
    question.text, question.qtype, question.key = text, qtype, key.strip()
    question.help_text, question.required, question.options = help_text, required, list(options or [])
    _clean_question(question)
    question.save()
    before, after = audit.changes(old, audit.snapshot(question, QUESTION_FIELDS))
    if after:
        audit.record(actor=actor, action="question.update", obj=question, old=before, new=after)
    return question


def _renumber(version: QuestionSetVersion, ordered: list[Question]) -> None:
    """Positions 1..n in ``ordered`` order (through a temporary offset: positions are unique)."""
    offset = len(ordered) + 1000
    for index, q in enumerate(ordered, start=1):
        q.position = offset + index
    Question.objects.bulk_update(ordered, ["position"])
    for index, q in enumerate(ordered, start=1):
        q.position = index
    Question.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def question_move(*, question: Question, direction: str, actor: Any) -> Question:
    """Move a question one place up or down in its draft."""
    _require_coordinator(actor)
    _require_draft(question.version)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
    ordered = list(question.version.questions.order_by("position"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return question
    old_position = question.position
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(question.version, ordered)
    moved = next(q for q in ordered if q.pk == question.pk)
    audit.record(
        actor=actor, action="question.move", obj=moved, old={"position": old_position}, new={"position": moved.position}
    )
    return moved


@transaction.atomic
def question_delete(*, question: Question, actor: Any) -> None:
    _require_coordinator(actor)
    version = question.version
    _require_draft(version)
    audit.record(actor=actor, action="question.delete", obj=question, old=audit.snapshot(question, QUESTION_FIELDS))
    question.delete()
    _renumber(version, list(version.questions.order_by("position")))


@transaction.atomic
def version_publish(*, version: QuestionSetVersion, actor: Any, change_note: str = "") -> QuestionSetVersion:
    """Publish the draft as its numbered version: frozen from now on, and offered to campaigns."""
    _require_coordinator(actor)
    version = QuestionSetVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    questions = list(version.questions.all())
    if not questions:
        raise ValidationError(_("Add at least one question before publishing."))
    problems = []
    for q in questions:
        try:
            clean_options(q.qtype, q.options)
        except ValidationError as error:
            problems.append(f"{q.position}. {q.text[:60]}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems)
    version.status = VersionStatus.PUBLISHED
    version.change_note = clean_text(change_note, multiline=False).strip()[:300]
    version.published_at = timezone.now()
    version.published_by = _actor(actor)
    version.save()
    audit.record(
        actor=actor,
        action="question_set.publish",
        obj=version.question_set,
        new={"version": version.number, "questions": len(questions), "change_note": version.change_note},
    )
    return version
