"""E-mail about needs, both ways: matching donors hear of a new need once; a State's editors and
managers hear when a donor responds to one of its needs (at once, or in the weekly digest, as each
prefers); a weekly digest once per week. Every message says how to change what one receives.

Mail is never half-done: each person's message is recorded in the transaction that sends it (through
``ccm.core.tasks.send_once``), so it counts as sent only once it is sent; a person whose message fails
does not stop the others; when some failed, the run ends with :class:`MailNotSent` so that its job is
marked failed and retried later (``tasks.retry_failed``), sending only what was not sent.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.accounts.models import Membership, User
from ccm.analytics.needs import matches
from ccm.core.languages import speaking
from ccm.core.policies import EDITOR_ROLES, state_ids
from ccm.core.tasks import send_once
from ccm.core.templatetags.ccm import date_filter, money
from ccm.needs import policies
from ccm.needs.models import (
    DigestDelivery,
    Need,
    NeedNotification,
    NotificationPreference,
    Response,
    ResponseKind,
    ResponseNotice,
)
from ccm.needs.selectors import donor_profiles_for_matching, need_facts

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """Some messages of a run could not be sent (the others were); a retry sends the missing ones."""


def _site() -> str:
    return getattr(settings, "CCM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _wants(user: User, field: str) -> bool:
    preference = NotificationPreference.objects.filter(user=user).first()
    return True if preference is None else bool(getattr(preference, field))


def donors_to_tell(need: Need) -> dict[int, list[User]]:
    """The donor organisations whose profile matches the need, each with its active members who may see
    the need and want to hear of matching needs (organisations with nobody to tell are left out)."""
    facts = need_facts(need)
    organisation_ids = [p.organisation_id for p, donor in donor_profiles_for_matching() if matches(facts, donor)]
    members = (
        Membership.objects.filter(organisation_id__in=organisation_ids, user__is_active=True)
        .select_related("user")
        .order_by("organisation_id", "user_id")
    )
    told: dict[int, list[User]] = {}
    for membership in members:
        user = membership.user
        if _wants(user, "matching_needs") and policies.needs.visible_to(user).filter(pk=need.pk).exists():
            told.setdefault(membership.organisation_id, []).append(user)
    return told


def notify_matching_donors(*, need_id: int) -> int:
    """E-mail the members of every donor organisation whose profile matches the need, if they may see
    it and want such mail. Returns how many were sent; a person is never told twice."""
    need = Need.objects.select_related("state").get(pk=need_id)
    sent = 0
    failed: list[int] = []
    people = {user.pk: user for users in donors_to_tell(need).values() for user in users}
    for user in sorted(people.values(), key=lambda u: u.pk):
        try:
            if not _record_and_send_notice(need, user):
                continue
        except Exception:
            logger.exception("The notice of need %s to user %s could not be sent", need.pk, user.pk)
            failed.append(user.pk)
            continue
        sent += 1
    if failed:
        raise MailNotSent(
            f"{len(failed)} notice(s) of need {need.pk} could not be sent ({sent} sent); they are sent on retry."
        )
    return sent


def _record_and_send_notice(need: Need, user: User) -> bool:
    """Record the notice and send it in one transaction: a failed sending leaves no record (a retry
    sends it), a record already there means it was sent (nothing is sent twice)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                NeedNotification.objects.create(need=need, user=user)
        except IntegrityError:
            return False
        link = _site() + reverse("needs:detail", args=[need.pk])
        with speaking(user):  # in the recipient's language
            subject = _("New need matching your profile: %(state)s, %(title)s") % {
                "state": need.state.display_name,
                "title": need.title,
            }
            body = _(
                "%(state)s has published a need that matches your organisation's donor profile:\n\n%(title)s\n\n"
                "Read it and respond: %(link)s\n\nChange what you receive: %(prefs)s\n"
            ) % {
                "state": need.state.display_name,
                "title": need.title,
                "link": link,
                "prefs": _site() + reverse("needs:notifications"),
            }
        send_once(
            key=f"need-notice:{need.pk}:{user.pk}",
            kind="need_notice",
            recipient=user.email,
            subject=subject,
            body=body,
        )
    return True


