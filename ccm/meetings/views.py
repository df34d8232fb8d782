"""Meeting pages: the list, a meeting (agenda, replies, key points, the conveners' forms), its notes,
its ``.ics``; every object resolved through its policy (hidden → 404, visible but not allowed → 403)."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ccm.accounts.models import Organisation
from ccm.core.clock import today
from ccm.core.policies import Action, get_for_action, get_for_user
from ccm.meetings import ics, policies, selectors, services
from ccm.meetings.forms import (
    AgendaItemForm,
    ConvenerForm,
    InviteOrganisationForm,
    InvitePersonForm,
    KeyPointForm,
    MeetingForm,
    NoteForm,
    ReplyForm,
)
from ccm.meetings.models import Meeting
from ccm.meetings.timezones import reader_zone


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # The two tables are a page part kept until a write to meetings or accounts. What is upcoming and what
    # is past changes when a meeting ends: the next end is part of the key, and the reader's time zone, in
    # which the times are written. The lists are read only when the part is not kept.
    lists = functools.cache(lambda: selectors.meeting_lists(request.user, now=now))
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": lambda: lists()[0],
            "past": lambda: lists()[1],
            "can_create": policies.can_create(request.user),
            "next_end": selectors.next_end(now=now),
            "zone": getattr(request.user, "time_zone", ""),
            "topics": "meetings,accounts",
        },
    )


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    if not policies.can_create(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(values=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("The meeting is created as a draft. Invite, set the agenda, then convene it."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


def _add_form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_for_action(policies.meetings, request.user, Action.CHANGE, pk=pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, values=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_for_user(policies.meetings, request.user, pk=pk)
    page = selectors.meeting_page(user=request.user, meeting=meeting, today=today())
    context: dict[str, Any] = {"page": page, "meeting": meeting}
    if page.can_reply and not page.started:
        organisations = Organisation.objects.filter(pk__in=[o.pk for o in page.reply_organisations])
        context["reply_form"] = ReplyForm(organisations=organisations, initial=_reply_initial(page))
    if page.can_change:
        context.update(
            invite_form=InviteOrganisationForm(),
            person_form=InvitePersonForm(),
            convener_form=ConvenerForm(),
            agenda_form=AgendaItemForm(campaigns=selectors.choosable_campaigns(request.user)),
            key_point_form=KeyPointForm(),
        )
    context.update(_actions_context(request, meeting, page))
    return render(request, "meetings/detail.html", context)


def _reply_initial(page: selectors.MeetingPage) -> dict[str, Any]:
    mine = {o.pk for o in page.reply_organisations}
    for reply in page.replies:
        if reply.organisation_id in mine:
            return {
                "organisation": reply.organisation_id,
                "response": reply.response,
                "delegate_name": reply.delegate_name,
            }
    return {"organisation": next(iter(mine))} if len(mine) == 1 else {}


def _actions_context(request: HttpRequest, meeting: Meeting, page: selectors.MeetingPage) -> dict[str, Any]:
    """Follow-up actions of the meeting, where the actions app is installed (see ``actions_panel``)."""
    from ccm.meetings import follow_up

    return follow_up.page_context(request, meeting, page)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_for_action(policies.meetings, request.user, policies.REPLY, pk=pk)
    organisations = Organisation.objects.filter(pk__in=policies.reply_organisation_ids(request.user, meeting))
    form = ReplyForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.reply_save(
                meeting=meeting,
                organisation=form.cleaned_data["organisation"],
                response=form.cleaned_data["response"],
                delegate_name=form.cleaned_data.get("delegate_name", ""),
                actor=request.user,
                reader_zone=reader_zone(request.user, meeting),
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Your reply is recorded."))
    else:
        messages.error(request, _("The reply was not recorded: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("meetings:detail", pk=meeting.pk)


MANAGE_STEPS = (
    "convene",
    "cancel",
    "held",
    "share_notes",
    "unshare_notes",
    "invite_organisation",
    "uninvite_organisation",
    "invite_person",
    "uninvite_person",
    "add_convener",
)


@login_required
@require_POST
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The conveners' steps on a meeting: convene, cancel, mark held, share the notes, invite."""
    meeting = get_for_action(policies.meetings, request.user, Action.CHANGE, pk=pk)
    step = request.POST.get("step", "")
    if step not in MANAGE_STEPS:
        messages.error(request, _("Unknown step."))
        return redirect("meetings:detail", pk=meeting.pk)
    try:
        done = _manage_step(request, meeting, step)
    except ValidationError as error:
        _errors(request, error)
    else:
        if done:
            messages.success(request, done)
    return redirect("meetings:detail", pk=meeting.pk)


