"""Who sees and does what with meetings, their invitations, replies, agenda, notes and key points.

- **A closed meeting** (its existence, agenda, invitations, replies, key points) is seen by its
  conveners, the implementation support unit (members of an organisation of kind
  ``coordinators_office``), coordinators and, once convened, the members of the invited
  organisations and the invited people. Nobody else: not even that it exists (404).
- **An open meeting** is public once convened; in draft, as a closed one. Its invited people and the
  replies stay with the circle above.
- **Notes** (``sees_notes``) are narrower: the conveners whose mandate runs and the implementation
  support unit; the participants only when the conveners share them. Not every coordinator.
- **Managing** the meeting (invitations, agenda, key points, convening, cancelling) is for the
  conveners whose mandate runs; writing notes for them and the editors and managers of the
  implementation support unit; replying for the editors and managers of an invited organisation.
- Creating a meeting: coordinators and the editors and managers of the implementation support unit
  (the creator becomes its first convener).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from ccm.core import clock
from ccm.core.policies import (
    EDITOR_ROLES,
    Action,
    Permission,
    Policy,
    Visibility,
    is_coordinator,
    is_signed_in,
    memberships,
    organisation_ids,
)
from ccm.meetings.models import (
    AgendaItem,
    InvitedOrganisation,
    InvitedPerson,
    KeyPoint,
    Meeting,
    MeetingConvener,
    MeetingStatus,
    Note,
    Reply,
)

REPLY = "reply"  # answer the invitation for an invited organisation
NOTES = "notes"  # read the meeting's notes
WRITE_NOTES = "write_notes"

ISU_KIND = "coordinators_office"


def isu_organisation_ids(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    """The implementation support unit's organisations the user belongs to (optionally with a role)."""
    return [
        org for org, role, kind, _state in memberships(user) if kind == ISU_KIND and (roles is None or role in roles)
    ]


def is_isu_member(user: Any, roles: tuple[str, ...] | None = None) -> bool:
    return bool(isu_organisation_ids(user, roles))


def can_create(user: Any) -> bool:
    """Coordinators and the implementation support unit's editors and managers create meetings."""
    return is_coordinator(user) or is_isu_member(user, EDITOR_ROLES)


def _running(today: date) -> Q:
    return Q(mandate_ends__isnull=True) | Q(mandate_ends__gte=today)


def _convener_exists(user: Any, ref: str, *, today: date | None) -> Exists:
    """The user convenes the meeting at ``ref`` (with a running mandate when ``today`` is given)."""
    rows = MeetingConvener.objects.filter(meeting=OuterRef(ref), user=user)
    if today is not None:
        rows = rows.filter(_running(today))
    return Exists(rows)


def _participant_q(user: Any, ref: str) -> Q:
    """The user is invited: a member of an invited organisation, or an invited person."""
    invited_orgs = InvitedOrganisation.objects.filter(meeting=OuterRef(ref), organisation_id__in=organisation_ids(user))
    invited_person = InvitedPerson.objects.filter(meeting=OuterRef(ref), user=user)
    return Q(Exists(invited_orgs)) | Q(Exists(invited_person))


def circle_q(user: Any, path: str = "", ref: str = "pk") -> Q:
    """The meetings whose inner circle the user belongs to (``path``: the lookup prefix to the meeting,
    ``ref``: the same path for ``OuterRef``). Coordinators: every meeting."""
    if is_coordinator(user) or is_isu_member(user):
        return Q(pk__isnull=False)  # everything (an empty Q would vanish in an OR)
    if not is_signed_in(user):
        return Q(pk__in=[])
    convened = ~Q(**{f"{path}status": MeetingStatus.DRAFT})
    return Q(_convener_exists(user, ref, today=None)) | (convened & _participant_q(user, ref))


def meeting_visible_q(user: Any, path: str = "", ref: str = "pk") -> Q:
    public = Q(**{f"{path}visibility": Visibility.PUBLIC}) & ~Q(**{f"{path}status": MeetingStatus.DRAFT})
    return public | circle_q(user, path, ref)


def managing_q(user: Any, ref: str = "pk", *, today: date) -> Q:
    """The meetings the user manages: a convener whose mandate runs."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    return Q(_convener_exists(user, ref, today=today))


def notes_q(user: Any, path: str = "", ref: str = "pk", *, today: date) -> Q:
    """The meetings whose notes the user reads."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    if is_isu_member(user):
        return Q(pk__isnull=False)  # everything (an empty Q would vanish in an OR)
    shared = Q(**{f"{path}notes_shared_with_participants": True}) & ~Q(**{f"{path}status": MeetingStatus.DRAFT})
    return Q(_convener_exists(user, ref, today=today)) | (shared & _participant_q(user, ref))


def write_notes_q(user: Any, ref: str = "pk", *, today: date) -> Q:
    if not is_signed_in(user):
        return Q(pk__in=[])
    if is_isu_member(user, EDITOR_ROLES):
        return Q(pk__isnull=False)  # everything (an empty Q would vanish in an OR)
    return Q(_convener_exists(user, ref, today=today))


# --- The questions other code asks about one meeting ----------------------------------------------


