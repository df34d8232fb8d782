"""Writes for campaigns: create one from a published version (recipients, dates, conveners), change it,
and send it (the recipients' editors and managers are told by e-mail, in the background)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation, User
from ccm.consultations.models import Campaign, CampaignRecipient, Convener, QuestionSetVersion, VersionStatus
from ccm.core import audit
from ccm.core.policies import is_coordinator

CAMPAIGN_FIELDS = ["title", "message", "opens_on", "closes_on"]


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _require_coordinator(actor: Any) -> None:
    if _actor(actor) is None or not is_coordinator(actor):
        raise PermissionDenied(_("Only coordinators run consultations."))


def _check(
    *, version: QuestionSetVersion, opens_on: date, closes_on: date, recipients: list[Organisation], title: str
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the campaign a title.")
    if version.status != VersionStatus.PUBLISHED:
        errors["version"] = _("Only a published version of a question set can be sent.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The closing date comes before the opening date.")
    if not recipients:
        errors["recipients"] = _("Choose at least one organisation to ask.")
    inactive = [str(o) for o in recipients if not o.is_active]
    if inactive:
        errors["recipients"] = _("Organisations no longer active: %(names)s.") % {"names": ", ".join(inactive)}
    if errors:
        raise ValidationError(errors)


def _set_conveners(campaign: Campaign, conveners: Iterable[tuple[User, date | None]]) -> list[dict[str, Any]]:
    wanted = {user.pk: ends for user, ends in conveners}
    campaign.conveners.exclude(user_id__in=wanted).delete()
    for user_id, ends in wanted.items():
        Convener.objects.update_or_create(campaign=campaign, user_id=user_id, defaults={"mandate_ends": ends})
    return [{"user": uid, "mandate_ends": ends.isoformat() if ends else None} for uid, ends in sorted(wanted.items())]


@transaction.atomic
def campaign_create(
    *,
    title: str,
    version: QuestionSetVersion,
    opens_on: date,
    closes_on: date,
    recipients: Iterable[Organisation],
    actor: Any,
    message: str = "",
    conveners: Iterable[tuple[User, date | None]] = (),
) -> Campaign:
    """A campaign (not sent yet) of a published version to ``recipients``, convened by ``conveners``
    (each with the end of their mandate, or None)."""
    _require_coordinator(actor)
    recipients = list(dict.fromkeys(recipients))
    _check(version=version, opens_on=opens_on, closes_on=closes_on, recipients=recipients, title=title)
    campaign = Campaign(
        title=title.strip(),
        version=version,
        message=message,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=_actor(actor),
    )
    campaign.full_clean()
    campaign.save()
    CampaignRecipient.objects.bulk_create(CampaignRecipient(campaign=campaign, organisation=o) for o in recipients)
    convened = _set_conveners(campaign, conveners)
    audit.record(
        actor=actor,
        action="campaign.create",
        obj=campaign,
        new={
            **audit.snapshot(campaign, CAMPAIGN_FIELDS),
            "version": version.pk,
            "recipients": sorted(o.pk for o in recipients),
            "conveners": convened,
        },
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    title: str,
    opens_on: date,
    closes_on: date,
    recipients: Iterable[Organisation],
    actor: Any,
    message: str = "",
    conveners: Iterable[tuple[User, date | None]] = (),
) -> Campaign:
    """Change a campaign. Once sent, its recipients can only be added to (an organisation already asked
    stays asked) and its opening date stays."""
    _require_coordinator(actor)
    recipients = list(dict.fromkeys(recipients))
    _check(version=campaign.version, opens_on=opens_on, closes_on=closes_on, recipients=recipients, title=title)
    current = set(campaign.recipient_rows.values_list("organisation_id", flat=True))
    wanted = {o.pk for o in recipients}
    if campaign.sent_at is not None:
        if current - wanted:
            raise ValidationError({"recipients": _("The campaign was sent: organisations already asked stay asked.")})
        if opens_on != campaign.opens_on:
            raise ValidationError({"opens_on": _("The campaign was sent: its opening date stays.")})
    old = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    campaign.title, campaign.message, campaign.opens_on, campaign.closes_on = (
        title.strip(),
        message,
        opens_on,
        closes_on,
    )
    campaign.full_clean()
    campaign.save()
    campaign.recipient_rows.exclude(organisation_id__in=wanted).delete()
    CampaignRecipient.objects.bulk_create(
        CampaignRecipient(campaign=campaign, organisation=o) for o in recipients if o.pk not in current
    )
    convened = _set_conveners(campaign, conveners)
    before, after = audit.changes(old, audit.snapshot(campaign, CAMPAIGN_FIELDS))
    audit.record(
        actor=actor,
        action="campaign.update",
        obj=campaign,
        old=before,
        new={**after, "recipients": sorted(wanted), "conveners": convened},
    )
    if campaign.sent_at is not None and wanted - current:
        from ccm.consultations.tasks import enqueue_invitations

        transaction.on_commit(lambda: enqueue_invitations(campaign=campaign, actor=actor))
    return campaign


@transaction.atomic
def campaign_send(*, campaign: Campaign, actor: Any) -> Campaign:
    """Send the campaign: its recipients see it from now on and their editors and managers are told by
    e-mail (a background job; each person once)."""
    _require_coordinator(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.sent_at is not None:
        raise ValidationError(_("This campaign was already sent."))
    if not campaign.recipient_rows.exists():
        raise ValidationError(_("Choose at least one organisation to ask."))
    campaign.sent_at = timezone.now()
    campaign.save(update_fields=["sent_at"])
    audit.record(
        actor=actor,
        action="campaign.send",
        obj=campaign,
        new={"sent_at": campaign.sent_at, "recipients": campaign.recipient_rows.count()},
    )
    from ccm.consultations.tasks import enqueue_invitations

    transaction.on_commit(lambda: enqueue_invitations(campaign=campaign, actor=actor))
    return campaign
