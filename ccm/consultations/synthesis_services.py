"""Writes of the synthesis: themes found automatically and corrected by people, quotes rewritten or
waived, the key points. Each is atomic, checks the whole change first and is audited."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.analytics import themes as vocabulary
from ccm.consultations import synthesis_audit_actions  # noqa: F401 - declares the actions recorded here
from ccm.consultations.models import AnswerItem, AnswerStatus, Campaign, QuestionType
from ccm.consultations.synthesis_deps import Term, find_identities
from ccm.consultations.synthesis_models import KeyPointsDraft, QuoteReview, QuoteStatus, TagSource, ThemeKey, ThemeTag
from ccm.core import audit

MAX_AUTO_THEMES = 3


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_text_item(item: AnswerItem) -> None:
    if item.question.qtype != QuestionType.TEXT:
        raise ValidationError(_("Only free-text answers have themes or quotes."))
    if item.answer.status != AnswerStatus.SUBMITTED:
        raise ValidationError(_("This answer has not been submitted."))


def _corrected(item: AnswerItem) -> bool:
    """A person has given or removed a theme: automatic tagging leaves the answer alone."""
    return any(t.source == TagSource.MANUAL or t.removed_by_id for t in item.theme_tags.all())


def _auto_tag(item: AnswerItem, actor: Any) -> int:
    """Apply the matcher to one item; returns the number of tags written or changed."""
    found = [m for m in vocabulary.tag(item.text) if m.theme in ThemeKey.values][:MAX_AUTO_THEMES]
    current = {t.theme: t for t in item.theme_tags.all() if t.active and t.source == TagSource.AUTO}
    changed = 0
    for match in found:
        reason = "; ".join(match.reasons)
        score = Decimal(str(match.score))
        tag = current.pop(match.theme, None)
        if tag is None:
            ThemeTag.objects.create(
                item=item,
                theme=match.theme,
                source=TagSource.AUTO,
                score=score,
                reason=reason,
                created_by=_actor(actor),
            )
            changed += 1
        elif tag.reason != reason or tag.score != score:
            tag.reason, tag.score = reason, score
            tag.save(update_fields=["reason", "score"])
            changed += 1
    for stale in current.values():
        stale.active = False
        stale.save(update_fields=["active"])
        changed += 1
    return changed


def _text_items(campaign: Campaign) -> Any:
    return (
        AnswerItem.objects.filter(
            answer__campaign=campaign, answer__status=AnswerStatus.SUBMITTED, question__qtype=QuestionType.TEXT
        )
        .exclude(text="")
        .select_related("question", "answer")
        .prefetch_related("theme_tags")
    )


@transaction.atomic
def themes_auto_tag(*, campaign: Campaign, actor: Any) -> int:
    """Find the themes of every submitted free-text answer of the campaign that no person has
    corrected (on submit or on demand); returns how many tags were written or changed."""
    changed = 0
    items = 0
    for item in _text_items(campaign):
        if _corrected(item):
            continue
        items += 1
        changed += _auto_tag(item, actor)
    audit.record(
        actor=actor,
        action="theme_tag.auto",
        obj=campaign,
        label=str(campaign),
        new={"answers": items, "tags_changed": changed},
    )
    return changed


@transaction.atomic
def themes_auto_tag_answer(*, answer: Any, actor: Any) -> int:
    """Find the themes of one answer's free-text items, as it is submitted (``answer_submit`` may call
    this in its transaction); items a person corrected are left alone. Not audited apart from the
    submission that calls it: the tags keep their reasons."""
    changed = 0
    for item in _text_items(answer.campaign).filter(answer=answer):
        if not _corrected(item):
            changed += _auto_tag(item, actor)
    return changed


@transaction.atomic
def themes_retag(*, item: AnswerItem, themes: Sequence[str], actor: Any, note: str = "") -> list[ThemeTag]:
    """A person sets the themes of one free-text answer: tags kept stay (with their reason), tags
    dropped are deactivated (kept in the history), new ones are given with the person's note."""
    item = AnswerItem.objects.select_related("question", "answer").get(pk=item.pk)
    _check_text_item(item)
    wanted = list(dict.fromkeys(themes))
    unknown = [t for t in wanted if t not in ThemeKey.values]
    if unknown:
        raise ValidationError({"themes": _("Not a theme: %(t)s.") % {"t": ", ".join(unknown)}})
    active = {t.theme: t for t in ThemeTag.objects.select_for_update().filter(item=item, active=True)}
    old = sorted(active)
    person = _actor(actor)
    for theme, tag in active.items():
        if theme not in wanted:
            tag.active, tag.removed_by = False, person
            tag.save(update_fields=["active", "removed_by"])
    reason = note.strip() or _("Given by a person")
    for theme in wanted:
        if theme not in active:
            ThemeTag.objects.create(
                item=item, theme=theme, source=TagSource.MANUAL, reason=reason, created_by=person, score=0
            )
    audit.record(
        actor=actor,
        action="theme_tag.retag",
        obj=item,
        old={"themes": old},
        new={"themes": sorted(wanted)},
        organisation_id=item.answer.organisation_id,
    )
    return list(ThemeTag.objects.filter(item=item, active=True))