def is_participant(user: Any, meeting: Meeting) -> bool:
    """Whether the user is invited to the meeting (a member of an invited organisation, or invited in
    their own name), whatever the meeting's status."""
    if not is_signed_in(user) or meeting.pk is None:
        return False
    if meeting.invited_people.filter(user=user).exists():
        return True
    return meeting.invited_organisation_rows.filter(organisation_id__in=organisation_ids(user)).exists()


def is_convener(user: Any, meeting: Meeting, *, today: date) -> bool:
    """Whether the user convenes the meeting with a mandate running on ``today``."""
    if not is_signed_in(user) or meeting.pk is None:
        return False
    return meeting.conveners.filter(_running(today), user=user).exists()


def sees_notes(user: Any, meeting: Meeting, *, today: date) -> bool:
    """Whether the user may read the meeting's notes: conveners with a running mandate and the
    implementation support unit; the participants only when the conveners shared the notes."""
    if not is_signed_in(user) or meeting.pk is None:
        return False
    if is_isu_member(user) or is_convener(user, meeting, today=today):
        return True
    return (
        meeting.notes_shared_with_participants
        and meeting.status != MeetingStatus.DRAFT
        and is_participant(user, meeting)
    )


def reply_organisation_ids(user: Any, meeting: Meeting) -> list[int]:
    """The invited organisations the user may reply for (as an editor or manager)."""
    mine = organisation_ids(user, EDITOR_ROLES)
    if not mine or meeting.pk is None:
        return []
    return list(
        meeting.invited_organisation_rows.filter(organisation_id__in=mine).values_list("organisation_id", flat=True)
    )


# --- Policies --------------------------------------------------------------------------------------


class MeetingPolicy(Policy[Meeting]):
    model = Meeting
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,  # conveners with a running mandate
        REPLY: Permission.CHANGE,  # editors and managers of an invited organisation
        NOTES: Permission.VIEW,
        WRITE_NOTES: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Meeting]:
        today = clock.today()
        visible = Meeting.objects.filter(meeting_visible_q(user))
        if action == Action.VIEW:
            return visible
        if action == Action.CHANGE:
            return visible.filter(managing_q(user, today=today))
        if action == NOTES:
            return visible.filter(notes_q(user, today=today))
        if action == WRITE_NOTES:
            return visible.filter(write_notes_q(user, today=today))
        if action == REPLY:
            mine = organisation_ids(user, EDITOR_ROLES)
            if not mine:
                return Meeting.objects.none()
            invited = InvitedOrganisation.objects.filter(meeting=OuterRef("pk"), organisation_id__in=mine)
            return visible.filter(Exists(invited), status=MeetingStatus.CONVENED)
        return Meeting.objects.none()


class _MeetingPartPolicy(Policy[Any]):
    """Seen with the meeting (or with its inner circle); changed by those who manage it."""

    path = "meeting__"
    ref = "meeting"
    circle_only = False
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def __init__(self, model: type[Model]):
        self.model = model

    def objects_for(self, user: Any, action: str) -> QuerySet[Any]:
        rows = self.model._default_manager.all()
        if self.circle_only:
            visible = rows.filter(circle_q(user, self.path, self.ref))
        else:
            visible = rows.filter(meeting_visible_q(user, self.path, self.ref))
        if action == Action.VIEW:
            return visible
        if action == Action.CHANGE:
            return visible.filter(managing_q(user, self.ref, today=clock.today()))
        return self.model._default_manager.none()


class _CirclePolicy(_MeetingPartPolicy):
    circle_only = True


class KeyPointPolicy(_MeetingPartPolicy):
    """Approved key points are seen with the meeting; drafted ones (copied from the notes) only by
    those who read the notes."""

    def objects_for(self, user: Any, action: str) -> QuerySet[Any]:
        rows = super().objects_for(user, action)
        drafts_seen = notes_q(user, self.path, self.ref, today=clock.today())
        return rows.filter(Q(is_draft=False) | drafts_seen)


class NotePolicy(Policy[Note]):
    model = Note
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}
    path = "agenda_item__meeting__"
    ref = "agenda_item__meeting"

    def objects_for(self, user: Any, action: str) -> QuerySet[Note]:
        today = clock.today()
        rows = Note.objects.filter(
            meeting_visible_q(user, self.path, self.ref), notes_q(user, self.path, self.ref, today=today)
        )
        if action == Action.VIEW:
            return rows
        if action == Action.CHANGE:
            return rows.filter(write_notes_q(user, self.ref, today=today))
        return Note.objects.none()


meetings = MeetingPolicy()
conveners = _MeetingPartPolicy(MeetingConvener)
invited_organisations = _MeetingPartPolicy(InvitedOrganisation)
invited_people = _CirclePolicy(InvitedPerson)
replies = _CirclePolicy(Reply)
agenda_items = _MeetingPartPolicy(AgendaItem)
key_points = KeyPointPolicy(KeyPoint)
notes = NotePolicy()

__all__ = [
    "NOTES",
    "REPLY",
    "WRITE_NOTES",
    "can_create",
    "is_convener",
    "is_participant",
    "meetings",
    "notes",
    "sees_notes",
]
