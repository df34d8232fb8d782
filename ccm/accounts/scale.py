"""Scale data (``ccm seed_scale``): organisations, users and memberships, and the named accounts the load
benchmark signs in as (one password for all, published: scale data is for measuring, never production)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from ccm.accounts import services
from ccm.accounts.demo import DEMO_TOTP_KEY_HEX
from ccm.accounts.models import Membership, Organisation, OrganisationKind, PlatformRole, Role, User
from ccm.core.scale import BATCH, SCALE_PREFIX, ScaleContext, register
from ccm.states.models import State, TreatyStatus

SCALE_PASSWORD = "scale-password-2026"  # noqa: S105 - published on purpose: scale data is never production
# The accounts bench/web.py signs in as.
BENCH_ACCOUNTS = {
    "editor": "scale-editor@example.org",
    "donor": "scale-donor@example.org",
    "coordinator": "scale-coordinator@example.org",
}
EDITOR_STATE = "LBN"
DONOR_STATE = "NOR"


def scale_organisations() -> list[Organisation]:
    """The scale data set's organisations that fund, meet and write (the coordinators' office aside), by id:
    what the other apps' steps draw from."""
    return list(
        Organisation.objects.filter(slug__startswith=SCALE_PREFIX)
        .exclude(kind=OrganisationKind.COORDINATORS_OFFICE)
        .order_by("pk")
    )


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    parties = list(State.objects.filter(ccm_status=TreatyStatus.STATE_PARTY).order_by("iso3"))
    # The benchmark's State editor and donor belong to these governments, whatever the factor.
    parties.sort(key=lambda state: state.iso3 not in (EDITOR_STATE, DONOR_STATE))
    wanted = ctx.size("organisations")
    governments = parties[: max(1, min(len(parties), wanted - 2))]
    others = max(0, wanted - len(governments) - 1)
    organisations = [
        Organisation(
            name=f"Government of {state.name} (scale)",
            slug=f"{SCALE_PREFIX}gov-{state.iso3.lower()}",
            kind=OrganisationKind.STATE_GOVERNMENT,
            state=state,
        )
        for state in governments
    ]
    organisations.append(
        Organisation(
            name="Coordinators' office (scale)",
            slug=f"{SCALE_PREFIX}coordinators",
            kind=OrganisationKind.COORDINATORS_OFFICE,
        )
    )
    for i in range(others):
        kind = OrganisationKind.INTERNATIONAL_ORGANISATION if i % 3 == 0 else OrganisationKind.OPERATOR
        organisations.append(
            Organisation(name=f"Scale organisation {i + 1:03d}", slug=f"{SCALE_PREFIX}org-{i + 1:03d}", kind=kind)
        )
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    organisations = list(Organisation.objects.filter(slug__startswith=SCALE_PREFIX).order_by("pk"))

    password = make_password(SCALE_PASSWORD)
    users = [
        User(email=f"scale-user-{i + 1:05d}@example.org", full_name=f"Scale user {i + 1}", password=password)
        for i in range(ctx.size("users"))
    ]
    users += [User(email=email, full_name=f"Scale {name}", password=password) for name, email in BENCH_ACCOUNTS.items()]
    User.objects.bulk_create(users, batch_size=BATCH)
    users = list(User.objects.filter(email__startswith=SCALE_PREFIX).exclude(email__in=BENCH_ACCOUNTS.values()))
    roles = [Role.VIEWER, Role.VIEWER, Role.EDITOR, Role.EDITOR, Role.MANAGER]
    memberships = [
        Membership(user=user, organisation=organisations[i % len(organisations)], role=rng.choice(roles))
        for i, user in enumerate(users)
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    by_slug = {org.slug: org for org in organisations}
    editor = User.objects.get(email=BENCH_ACCOUNTS["editor"])
    donor = User.objects.get(email=BENCH_ACCOUNTS["donor"])
    coordinator = User.objects.get(email=BENCH_ACCOUNTS["coordinator"])
    lines = []
    for user, iso3 in ((editor, EDITOR_STATE), (donor, DONOR_STATE)):
        org = by_slug.get(f"{SCALE_PREFIX}gov-{iso3.lower()}")
        if org is not None:
            Membership.objects.create(user=user, organisation=org, role=Role.EDITOR)
            lines.append(f"{user.email}: editor of {org.name}")
    coordinator.platform_role = PlatformRole.COORDINATOR
    coordinator.save(update_fields=["platform_role"])
    Membership.objects.create(user=coordinator, organisation=by_slug[f"{SCALE_PREFIX}coordinators"], role=Role.MANAGER)
    services.totp_device_install(user=coordinator, key_hex=DEMO_TOTP_KEY_HEX, name="Scale authenticator", actor=None)
    lines.append(f"{coordinator.email}: coordinator (second factor: the demo's TOTP key)")
    lines.insert(0, f"{len(organisations)} organisations, {len(users) + 3} users (password {SCALE_PASSWORD})")
    return lines