def quote_hits(text: str, terms: Sequence[Term]) -> list[Any]:
    return list(find_identities(text, terms)) if text else []


def _hits_message(hits: Sequence[Any]) -> str:
    names = sorted({h.matched for h in hits})
    return _("It still names a participant: %(names)s.") % {"names": ", ".join(f"“{n}”" for n in names)}


@transaction.atomic
def quote_rewrite(*, item: AnswerItem, text: str, actor: Any, terms: Sequence[Term]) -> QuoteReview:
    """A convener rewrites a held quote; the rewriting must itself pass the check."""
    item = AnswerItem.objects.select_related("question", "answer").get(pk=item.pk)
    _check_text_item(item)
    text = text.strip()
    if not text:
        raise ValidationError({"rewritten_text": _("Write the quote as it may be shown.")})
    hits = quote_hits(text, terms)
    if hits:
        raise ValidationError({"rewritten_text": _hits_message(hits)})
    return _review(item, QuoteStatus.REWRITTEN, actor, rewritten_text=text, action="quote_review.rewrite")


@transaction.atomic
def quote_waive(*, item: AnswerItem, reason: str, actor: Any) -> QuoteReview:
    """A convener lets a held quote be shown as written, giving the reason."""
    item = AnswerItem.objects.select_related("question", "answer").get(pk=item.pk)
    _check_text_item(item)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"waiver_reason": _("Give the reason for showing this quote as written.")})
    return _review(item, QuoteStatus.WAIVED, actor, waiver_reason=reason, action="quote_review.waive")


def _review(item: AnswerItem, status: str, actor: Any, *, action: str, **values: str) -> QuoteReview:
    review, _created = QuoteReview.objects.select_for_update().get_or_create(item=item)
    old = audit.snapshot(review, ["status", "rewritten_text", "waiver_reason"])
    review.status = status
    review.rewritten_text = values.get("rewritten_text", "")
    review.waiver_reason = values.get("waiver_reason", "")
    review.reviewed_text = item.text
    review.reviewed_by = _actor(actor)
    review.reviewed_at = timezone.now()
    review.full_clean()
    review.save()
    audit.record(
        actor=actor,
        action=action,
        obj=review,
        old=old,
        new=audit.snapshot(review, ["status", "rewritten_text", "waiver_reason"]),
        organisation_id=item.answer.organisation_id,
    )
    return review


@transaction.atomic
def key_points_save(*, campaign: Campaign, text: str, actor: Any) -> KeyPointsDraft:
    """A convener writes the key points; a change makes them a draft again (to be checked)."""
    draft, _created = KeyPointsDraft.objects.select_for_update().get_or_create(campaign=campaign)
    old = audit.snapshot(draft, ["text", "ready"])
    draft.text, draft.ready, draft.updated_by = text.strip(), False, _actor(actor)
    draft.full_clean()
    draft.save()
    audit.record(
        actor=actor, action="key_points_draft.update", obj=draft, old=old, new=audit.snapshot(draft, ["text", "ready"])
    )
    return draft


@transaction.atomic
def key_points_mark_ready(*, campaign: Campaign, actor: Any, terms: Sequence[Term]) -> KeyPointsDraft:
    """Mark the key points ready for a meeting: refused while they name a participant."""
    draft = KeyPointsDraft.objects.select_for_update().filter(campaign=campaign).first()
    if draft is None or not draft.text.strip():
        raise ValidationError({"text": _("Write the key points first.")})
    hits = quote_hits(draft.text, terms)
    if hits:
        raise ValidationError({"text": _hits_message(hits)})
    draft.ready, draft.updated_by = True, _actor(actor)
    draft.save(update_fields=["ready", "updated_by", "updated_at"])
    audit.record(actor=actor, action="key_points_draft.mark_ready", obj=draft, new={"ready": True})
    return draft


def key_points_text(campaign: Campaign) -> str:
    """The campaign's key points as they may go into a meeting: the text once marked ready (checked
    for names of participants), otherwise nothing."""
    draft = KeyPointsDraft.objects.filter(campaign=campaign, ready=True).first()
    return draft.text if draft is not None else ""
