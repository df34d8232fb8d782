"""Demo organisations and one demo user per role (``ccm seed_demo``). DEMO ONLY: public passwords."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.accounts import services
from ccm.accounts.models import Membership, Organisation, OrganisationKind, PlatformRole, Role, User
from ccm.core import demo
from ccm.states.models import State

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose, demo only
# A published TOTP key (base32 JBSWY3DPEHPK3PXP) for the demo coordinator and administrator, so the
# second factor can be tried with any authenticator app or `oathtool --totp -b JBSWY3DPEHPK3PXP`.
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef"
DEMO_TOTP_KEY_BASE32 = "JBSWY3DPEHPK3PXP"

ORGANISATIONS = [
    ("Lebanon Mine Action Centre (demo)", OrganisationKind.STATE_GOVERNMENT, "LBN"),
    ("Norway, Ministry of Foreign Affairs (demo)", OrganisationKind.STATE_GOVERNMENT, "NOR"),
    ("European Union (demo)", OrganisationKind.INTERNATIONAL_ORGANISATION, None),
    ("Clearance Operator (demo)", OrganisationKind.OPERATOR, None),
    ("CCM Implementation Support Unit (demo)", OrganisationKind.COORDINATORS_OFFICE, None),
]

# email, full name, organisation index, role, platform role
USERS = [
    ("lebanon.manager@example.org", "Lina Manager", 0, Role.MANAGER, PlatformRole.NONE),
    ("lebanon.editor@example.org", "Layla Editor", 0, Role.EDITOR, PlatformRole.NONE),
    ("lebanon.viewer@example.org", "Leo Viewer", 0, Role.VIEWER, PlatformRole.NONE),
    ("norway.manager@example.org", "Nils Manager", 1, Role.MANAGER, PlatformRole.NONE),
    ("norway.editor@example.org", "Nora Editor", 1, Role.EDITOR, PlatformRole.NONE),
    ("eu.editor@example.org", "Elena Editor", 2, Role.EDITOR, PlatformRole.NONE),
    ("operator.manager@example.org", "Omar Manager", 3, Role.MANAGER, PlatformRole.NONE),
    ("coordinator@example.org", "Chris Coordinator", 4, Role.MANAGER, PlatformRole.COORDINATOR),
    ("admin@example.org", "Ada Administrator", None, None, PlatformRole.ADMINISTRATOR),
    ("outsider@example.org", "Otto Outsider", None, None, PlatformRole.NONE),
]


@demo.register
@transaction.atomic
def seed() -> list[str]:
    organisations = []
    for name, kind, iso3 in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first() or services.organisation_create(
            name=name, kind=kind, state=State.objects.get(iso3=iso3) if iso3 else None, actor=None
        )
        organisations.append(organisation)
    lines = [f"Demo users (password for all: {DEMO_PASSWORD}):"]
    for email, full_name, org_index, role, platform_role in USERS:
        user = User.objects.filter(email=email).first() or services.user_create(
            email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None, platform_role=platform_role
        )
        if org_index is not None and role is not None:
            organisation = organisations[org_index]
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                services.membership_add(user=user, organisation=organisation, role=role, actor=None)
        if platform_role and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            services.totp_device_install(user=user, key_hex=DEMO_TOTP_KEY_HEX, name="Demo authenticator", actor=None)
        where = (
            f"{role.label} at {organisations[org_index].name}" if org_index is not None and role else "no organisation"
        )
        extra = f", {platform_role.label}" if platform_role else ""
        lines.append(f"  {email:32} {where}{extra}")
    lines.append(f"Second factor for coordinator@ and admin@: TOTP key {DEMO_TOTP_KEY_BASE32}")
    lines.append(f"  (add it to an authenticator app, or run: oathtool --totp -b {DEMO_TOTP_KEY_BASE32})")
    return lines
