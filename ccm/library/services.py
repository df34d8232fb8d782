"""Writes of the library: practices (write, change, delete), offers (make, change, withdraw) and an
offer proposed as a response to a need. Typed, keyword-only, atomic; each records its audit entry.

Who may act is decided by the views through ``ccm.library.policies`` (an organisation's editors and
managers); the services check what the change itself must satisfy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.core import audit, clock
from ccm.core.templatetags.ccm import number
from ccm.library.models import Offer, OfferKind, OfferProposal, Practice
from ccm.needs import policies as need_policies
from ccm.needs import services as need_services
from ccm.needs.models import Need, ResponseKind
from ccm.states.models import State

PRACTICE_FIELDS = (
    "title",
    "summary",
    "body",
    "pillar",
    "tags",
    "source_organisation",
    "published_on",
    "language",
    "visibility",
)
OFFER_FIELDS = (
    "kind",
    "title",
    "description",
    "pillar",
    "modality",
    "expert_name",
    "skills",
    "languages",
    "availability",
    "quantity",
    "condition",
    "location",
    "expires_on",
    "visibility",
)
MAX_TERMS = 12  # tags of a practice, skills or languages of an offer
MAX_TERM_LENGTH = 40
MAX_COUNTRIES = 60
MAX_QUANTITY = 1_000_000  # items or places (the same bound on every database)
_TERM_RE = re.compile(r"^[\w][\w .'/&+-]*$")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def terms(values: Iterable[Any], *, field: str, lower: bool = True) -> list[str]:
    """Short labels (tags, skills, languages): trimmed, one space between words, each once (ignoring case),
    at most ``MAX_TERMS`` of at most ``MAX_TERM_LENGTH`` characters, letters, digits and a few signs."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw in values:
        text = " ".join(str(raw).split())
        if lower:
            text = text.lower()
        if not text or text.casefold() in seen:
            continue
        if len(text) > MAX_TERM_LENGTH:
            raise ValidationError({field: _("Each at most %(n)s characters.") % {"n": MAX_TERM_LENGTH}})
        if not _TERM_RE.match(text):
            raise ValidationError({field: _("Use letters, digits, spaces and hyphens: “%(t)s”.") % {"t": text[:40]}})
        seen.add(text.casefold())
        kept.append(text)
    if len(kept) > MAX_TERMS:
        raise ValidationError({field: _("At most %(n)s, separated by commas.") % {"n": MAX_TERMS}})
    return kept


def _check_lengths(obj: Any) -> None:
    """Text fields hold at most their declared length (``full_clean`` checks it for one-line fields only)."""
    problems = {}
    for model_field in type(obj)._meta.concrete_fields:
        value = getattr(obj, model_field.attname)
        if model_field.max_length and isinstance(value, str) and len(value) > model_field.max_length:
            problems[model_field.name] = _("At most %(n)s characters.") % {"n": number(model_field.max_length)}
    if problems:
        raise ValidationError(problems)


def _countries(countries: Iterable[State] | None) -> list[State] | None:
    if countries is None:
        return None
    chosen = list(countries)
    if len(chosen) > MAX_COUNTRIES:
        raise ValidationError({"countries": _("At most %(n)s countries.") % {"n": MAX_COUNTRIES}})
    return chosen


# --- Practices ------------------------------------------------------------------------------------


@transaction.atomic
def practice_save(
    *,
    organisation: Organisation,
    values: dict[str, Any],
    actor: Any,
    practice: Practice | None = None,
    countries: Iterable[State] | None = None,
    illustrative: bool = False,
) -> Practice:
    """Write a practice for ``organisation`` or change one of its own."""
    values = {k: v for k, v in values.items() if k in PRACTICE_FIELDS}
    if "tags" in values:
        values["tags"] = terms(values["tags"] or [], field="tags")
    chosen = _countries(countries)
    created = practice is None
    if practice is None:
        practice = Practice(organisation=organisation, created_by=_actor(actor), illustrative=illustrative)
    else:
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        if practice.organisation_id != organisation.pk:
            raise ValidationError(_("This practice belongs to another organisation."))
    old = audit.snapshot(practice, list(values)) if not created else {}
    for name, value in values.items():
        setattr(practice, name, value)
    _check_lengths(practice)
    practice.full_clean()
    practice.save()
    if chosen is not None:
        practice.countries.set(chosen)
    before, after = audit.changes(old, audit.snapshot(practice, list(values)))
    audit.record(
        actor=actor,
        action="practice.create" if created else "practice.update",
        obj=practice,
        old=before,
        new=after,
        organisation_id=organisation.pk,
    )
    return practice


@transaction.atomic
def practice_delete(*, practice: Practice, actor: Any) -> None:
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    audit.record(
        actor=actor,
        action="practice.delete",
        obj=practice,
        old={"title": practice.title},
        organisation_id=practice.organisation_id,
    )
    practice.delete()


# --- Offers ---------------------------------------------------------------------------------------