def state_editors(need: Need) -> list[User]:
    """The active editors and managers of the need's State's government organisations."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation__kind="state_government",
            memberships__organisation__state_id=need.state_id,
            memberships__organisation__is_active=True,
            memberships__role__in=EDITOR_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def _response_preference(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return ResponseNotice.IMMEDIATE if preference is None else preference.responses


def notify_state_of_response(*, response_id: int) -> int:
    """Tell the State's editors and managers that a donor responded to its need: at once, to those who
    want it at once (those who chose the digest read it there). Returns how many were sent; nobody is
    told twice of one response."""
    response = Response.objects.select_related("need", "need__state", "organisation").get(pk=response_id)
    if response.kind == ResponseKind.ANSWER:
        return 0
    sent = 0
    failed: list[int] = []
    for user in state_editors(response.need):
        if _response_preference(user) != ResponseNotice.IMMEDIATE:
            continue
        try:
            with speaking(user):  # in the recipient's language
                message = _response_message(response)
            if send_once(
                key=f"response-notice:{response.pk}:{user.pk}",
                kind="response_notice",
                recipient=user.email,
                **message,
            ):
                sent += 1
        except Exception:
            logger.exception("The notice of response %s to user %s could not be sent", response.pk, user.pk)
            failed.append(user.pk)
    if failed:
        raise MailNotSent(
            f"{len(failed)} notice(s) of response {response.pk} could not be sent ({sent} sent); "
            "they are sent on retry."
        )
    return sent


_WHAT_HAPPENED = {
    ResponseKind.INTEREST: gettext_lazy("%(donor)s is interested in %(state)s's need “%(title)s”."),
    ResponseKind.QUESTION: gettext_lazy("%(donor)s asked a question about %(state)s's need “%(title)s”."),
    ResponseKind.OFFER: gettext_lazy("%(donor)s made an offer on %(state)s's need “%(title)s”."),
    ResponseKind.PLEDGE: gettext_lazy("%(donor)s pledged to %(state)s's need “%(title)s”."),
    ResponseKind.DECLINE: gettext_lazy("%(donor)s declined %(state)s's need “%(title)s”."),
}


def _pledged_amount(response: Response) -> str:
    """A pledge's amount, from its flow in the funding ledger (``ledger_flow``; none for other kinds)."""
    try:
        flow = response.ledger_flow
    except ObjectDoesNotExist:
        return ""
    return money(flow.amount, flow.currency)


def _response_message(response: Response) -> dict[str, str]:
    need = response.need
    names = {"donor": response.organisation.name, "state": need.state.display_name, "title": need.title}
    context = {
        "what": str(_WHAT_HAPPENED[ResponseKind(response.kind)]) % names,
        "donor": response.organisation.name,
        "title": need.title,
        "state": need.state.display_name,
        "amount": _pledged_amount(response),
        "message": response.message or response.decline_reason,
        "link": _site() + reverse("needs:detail", args=[need.pk]) + "#thread",
        "prefs": _site() + reverse("needs:notifications"),
    }
    return {
        "subject": _("%(donor)s responded to your need: %(title)s") % context,
        "body": render_to_string("needs/email/response_notice.txt", context),
        "html": render_to_string("needs/email/response_notice.html", context),
    }


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def send_digests(*, today: date) -> tuple[int, int]:
    """Send the digest of the last complete week (Monday to Sunday before ``today``'s week) to everyone
    who wants one and has something in it. Safe to run twice: a delivery is recorded in the
    transaction that sends it and never repeated. Returns (sent, skipped as already sent)."""
    start = week_start(today) - timedelta(days=7)
    end = start + timedelta(days=7)
    sent = skipped = 0
    failed: list[int] = []
    for user in User.objects.filter(is_active=True).order_by("pk"):
        if not _wants(user, "weekly_digest"):
            continue
        visible = policies.needs.visible_to(user)
        new_needs = list(
            visible.filter(published_at__date__gte=start, published_at__date__lt=end).select_related("state")
        )
        answers = []
        if _response_preference(user) == ResponseNotice.DIGEST:
            answers = list(
                Response.objects.filter(
                    need__in=visible.filter(state_id__in=_own_states(user, EDITOR_ROLES)),
                    created_at__date__gte=start,
                    created_at__date__lt=end,
                )
                .exclude(kind=ResponseKind.ANSWER)
                .select_related("need", "organisation")
            )
        if not new_needs and not answers:
            continue
        try:
            delivered = _record_and_send_digest(user, start, new_needs, answers)
        except Exception:
            logger.exception("The digest of the week of %s to user %s could not be sent", start, user.pk)
            failed.append(user.pk)
            continue
        if delivered:
            sent += 1
        else:
            skipped += 1
    if failed:
        raise MailNotSent(
            f"{len(failed)} digest(s) of the week of {start} could not be sent ({sent} sent); they are sent on retry."
        )
    return sent, skipped


def _record_and_send_digest(user: User, start: date, new_needs: list[Need], answers: list[Response]) -> bool:
    """Record the delivery and send the digest in one transaction (see ``_record_and_send_notice``)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(user=user, week_start=start, needs_count=len(new_needs))
        except IntegrityError:
            return False
        with speaking(user):  # in the recipient's language
            lines = [_("Country Coalitions: the week of %(start)s") % {"start": date_filter(start)}, ""]
            if new_needs:
                lines.append(_("Needs published:"))
                lines += [
                    f"- {n.state.display_name}: {n.title} ({_site()}{reverse('needs:detail', args=[n.pk])})"
                    for n in new_needs
                ]
            if answers:
                lines += ["", _("Responses to your State's needs:")]
                lines += [
                    f"- {r.organisation.name} → {r.need.title}: {r.get_kind_display()} "
                    f"({_site()}{reverse('needs:detail', args=[r.need_id])}#thread)"
                    for r in answers
                ]
            lines += ["", _("Change what you receive: %(link)s") % {"link": _site() + reverse("needs:notifications")}]
            subject = _("Your weekly Country Coalitions digest")
        send_once(
            key=f"digest:{start.isoformat()}:{user.pk}",
            kind="weekly_digest",
            recipient=user.email,
            subject=subject,
            body="\n".join(lines),
        )
    return True


def _own_states(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    return state_ids(user, roles)
