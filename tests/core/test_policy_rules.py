"""Rules every access policy keeps, checked over every policy of every app, every persona and a
world of objects at every visibility level:

- deny by default: an action a policy does not declare is refused, whoever asks;
- ``visible_to(user, action)`` is exactly the set of objects for which ``can(user, action, obj)``;
- one acts only on what one sees;
- what a role allows comes from ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from typing import Any

import pytest
from django.apps import apps

from ccm.core.policies import ROLE_PERMISSIONS, Action, Policy, roles_with
from tests.personas import ALL_PERSONAS, organisation, persona
from tests.worlds import shared_world

pytestmark = pytest.mark.django_db

UNKNOWN_ACTIONS = ["frobnicate", "", "VIEW", "delete_everything"]


# Core capabilities keep their policy beside their code.
CORE_POLICY_MODULES = ["ccm.core.imports", "ccm.core.documents.policies"]


def all_policies() -> list[Policy[Any]]:
    """Every policy instance declared in an app's ``policies`` module (new apps are found alone)."""
    found: dict[int, Policy[Any]] = {}
    names = [f"{config.name}.policies" for config in apps.get_app_configs() if config.name.startswith("ccm.")]
    # an app may keep a part's policies in their own module (``synthesis_policies``, ``publish_policies``)
    for config in apps.get_app_configs():
        if config.name.startswith("ccm."):
            names += [
                f"{config.name}.{info.name}"
                for info in pkgutil.iter_modules([config.path])
                if info.name.endswith("_policies")
            ]
    names += CORE_POLICY_MODULES
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, Policy):
                found[id(value)] = value
    return list(found.values())


POLICIES = all_policies()


def _name(policy: Policy[Any]) -> str:
    return f"{type(policy).__module__}.{type(policy).__name__}"


def _build_world() -> None:
    """Objects of every model with a policy, at every visibility level, for two States."""
    from ccm.needs import services as needs
    from ccm.reporting import services as reporting
    from ccm.states.models import State
    from tests.factories import FlowFactory, NeedFactory, ObstacleFactory, ResponseFactory
    from tests.test_access_matrix import _fixtures

    fixtures = _fixtures(everything=True)  # drafts, a public need, a plan, imports, an invitation, a token, ...
    # the synthesis' own objects: a theme tag, a quote review and key points on the matrix's campaign
    from ccm.consultations import synthesis_services as synthesis
    from ccm.consultations.models import AnswerItem, Campaign

    item = AnswerItem.objects.get(pk=fixtures["synthesis_item"])
    campaign = Campaign.objects.get(pk=fixtures["synthesis_campaign"])
    synthesis.themes_retag(item=item, themes=["funding"], actor=None)
    synthesis.quote_waive(item=item, reason="Says nothing that names anyone.", actor=None)
    synthesis.key_points_save(campaign=campaign, text="Funding is the first obstacle.", actor=None)
    # a waived hit of the check on the closed meeting's summary (its review is tested in tests/meetings)
    from ccm.meetings.publish_models import Summary, SummaryHitDecision
    from tests.meetings.publish_world import naming_fingerprint

    SummaryHitDecision.objects.create(
        summary=Summary.objects.get(meeting_id=fixtures["closed_meeting"]),
        matched="Lebanon",
        kind="name",
        start=0,
        fingerprint=naming_fingerprint(),
        decision="waived",
        reason="The name is the subject, not a speaker.",
        decided_by=persona("coordinator").user,
    )
    lebanon, norway = State.objects.get(iso3="LBN"), State.objects.get(iso3="NOR")
    for state in (lebanon, norway):
        for visibility in ("public", "organisation"):
            ObstacleFactory(state=state, statement=visibility, visibility=visibility)
    made = {}
    for state, visibility in ((lebanon, "chosen"), (lebanon, "platform"), (norway, "chosen"), (norway, "public")):
        made[(state.iso3, visibility)] = NeedFactory(
            state=state,
            title=f"{state.iso3} {visibility}",
            amount=None,
            currency="",
            in_kind="x",
            visibility=visibility,
            chosen_donors=[organisation("io")],
        )
    needs.need_withdraw(need=made[("NOR", "public")], actor=None)
    ResponseFactory(need=made[("LBN", "platform")], organisation=organisation("operator"), kind="interest")
    ResponseFactory(need=made[("LBN", "chosen")], organisation=organisation("io"), kind="interest")
    for funder in ("io", "other_state"):
        for visibility in ("public", "organisation"):
            FlowFactory(funder=organisation(funder), value_date=date(2024, 1, 1), visibility=visibility)
    reporting.progress_save(state=norway, year=2023, figures={"cleared_m2": 5}, actor=None)
    reporting.baseline_add(
        obligation=lebanon.obligations.get(kind="clearance"),
        kind="baseline",
        recorded_on=date(2020, 1, 1),
        source="s",
        actor=None,
        cha_m2=10,
    )
    # Article 7 reporting status (ccm/transparency): a record for each persona State, one self-reported, and an import
    from ccm.core.models import SpreadsheetImport
    from ccm.transparency.services import report_record

    for state, actor in ((lebanon, persona("state_manager").user), (norway, None)):
        report_record(
            state=state,
            kind="annual",
            year=2023,
            status="submitted",
            submitted_on=date(2024, 4, 1),
            source="s",
            actor=actor,
        )
    SpreadsheetImport.objects.create(kind="transparency_reports", original_name="t.csv", status="invalid")


