"""A library in the persona world: practices and offers of the operator and the international
organisation at every visibility level, current, expired and withdrawn offers.

- ``private_practice``: the operator's, visible to its members and the coordinators only;
- ``platform_practice`` (IO, signed-in users) and ``public_practice`` (State A's government, everyone);
- ``offer``: the operator's, current, for signed-in users (clearance, technical expertise);
- ``expired_offer`` (operator, public, past its date), ``withdrawn_offer`` (operator, public);
- ``private_offer``: the IO's, current, for its members only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ccm.core import clock
from ccm.library import services
from ccm.library.models import Offer, Practice
from ccm.states.models import State
from tests.personas import organisation

OPERATOR_MEMBERS = ["operator_viewer", "operator_editor", "operator_manager"]
OPERATOR_WRITERS = ["operator_editor", "operator_manager"]
COORDINATORS = ["coordinator", "administrator"]
# Editors and managers of some organisation: they may write practices and make offers
WRITERS = [
    "state_editor",
    "state_manager",
    "io_editor",
    "io_manager",
    "operator_editor",
    "operator_manager",
    "isu_editor",
    "isu_manager",
    "other_state_manager",
]


def practice_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Land release through non-technical survey",
        "summary": "Cancel what holds no evidence.",
        "body": "## Steps\n\n- Interview farmers\n- Record **why** an area is cancelled",
        "pillar": "survey",
        "tags": ["land release", "survey"],
        "source_organisation": "",
        "published_on": date(2025, 5, 1),
        "language": "en",
        "visibility": "public",
    }
    values.update(overrides)
    return values


def offer_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "expertise",
        "title": "Information-management adviser",
        "description": "An adviser to move clearance records into a new database.",
        "pillar": "clearance",
        "modality": "technical_expertise",
        "expert_name": "Operator IM unit",
        "skills": ["information management"],
        "languages": ["English"],
        "expires_on": clock.today() + timedelta(days=90),
        "visibility": "platform",
    }
    values.update(overrides)
    return values


@dataclass
class World:
    private_practice: Practice
    platform_practice: Practice
    public_practice: Practice
    offer: Offer
    expired_offer: Offer
    withdrawn_offer: Offer
    private_offer: Offer


def library_world() -> World:
    operator, io, state = organisation("operator"), organisation("io"), organisation("state")
    lebanon = State.objects.get(iso3="LBN")
    private_practice = services.practice_save(
        organisation=operator,
        values=practice_values(title="Internal lessons on clearance", pillar="clearance", visibility="organisation"),
        actor=None,
    )
    platform_practice = services.practice_save(
        organisation=io,
        values=practice_values(title="Survivors' rehabilitation", pillar="victim_assistance", visibility="platform"),
        actor=None,
    )
    public_practice = services.practice_save(
        organisation=state, values=practice_values(), countries=[lebanon], actor=None
    )
    offer = services.offer_save(organisation=operator, values=offer_values(), actor=None)
    past = clock.today() - timedelta(days=200)
    expired_offer = services.offer_save(
        organisation=operator,
        values=offer_values(title="Old clearance adviser", expires_on=past + timedelta(days=10), visibility="public"),
        actor=None,
        today=past,
    )
    withdrawn_offer = services.offer_save(
        organisation=operator, values=offer_values(title="Withdrawn clearance adviser", visibility="public"), actor=None
    )
    services.offer_withdraw(offer=withdrawn_offer, actor=None)
    private_offer = services.offer_save(
        organisation=io,
        values=offer_values(title="Private clearance adviser", visibility="organisation"),
        actor=None,
    )
    return World(
        private_practice=private_practice,
        platform_practice=platform_practice,
        public_practice=public_practice,
        offer=offer,
        expired_offer=expired_offer,
        withdrawn_offer=withdrawn_offer,
        private_offer=private_offer,
    )
