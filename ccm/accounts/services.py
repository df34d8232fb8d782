"""Writes for accounts: organisations, memberships, invitations, API tokens, profile, second factor.

Every function is keyword-only, atomic, and appends an audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.accounts.models import ApiToken, Invitation, Membership, Organisation, PlatformRole, Role, User
from ccm.accounts.tokens import digest, new_api_key, new_secret
from ccm.core import audit, tasks
from ccm.core.languages import known, speaking
from ccm.core.templatetags.ccm import datetime_filter
from ccm.states.models import State


def _invitation_ttl() -> timedelta:
    return timedelta(days=getattr(settings, "CCM_INVITATION_DAYS", 7))


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, actor: User | None, state: State | None = None, website: str = ""
) -> Organisation:
    organisation = Organisation(name=name, slug=slugify(name)[:80], kind=kind, state=state, website=website)
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        new=audit.snapshot(organisation, ["name", "kind", "state", "website"]),
        organisation_id=organisation.pk,
    )
    return organisation


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    actor: User | None,
    platform_role: str = PlatformRole.NONE,
) -> User:
    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name, platform_role=platform_role)
    if password is not None:
        validate_password(password, user)
    user.set_password(password)
    user.is_staff = platform_role == PlatformRole.ADMINISTRATOR
    user.is_superuser = platform_role == PlatformRole.ADMINISTRATOR
    user.full_clean()
    user.save()
    audit.record(
        actor=actor or user,
        action="user.create",
        obj=user,
        new=audit.snapshot(user, ["email", "full_name", "platform_role"]),
    )
    return user


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, actor: User, language: str | None = None) -> User:
    """Change a person's name and, when given, their language ("" follows the browser)."""
    fields = ["full_name"] if language is None else ["full_name", "language"]
    old = audit.snapshot(user, fields)
    user.full_name = full_name
    if language is not None:
        user.language = language
    user.full_clean()
    user.save(update_fields=fields)
    before, after = audit.changes(old, audit.snapshot(user, fields))
    if after:
        audit.record(actor=actor, action="user.update_profile", obj=user, old=before, new=after)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str, actor: User) -> User:
    """Save the language a person chose with the switch: their pages and e-mail follow it on every device."""
    if not known(language):
        raise ValidationError({"language": _("Choose one of the platform's languages.")})
    if user.language != language:
        old = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            actor=actor, action="user.update_profile", obj=user, old={"language": old}, new={"language": language}
        )
    return user


@transaction.atomic
def user_set_platform_role(*, user: User, platform_role: str, actor: User) -> User:
    old = audit.snapshot(user, ["platform_role"])
    user.platform_role = platform_role
    user.is_staff = user.is_superuser = platform_role == PlatformRole.ADMINISTRATOR
    user.full_clean()
    user.save(update_fields=["platform_role", "is_staff", "is_superuser"])
    audit.record(actor=actor, action="user.set_platform_role", obj=user, old=old, new={"platform_role": platform_role})
    _revoke_all_tokens(user=user, actor=actor, reason="platform role changed")
    return user


def _revoke_all_tokens(*, user: User, actor: User | None, reason: str) -> None:
    """Access changed: tokens made under the old access stop working (the user makes new ones)."""
    for token in ApiToken.objects.select_for_update().filter(user=user, revoked_at=None):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor or user, action="api_token.revoke", obj=token, extra={"reason": reason})


@transaction.atomic
def membership_add(*, user: User, organisation: Organisation, role: str, actor: User | None) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="membership.add",
        obj=membership,
        new={"user": user.email, "organisation": organisation.name, "role": role},
        organisation_id=organisation.pk,
    )
    return membership


