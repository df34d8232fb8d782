"""Writes for needs, obstacles, responses, donor profiles and notification preferences."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.core import audit, money
from ccm.core.money import CURRENCIES
from ccm.needs.models import (
    DonorProfile,
    Need,
    NotificationPreference,
    Obstacle,
    Response,
    ResponseKind,
)
from ccm.states.models import State
from ccm.states.selectors import government_organisation_id

NEED_FIELDS = (
    "title",
    "pillar",
    "modality",
    "description",
    "amount",
    "currency",
    "in_kind",
    "starts_on",
    "ends_on",
    "priority",
    "visibility",
    "obligation",
)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def obstacle_create(
    *,
    state: State,
    category: str,
    severity: str,
    statement: str,
    observed_on: date,
    actor: Any,
    obligation: Any = None,
    visibility: str = "public",
    pillar: str = "",
) -> Obstacle:
    obstacle = Obstacle(
        state=state,
        category=category,
        pillar=pillar,
        severity=severity,
        statement=statement,
        observed_on=observed_on,
        obligation=obligation,
        visibility=visibility,
        created_by=_actor(actor),
    )
    obstacle.full_clean()
    obstacle.save()
    audit.record(
        actor=actor,
        action="obstacle.create",
        obj=obstacle,
        new=audit.snapshot(obstacle, ["category", "pillar", "severity", "statement", "observed_on", "visibility"]),
        organisation_id=government_organisation_id(state),
    )
    return obstacle


def _check_need(values: dict[str, Any], state: State) -> None:
    errors: dict[str, list[str]] = {}
    amount, currency = values.get("amount"), (values.get("currency") or "").upper()
    if amount is not None and not currency:
        errors.setdefault("currency", []).append(_("Give the currency of the amount."))
    if currency and currency not in CURRENCIES:
        errors.setdefault("currency", []).append(_("%(c)s is not an ISO 4217 currency code.") % {"c": currency})
    if amount is None and not (values.get("in_kind") or "").strip():
        errors.setdefault("amount", []).append(_("Give an amount, or describe what is needed in kind."))
    if amount is not None and money.bound_problem(amount):
        errors.setdefault("amount", []).append(money.bound_problem(amount))
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(_("The end of the time window comes before its start."))
    obligation = values.get("obligation")
    if obligation is not None and obligation.state_id != state.pk:
        errors.setdefault("obligation", []).append(_("This obligation belongs to another State."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def need_save(
    *,
    state: State,
    values: dict[str, Any],
    actor: Any,
    need: Need | None = None,
    obstacles: list[Obstacle] | None = None,
    chosen_donors: list[Organisation] | None = None,
    illustrative: bool = False,
) -> Need:
    """Create a need (as a draft) or change one that is not withdrawn."""
    values = {k: v for k, v in values.items() if k in NEED_FIELDS}
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
    _check_need(values, state)
    created = need is None
    if need is None:
        need = Need(state=state, created_by=_actor(actor), illustrative=illustrative)
    else:
        need = Need.objects.select_for_update().get(pk=need.pk)
        if need.withdrawn_at:
            raise ValidationError(_("A withdrawn need cannot be changed."))
    old = audit.snapshot(need, list(values)) if not created else {}
    for name, value in values.items():
        setattr(need, name, value)
    need.full_clean()
    need.save()
    if obstacles is not None:
        if any(o.state_id != state.pk for o in obstacles):
            raise ValidationError({"obstacles": _("Link only this State's obstacles.")})
        need.obstacles.set(obstacles)
    if chosen_donors is not None:
        need.chosen_donors.set(chosen_donors)
    before, after = audit.changes(old, audit.snapshot(need, list(values)))
    audit.record(
        actor=actor,
        action="need.create" if created else "need.update",
        obj=need,
        old=before,
        new=after,
        organisation_id=government_organisation_id(state),
    )
    return need


@transaction.atomic
def need_publish(*, need: Need, actor: Any, at: Any = None) -> Need:
    """Publish a draft; donors whose profile matches hear of it by e-mail (after the commit).
    ``at`` records an earlier publication date (data brought in from elsewhere, demo data)."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.withdrawn_at or need.published_at:
        raise ValidationError(_("Only a draft can be published."))
    need.published_at = at or timezone.now()
    need.save(update_fields=["published_at", "updated_at"])
    audit.record(actor=actor, action="need.publish", obj=need, organisation_id=government_organisation_id(need.state))
    from ccm.needs.tasks import enqueue_notify_matching_donors

    enqueue_notify_matching_donors(need=need, actor=actor)  # a background task, after the commit
    return need


