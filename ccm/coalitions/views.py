"""Coalition pages: the list (public), proposing, expressions of interest, the workspace and its forms,
threads, a work plan item, the coalition pack. No access → 404; visible but not allowed → 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.accounts.models import Organisation
from ccm.actions.models import Action as FollowUp
from ccm.coalitions import pack, policies, selectors, services
from ccm.coalitions import scorecard as scorecard_selectors
from ccm.coalitions.forms import (
    ActionProgressForm,
    AnswerForm,
    InterestForm,
    InviteForm,
    MessageForm,
    MilestoneForm,
    ObjectiveForm,
    PreferenceForm,
    ProposeForm,
    ReviewForm,
    StatusForm,
    TermsForm,
    ThreadForm,
    VisitForm,
    WorkplanActionForm,
)
from ccm.coalitions.models import Coalition, CoalitionStatus, MessageNotice, MessagePreference, Thread
from ccm.core.clock import today
from ccm.core.policies import Action, get_for_action, get_for_user, organisation_ids
from ccm.funding.models import FundingFlow
from ccm.needs.models import Need
from ccm.needs.policies import needs as need_policy
from ccm.states.models import State


def _errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@require_safe
def coalition_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in CoalitionStatus.values else ""
    day = today()
    # read when the table is shown: a table kept as a page part (shared, or a member's own) reads nothing
    rows = SimpleLazyObject(lambda: selectors.coalition_rows(request.user, today=day, status=status))
    return render(
        request,
        "coalitions/list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": CoalitionStatus.choices,
            "may_propose": policies.may_propose(request.user),
        },
    )


def _speaker(request: HttpRequest, coalition: Coalition) -> Organisation | None:
    """The member organisation the user speaks for in this coalition (the first they belong to)."""
    ids = organisation_ids(request.user)
    member = coalition.members.filter(organisation_id__in=ids, status="accepted").select_related("organisation").first()
    return member.organisation if member else None


def _owners(coalition: Coalition) -> Any:
    return Organisation.objects.filter(pk__in=[o.pk for o in services.member_organisations(coalition)])


def _workspace(request: HttpRequest, coalition: Coalition, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    day = today()
    data = selectors.workspace(coalition, user, today=day)
    inside = policies.coalitions.can(user, policies.WORKSPACE, coalition)
    may_change = not coalition.is_concluded and policies.coalitions.can(user, Action.CHANGE, coalition)
    may_steer = not coalition.is_concluded and policies.coalitions.can(user, policies.STEER, coalition)
    may_converse = policies.coalitions.can(user, policies.CONVERSE, coalition)
    context: dict[str, Any] = {
        "coalition": coalition,
        "ws": data,
        "inside": inside,
        "may_change": may_change,
        "may_steer": may_steer,
        "may_converse": may_converse,
        "scorecard": scorecard_selectors.lines(coalition, user, today=day) if inside else [],
        "common_rule": scorecard_selectors.COMMON,
        "today": day,
    }
    if may_change:
        owners = _owners(coalition)
        context.update(
            objective_form=forms.get("objective_form") or ObjectiveForm(),
            milestone_form=forms.get("milestone_form") or MilestoneForm(),
            action_form=forms.get("action_form") or WorkplanActionForm(owners=owners),
            visit_form=forms.get("visit_form") or VisitForm(owners=owners),
            review_form=forms.get("review_form") or ReviewForm(initial={"held_on": day}),
        )
    if may_converse and not coalition.is_concluded:
        context["thread_form"] = forms.get("thread_form") or ThreadForm()
    if may_steer:
        context.update(
            invite_form=forms.get("invite_form")
            or InviteForm(organisations=selectors.organisations_to_invite(coalition)),
            status_form=forms.get("status_form") or StatusForm(),
        )
    context["answer_forms"] = [
        (m, AnswerForm(status=m.status, initial={"named_publicly": m.named_publicly})) for m in data.my_invitations
    ]
    return render(request, "coalitions/workspace.html", context, status=status)


@require_safe
def coalition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = get_for_user(policies.coalitions, request.user, pk=pk)
    return _workspace(request, coalition)


@login_required
@require_http_methods(["GET", "POST"])
def coalition_new(request: HttpRequest) -> HttpResponse:
    if not policies.may_propose(request.user):
        raise Http404
    interest = need = action = None
    source = request.POST if request.method == "POST" else request.GET
    initial: dict[str, Any] = {}
    try:
        if source.get("interest"):
            interest = selectors.interests_for(request.user).filter(pk=int(source["interest"])).first()
            if interest is None:
                raise Http404
            initial.update(
                state=interest.state.iso3,
                interest=interest.pk,
                name=_("%(state)s coalition") % {"state": interest.state.display_name},
            )
        if source.get("need"):
            need = need_policy.visible_to(request.user).filter(pk=int(source["need"])).first()
            if need is None:
                raise Http404
            initial.update(state=need.state.iso3, need=need.pk, name=need.title)
        if source.get("action"):
            from ccm.actions.policies import actions as action_policy

            action = action_policy.visible_to(request.user).filter(pk=int(source["action"])).first()
            if action is None or action.state is None:
                raise Http404
            initial.update(state=action.state.iso3, action=action.pk, name=action.title)
    except ValueError as error:
        raise Http404 from error
    form = ProposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        state = State.objects.filter(iso3=data["state"]).first()
        if state is None:
            form.add_error("state", _("Choose a State from the list."))
        elif not policies.may_propose(request.user, state.pk):
            raise PermissionDenied
        else:
            try:
                coalition = services.coalition_propose(
                    state=state,
                    name=data["name"],
                    terms_of_reference=data["terms_of_reference"],
                    visibility=data["visibility"],
                    obligations=state.obligations.filter(completed=False),
                    from_interest=interest,
                    from_need=need,
                    from_action=action,
                    actor=request.user,
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("Coalition proposed; the partners are invited."))
                return redirect("coalitions:detail", pk=coalition.pk)
    return render(request, "coalitions/propose.html", {"form": form, "origin": interest or need or action})


@login_required
@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    own = Organisation.objects.filter(pk__in=policies.interest_organisations(request.user))
    form = InterestForm(request.POST or None, organisations=own)
    if request.method == "POST":
        if not own.exists():
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            state = State.objects.filter(iso3=data["state"]).first()
            if state is None:
                form.add_error("state", _("Choose a State from the list."))
            else:
                try:
                    services.interest_create(
                        organisation=data["organisation"],
                        state=state,
                        pillar=data["pillar"],
                        horizon=data["horizon"],
                        conditions=data["conditions"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    _errors(form, error)
                else:
                    messages.success(request, _("Your interest is recorded; the State and the coordinators see it."))
                    return redirect("coalitions:interests")
    rows = selectors.interests_for(request.user)
    return render(
        request,
        "coalitions/interests.html",
        {"rows": rows, "form": form if own.exists() else None, "may_propose": policies.may_propose(request.user)},
    )


def _coalition_for(request: HttpRequest, pk: int, action: str) -> Coalition:
    return get_for_action(policies.coalitions, request.user, action, pk=pk)


def _refuse_concluded(request: HttpRequest, coalition: Coalition) -> HttpResponse | None:
    if coalition.is_concluded:
        messages.error(request, _("This coalition has concluded: it is read-only."))
        return redirect("coalitions:detail", pk=coalition.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def coalition_terms(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = _coalition_for(request, pk, policies.STEER)
    form = TermsForm(
        request.POST or None,
        initial={
            "name": coalition.name,
            "terms_of_reference": coalition.terms_of_reference,
            "visibility": coalition.visibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.coalition_update(coalition=coalition, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Terms saved."))
            return redirect("coalitions:detail", pk=coalition.pk)
    return render(
        request, "coalitions/terms.html", {"coalition": coalition, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def coalition_status(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = _coalition_for(request, pk, policies.STEER)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["step"] == "activate":
                services.coalition_activate(coalition=coalition, actor=request.user)
                messages.success(request, _("The coalition is active."))
            else:
                services.coalition_conclude(coalition=coalition, reason=form.cleaned_data["reason"], actor=request.user)
                messages.success(request, _("The coalition is concluded; its workspace is now read-only."))
            return redirect("coalitions:detail", pk=coalition.pk)
        except ValidationError as error:
            _errors(form, error)
    return _workspace(request, coalition, status=400, status_form=form)


@login_required
@require_POST
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = _coalition_for(request, pk, policies.STEER)
    form = InviteForm(request.POST, organisations=Organisation.objects.filter(is_active=True))
    if form.is_valid():
        try:
            services.member_invite(coalition=coalition, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#members")
    return _workspace(request, coalition, status=400, invite_form=form)


@login_required
@require_POST
def member_answer(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    coalition = get_for_user(policies.coalitions, request.user, pk=pk)
    target = get_for_action(policies.members, request.user, policies.ANSWER, coalition=coalition, pk=member)
    form = AnswerForm(request.POST, status=target.status)
    if form.is_valid():
        answer, named = form.cleaned_data["answer"], form.cleaned_data["named_publicly"]
        try:
            if answer in ("accept", "decline"):
                services.member_answer(
                    member=target, accept=answer == "accept", named_publicly=named, actor=request.user
                )
            elif answer == "leave":
                services.member_leave(member=target, actor=request.user)
            else:
                services.member_naming(member=target, named_publicly=named, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer is recorded."))
    else:
        messages.error(request, _("Choose an answer."))
    return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#members")


def _change(request: HttpRequest, pk: int) -> tuple[Coalition, HttpResponse | None]:
    coalition = _coalition_for(request, pk, Action.CHANGE)
    return coalition, _refuse_concluded(request, coalition)


@login_required
@require_POST
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    coalition, refused = _change(request, pk)
    if refused:
        return refused
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        services.objective_add(coalition=coalition, actor=request.user, **form.cleaned_data)
        return redirect("coalitions:detail", pk=coalition.pk)
    return _workspace(request, coalition, status=400, objective_form=form)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    coalition, refused = _change(request, pk)
    if refused:
        return refused
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(coalition=coalition, actor=request.user, **form.cleaned_data)
        return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#work-plan")
    return _workspace(request, coalition, status=400, milestone_form=form)


@login_required
@require_POST
def milestone_reach(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    coalition = get_for_user(policies.coalitions, request.user, pk=pk)
    item = get_for_action(policies.milestones, request.user, Action.CHANGE, coalition=coalition, pk=milestone)
    try:
        services.milestone_reach(milestone=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#work-plan")


def _linked(model: Any, policy_qs: Any, pk: int | None) -> Any:
    if pk is None:
        return None
    obj = policy_qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError(
            _("%(what)s number %(pk)s is not one you can see.") % {"what": model._meta.verbose_name, "pk": pk}
        )
    return obj


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    from ccm.actions.policies import actions as action_policy
    from ccm.funding.policies import flows as flow_policy

    coalition, refused = _change(request, pk)
    if refused:
        return refused
    form = WorkplanActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.workplan_action_add(
                coalition=coalition,
                title=data["title"],
                owner=data["owner"],
                due_date=data["due_date"],
                description=data["description"],
                need=_linked(Need, need_policy.visible_to(request.user), data["need"]),
                flow=_linked(FundingFlow, flow_policy.visible_to(request.user), data["flow"]),
                follows=_linked(FollowUp, action_policy.visible_to(request.user), data["follows"]),
                actor=request.user,
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Action added to the work plan."))
            return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#work-plan")
    return _workspace(request, coalition, status=400, action_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    """One work plan item: seen by whoever sees the workspace (404 for anyone else)."""
    from ccm.actions.policies import actions as action_policy

    coalition = get_for_user(policies.coalitions, request.user, pk=pk)
    item = selectors.workplan_item(coalition, request.user, action)
    if item is None:
        raise Http404
    may_update = not coalition.is_concluded and action_policy.can(request.user, Action.CHANGE, item)
    form = ActionProgressForm(request.POST or None, initial={"status": item.status, "completed_on": item.completed_on})
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.workplan_action_update(
                    coalition=coalition, action=item, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("Action updated."))
                return redirect("coalitions:action", pk=coalition.pk, action=item.pk)
    return render(
        request,
        "coalitions/action.html",
        {"coalition": coalition, "item": item, "form": form if may_update else None, "today": today()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    coalition, refused = _change(request, pk)
    if refused:
        return refused
    form = VisitForm(request.POST, owners=Organisation.objects.filter(is_active=True))
    if form.is_valid():
        data = form.cleaned_data
        follow_ups = (
            [{"title": data["follow_up"], "owner": data["follow_up_owner"], "due_date": data["follow_up_due"]}]
            if data["follow_up"]
            else []
        )
        try:
            services.visit_record(
                coalition=coalition,
                visited_on=data["visited_on"],
                place=data["place"],
                participants=data["participants"],
                findings=data["findings"],
                follow_ups=follow_ups,
                actor=request.user,
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Field visit recorded."))
            return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#visits")
    return _workspace(request, coalition, status=400, visit_form=form)


@login_required
@require_POST
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    coalition, refused = _change(request, pk)
    if refused:
        return refused
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            indicators = scorecard_selectors.indicators(coalition, request.user, today=today())
            services.review_create(
                coalition=coalition,
                held_on=form.cleaned_data["held_on"],
                note=form.cleaned_data["note"],
                ratings=form.ratings(),
                indicators={k: v.score for k, v in indicators.items()},
                organisation=_speaker(request, coalition),
                actor=request.user,
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(reverse("coalitions:detail", args=[coalition.pk]) + "#scorecard")
    return _workspace(request, coalition, status=400, review_form=form)


@login_required
@require_POST
def thread_new(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = _coalition_for(request, pk, policies.CONVERSE)
    if coalition.pk not in policies.member_coalition_ids(request.user, policies.EDITORS):
        raise PermissionDenied
    refused = _refuse_concluded(request, coalition)
    if refused:
        return refused
    form = ThreadForm(request.POST)
    if form.is_valid():
        try:
            thread = services.thread_create(
                coalition=coalition, organisation=_speaker(request, coalition), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect("coalitions:thread", pk=coalition.pk, thread=thread.pk)
    return _workspace(request, coalition, status=400, thread_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    """A thread: accepted members only (404 for everyone else, coordinators included)."""
    item: Thread = get_for_user(policies.threads, request.user, pk=thread, coalition_id=pk)
    coalition = item.coalition
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if coalition.is_concluded or not policies.threads.can(request.user, Action.CHANGE, item):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.message_post(
                    thread=item, organisation=_speaker(request, coalition), actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                return redirect(reverse("coalitions:thread", args=[coalition.pk, item.pk]) + "#reply")
    rows = selectors.thread_messages(item, request.user)
    services.mark_read(thread=item, user=request.user)
    may_write = not coalition.is_concluded and policies.threads.can(request.user, Action.CHANGE, item)
    return render(
        request,
        "coalitions/thread.html",
        {"coalition": coalition, "thread": item, "rows": rows, "form": form if may_write else None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = MessagePreference.objects.filter(user_id=request.user.pk or 0).first()
    form = PreferenceForm(
        request.POST or None, initial={"messages": current.messages if current else MessageNotice.EVERY}
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, messages=form.cleaned_data["messages"], actor=request.user)
        messages.success(request, _("Preference saved."))
        return redirect("coalitions:preferences")
    return render(request, "coalitions/preferences.html", {"form": form})


@require_safe
def coalition_pack(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    coalition = get_for_user(policies.coalitions, request.user, pk=pk)
    day = today()
    content = pack.pack_content(coalition, request.user, today=day)
    if fmt == "pdf":
        response = HttpResponse(pack.render_pdf(content), content_type="application/pdf")
    else:
        response = HttpResponse(
            pack.render_docx(content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="coalition-pack-{coalition.pk}-{day.isoformat()}.{fmt}"'
    return response
