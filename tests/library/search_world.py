"""A world for the search tests: one object of each kind and visibility, every one with the word
"meridian" in its body (never in its title), and the index built over them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from ccm.coalitions.models import Coalition, Member
from ccm.library.models import Offer, Practice
from ccm.library.search_index import rebuild
from ccm.meetings.models import Meeting
from ccm.meetings.publish_models import Summary
from ccm.states.models import State
from tests.factories import DonorProfileFactory, NeedFactory
from tests.personas import organisation

WORD = "meridian"
PRIVATE_WORD = "xylocarpous"  # only in the private practice
TODAY = date(2026, 11, 29)


def _practice(title: str, visibility: str, org: str, body: str, **extra: Any) -> int:
    practice = Practice.objects.create(
        organisation=organisation(org),
        title=title,
        summary="A short summary.",
        body=body,
        pillar=extra.pop("pillar", "clearance"),
        published_on=date(2026, 1, 1),
        visibility=visibility,
        **extra,
    )
    return practice.pk


def _offer(title: str, visibility: str, org: str, expires_on: date) -> int:
    return Offer.objects.create(
        organisation=organisation(org),
        kind="expertise",
        title=title,
        description=f"Two experts in non-technical survey ({WORD}).",
        pillar="survey",
        modality="technical",
        expires_on=expires_on,
        visibility=visibility,
    ).pk


def _meeting(title: str) -> Meeting:
    return Meeting.objects.create(
        title=title,
        kind="closed",
        starts_at=datetime(2026, 9, 4, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 9, 4, 12, 0, tzinfo=UTC),
        time_zone="UTC",
        status="convened",
        visibility="meeting",
    )


def build() -> dict[str, Any]:
    lebanon = State.objects.get(iso3="LBN")
    far = timezone.localdate() + timedelta(days=365)
    ids: dict[str, Any] = {
        "practice_public": _practice(
            "Land release through non-technical survey", "public", "io", f"Survey first, then clear ({WORD})."
        ),
        "practice_platform": _practice("Capacity transfer", "platform", "io", f"National ownership ({WORD})."),
        "practice_private": _practice(
            "Our internal lessons", "organisation", "operator", f"Confidential {PRIVATE_WORD} findings ({WORD})."
        ),
        "practice_french": _practice(
            "Déclaration d'achèvement",
            "public",
            "io",
            f"Les opérations de déminage sont terminées ({WORD}).",
            language="fr",
        ),
        "offer_current": _offer("Survey experts", "platform", "io", far),
        "offer_expired": _offer("Old survey experts", "public", "io", date(2020, 1, 1)),
        "offer_private": _offer("Internal survey experts", "organisation", "operator", far),
        "need_public": NeedFactory(title="Clearance teams", description=f"Two teams for the south ({WORD})").pk,
        "need_draft": NeedFactory(title="Draft need", description=f"Not yet published ({WORD})", published=False).pk,
        "need_chosen": NeedFactory(
            title="Chosen need",
            description=f"For the operator only ({WORD})",
            visibility="chosen",
            chosen_donors=[organisation("operator")],
        ).pk,
        "donor_published": DonorProfileFactory(how_to_apply=f"Write to us ({WORD}).").pk,
        "donor_hidden": DonorProfileFactory(
            organisation=organisation("operator"), how_to_apply=f"Not yet open ({WORD}).", is_published=False
        ).pk,
    }
    published = Summary.objects.create(
        meeting=_meeting("Open meeting"),
        title="What was agreed",
        text=f"The participants agreed on a plan ({WORD}).",
        status="published",
        published_at=timezone.now(),
    )
    draft = Summary.objects.create(meeting=_meeting("Draft meeting"), text=f"Draft ({WORD}).")
    ids.update(summary_published=published.pk, summary_draft=draft.pk)
    public = Coalition.objects.create(
        state=lebanon, name="South coalition", proposed_on=date(2026, 1, 5), terms_of_reference=f"Clear ({WORD})."
    )
    private = Coalition.objects.create(
        state=lebanon,
        name="Quiet coalition",
        proposed_on=date(2026, 1, 5),
        visibility="coalition",
        terms_of_reference=f"Members only ({WORD}).",
    )
    Member.objects.create(
        coalition=private, organisation=organisation("io"), role="partner_donor", invited_on=date(2026, 1, 5)
    )
    ids.update(coalition_public=public.pk, coalition_private=private.pk)
    ids["counts"] = rebuild()
    return ids