@transaction.atomic
def need_withdraw(*, need: Need, actor: Any, reason: str = "") -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.withdrawn_at:
        raise ValidationError(_("This need is withdrawn already."))
    need.withdrawn_at = timezone.now()
    need.save(update_fields=["withdrawn_at", "updated_at"])
    audit.record(
        actor=actor,
        action="need.withdraw",
        obj=need,
        extra={"reason": reason},
        organisation_id=government_organisation_id(need.state),
    )
    return need


@transaction.atomic
def need_mark_met(*, need: Need, actor: Any) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.withdrawn_at or not need.published_at:
        raise ValidationError(_("Only a published need can be marked as met."))
    need.met_at = timezone.now()
    need.save(update_fields=["met_at", "updated_at"])
    audit.record(actor=actor, action="need.mark_met", obj=need, organisation_id=government_organisation_id(need.state))
    return need


@transaction.atomic
def response_create(
    *,
    need: Need,
    organisation: Organisation,
    kind: str,
    actor: Any,
    message: str = "",
    decline_reason: str = "",
    ledger_pledge: bool = False,
) -> Response:
    """Add to a need's thread. The need row is locked first. A pledge is a flow in the funding ledger:
    ``ccm.funding.services.pledge_create`` checks its amount and posts its message here
    (``ledger_pledge=True``); a pledge cannot be added to the thread any other way."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.withdrawn_at:
        raise ValidationError(_("This need was withdrawn: it accepts no new responses."))
    if need.published_at is None:
        raise ValidationError(_("This need is not published."))
    if kind == ResponseKind.ANSWER and organisation.state_id != need.state_id:
        raise ValidationError(_("Only the State that stated the need answers in its name."))
    if kind != ResponseKind.ANSWER and organisation.state_id == need.state_id:
        raise ValidationError(_("A State does not respond to its own need."))
    if kind == ResponseKind.PLEDGE and not ledger_pledge:
        raise ValidationError({"kind": _("A pledge is recorded in the funding ledger: use the pledge form.")})
    if kind == ResponseKind.DECLINE and not decline_reason.strip():
        raise ValidationError({"decline_reason": _("Say why, so the State can look elsewhere.")})
    if kind in (ResponseKind.QUESTION, ResponseKind.OFFER, ResponseKind.ANSWER) and not message.strip():
        raise ValidationError({"message": _("Write the message.")})
    response = Response(
        need=need,
        organisation=organisation,
        author=_actor(actor),
        kind=kind,
        message=message,
        decline_reason=decline_reason,
    )
    response.full_clean()
    response.save()
    audit.record(
        actor=actor,
        action=f"response.add_{kind}",
        obj=response,
        new={"need": need.pk, "organisation": organisation.name},
        organisation_id=organisation.pk,
    )
    from ccm.needs.tasks import enqueue_response_notice

    enqueue_response_notice(response=response, actor=actor)  # the State hears of it (after the commit)
    return response


@transaction.atomic
def donor_profile_save(
    *,
    organisation: Organisation,
    values: dict[str, Any],
    actor: Any,
    priority_states: list[State] | None = None,
) -> DonorProfile:
    profile = DonorProfile.objects.select_for_update().filter(organisation=organisation).first()
    created = profile is None
    profile = profile or DonorProfile(organisation=organisation)
    fields = [k for k in values if k not in ("organisation",)]
    old = audit.snapshot(profile, fields) if not created else {}
    for name, value in values.items():
        setattr(profile, name, value)
    if profile.grant_min is not None and profile.grant_max is not None and profile.grant_min > profile.grant_max:
        raise ValidationError({"grant_max": _("The largest grant is smaller than the smallest.")})
    profile.full_clean()
    profile.save()
    if priority_states is not None:
        profile.priority_states.set(priority_states)
    before, after = audit.changes(old, audit.snapshot(profile, fields))
    audit.record(
        actor=actor,
        action="donor_profile.create" if created else "donor_profile.update",
        obj=profile,
        old=before,
        new=after,
        organisation_id=organisation.pk,
    )
    return profile


@transaction.atomic
def preference_save(
    *, user: Any, matching_needs: bool, weekly_digest: bool, responses: str | None = None
) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    fields = ("matching_needs", "weekly_digest", "responses")
    old = {name: getattr(preference, name) for name in fields}
    preference.matching_needs, preference.weekly_digest = matching_needs, weekly_digest
    if responses is not None:
        preference.responses = responses
    preference.full_clean()
    preference.save()
    before, after = audit.changes(old, {name: getattr(preference, name) for name in fields})
    if after:
        audit.record(actor=user, action="notification_preference.update", obj=preference, old=before, new=after)
    return preference
