"""Writes for meetings: the meeting itself, its conveners, invitations, replies, agenda, notes and key
points. Each validates the whole change first and records its audit entry in the same transaction;
a note's text never reaches the audit trail (``Note.audit_confidential``)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.core import audit
from ccm.meetings.models import (
    AgendaItem,
    ConfidentialityRule,
    InvitedOrganisation,
    InvitedPerson,
    KeyPoint,
    Meeting,
    MeetingConvener,
    MeetingKind,
    MeetingStatus,
    Note,
    Reply,
    ReplyChoice,
    validate_time_zone,
)
from ccm.meetings.tasks import enqueue_invitations
from ccm.meetings.timezones import moment_text

MEETING_FIELDS = (
    "title",
    "kind",
    "purpose",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "online_link",
    "confidentiality",
    "confidentiality_explanation",
)
# A change to one of these is a new version of the calendar invitation (a higher SEQUENCE).
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "place", "online_link", "title")
AGENDA_FIELDS = ("position", "starts_at", "title", "description", "lead_organisation", "campaign")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_meeting(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("title") or "").strip():
        errors.setdefault("title", []).append(_("Give the meeting a title."))
    if values.get("kind") not in MeetingKind.values:
        errors.setdefault("kind", []).append(_("Choose a closed or an open meeting."))
    if values.get("confidentiality") not in ConfidentialityRule.values:
        errors.setdefault("confidentiality", []).append(_("Choose the confidentiality rule."))
    zone = str(values.get("time_zone") or "")
    try:
        validate_time_zone(zone)
    except ValidationError as error:
        errors.setdefault("time_zone", []).extend(error.messages)
    starts, ends = values.get("starts_at"), values.get("ends_at")
    for name, moment in (("starts_at", starts), ("ends_at", ends)):
        if not isinstance(moment, datetime):
            errors.setdefault(name, []).append(_("Give a date and time."))
        elif timezone.is_naive(moment):
            errors.setdefault(name, []).append(
                _("Give the time with its time zone: a time without a zone could be read in any of them.")
            )
    if (
        isinstance(starts, datetime)
        and isinstance(ends, datetime)
        and timezone.is_aware(starts)
        and timezone.is_aware(ends)
        and ends <= starts
    ):
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(*, values: dict[str, Any], actor: Any, mandate_ends: date | None = None) -> Meeting:
    """Create a meeting in draft; whoever creates it is its first convener."""
    values = {k: v for k, v in values.items() if k in MEETING_FIELDS}
    values.setdefault("kind", MeetingKind.CLOSED)
    values.setdefault("confidentiality", ConfidentialityRule.CHATHAM_HOUSE)
    _check_meeting(values)
    meeting = Meeting(**values, created_by=_actor(actor))
    meeting.visibility = "meeting" if meeting.kind == MeetingKind.CLOSED else "public"
    meeting.full_clean()
    meeting.save()
    if _actor(actor) is not None:
        MeetingConvener.objects.create(meeting=meeting, user=actor, mandate_ends=mandate_ends)
    audit.record(actor=actor, action="meeting.create", obj=meeting, new=audit.snapshot(meeting, MEETING_FIELDS))
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, values: dict[str, Any], actor: Any) -> Meeting:
    """Change a meeting not cancelled. A change of time or place after it was convened sends the
    invitation again: same UID, a higher SEQUENCE."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled; it cannot be changed."))
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    merged.update({k: v for k, v in values.items() if k in MEETING_FIELDS})
    _check_meeting(merged)
    old = audit.snapshot(meeting, MEETING_FIELDS)
    for name, value in merged.items():
        setattr(meeting, name, value)
    meeting.visibility = "meeting" if meeting.kind == MeetingKind.CLOSED else "public"
    new = audit.snapshot(meeting, MEETING_FIELDS)
    before, after = audit.changes(old, new)
    if not after:
        return meeting
    calendar_changed = any(name in after for name in CALENDAR_FIELDS)
    if calendar_changed:
        meeting.ics_sequence += 1
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action="meeting.update", obj=meeting, old=before, new=after)
    if calendar_changed and meeting.status == MeetingStatus.CONVENED:
        enqueue_invitations(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_convene(*, meeting: Meeting, actor: Any, now: datetime | None = None) -> Meeting:
    """Convene a draft meeting: the invitations (with the ``.ics``) go out."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = now or timezone.now()
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("Only a meeting in draft can be convened."))
    if meeting.starts_at <= now:
        raise ValidationError(_("This meeting's start is past; change its time before convening it."))
    if not meeting.invited_organisation_rows.exists() and not meeting.invited_people.exists():
        raise ValidationError(_("Invite at least one organisation or person before convening the meeting."))
    meeting.status = MeetingStatus.CONVENED
    meeting.convened_at = now
    meeting.save(update_fields=["status", "convened_at", "updated_at"])
    audit.record(actor=actor, action="meeting.convene", obj=meeting, new={"status": meeting.status})
    enqueue_invitations(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: Any) -> Meeting:
    """Cancel a meeting: once convened, everyone invited receives the cancellation (METHOD:CANCEL)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        raise ValidationError(_("This meeting is already held or cancelled."))
    was_convened = meeting.status == MeetingStatus.CONVENED
    meeting.status = MeetingStatus.CANCELLED
    meeting.ics_sequence += 1
    meeting.save(update_fields=["status", "ics_sequence", "updated_at"])
    audit.record(actor=actor, action="meeting.cancel", obj=meeting, new={"status": meeting.status})
    if was_convened:
        enqueue_invitations(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor: Any, now: datetime | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("Only a convened meeting can be marked as held."))
    if meeting.starts_at > (now or timezone.now()):
        raise ValidationError(_("This meeting has not started yet."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="meeting.mark_held", obj=meeting, new={"status": meeting.status})
    return meeting


@transaction.atomic
def meeting_share_notes(*, meeting: Meeting, shared: bool, actor: Any) -> Meeting:
    """Share the notes with the participants, or stop sharing them (the conveners' choice)."""
    if meeting.notes_shared_with_participants != shared:
        meeting.notes_shared_with_participants = shared
        meeting.save(update_fields=["notes_shared_with_participants", "updated_at"])
        audit.record(actor=actor, action="meeting.share_notes", obj=meeting, new={"notes_shared": shared})
    return meeting


@transaction.atomic
def convener_add(*, meeting: Meeting, user: Any, mandate_ends: date | None, actor: Any) -> MeetingConvener:
    row, _created = MeetingConvener.objects.update_or_create(
        meeting=meeting, user=user, defaults={"mandate_ends": mandate_ends}
    )
    audit.record(
        actor=actor, action="meeting.add_convener", obj=meeting, extra={"user": user.pk, "mandate_ends": mandate_ends}
    )
    return row


@transaction.atomic
def convener_remove(*, convener: MeetingConvener, actor: Any) -> None:
    if convener.meeting.conveners.count() <= 1:
        raise ValidationError(_("A meeting keeps at least one convener."))
    audit.record(actor=actor, action="meeting.remove_convener", obj=convener.meeting, extra={"user": convener.user_id})
    convener.delete()


# --- Invitations and replies ------------------------------------------------------------------------


def _open_for_invitations(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        raise ValidationError(_("This meeting is held or cancelled; its invitations are closed."))


@transaction.atomic
def invite_organisation(*, meeting: Meeting, organisation: Organisation, actor: Any) -> InvitedOrganisation:
    """Invite an organisation; once the meeting is convened its members receive the invitation now."""
    _open_for_invitations(meeting)
    if not organisation.is_active:
        raise ValidationError(_("This organisation is not active."))
    if meeting.invited_organisation_rows.filter(organisation=organisation).exists():
        raise ValidationError(_("%(org)s is already invited.") % {"org": organisation.name})
    row = InvitedOrganisation.objects.create(meeting=meeting, organisation=organisation)
    audit.record(actor=actor, action="invited_organisation.create", obj=row, label=f"{organisation} — {meeting}")
    if meeting.status == MeetingStatus.CONVENED:
        enqueue_invitations(meeting=meeting, actor=actor)
    return row


@transaction.atomic
def uninvite_organisation(*, row: InvitedOrganisation, actor: Any) -> None:
    """Withdraw an organisation's invitation (and its reply)."""
    _open_for_invitations(row.meeting)
    audit.record(
        actor=actor, action="invited_organisation.delete", obj=row, label=f"{row.organisation} — {row.meeting}"
    )
    Reply.objects.filter(meeting=row.meeting, organisation=row.organisation).delete()
    row.delete()


@transaction.atomic
def invite_person(*, meeting: Meeting, actor: Any, user: Any = None, name: str = "", email: str = "") -> InvitedPerson:
    """Invite a person in their own name: a platform user, or a name and an e-mail address."""
    _open_for_invitations(meeting)
    email = (email or "").strip()
    if user is None and not email:
        raise ValidationError({"email": [_("Give the person's e-mail address, or choose a user of the platform.")]})
    if user is not None and meeting.invited_people.filter(user=user).exists():
        raise ValidationError(_("%(person)s is already invited.") % {"person": user})
    if user is None and meeting.invited_people.filter(email__iexact=email).exists():
        raise ValidationError(_("%(person)s is already invited.") % {"person": email})
    person = InvitedPerson(meeting=meeting, user=user, name=(name or "").strip(), email=email)
    person.full_clean()
    person.save()
    audit.record(actor=actor, action="invited_person.create", obj=person, label=f"{person.display_name} — {meeting}")
    if meeting.status == MeetingStatus.CONVENED:
        enqueue_invitations(meeting=meeting, actor=actor)
    return person


@transaction.atomic
def uninvite_person(*, person: InvitedPerson, actor: Any) -> None:
    _open_for_invitations(person.meeting)
    audit.record(
        actor=actor, action="invited_person.delete", obj=person, label=f"{person.display_name} — {person.meeting}"
    )
    person.delete()


@transaction.atomic
def reply_save(
    *,
    meeting: Meeting,
    organisation: Organisation,
    response: str,
    actor: Any,
    delegate_name: str = "",
    now: datetime | None = None,
    reader_zone: Any = None,
) -> Reply:
    """An invited organisation's reply (the last one counts). Refused once the meeting has started,
    naming its start in the reader's zone."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.invited_organisation_rows.filter(organisation=organisation).exists():
        raise ValidationError(_("%(org)s is not invited to this meeting.") % {"org": organisation.name})
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(
            _("This meeting is not open for replies (%(status)s).") % {"status": meeting.get_status_display()}
        )
    if now >= meeting.starts_at:
        raise ValidationError(
            _("The meeting started on %(start)s; replies are closed.")
            % {"start": moment_text(meeting.starts_at, reader_zone or meeting.zone)}
        )
    if response not in ReplyChoice.values:
        raise ValidationError({"response": [_("Choose attending or not attending.")]})
    delegate_name = (delegate_name or "").strip()
    if response == ReplyChoice.NOT_ATTENDING:
        delegate_name = ""
    reply = Reply.objects.filter(meeting=meeting, organisation=organisation).first()
    old = audit.snapshot(reply, ["response", "delegate_name"]) if reply else {}
    if reply is None:
        reply = Reply(meeting=meeting, organisation=organisation)
    reply.response, reply.delegate_name = response, delegate_name
    reply.replied_at, reply.replied_by = now, _actor(actor)
    reply.full_clean()
    reply.save()
    audit.record(
        actor=actor,
        action="reply.save",
        obj=reply,
        old=old or None,
        new=audit.snapshot(reply, ["response", "delegate_name"]),
        organisation_id=organisation.pk,
    )
    return reply


# --- Agenda, notes and key points ---------------------------------------------------------------------


def _agenda_snapshot(item: AgendaItem, fields: list[str]) -> dict[str, Any]:
    values = audit.snapshot(item, fields)
    return {k: v.isoformat() if isinstance(v, time) else v for k, v in values.items()}


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def agenda_item_save(
    *, meeting: Meeting, values: dict[str, Any], actor: Any, item: AgendaItem | None = None
) -> AgendaItem:
    """Add an agenda item (at the end unless a position is given) or change one."""
    values = {k: v for k, v in values.items() if k in AGENDA_FIELDS}
    if not str(values.get("title") or (item.title if item else "")).strip():
        raise ValidationError({"title": [_("Give the agenda item a title.")]})
    position = values.get("position") or (item.position if item else None) or _next_position(meeting.agenda_items)
    clash = meeting.agenda_items.filter(position=position)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"position": [_("Another item already has position %(n)s.") % {"n": position}]})
    values["position"] = position
    created = item is None
    old = _agenda_snapshot(item, list(values)) if item else {}
    item = item or AgendaItem(meeting=meeting)
    for name, value in values.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    new = _agenda_snapshot(item, list(values))
    before, after = audit.changes(old, new)
    if created or after:
        audit.record(
            actor=actor,
            action="agenda_item.create" if created else "agenda_item.update",
            obj=item,
            old=before or None,
            new=after,
        )
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: Any) -> None:
    if item.notes.exists():
        raise ValidationError(_("This item has notes; remove them before removing the item."))
    audit.record(actor=actor, action="agenda_item.delete", obj=item, old={"title": item.title})
    item.delete()


@transaction.atomic
def note_save(*, agenda_item: AgendaItem, text: str, actor: Any, note: Note | None = None) -> Note:
    """Write or change a confidential note on an agenda item (its text never reaches the audit trail)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("The note is empty.")]})
    if note is not None and note.agenda_item_id != agenda_item.pk:
        raise ValidationError(_("This note belongs to another agenda item."))
    created = note is None
    old = {"text": note.text} if note else {}
    note = note or Note(agenda_item=agenda_item, author=_actor(actor))
    note.text = text
    note.full_clean()
    note.save()
    if created or old.get("text") != text:
        audit.record(
            actor=actor,
            action="note.create" if created else "note.update",
            obj=note,
            old=old or None,
            new={"text": text, "agenda_item": agenda_item.pk},
        )
    return note


