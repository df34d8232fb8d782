"""Reads for meeting pages, API and exports, always through the policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from ccm.consultations import policies as campaign_policies
from ccm.consultations.models import Campaign
from ccm.core import clock
from ccm.core.policies import Action, is_coordinator
from ccm.meetings import policies
from ccm.meetings.models import AgendaItem, KeyPoint, Meeting, MeetingStatus, Note, Reply
from ccm.meetings.timezones import local_span, reader_zone


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """The meetings the user may see, newest first."""
    return policies.meetings.visible_to(user).order_by("-starts_at", "pk")


def meeting_lists(user: Any, *, now: datetime | None = None) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming (soonest first) and past meetings the user may see (two queries)."""
    now = now or timezone.now()
    visible = meetings_for(user)
    upcoming = list(visible.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    past = list(visible.filter(ends_at__lt=now).order_by("-starts_at", "pk")[:200])
    for meeting in (*upcoming, *past):
        meeting.span_text = local_span(meeting, user)  # type: ignore[attr-defined]
    return upcoming, past


def next_end(*, now: datetime) -> datetime | None:
    """When the next meeting (of all, whoever may see it) ends: until then, no meeting moves from the
    upcoming ones to the past ones (one query)."""
    return Meeting.objects.filter(ends_at__gte=now).aggregate(first=Min("ends_at"))["first"]


@dataclass
class MeetingPage:
    meeting: Meeting
    span: str
    zone: str
    can_change: bool
    sees_notes: bool
    can_write_notes: bool
    can_reply: bool
    is_participant: bool
    agenda: list[AgendaItem] = field(default_factory=list)
    key_points: list[KeyPoint] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    invited: list[Any] = field(default_factory=list)
    invited_people: list[Any] = field(default_factory=list)
    conveners: list[Any] = field(default_factory=list)
    reply_organisations: list[Any] = field(default_factory=list)
    started: bool = False


def meeting_page(*, user: Any, meeting: Meeting, today: date, now: datetime | None = None) -> MeetingPage:
    """What the meeting's page shows this reader (the meeting already resolved through its policy)."""
    now = now or timezone.now()
    can_change = policies.meetings.can(user, Action.CHANGE, meeting)
    page = MeetingPage(
        meeting=meeting,
        span=local_span(meeting, user),
        zone=reader_zone(user, meeting).key,
        can_change=can_change,
        sees_notes=policies.sees_notes(user, meeting, today=today),
        can_write_notes=policies.meetings.can(user, policies.WRITE_NOTES, meeting),
        can_reply=policies.meetings.can(user, policies.REPLY, meeting),
        is_participant=policies.is_participant(user, meeting),
        started=meeting.starts_at <= now,
    )
    page.agenda = list(
        policies.agenda_items.visible_to(user)
        .filter(meeting=meeting)
        .select_related("lead_organisation", "campaign")
        .order_by("position")
    )
    page.key_points = list(policies.key_points.visible_to(user).filter(meeting=meeting).order_by("position", "pk"))
    page.replies = list(
        policies.replies.visible_to(user).filter(meeting=meeting).select_related("organisation", "replied_by")
    )
    page.invited = list(
        policies.invited_organisations.visible_to(user).filter(meeting=meeting).select_related("organisation")
    )
    page.invited_people = list(policies.invited_people.visible_to(user).filter(meeting=meeting).select_related("user"))
    page.conveners = list(policies.conveners.visible_to(user).filter(meeting=meeting).select_related("user"))
    if page.can_reply:
        ids = policies.reply_organisation_ids(user, meeting)
        page.reply_organisations = [row.organisation for row in page.invited if row.organisation_id in ids]
    return page


def agenda_with_notes(*, user: Any, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with the notes the user may read on each item (an empty list when none)."""
    notes = policies.notes.visible_to(user).select_related("author").order_by("created_at", "pk")
    return list(
        policies.agenda_items.visible_to(user)
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("notes", queryset=notes, to_attr="visible_notes"))
        .order_by("position")
    )


def notes_for(*, user: Any, meeting: Meeting) -> QuerySet[Note]:
    return (
        policies.notes.visible_to(user)
        .filter(agenda_item__meeting=meeting)
        .select_related("agenda_item", "author")
        .order_by("agenda_item__position", "created_at", "pk")
    )


def is_open_for_replies(meeting: Meeting, *, now: datetime | None = None) -> bool:
    return meeting.status == MeetingStatus.CONVENED and meeting.starts_at > (now or timezone.now())


def choosable_campaigns(user: Any, *, today: date | None = None) -> QuerySet[Campaign]:
    """Consultation campaigns a convener may attach to an agenda item, among those the campaign policy
    lets the user see: all of them for coordinators and the implementation support unit, else those
    the user convenes while the mandate lasts."""
    rows = campaign_policies.campaigns.visible_to(user).order_by("-opens_on", "title")
    if is_coordinator(user) or policies.is_isu_member(user):
        return rows
    day = today or clock.today()
    return rows.filter(
        Q(conveners__mandate_ends__isnull=True) | Q(conveners__mandate_ends__gte=day), conveners__user=user
    ).distinct()
