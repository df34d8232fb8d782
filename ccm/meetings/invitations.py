"""The meeting's invitations by e-mail, with the ``.ics`` attached: sent when the meeting is convened,
again (same UID, higher SEQUENCE) when its time or place changes, and as a cancellation.

Each message is recorded as it is sent (``ccm.core.tasks.send_once``, keyed by meeting, sequence and
address): a retry or a second run sends nothing twice; someone invited later receives the current
version alone.
"""

from __future__ import annotations

import logging

from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _

from ccm.accounts.models import Membership, User
from ccm.core.languages import language_of
from ccm.core.tasks import send_once
from ccm.meetings import ics
from ccm.meetings.models import Meeting, MeetingStatus
from ccm.meetings.timezones import local_span

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """Some invitations could not be sent (the others were); a retry sends the missing ones."""


def recipients(meeting: Meeting) -> list[str]:
    """Every address the meeting's invitation goes to: the conveners, the active members of the invited
    organisations, the invited people; each once, in a stable order."""
    addresses: dict[str, None] = {}
    for row in meeting.conveners.select_related("user").order_by("user__email"):
        if row.user.is_active:
            addresses[row.user.email.lower()] = None
    members = (
        Membership.objects.filter(
            organisation__in=meeting.invited_organisation_rows.values("organisation"),
            organisation__is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__email")
    )
    for membership in members:
        addresses[membership.user.email.lower()] = None
    for person in meeting.invited_people.select_related("user").order_by("pk"):
        if person.address:
            addresses[person.address.lower()] = None
    return list(addresses)


def message(meeting: Meeting) -> tuple[str, str]:
    """Subject and body of the invitation as the meeting stands (invitation, update or cancellation)."""
    span = local_span(meeting, None)
    if meeting.status == MeetingStatus.CANCELLED:
        subject = _("Cancelled: %(title)s") % {"title": meeting.title}
        intro = _("This meeting is cancelled.")
    elif meeting.ics_sequence:
        subject = _("Updated invitation: %(title)s") % {"title": meeting.title}
        intro = _("The time or place of this meeting changed; the calendar file attached replaces the earlier one.")
    else:
        subject = _("Invitation: %(title)s") % {"title": meeting.title}
        intro = _("You are invited to this meeting. The calendar file is attached.")
    lines = [
        intro,
        "",
        meeting.title,
        _("When: %(span)s") % {"span": span},
        _("Where: %(place)s") % {"place": meeting.place or meeting.online_link or _("to be announced")},
        _("Rule: %(rule)s") % {"rule": meeting.get_confidentiality_display()},
    ]
    if meeting.confidentiality_explanation:
        lines.append(meeting.confidentiality_explanation)
    lines += ["", _("Reply and see the agenda: %(url)s") % {"url": ics.meeting_url(meeting)}]
    return subject, "\n".join(lines)


def send_invitations(*, meeting_id: int) -> int:
    """Send the meeting's current invitation to everyone who has not received this version. Returns how
    many were sent; raises ``MailNotSent`` when some failed (after trying everyone)."""
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.status == MeetingStatus.DRAFT:
        return 0
    attachment = (ics.file_name(meeting), ics.calendar_bytes(meeting), "text/calendar; method=" + _method(meeting))
    sent, failed = 0, 0
    addresses = recipients(meeting)
    # Each in the recipient's language (an invited person without an account: the platform's default).
    languages = dict(
        User.objects.annotate(address=Lower("email")).filter(address__in=addresses).values_list("address", "language")
    )
    messages: dict[str, tuple[str, str]] = {}
    for address in addresses:
        language = language_of(languages.get(address, ""))
        if language not in messages:
            with translation.override(language):
                messages[language] = message(meeting)
        subject, body = messages[language]
        try:
            if send_once(
                key=f"meetings.invitation:{meeting.pk}:{meeting.ics_sequence}:{meeting.status}:{address}",
                kind="meetings.invitation",
                recipient=address,
                subject=subject,
                body=body,
                attachments=(attachment,),
            ):
                sent += 1
        except Exception:
            logger.exception("Meeting invitation to %s not sent", address)
            failed += 1
    if failed:
        raise MailNotSent(f"{failed} invitation(s) not sent; {sent} sent.")
    return sent


def _method(meeting: Meeting) -> str:
    return "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
