"""A meeting's de-identified summary: writing, the check, decisions on its hits, publication; and the
reads for its pages and API.

The check (``ccm.core.deidentify.find_identities``) runs over the summary's title and text with the
terms that identify the meeting's participants: the invited States (names in English, French and
Spanish, adjectives, capitals, other spellings, ISO codes: ``identity_terms``), the invited
organisations and people (``identity_terms_for``) and the figures that match an invited State's
published figures (``figure_terms``). Publication is refused while any hit is neither rewritten (the
text edited so it no longer hits) nor waived with a reason; a waiver is audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccm.accounts.selectors import identity_terms_for
from ccm.core import audit, clock
from ccm.core.deidentify import Hit, HitInContext, Term, find_identities, in_context
from ccm.core.policies import Action
from ccm.core.text import clean_text
from ccm.meetings.models import Meeting
from ccm.meetings.publish_models import HitDecision, Summary, SummaryHitDecision, SummaryStatus
from ccm.meetings.publish_policies import REVIEW, hit_decisions, may_write_summary, summaries
from ccm.reporting.selectors import figure_terms
from ccm.states.models import State
from ccm.states.selectors import identity_terms

CONTEXT = 20  # characters each side of a hit that make its fingerprint
MAX_TEXT = 20_000
MAX_REASON = 2_000

# --- The check -------------------------------------------------------------------------------------


def meeting_terms(meeting: Meeting, *, today: date) -> list[Term]:
    """Every term that identifies one of the meeting's participants."""
    organisations = list(meeting.invited_organisations.all())
    states = list(State.objects.filter(pk__in={o.state_id for o in organisations if o.state_id}))
    people = list(meeting.invited_people.select_related("user"))
    users = [p.user for p in people if p.user is not None]
    terms = [
        *identity_terms(states),
        *identity_terms_for(organisations=organisations, users=users),
        *figure_terms(states, today=today),
    ]
    # people invited by name and address only (no account): their name identifies them too
    terms += [Term(text=p.name, kind="person", participant=p.name) for p in people if not p.user_id and p.name.strip()]
    return terms


def checked_text(summary: Summary) -> str:
    """What the check reads and the public sees: the title, a blank line, the text."""
    return f"{summary.title}\n\n{summary.text}" if summary.title else summary.text


def fingerprint(text: str, hit: Hit) -> str:
    """A hit's identity across edits elsewhere in the text: what matched, whom it identifies, and the
    words around it (case and spacing ignored)."""
    before = " ".join(text[max(0, hit.start - CONTEXT) : hit.start].split()).casefold()
    after = " ".join(text[hit.end : hit.end + CONTEXT].split()).casefold()
    key = "|".join((hit.term.kind, hit.term.participant, hit.matched.casefold(), before, after))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CheckedHit:
    hit: Hit
    fingerprint: str
    before: str
    matched: str
    after: str
    waiver: SummaryHitDecision | None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def kind_label(self) -> str:
        return self.hit.term.kind_label


@dataclass(frozen=True)
class Check:
    hits: list[CheckedHit]
    rewritten: list[SummaryHitDecision]
    in_context: list[HitInContext]  # for ``core/identity_hits.html``

    @property
    def open(self) -> list[CheckedHit]:
        return [h for h in self.hits if not h.waived]

    @property
    def passes(self) -> bool:
        return not self.open


def _hits(summary: Summary, *, today: date) -> tuple[str, list[Hit]]:
    text = checked_text(summary)
    return text, find_identities(text, meeting_terms(summary.meeting, today=today))


def check(summary: Summary, *, today: date) -> Check:
    """Every hit in the summary, in context, with its waiver if it has one (two queries and the terms)."""
    text, hits = _hits(summary, today=today)
    decisions = list(summary.decisions.select_related("decided_by"))
    waivers = {d.fingerprint: d for d in decisions if d.decision == HitDecision.WAIVED}
    rows = []
    for hit in hits:
        before, matched, after = hit.context(text)
        key = fingerprint(text, hit)
        rows.append(CheckedHit(hit, key, before, matched, after, waivers.get(key)))
    return Check(rows, [d for d in decisions if d.decision == HitDecision.REWRITTEN], in_context(text, hits))


# --- Writes ----------------------------------------------------------------------------------------


def _clean(text: str, *, field: str, multiline: bool = True, limit: int = MAX_TEXT) -> str:
    value = clean_text(text or "", multiline=multiline).strip()
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return value


@transaction.atomic
def summary_save(*, meeting: Meeting, text: str, actor: Any, title: str = "", today: date | None = None) -> Summary:
    """Write (or change) the meeting's summary: its conveners only, not once published. Hits the new text
    no longer contains are recorded as rewritten."""
    today = today or clock.today()
    if not may_write_summary(actor, meeting):
        raise PermissionDenied
    text = _clean(text, field="text")
    title = _clean(title, field="title", multiline=False, limit=300)
    if not text:
        raise ValidationError({"text": _("Write the summary.")})
    summary = Summary.objects.select_for_update().filter(meeting=meeting).first()
    if summary is not None and summary.is_published:
        raise ValidationError(_("The summary is published; it can no longer be changed."))
    if summary is None:
        summary = Summary.objects.create(meeting=meeting, text=text, title=title, written_by=actor)
        audit.record(actor=actor, action="summary.create", obj=summary, new={"text": text, "title": title})
        return summary
    old_text, old_hits = _hits(summary, today=today)
    old = audit.snapshot(summary, ["text", "title"])
    summary.text, summary.title = text, title
    summary.save(update_fields=["text", "title", "updated_at"])
    new_text, new_hits = _hits(summary, today=today)
    remaining = {fingerprint(new_text, h) for h in new_hits}
    decided = set(summary.decisions.values_list("fingerprint", flat=True))
    gone = [(h, fingerprint(old_text, h)) for h in old_hits]
    rewritten = [
        SummaryHitDecision(
            summary=summary,
            matched=h.matched[:300],
            kind=h.term.kind[:30],
            participant=h.term.participant[:300],
            start=h.start,
            fingerprint=key,
            decision=HitDecision.REWRITTEN,
            decided_by=actor,
        )
        for h, key in gone
        if key not in remaining and key not in decided and _still_gone(h, new_hits)
    ]
    SummaryHitDecision.objects.bulk_create(rewritten)
    audit.record(
        actor=actor,
        action="summary.update",
        obj=summary,
        old=old,
        new={"text": text, "title": title},
        extra={"hits_rewritten": len(rewritten)},
    )
    return summary