def _check_offer(offer: Offer, *, day: date) -> None:
    problems: dict[str, str] = {}
    if offer.kind == OfferKind.EXPERTISE and not offer.expert_name.strip():
        problems["expert_name"] = _("Name the person or the agency offered.")
    if offer.kind in (OfferKind.EQUIPMENT, OfferKind.TRAINING) and not offer.quantity:
        problems["quantity"] = _("Say how many (at least one).")
    if offer.quantity is not None and offer.quantity > MAX_QUANTITY:
        problems["quantity"] = _("At most %(n)s.") % {"n": number(MAX_QUANTITY)}
    if offer.kind != OfferKind.EQUIPMENT and offer.condition:
        problems["condition"] = _("Only equipment has a condition.")
    if offer.expires_on and offer.expires_on < day:
        problems["expires_on"] = _("The date an offer runs until cannot be in the past.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def offer_save(
    *,
    organisation: Organisation,
    values: dict[str, Any],
    actor: Any,
    offer: Offer | None = None,
    countries: Iterable[State] | None = None,
    illustrative: bool = False,
    today: date | None = None,
) -> Offer:
    """Make an offer for ``organisation`` or change one of its own that is not withdrawn."""
    day = today or clock.today()
    values = {k: v for k, v in values.items() if k in OFFER_FIELDS}
    for name in ("skills", "languages"):
        if name in values:
            values[name] = terms(values[name] or [], field=name, lower=False)
    chosen = _countries(countries)
    created = offer is None
    if offer is None:
        offer = Offer(organisation=organisation, created_by=_actor(actor), illustrative=illustrative)
    else:
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.organisation_id != organisation.pk:
            raise ValidationError(_("This offer belongs to another organisation."))
        if offer.withdrawn_at:
            raise ValidationError(_("A withdrawn offer cannot be changed."))
    old = audit.snapshot(offer, list(values)) if not created else {}
    for name, value in values.items():
        setattr(offer, name, value)
    _check_lengths(offer)
    offer.full_clean()
    _check_offer(offer, day=day)
    offer.save()
    if chosen is not None:
        offer.countries.set(chosen)
    before, after = audit.changes(old, audit.snapshot(offer, list(values)))
    audit.record(
        actor=actor,
        action="offer.create" if created else "offer.update",
        obj=offer,
        old=before,
        new=after,
        organisation_id=organisation.pk,
    )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor: Any) -> Offer:
    """No longer offered (kept, for the organisation and the coordinators)."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.withdrawn_at:
        raise ValidationError(_("This offer is already withdrawn."))
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["withdrawn_at", "updated_at"])
    audit.record(actor=actor, action="offer.withdraw", obj=offer, organisation_id=offer.organisation_id)
    return offer


def proposal_message(offer: Offer) -> str:
    """The words posted in the need's thread when an offer is proposed."""
    details = [str(offer.get_kind_display())]
    if offer.kind == OfferKind.EXPERTISE and offer.expert_name:
        details.append(offer.expert_name)
    if offer.quantity:
        details.append(_("quantity %(n)s") % {"n": offer.quantity})
    details.append(_("offered until %(d)s") % {"d": offer.expires_on.isoformat()})
    description = offer.description if len(offer.description) <= 1500 else offer.description[:1499] + "…"
    return _("We propose our offer “%(title)s” (%(details)s).\n\n%(description)s\n\nDetails: %(url)s") % {
        "title": offer.title,
        "details": "; ".join(details),
        "description": description,
        "url": reverse("library:offer", args=[offer.pk]),
    }


@transaction.atomic
def offer_propose(*, offer: Offer, need: Need, actor: Any, today: date | None = None) -> OfferProposal:
    """Post ``offer`` in ``need``'s thread as a response of kind offer, in the offering organisation's name,
    once per offer and need. The actor must be an editor or manager of the offering organisation who may
    respond to the need (checked here as well as by the view: it is the rule of the change)."""
    day = today or clock.today()
    offer = Offer.objects.select_for_update().select_related("organisation").get(pk=offer.pk)
    if offer.withdrawn_at or offer.expires_on < day:
        raise ValidationError(_("This offer is no longer offered."))
    if offer.organisation_id not in need_policies.responding_organisation_ids(actor, need):
        raise ValidationError(_("Only the offering organisation's editors and managers propose its offers."))
    if not need_policies.needs.can(actor, need_policies.RESPOND, need):
        raise ValidationError(_("This need accepts no responses from you."))
    if OfferProposal.objects.filter(offer=offer, need=need).exists():
        raise ValidationError(_("This offer was already proposed for this need."))
    response = need_services.response_create(
        need=need,
        organisation=offer.organisation,
        kind=ResponseKind.OFFER,
        actor=actor,
        message=proposal_message(offer),
    )
    try:
        with transaction.atomic():
            proposal = OfferProposal.objects.create(offer=offer, need=need, response=response, created_by=_actor(actor))
    except IntegrityError as exc:  # proposed at the same moment by someone else
        raise ValidationError(_("This offer was already proposed for this need.")) from exc
    audit.record(
        actor=actor,
        action="offer.propose",
        obj=offer,
        new={"need": need.pk, "response": response.pk},
        organisation_id=offer.organisation_id,
    )
    return proposal
