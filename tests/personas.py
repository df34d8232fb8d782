"""Personas for the role matrix: one user per role and organisation kind, plus the rest.

Organisation A is a State government (Lebanon); every kind has a viewer, an editor and a manager.
``other_state_manager`` manages organisation B (Norway's government): the State-B user who must never
see State A's restricted objects. ``outsider`` is signed in but belongs nowhere. ``anonymous`` is not
signed in. ``coordinator`` and ``administrator`` hold platform roles (with a verified second factor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.accounts import services
from ccm.accounts.models import Membership, Organisation, OrganisationKind, PlatformRole, Role, User
from ccm.states.models import State

PASSWORD = "persona-password-long-enough"  # noqa: S105

KIND_ORGS = {
    OrganisationKind.STATE_GOVERNMENT: ("State A government", "LBN"),
    OrganisationKind.INTERNATIONAL_ORGANISATION: ("International organisation", None),
    OrganisationKind.OPERATOR: ("Operator", None),
    OrganisationKind.COORDINATORS_OFFICE: ("Coordinators office", None),
}
KIND_SHORT = {
    OrganisationKind.STATE_GOVERNMENT: "state",
    OrganisationKind.INTERNATIONAL_ORGANISATION: "io",
    OrganisationKind.OPERATOR: "operator",
    OrganisationKind.COORDINATORS_OFFICE: "isu",
}

MEMBER_PERSONAS = [f"{KIND_SHORT[kind]}_{role.value}" for kind in KIND_ORGS for role in Role]
ALL_PERSONAS = ["anonymous", "outsider", *MEMBER_PERSONAS, "other_state_manager", "coordinator", "administrator"]
STATE_A_MEMBERS = ["state_viewer", "state_editor", "state_manager"]


def _email(name: str) -> str:
    return f"{name.replace('_', '.')}@personas.test"


def create_personas() -> None:
    """Create the persona world (once per test session; again after a transactional test emptied it)."""
    if Organisation.objects.filter(slug="state-b-government").exists():
        return
    orgs: dict[str, Organisation] = {}
    for kind, (name, iso3) in KIND_ORGS.items():
        orgs[KIND_SHORT[kind]] = Organisation.objects.create(
            name=name,
            slug=name.lower().replace(" ", "-"),
            kind=kind,
            state=State.objects.get(iso3=iso3) if iso3 else None,
        )
    orgs["other_state"] = Organisation.objects.create(
        name="State B government",
        slug="state-b-government",
        kind=OrganisationKind.STATE_GOVERNMENT,
        state=State.objects.get(iso3="NOR"),
    )
    for name in ALL_PERSONAS:
        if name == "anonymous":
            continue
        platform_role = {"coordinator": PlatformRole.COORDINATOR, "administrator": PlatformRole.ADMINISTRATOR}.get(
            name, PlatformRole.NONE
        )
        user = services.user_create(
            email=_email(name),
            password=PASSWORD,
            full_name=name.replace("_", " ").title(),
            platform_role=platform_role,
            actor=None,
        )
        if platform_role:
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        if name in MEMBER_PERSONAS:
            short, role = name.rsplit("_", 1)
            Membership.objects.create(user=user, organisation=orgs[short], role=role)
        if name == "other_state_manager":
            Membership.objects.create(user=user, organisation=orgs["other_state"], role=Role.MANAGER)


@dataclass
class Persona:
    name: str
    user: User | None

    def client(self) -> Client:
        """A test client signed in as this persona (second factor verified where it has one)."""
        return signed_in_client(self.user)


def signed_in_client(user: Any) -> Client:
    """A test client signed in as ``user`` (any user, e.g. a demo account), its second factor verified
    where it has one; anonymous for None."""
    client = Client()
    if user is not None:
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


def persona(name: str) -> Persona:
    if name == "anonymous":
        return Persona(name, None)
    return Persona(name, User.objects.get(email=_email(name)))


ORG_SLUGS = {KIND_SHORT[kind]: name.lower().replace(" ", "-") for kind, (name, _iso3) in KIND_ORGS.items()}
ORG_SLUGS["other_state"] = "state-b-government"


def organisation(short: str) -> Organisation:
    return Organisation.objects.get(slug=ORG_SLUGS[short])