def _manage_step(request: HttpRequest, meeting: Meeting, step: str) -> str:
    actor = request.user
    if step == "convene":
        services.meeting_convene(meeting=meeting, actor=actor)
        return _("The meeting is convened; the invitations are being sent.")
    if step == "cancel":
        services.meeting_cancel(meeting=meeting, actor=actor)
        return _("The meeting is cancelled; everyone invited is told.")
    if step == "held":
        services.meeting_mark_held(meeting=meeting, actor=actor)
        return _("The meeting is marked as held.")
    if step in ("share_notes", "unshare_notes"):
        services.meeting_share_notes(meeting=meeting, shared=step == "share_notes", actor=actor)
        return (
            _("The notes are shared with the participants.")
            if step == "share_notes"
            else _("The notes are no longer shared with the participants.")
        )
    if step == "invite_organisation":
        form = InviteOrganisationForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        services.invite_organisation(meeting=meeting, organisation=form.cleaned_data["organisation"], actor=actor)
        return _("%(org)s is invited.") % {"org": form.cleaned_data["organisation"].name}
    if step == "uninvite_organisation":
        row = meeting.invited_organisation_rows.filter(pk=_int(request.POST.get("row"))).first()
        if row is None:
            raise Http404
        services.uninvite_organisation(row=row, actor=actor)
        return _("The invitation is withdrawn.")
    if step == "invite_person":
        person_form = InvitePersonForm(request.POST)
        if not person_form.is_valid():
            raise ValidationError(person_form.errors.as_text())
        email = person_form.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        services.invite_person(
            meeting=meeting, actor=actor, user=user, name=person_form.cleaned_data["name"], email="" if user else email
        )
        return _("%(email)s is invited.") % {"email": email}
    if step == "uninvite_person":
        person = meeting.invited_people.filter(pk=_int(request.POST.get("row"))).first()
        if person is None:
            raise Http404
        services.uninvite_person(person=person, actor=actor)
        return _("The invitation is withdrawn.")
    convener_form = ConvenerForm(request.POST)
    if not convener_form.is_valid():
        raise ValidationError(convener_form.errors.as_text())
    user = get_user_model().objects.filter(email__iexact=convener_form.cleaned_data["email"], is_active=True).first()
    if user is None:
        raise ValidationError(_("Nobody on the platform has this e-mail address."))
    services.convener_add(
        meeting=meeting, user=user, mandate_ends=convener_form.cleaned_data.get("mandate_ends"), actor=actor
    )
    return _("%(user)s convenes the meeting.") % {"user": user}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Add, change or remove an agenda item (conveners)."""
    meeting = get_for_action(policies.meetings, request.user, Action.CHANGE, pk=pk)
    item = None
    if request.POST.get("item"):
        item = meeting.agenda_items.filter(pk=_int(request.POST.get("item"))).first()
        if item is None:
            raise Http404
    try:
        if item is not None and request.POST.get("delete"):
            services.agenda_item_delete(item=item, actor=request.user)
            messages.success(request, _("The item is removed."))
        else:
            form = AgendaItemForm(request.POST, campaigns=selectors.choosable_campaigns(request.user))
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            services.agenda_item_save(meeting=meeting, values=form.cleaned_data, actor=request.user, item=item)
            messages.success(request, _("The agenda is saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(f"{meeting_url(meeting)}#agenda")


@login_required
@require_POST
def key_points(request: HttpRequest, pk: int) -> HttpResponse:
    """Add, change, remove or draft key points (conveners)."""
    meeting = get_for_action(policies.meetings, request.user, Action.CHANGE, pk=pk)
    point = None
    if request.POST.get("point"):
        point = meeting.key_points.filter(pk=_int(request.POST.get("point"))).first()
        if point is None:
            raise Http404
    try:
        if request.POST.get("draft"):
            drafted = services.key_points_draft(meeting=meeting, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(n)s key point drafted: edit and approve it (participants see it only then).",
                    "%(n)s key points drafted: edit and approve each (participants see them only then).",
                    len(drafted),
                )
                % {"n": len(drafted)},
            )
        elif point is not None and request.POST.get("delete"):
            services.key_point_delete(key_point=point, actor=request.user)
            messages.success(request, _("The key point is removed."))
        else:
            form = KeyPointForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            services.key_point_save(
                meeting=meeting, text=form.cleaned_data["text"], key_point=point, actor=request.user
            )
            messages.success(request, _("The key point is saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(f"{meeting_url(meeting)}#key-points")


def meeting_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meetings:detail", args=[meeting.pk])


@login_required
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's confidential notes, per agenda item (404 for whoever may not read them)."""
    meeting = get_for_user(policies.meetings, request.user, pk=pk)
    if not policies.meetings.can(request.user, policies.NOTES, meeting):
        raise Http404
    can_write = policies.meetings.can(request.user, policies.WRITE_NOTES, meeting)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        return _save_note(request, meeting)
    items = selectors.agenda_with_notes(user=request.user, meeting=meeting)
    return render(
        request,
        "meetings/notes.html",
        {"meeting": meeting, "items": items, "can_write": can_write, "note_form": NoteForm()},
    )


def _save_note(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    item = meeting.agenda_items.filter(pk=_int(request.POST.get("item"))).first()
    if item is None:
        raise Http404
    note = None
    if request.POST.get("note"):
        note = (
            policies.notes.visible_to(request.user, Action.CHANGE)
            .filter(pk=_int(request.POST.get("note")), agenda_item=item)
            .first()
        )
        if note is None:
            raise Http404
    try:
        if note is not None and request.POST.get("delete"):
            services.note_delete(note=note, actor=request.user)
            messages.success(request, _("The note is removed."))
        else:
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            services.note_save(agenda_item=item, text=form.cleaned_data["text"], note=note, actor=request.user)
            messages.success(request, _("The note is saved."))
    except ValidationError as error:
        _errors(request, error)
    from django.urls import reverse

    return redirect(reverse("meetings:notes", args=[meeting.pk]) + f"#item-{item.pk}")


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's iCalendar file (same audience as the meeting: 404 otherwise)."""
    meeting = get_for_user(policies.meetings, request.user, pk=pk)
    response = HttpResponse(ics.calendar_bytes(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.file_name(meeting)}"'
    return response