@transaction.atomic
def note_delete(*, note: Note, actor: Any) -> None:
    audit.record(actor=actor, action="note.delete", obj=note, old={"text": note.text})
    note.delete()


@transaction.atomic
def key_point_save(
    *, meeting: Meeting, text: str, actor: Any, key_point: KeyPoint | None = None, position: int | None = None
) -> KeyPoint:
    """Add a key point (written without attribution) or change one."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("The key point is empty.")]})
    created = key_point is None
    old = audit.snapshot(key_point, ["text", "position"]) if key_point else {}
    key_point = key_point or KeyPoint(meeting=meeting, position=position or _next_position(meeting.key_points))
    key_point.text = text
    key_point.is_draft = False  # saved by a convener: approved
    if position:
        key_point.position = position
    key_point.full_clean()
    key_point.save()
    new = audit.snapshot(key_point, ["text", "position"])
    before, after = audit.changes(old, new)
    if created or after:
        audit.record(
            actor=actor,
            action="key_point.create" if created else "key_point.update",
            obj=key_point,
            old=before or None,
            new=after,
        )
    return key_point


@transaction.atomic
def key_point_delete(*, key_point: KeyPoint, actor: Any) -> None:
    audit.record(actor=actor, action="key_point.delete", obj=key_point, old={"text": key_point.text})
    key_point.delete()


def _consultation_key_points(campaign_id: int) -> list[str]:
    """The consultation's drafted key points, where the synthesis keeps them (``KeyPointsDraft``)."""
    try:
        model = apps.get_model("consultations", "KeyPointsDraft")
    except LookupError:
        return []
    draft = model._default_manager.filter(campaign_id=campaign_id).order_by("-pk").first()
    text = str(getattr(draft, "text", "") or "") if draft is not None else ""
    return _paragraphs(text)