def _still_gone(hit: Hit, new_hits: list[Hit]) -> bool:
    """A hit counts as rewritten only when the same words for the same participant no longer hit at all
    (moving a sentence is not rewriting it)."""
    return not any(
        h.term.participant == hit.term.participant and h.matched.casefold() == hit.matched.casefold() for h in new_hits
    )


@transaction.atomic
def summary_submit(*, summary: Summary, actor: Any) -> Summary:
    """Hand the summary to review (its conveners)."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if not summaries.can(actor, Action.CHANGE, summary):
        raise PermissionDenied
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(_("Only a draft is submitted for review."))
    summary.status = SummaryStatus.IN_REVIEW
    summary.submitted_by, summary.submitted_at = actor, timezone.now()
    summary.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit.record(actor=actor, action="summary.submit", obj=summary, new={"status": summary.status})
    return summary


@transaction.atomic
def hit_waive(
    *, summary: Summary, fingerprint_key: str, reason: str, actor: Any, today: date | None = None
) -> SummaryHitDecision:
    """Waive one hit of the check, with the reason why the words may stay (audited)."""
    today = today or clock.today()
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if not summaries.can(actor, REVIEW, summary):
        raise PermissionDenied
    reason = _clean(reason, field="reason", limit=MAX_REASON)
    if not reason:
        raise ValidationError({"reason": _("Say why these words may stay.")})
    result = check(summary, today=today)
    target = next((h for h in result.hits if h.fingerprint == fingerprint_key), None)
    if target is None:
        raise ValidationError(_("This hit is no longer in the text (it was rewritten); nothing to waive."))
    if target.waived:
        raise ValidationError(_("This hit is already waived."))
    decision = SummaryHitDecision.objects.create(
        summary=summary,
        matched=target.hit.matched[:300],
        kind=target.hit.term.kind[:30],
        participant=target.hit.term.participant[:300],
        start=target.hit.start,
        fingerprint=fingerprint_key,
        decision=HitDecision.WAIVED,
        reason=reason,
        decided_by=actor,
    )
    audit.record(
        actor=actor,
        action="summary.waive_hit",
        obj=decision,
        new={"decision": HitDecision.WAIVED, "reason": reason, "kind": decision.kind, "matched": decision.matched},
        extra={"summary": summary.pk},
    )
    return decision


@transaction.atomic
def summary_publish(*, summary: Summary, actor: Any, today: date | None = None) -> Summary:
    """Publish the summary: in review, by someone other than who submitted it, every hit rewritten or waived."""
    today = today or clock.today()
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if not summaries.can(actor, REVIEW, summary):
        raise PermissionDenied
    if summary.status != SummaryStatus.IN_REVIEW:
        raise ValidationError(_("Submit the summary for review first."))
    if summary.submitted_by_id is not None and summary.submitted_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("Another convener, the implementation support unit or a coordinator publishes it."))
    result = check(summary, today=today)
    if not result.passes:
        n = len(result.open)
        raise ValidationError(
            ngettext(
                "%(n)s passage still identifies a participant: rewrite it or waive it with a reason.",
                "%(n)s passages still identify a participant: rewrite them or waive each with a reason.",
                n,
            )
            % {"n": n}
        )
    summary.status = SummaryStatus.PUBLISHED
    summary.reviewer = actor
    summary.published_by, summary.published_at = actor, timezone.now()
    summary.save(update_fields=["status", "reviewer", "published_by", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="summary.publish",
        obj=summary,
        new={"status": summary.status},
        extra={"hits_waived": len(result.hits)},
    )
    return summary


# --- Reads -----------------------------------------------------------------------------------------


def published(*, user: Any = None) -> QuerySet[Summary]:
    """Published summaries, newest first (public)."""
    return (
        summaries.visible_to(user)
        .filter(status=SummaryStatus.PUBLISHED)
        .select_related("meeting")
        .order_by("-published_at", "-pk")
    )


def summary_for(*, meeting_id: int, user: Any) -> Summary | None:
    """The meeting's summary as ``user`` may see it (published, or the draft for its conveners and
    reviewers), or None."""
    return (
        summaries.visible_to(user)
        .select_related("meeting", "submitted_by", "published_by")
        .filter(meeting_id=meeting_id)
        .first()
    )


def decisions_for(*, summary: Summary, user: Any) -> QuerySet[SummaryHitDecision]:
    return hit_decisions.visible_to(user).filter(summary=summary).select_related("decided_by")
