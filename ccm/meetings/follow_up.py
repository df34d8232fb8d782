"""Follow-up actions decided at a meeting (the actions app): the meeting is an action source, so an
action is seen by whoever sees the meeting, and changed by its owner's editors and the conveners.

The conveners create actions from the meeting page: the owner is one of the invited organisations;
an action may link to a need or an obligation of an invited State.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccm.accounts.models import Organisation
from ccm.actions import selectors as action_selectors
from ccm.actions import services as action_services
from ccm.actions import sources
from ccm.actions.models import Action as FollowUp
from ccm.core.clock import today
from ccm.core.forms import CleanTextMixin
from ccm.core.policies import Action, get_for_action
from ccm.meetings import policies
from ccm.meetings.models import Meeting
from ccm.needs.models import Need
from ccm.needs.policies import needs as need_policy
from ccm.states.models import Obligation

sources.register(
    Meeting,
    policy=policies.meetings,
    page_url=lambda meeting: reverse("meetings:detail", args=[meeting.pk]),
    label=gettext_lazy("Meeting"),
)


def invited_organisations(meeting: Meeting) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=meeting.invited_organisation_rows.values("organisation_id"), is_active=True
    ).order_by("name")


def _invited_state_ids(meeting: Meeting) -> list[int]:
    return [s for s in invited_organisations(meeting).values_list("state_id", flat=True) if s is not None]


class FollowUpForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Organisation.objects.none())
    due_date = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    need = forms.ModelChoiceField(label=gettext_lazy("Need"), queryset=Need.objects.none(), required=False)
    obligation = forms.ModelChoiceField(
        label=gettext_lazy("Obligation"), queryset=Obligation.objects.none(), required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )

    def __init__(self, *args: Any, meeting: Meeting, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = _invited_state_ids(meeting)
        fields: dict[str, Any] = self.fields
        fields["owner"].queryset = invited_organisations(meeting)
        fields["need"].queryset = (
            need_policy.visible_to(user).filter(state_id__in=states).select_related("state").order_by("state", "title")
        )
        fields["obligation"].queryset = Obligation.objects.filter(state_id__in=states).select_related("state")


def page_context(request: HttpRequest, meeting: Meeting, page: Any) -> dict[str, Any]:
    """The meeting's actions (those the reader may see) and, for the conveners, the form."""
    rows = list(
        action_selectors.visible(request.user)
        .filter(source_type=sources.for_model(Meeting).content_type(), source_id=meeting.pk)  # type: ignore[union-attr]
        .select_related("owner", "state", "need", "obligation")
        .order_by("due_date", "id")
    )
    context: dict[str, Any] = {
        "actions_panel": True,
        "follow_up_rows": action_selectors.rows_for(rows, today=today()),
    }
    if page.can_change:
        context["follow_up_form"] = FollowUpForm(meeting=meeting, user=request.user)
    return context


@login_required
@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    """A convener records a follow-up action of the meeting."""
    meeting = get_for_action(policies.meetings, request.user, Action.CHANGE, pk=pk)
    form = FollowUpForm(request.POST, meeting=meeting, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action_services.action_create(
                source=meeting,
                title=data["title"],
                owner=data["owner"],
                due_date=data["due_date"],
                actor=request.user,
                need=data.get("need"),
                obligation=data.get("obligation"),
                description=data.get("description", ""),
                allowed_owners=list(invited_organisations(meeting)),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The action is recorded; its owner is reminded before it is due."))
    else:
        messages.error(request, _("The action was not recorded: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#actions")


__all__ = ["FollowUp", "create", "page_context"]