def _paragraphs(text: str) -> list[str]:
    lines = [line.strip(" \t-•*") for line in text.replace("\r", "").split("\n")]
    return [line for line in lines if line]


@transaction.atomic
def key_points_draft(*, meeting: Meeting, actor: Any) -> list[KeyPoint]:
    """Draft key points from the consultations' key points (items with a campaign) and from the notes
    (one point per paragraph); points already there are not added twice. The conveners then edit them
    so that nothing is attributed."""
    existing = {text.strip() for text in meeting.key_points.values_list("text", flat=True)}
    drafted: list[str] = []
    for item in meeting.agenda_items.order_by("position"):
        sources = _consultation_key_points(item.campaign_id) if item.campaign_id else []
        for note in item.notes.order_by("created_at", "pk"):
            sources += _paragraphs(note.text)
        for text in sources:
            if text not in existing:
                existing.add(text)
                drafted.append(text)
    start = _next_position(meeting.key_points)
    made = [KeyPoint(meeting=meeting, position=start + i, text=text, is_draft=True) for i, text in enumerate(drafted)]
    KeyPoint.objects.bulk_create(made)
    audit.record(actor=actor, action="key_point.draft", obj=meeting, extra={"drafted": len(made)})
    return list(meeting.key_points.filter(position__gte=start).order_by("position"))