# Built once for the module and rolled back after it (each test in a savepoint inside it)
world = shared_world(_build_world)


def _objects(policy: Policy[Any]) -> list[Any]:
    objects = list(policy.model._default_manager.all()[:60])
    if policy.model.__name__ == "State":  # the two States of the personas, and one nobody works for
        objects = list(policy.model._default_manager.filter(iso3__in=["LBN", "NOR", "LAO"]))
    if policy.model.__name__ == "AuditEntry":
        # one entry of each kind of object, each with and without an organisation: every branch of the
        # rule, without 60 entries x 20 personas of its heaviest query (each asks every app's policy)
        kinds: dict[tuple[Any, bool], Any] = {}
        for entry in policy.model._default_manager.order_by("pk"):
            kinds.setdefault((entry.content_type_id, entry.organisation_id is None), entry)
        objects = list(kinds.values())
    return objects


def test_every_app_with_a_policy_module_is_covered():
    names = {_name(p) for p in POLICIES}
    for expected in (
        "ccm.needs.policies.NeedPolicy",
        "ccm.needs.policies.ObstaclePolicy",
        "ccm.needs.policies.ResponsePolicy",
        "ccm.needs.policies.DonorProfilePolicy",
        "ccm.funding.policies.FundingFlowPolicy",
        "ccm.reporting.policies.ProgressReportPolicy",
        "ccm.reporting.policies.CompletionPlanPolicy",
        "ccm.reporting.policies.BaselinePolicy",
        "ccm.core.imports.SpreadsheetImportPolicy",
        "ccm.core.documents.policies.DocumentPolicy",
        "ccm.accounts.policies.OrganisationPolicy",
        "ccm.accounts.policies.MembershipPolicy",
        "ccm.accounts.policies.InvitationPolicy",
        "ccm.accounts.policies.ApiTokenPolicy",
        "ccm.core.policies.AuditEntryPolicy",
        "ccm.states.policies.StatePolicy",
    ):
        assert expected in names


def test_every_declared_action_needs_a_permission_some_role_holds():
    held = set().union(*ROLE_PERMISSIONS.values())
    for policy in POLICIES:
        assert Action.VIEW in policy.actions, _name(policy)
        for action, permission in policy.actions.items():
            assert permission in held, f"{_name(policy)}: {action} needs {permission}"
            assert policy.roles_for(action) == roles_with(permission)


@pytest.mark.parametrize("policy", POLICIES, ids=_name)
def test_an_unknown_action_is_refused_to_everyone(world, policy):
    objects = _objects(policy)
    assert objects, f"no {policy.model.__name__} in the test world"
    for name in ALL_PERSONAS:
        user = persona(name).user
        for action in UNKNOWN_ACTIONS:
            assert action not in policy.actions
            assert not policy.visible_to(user, action).exists(), (name, action)
            assert not any(policy.can(user, action, obj) for obj in objects), (name, action)


@pytest.mark.parametrize("policy", POLICIES, ids=_name)
def test_visible_to_an_action_is_exactly_what_can_allows(world, policy):
    objects = _objects(policy)
    for name in ALL_PERSONAS:
        user = persona(name).user
        seen = set(policy.visible_to(user).values_list("pk", flat=True))
        for action in policy.actions:
            listed = set(policy.visible_to(user, action).values_list("pk", flat=True))
            allowed = {obj.pk for obj in objects if policy.can(user, action, obj)}
            assert listed & {o.pk for o in objects} == allowed, f"{_name(policy)} {name} {action}"
            assert listed <= seen, f"{_name(policy)}: {name} may {action} objects they cannot see"


def test_the_change_sets_are_non_trivial(world):
    """The property above would hold vacuously if nobody could change anything: check it doesn't."""
    from ccm.funding.policies import flows
    from ccm.needs.policies import RESPOND, needs, obstacles

    editor, viewer = persona("state_editor").user, persona("state_viewer").user
    assert needs.visible_to(editor, Action.CHANGE).exists()
    assert not needs.visible_to(viewer, Action.CHANGE).exists()
    assert needs.visible_to(viewer).exists()
    assert obstacles.visible_to(editor, Action.CHANGE).count() == 2  # State A's, public and private
    assert set(flows.visible_to(persona("io_editor").user, Action.CHANGE).values_list("funder__slug", flat=True)) == {
        organisation("io").slug
    }
    assert not flows.visible_to(persona("coordinator").user, Action.CHANGE).exists()  # coordinators see, not edit
    assert needs.visible_to(persona("io_editor").user, RESPOND).exists()
    assert not needs.visible_to(persona("io_viewer").user, RESPOND).exists()