def _would_leave_no_manager(membership: Membership) -> bool:
    """Locks every manager row of the organisation, so two managers demoting each other at once
    cannot both pass this check."""
    managers = list(
        Membership.objects.select_for_update().filter(organisation_id=membership.organisation_id, role=Role.MANAGER)
    )
    return not any(m.pk != membership.pk for m in managers)


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.MANAGER and role != Role.MANAGER and _would_leave_no_manager(membership):
        raise ValidationError(_("An organisation needs at least one manager."))
    old_role = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit.record(
        actor=actor,
        action="membership.change_role",
        obj=membership,
        old={"role": old_role},
        new={"role": role},
        organisation_id=membership.organisation_id,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if membership.role == Role.MANAGER and _would_leave_no_manager(membership):
        raise ValidationError(_("An organisation needs at least one manager."))
    audit.record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        old={"user": membership.user.email, "organisation": membership.organisation.name, "role": membership.role},
        organisation_id=membership.organisation_id,
    )
    membership.delete()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor: User, base_url: str = ""
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation``; returns the invitation and a token for its link.

    The e-mail is sent by a background task after the commit (:func:`invitation_send`). It mints its own
    link when it sends, so no usable secret waits in the task queue; that link replaces the returned one."""
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    token = new_secret()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=digest(token),
        invited_by=actor,
        language=translation.get_language() if known(translation.get_language()) else "",
        expires_at=timezone.now() + _invitation_ttl(),
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        new={"email": email, "role": role, "organisation": organisation.name},
        organisation_id=organisation.pk,
    )
    from ccm.accounts.tasks import enqueue_invitation_mail

    enqueue_invitation_mail(invitation=invitation, base_url=base_url, actor=actor)
    return invitation, token


@transaction.atomic
def invitation_send(*, invitation_id: int, base_url: str = "") -> bool:
    """E-mail an invitation's link, once (run by a background task; a retry sends nothing twice).
    A new token is minted here and only its hash kept. Returns whether it sent."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .get(pk=invitation_id)
    )
    key = f"invitation:{invitation.pk}"
    if invitation.state != "open" or tasks.already_sent(key):
        return False
    token = new_secret()
    invitation.token_hash = digest(token)
    invitation.save(update_fields=["token_hash"])
    link = base_url + reverse("accounts:invitation-accept", kwargs={"token": token})
    with speaking(invitation):  # in the language the inviter was using
        subject, body = _invitation_message(invitation, link)
    return tasks.send_once(key=key, kind="invitation", recipient=invitation.email, subject=subject, body=body)


def _invitation_message(invitation: Invitation, link: str) -> tuple[str, str]:
    subject = _("Invitation to join %(organisation)s on Country Coalitions") % {
        "organisation": invitation.organisation.name
    }
    body = _(
        "%(inviter)s invites you to join %(organisation)s on Country Coalitions as %(role)s.\n\n"
        "Open this link to accept (it expires on %(expires)s):\n%(link)s\n"
    ) % {
        "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "Country Coalitions",
        "organisation": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "expires": datetime_filter(invitation.expires_at),
        "link": link,
    }
    return subject, body


def password_reset_send(*, user_id: int, domain: str, protocol: str, request_key: str) -> bool:
    """E-mail a password-reset link (run by a background task, once per request: a retry sends nothing
    twice). The token is made here, when the mail is sent, so no usable secret waits in the queue."""
    from django.contrib.auth.tokens import default_token_generator
    from django.template import loader
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    with speaking(user):  # in the recipient's language
        subject = "".join(loader.render_to_string("accounts/password_reset_subject.txt", context).splitlines())
        body = loader.render_to_string("accounts/password_reset_email.txt", context)
    return tasks.send_once(
        key=f"password-reset:{user.pk}:{request_key}",
        kind="password_reset",
        recipient=user.email,
        subject=subject,
        body=body,
    )


class InvitationUnusable(Exception):
    """The link is unknown, expired, revoked or already used."""


def invitation_for_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=digest(token)).first()
    if invitation is None or invitation.state != "open":
        raise InvitationUnusable(invitation.state if invitation else "unknown")
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str | None = None
) -> Membership:
    """Use an invitation: join with the signed-in ``user`` (same e-mail), or create the account."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=digest(token)).first()
    if invitation is None or invitation.state != "open":
        raise InvitationUnusable(invitation.state if invitation else "unknown")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address exists: sign in first, then open the link."))
        user = user_create(email=invitation.email, full_name=full_name, password=password, actor=None)
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    membership = membership_add(user=user, organisation=invitation.organisation, role=invitation.role, actor=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(actor=user, action="invitation.accept", obj=invitation, organisation_id=invitation.organisation_id)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "open":
        raise ValidationError(_("Only an open invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="invitation.revoke", obj=invitation, organisation_id=invitation.organisation_id)
    return invitation


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User) -> tuple[ApiToken, str]:
    """A new personal API token; the key is returned once and only its hash is kept."""
    key = new_api_key()
    token = ApiToken(user=user, name=name, prefix=key[:12], key_hash=digest(key))
    token.full_clean()
    token.save()
    audit.record(actor=actor, action="api_token.create", obj=token, new={"name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="api_token.revoke", obj=token)
    return token


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device to show as a QR code; replaces any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str, actor: User) -> bool:
    """Confirm the device if ``token`` is a valid code from it; returns whether it was accepted."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    audit.record(actor=actor, action="user.enable_second_factor", obj=device.user)
    return True


@transaction.atomic
def totp_device_install(*, user: User, key_hex: str, name: str, actor: User | None) -> TOTPDevice:
    """A confirmed device with a known key (demo accounts only: the key is published)."""
    device = TOTPDevice.objects.create(user=user, name=name, key=key_hex, confirmed=True)
    audit.record(actor=actor, action="user.enable_second_factor", obj=user, extra={"device": name})
    return device


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User | None) -> User:
    """Set a new password (already validated by the form); the audit entry never holds it."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor or user, action="user.set_password", obj=user)
    _revoke_all_tokens(user=user, actor=actor, reason="password changed")
    return user
