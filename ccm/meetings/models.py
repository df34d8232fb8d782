"""Meetings between affected and donor States: who is invited, who replies, the agenda, the
confidential notes and the key points written without attribution.

A closed meeting is seen only by its participants (``Visibility.MEETING``): its conveners, the
members of the invited organisations, the invited people, and the implementation support unit;
coordinators see it too. Its notes are narrower still (``ccm.meetings.policies.sees_notes``).
Times are stored in UTC with the meeting's own time zone (an IANA name) kept beside them.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.consultations.models import Campaign
from ccm.core.policies import VISIBILITY_MAX_LENGTH, Visibility


def validate_time_zone(value: str) -> None:
    """An IANA time zone name ("Europe/Zurich"), as zoneinfo knows it."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValidationError(
            _("“%(zone)s” is not a time zone name (e.g. Europe/Zurich)."), params={"zone": value}
        ) from error


def new_ics_uid() -> str:
    return f"{uuid.uuid4()}@meetings.ccm"


class MeetingKind(models.TextChoices):
    CLOSED = "closed", _("Closed meeting")
    OPEN = "open", _("Open meeting")


class ConfidentialityRule(models.TextChoices):
    CHATHAM_HOUSE = "chatham_house", _("Chatham House rule")
    NO_RECORD = "no_record", _("No record")
    ON_THE_RECORD = "on_the_record", _("On the record")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONVENED = "convened", _("Convened")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


MEETING_VISIBILITY = Visibility.subset(Visibility.PUBLIC, Visibility.MEETING)


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.CLOSED)
    purpose = models.TextField(_("purpose"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality rule"),
        max_length=20,
        choices=ConfidentialityRule.choices,
        default=ConfidentialityRule.CHATHAM_HOUSE,
    )
    confidentiality_explanation = models.TextField(_("what the rule means for this meeting"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    visibility = models.CharField(
        _("who sees the meeting"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=MEETING_VISIBILITY,
        default=Visibility.MEETING,
    )
    notes_shared_with_participants = models.BooleanField(_("notes shared with the participants"), default=False)
    # iCalendar (RFC 5545): one UID for the meeting's whole life; SEQUENCE grows with each change of
    # time or place (and at cancellation), so calendars replace the earlier invitation.
    ics_uid = models.CharField(_("calendar UID"), max_length=200, unique=True, default=new_ics_uid, editable=False)
    ics_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    convened_at = models.DateTimeField(_("convened"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    invited_organisations: models.ManyToManyField[Organisation, InvitedOrganisation] = models.ManyToManyField(
        Organisation, through="InvitedOrganisation", related_name="meetings", blank=True
    )

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            # A closed meeting is seen by its participants only.
            models.CheckConstraint(
                condition=~models.Q(kind="closed") | models.Q(visibility="meeting"),
                name="meeting_closed_is_meeting_only",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_closed(self) -> bool:
        return self.kind == MeetingKind.CLOSED


class MeetingConvener(models.Model):
    """A person convening the meeting: manages it and reads its notes while the mandate lasts (until
    ``mandate_ends``, inclusive; no end = while the meeting is on record)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conveners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mandate_ends = models.DateField(_("mandate ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("convener")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meeting_convener_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting}"


class InvitedOrganisation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invited_organisation_rows")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("invited organisation")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="meeting_invited_organisation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.meeting}"


class InvitedPerson(models.Model):
    """A person invited in their own name: a platform user, or a name and an e-mail address."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invited_people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("invited person")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email=""),
                name="meeting_invited_person_user_or_email",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=models.Q(user__isnull=False), name="meeting_invited_user_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email or str(self.user)

    @property
    def address(self) -> str:
        return self.email or (self.user.email if self.user_id else "")  # type: ignore[union-attr]

    @property
    def display_name(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.name or self.email


class ReplyChoice(models.TextChoices):
    ATTENDING = "attending", _("Attending")
    NOT_ATTENDING = "not_attending", _("Not attending")


class Reply(models.Model):
    """An invited organisation's answer to the invitation (the last one counts)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    response = models.CharField(_("reply"), max_length=20, choices=ReplyChoice.choices)
    delegate_name = models.CharField(_("delegate"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("replied"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="meeting_reply_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    starts_at = models.TimeField(_("time"), null=True, blank=True, help_text=_("In the meeting's time zone."))
    title = models.CharField(_("item"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, verbose_name=_("lead"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_agenda_items",
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="meeting_agenda_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """Confidential notes on one agenda item: for the conveners and the implementation support unit
    (and the participants only if the conveners share them). Never attributed beyond the notes."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("notes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    audit_confidential = {"text": "changed"}
    audit_neutral_label = True

    class Meta:
        ordering = ["agenda_item", "created_at", "id"]
        verbose_name = _("note")

    def __str__(self) -> str:
        return f"Note #{self.pk}"


class KeyPoint(models.Model):
    """A point raised at the meeting, written without attribution."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("key point"))
    # Drafted from the notes (which may say who said what): seen only by those who read the notes
    # until a convener has edited and approved it.
    is_draft = models.BooleanField(_("draft, not yet approved"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    audit_neutral_label = True

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("key point")

    def __str__(self) -> str:
        return f"Key point #{self.pk}"


# The summary, its review and the briefing packs (meet-publish): kept in their own module.
from ccm.meetings.publish_models import (  # noqa: E402, F401
    BriefingPack,
    HitDecision,
    Summary,
    SummaryHitDecision,
    SummaryStatus,
)
