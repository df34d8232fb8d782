"""Consultation pages: the index, question sets (detail, editor, publishing). Campaigns and answers are in
``ccm.consultations.campaign_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.consultations import policies, selectors, set_services
from ccm.consultations.forms import PublishForm, QuestionForm, QuestionSetForm
from ccm.consultations.models import Question, QuestionSet, QuestionSetVersion, VersionStatus
from ccm.core.clock import today
from ccm.core.policies import Action, get_for_action, get_for_user, is_coordinator


def form_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (its fields, or the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaigns(user=request.user)) if request.user.is_authenticated else []
    return render(
        request,
        "consultations/index.html",
        {
            "campaigns": campaigns,
            "question_sets": selectors.question_sets(user=request.user),
            "is_coordinator": is_coordinator(request.user),
            "today": today(),
        },
    )


def _set(request: HttpRequest, slug: str) -> QuestionSet:
    return get_for_user(policies.question_sets, request.user, slug=slug)


@require_safe
def set_detail(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = _set(request, slug)
    shown = policies.versions.visible_to(request.user).filter(question_set=question_set).order_by("number")
    number = request.GET.get("version", "")
    version: QuestionSetVersion | None
    if number:
        if not number.isdigit():
            raise Http404
        found = shown.filter(number=int(number)).first()
        if found is None:
            raise Http404
        version = selectors.version_with_questions(found)
    else:
        version = selectors.current_version(question_set, user=request.user)
    return render(
        request,
        "consultations/set_detail.html",
        {
            "question_set": question_set,
            "version": version,
            "versions": list(shown),
            "can_edit": policies.question_sets.can(request.user, Action.CHANGE, question_set),
            "draft": set_services.draft_of(question_set) if is_coordinator(request.user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_new(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise Http404
    form = QuestionSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = set_services.question_set_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Question set created: add its questions, then publish it."))
            return redirect("consultations:set_edit", slug=created.slug)
    return render(request, "consultations/set_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def set_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The set's description and its draft: questions in order, each editable, movable, removable; a
    form to add one; publishing."""
    question_set = get_for_action(policies.question_sets, request.user, Action.CHANGE, slug=slug)
    form = QuestionSetForm(
        request.POST or None,
        initial={
            "title": question_set.title,
            "audience": question_set.audience,
            "description": question_set.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_services.question_set_update(question_set=question_set, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Question set saved."))
            return redirect("consultations:set_edit", slug=question_set.slug)
    draft = set_services.draft_of(question_set)
    return render(
        request,
        "consultations/set_edit.html",
        {
            "question_set": question_set,
            "form": form,
            "draft": selectors.version_with_questions(draft) if draft else None,
            "question_form": QuestionForm(),
            "publish_form": PublishForm(),
        },
    )


@login_required
@require_POST
def draft_start(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = get_for_action(policies.question_sets, request.user, Action.CHANGE, slug=slug)
    draft = set_services.draft_start(question_set=question_set, actor=request.user)
    messages.success(request, _("Draft version %(number)s started.") % {"number": draft.number})
    return redirect("consultations:set_edit", slug=question_set.slug)


@login_required
@require_POST
def set_publish(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = get_for_action(policies.question_sets, request.user, policies.PUBLISH, slug=slug)
    draft = set_services.draft_of(question_set)
    form = PublishForm(request.POST)
    if draft is None or not form.is_valid():
        messages.error(request, _("There is no draft to publish."))
        return redirect("consultations:set_edit", slug=question_set.slug)
    try:
        version = set_services.version_publish(version=draft, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("consultations:set_edit", slug=question_set.slug)
    messages.success(request, _("Version %(number)s published.") % {"number": version.number})
    return redirect("consultations:set_detail", slug=question_set.slug)


def _draft_question(request: HttpRequest, pk: int) -> Question:
    if not is_coordinator(request.user):
        raise Http404
    question = Question.objects.select_related("version__question_set").filter(pk=pk).first()
    if question is None:
        raise Http404
    if question.version.status != VersionStatus.DRAFT:
        raise PermissionDenied
    return question


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = get_for_action(policies.question_sets, request.user, Action.CHANGE, slug=slug)
    draft = set_services.draft_of(question_set)
    if draft is None:
        messages.error(request, _("Start a new draft to change the questions."))
        return redirect("consultations:set_edit", slug=question_set.slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            set_services.question_add(version=draft, actor=request.user, **form.values())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("consultations:set_edit", slug=question_set.slug)
    return render(
        request, "consultations/question_form.html", {"form": form, "question_set": question_set, "question": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _draft_question(request, pk)
    question_set = question.version.question_set
    form = QuestionForm.for_question(question, request.POST or None)
    if request.method == "POST" and form.is_valid():
        values: dict[str, Any] = form.values()
        values["key"] = values["key"] or question.key
        try:
            set_services.question_update(question=question, actor=request.user, **values)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("consultations:set_edit", slug=question_set.slug)
    return render(
        request,
        "consultations/question_form.html",
        {"form": form, "question_set": question_set, "question": question},
    )


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    question = _draft_question(request, pk)
    if direction not in ("up", "down"):
        raise Http404
    set_services.question_move(question=question, direction=direction, actor=request.user)
    return redirect("consultations:set_edit", slug=question.version.question_set.slug)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _draft_question(request, pk)
    slug = question.version.question_set.slug
    set_services.question_delete(question=question, actor=request.user)
    messages.success(request, _("Question removed."))
    return redirect("consultations:set_edit", slug=slug)
