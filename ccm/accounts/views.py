"""Sign-in, second factor, profile, organisations and members, invitations, API tokens."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.accounts import policies, selectors, services
from ccm.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    OtpTokenForm,
    PasswordResetByTaskForm,
    ProfileForm,
    RoleForm,
    SignInForm,
)
from ccm.accounts.models import Membership
from ccm.core.languages import known, set_language_cookie
from ccm.core.policies import Action, get_for_action, get_for_user


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        super().form_valid(form)
        user = form.get_user()
        next_url = self.get_success_url()
        if user_has_device(user, confirmed=True):
            return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': next_url})}")
        if user.requires_second_factor:
            return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': next_url})}")
        return HttpResponseRedirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the user's authenticator app."""
    next_url = _safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two-factor")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("This code is not right, or has expired. Try the current one."))
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8").split("?>", 1)[-1]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the TOTP second factor."""
    user: Any = request.user
    has_device = user_has_device(user, confirmed=True)
    if has_device and not user.is_verified():
        return redirect("accounts:verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"], actor=user):
            otp_login(request, device)
            messages.success(request, _("Your second factor is set up. You will be asked for a code at each sign-in."))
            return redirect(_safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
        form.add_error("token", _("This code is not right. Check the time on your phone and try the current code."))
    if request.method == "GET" and (device is None or request.GET.get("new")):
        device = services.totp_device_start(user=user)
    assert device is not None  # noqa: S101 - a POST without a pending device re-renders with a fresh one
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - SVG generated here from our own URL
            "secret": _base32(device.bin_key),
            "has_device": has_device,
            "required": user.requires_second_factor,
            "next": _safe_next(request, ""),
        },
    )


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode("ascii").rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_update_profile(user=user, full_name=form.cleaned_data["full_name"], language=language, actor=user)
        response = redirect("accounts:profile")
        if language:
            translation.activate(language)
        set_language_cookie(response, language)  # none chosen: the browser's Accept-Language decides again
        messages.success(request, _("Your profile is saved."))
        return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "has_device": user_has_device(user, confirmed=True),
            "memberships": user.memberships.select_related("organisation"),
        },
    )


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": selectors.organisations_for_user(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_for_user(
        policies.organisations, request.user, policies.organisations.members_visible_to(request.user), slug=slug
    )
    can_manage = policies.organisations.can(request.user, Action.MANAGE, organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    actor=request.user,  # type: ignore[arg-type]
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("accounts:organisation", slug=slug)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.members_of(organisation=organisation, user=request.user),
            "invitations": selectors.open_invitations_of(organisation=organisation, user=request.user)
            if can_manage
            else [],
            "can_manage": can_manage,
            "form": form,
            "role_form": RoleForm(),
        },
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_action(policies.memberships, request.user, Action.MANAGE, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"], actor=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role changed."))
    return redirect("accounts:organisation", slug=membership.organisation.slug)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership: Membership = get_for_action(policies.memberships, request.user, Action.MANAGE, pk=pk)
    slug = membership.organisation.slug
    try:
        services.membership_remove(membership=membership, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect("accounts:organisation", slug=slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_for_action(policies.invitations, request.user, Action.MANAGE, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation revoked."))
    return redirect("accounts:organisation", slug=invitation.organisation.slug)


_UNUSABLE = {
    "unknown": _("This invitation link is not valid. Check that you copied the whole link."),
    "expired": _("This invitation has expired. Ask the person who invited you to send a new one."),
    "accepted": _("This invitation has already been used. Sign in with the account it created."),
    "revoked": _("This invitation was withdrawn. Ask the organisation's manager if you should have access."),
}


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationUnusable as exc:
        return render(request, "accounts/invitation_unusable.html", {"message": _UNUSABLE[str(exc)]}, status=410)
    user: Any = request.user
    signed_in = user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None, email=invitation.email)
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if signed_in:
                services.invitation_accept(token=token, user=user)
            else:
                assert form is not None  # noqa: S101
                membership = services.invitation_accept(
                    token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        except services.InvitationUnusable as exc:
            return render(request, "accounts/invitation_unusable.html", {"message": _UNUSABLE[str(exc)]}, status=410)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name}
            )
            return redirect("accounts:organisation", slug=invitation.organisation.slug)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "signed_in": signed_in, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        _token, new_key = services.api_token_create(user=user, name=form.cleaned_data["name"], actor=user)
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(user=request.user), "new_key": new_key},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_for_user(policies.api_tokens, request.user, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Token revoked: scripts using it will now be refused."))
    return redirect("accounts:api-tokens")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetByTaskForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        services.user_set_password(user=form.user, password=form.cleaned_data["new_password1"], actor=None)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch (every page's footer): Django's own view sets the cookie and goes back to the page;
    a signed-in person's choice is also saved, so their other devices and their e-mail follow it."""
    response = i18n_views.set_language(request)
    code = request.POST.get("language", "")
    user: Any = request.user
    if user.is_authenticated and known(code):
        services.user_set_language(user=user, language=code, actor=user)
    return response
