"""Forms of the meeting pages (validation of input only; the services check the whole change)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.consultations.models import Campaign
from ccm.core.forms import CleanTextMixin
from ccm.meetings.models import ConfidentialityRule, MeetingKind, ReplyChoice, validate_time_zone

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
COMMON_ZONES = [
    "UTC",
    "Europe/Zurich",
    "Europe/Oslo",
    "Europe/Brussels",
    "Asia/Beirut",
    "Asia/Vientiane",
    "Africa/Ndjamena",
    "America/New_York",
    "Australia/Sydney",
]


class MeetingForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.CLOSED)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="Europe/Zurich",
        help_text=_("The meeting's time zone, e.g. Europe/Zurich; the times below are in it."),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality rule"), choices=ConfidentialityRule.choices, initial=ConfidentialityRule.CHATHAM_HOUSE
    )
    confidentiality_explanation = forms.CharField(
        label=_("What the rule means for this meeting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    zones = COMMON_ZONES

    def clean_time_zone(self) -> str:
        value = str(self.cleaned_data["time_zone"]).strip()
        validate_time_zone(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                moment = data.get(name)
                if isinstance(moment, datetime):
                    # The browser sends a wall-clock time: it is read in the meeting's zone.
                    naive = timezone.make_naive(moment) if timezone.is_aware(moment) else moment
                    data[name] = naive.replace(tzinfo=zone)
        return data

    @classmethod
    def initial_for(cls, meeting: Any) -> dict[str, Any]:
        zone = meeting.zone
        initial = {name: getattr(meeting, name) for name in cls.base_fields}
        initial["starts_at"] = meeting.starts_at.astimezone(zone).replace(tzinfo=None)
        initial["ends_at"] = meeting.ends_at.astimezone(zone).replace(tzinfo=None)
        return initial


class ReplyForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("For"), queryset=Organisation.objects.none())
    response = forms.ChoiceField(label=_("Reply"), choices=ReplyChoice.choices, widget=forms.RadioSelect)
    delegate_name = forms.CharField(
        label=_("Delegate"), max_length=200, required=False, help_text=_("Who will attend (name and function).")
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations if organisations is not None else Organisation.objects.none()


class InviteOrganisationForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True).order_by("name")
    )


class InvitePersonForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"))


class ConvenerForm(CleanTextMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address of a platform user"))
    mandate_ends = forms.DateField(
        label=_("Mandate ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AgendaItemForm(CleanTextMixin, forms.Form):
    position = forms.IntegerField(label=_("Position"), min_value=1, required=False)
    starts_at = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    title = forms.CharField(label=_("Item"), max_length=300)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead"), queryset=Organisation.objects.filter(is_active=True).order_by("name"), required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Campaign.objects.order_by("-opens_on", "title"),
        required=False,
        help_text=_("Its synthesis is linked from the item: attributed for the conveners, not for participants."),
    )

    def __init__(self, *args: Any, campaigns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class NoteForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}))


class KeyPointForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Key point"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Without attribution: no State, organisation or person named as its source."),
    )
