"""Forms of the coalition pages (input only; the services check the whole change)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.actions.models import ActionStatus
from ccm.coalitions.models import Coalition, Element, Horizon, MemberRole, MessageNotice, Trend
from ccm.core.forms import CleanTextMixin
from ccm.needs.models import Pillar
from ccm.states.forms import StateChoiceField

DATE = forms.DateInput(attrs={"type": "date"})
VISIBILITY_CHOICES: list[tuple[str, Any]] = list(Coalition._meta.get_field("visibility").choices or [])


class InterestForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    state = StateChoiceField(label=_("State you would partner with"), empty_label=_("Choose a State"))
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    horizon = forms.ChoiceField(label=_("Horizon"), choices=Horizon.choices)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            organisations if organisations is not None else Organisation.objects.none()
        )
        self.fields["state"].load()  # type: ignore[attr-defined]


class ProposeForm(CleanTextMixin, forms.Form):
    state = StateChoiceField(label=_("Affected State"), empty_label=_("Choose a State"))
    name = forms.CharField(label=_("Name"), max_length=200)
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    visibility = forms.ChoiceField(label=_("Public summary"), choices=VISIBILITY_CHOICES)
    interest = forms.IntegerField(widget=forms.HiddenInput, required=False)
    need = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].load()  # type: ignore[attr-defined]


class TermsForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    visibility = forms.ChoiceField(label=_("Public summary"), choices=VISIBILITY_CHOICES)


class StatusForm(CleanTextMixin, forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=[("activate", _("Activate")), ("conclude", _("Conclude"))])
    reason = forms.CharField(label=_("Why it concluded"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InviteForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            organisations if organisations is not None else Organisation.objects.none()
        )


class AnswerForm(CleanTextMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Decline")),
            ("leave", _("Leave the coalition")),
            ("naming", _("Change whether we are named publicly")),
        ],
    )
    named_publicly = forms.BooleanField(label=_("Name our organisation in the public summary"), required=False)

    def __init__(self, *args: Any, status: str = "invited", **kwargs: Any) -> None:
        """An invitation is accepted or declined; a member leaves or changes whether it is named."""
        super().__init__(*args, **kwargs)
        wanted = ("accept", "decline") if status == "invited" else ("naming", "leave")
        field = self.fields["answer"]
        field.choices = [(value, label) for value, label in field.choices if value in wanted]  # type: ignore[attr-defined]


class ObjectiveForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("Objective"), max_length=300)
    target = forms.DecimalField(label=_("Target"), max_digits=16, decimal_places=2, min_value=0, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)


class MilestoneForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class WorkplanActionForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Owner (a member)"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    need = forms.IntegerField(label=_("Need number (optional)"), min_value=1, required=False)
    flow = forms.IntegerField(label=_("Funding flow number (optional)"), min_value=1, required=False)
    follows = forms.IntegerField(label=_("Continues the action number (optional)"), min_value=1, required=False)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every active organisation is offered: the service refuses one outside the coalition by name.
        self.fields["owner"].queryset = owners if owners is not None else Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]


class ActionProgressForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ThreadForm(CleanTextMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("First message"), widget=forms.Textarea(attrs={"rows": 4}))
    is_decision = forms.BooleanField(label=_("This records a decision"), required=False)


class MessageForm(CleanTextMixin, forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    is_decision = forms.BooleanField(label=_("This records a decision"), required=False)


class VisitForm(CleanTextMixin, forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("Follow-up action (optional)"), max_length=300, required=False)
    follow_up_owner = forms.ModelChoiceField(
        label=_("Its owner"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    follow_up_due = forms.DateField(label=_("Its due date"), widget=DATE, required=False)

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_owner"].queryset = owners if owners is not None else Organisation.objects.none()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("follow_up") and not (data.get("follow_up_owner") and data.get("follow_up_due")):
            self.add_error("follow_up_owner", _("A follow-up action needs an owner and a due date."))
        return data


class ReviewForm(CleanTextMixin, forms.Form):
    """One rating per element (each optional: leave the rating empty to skip an element)."""

    held_on = forms.DateField(label=_("Review held on"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element, label in Element.choices:
            # The bounds are checked by the service (so the API refuses the same way): the form takes
            # any whole number and the service names the element whose rating is out of range.
            self.fields[f"{element}_score"] = forms.IntegerField(
                label=_("%(e)s: rating (1–5)") % {"e": label}, required=False
            )
            self.fields[f"{element}_evidence"] = forms.CharField(
                label=_("%(e)s: evidence") % {"e": label}, widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"{element}_trend"] = forms.ChoiceField(
                label=_("%(e)s: trend") % {"e": label}, choices=Trend.choices, initial=Trend.STEADY, required=False
            )

    def element_fields(self) -> list[tuple[str, Any, list[Any]]]:
        return [
            (element, label, [self[f"{element}_score"], self[f"{element}_evidence"], self[f"{element}_trend"]])
            for element, label in Element.choices
        ]

    def ratings(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "element": element,
                "score": data.get(f"{element}_score"),
                "evidence": data.get(f"{element}_evidence", ""),
                "trend": data.get(f"{element}_trend") or Trend.STEADY,
            }
            for element in Element.values
            if data.get(f"{element}_score") is not None or data.get(f"{element}_evidence")
        ]


class PreferenceForm(CleanTextMixin, forms.Form):
    messages = forms.ChoiceField(label=_("E-mail me about coalition threads"), choices=MessageNotice.choices)
