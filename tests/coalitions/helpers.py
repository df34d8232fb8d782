"""A coalition for Lebanon (State A) in the persona world: State A's government leads, the international
organisation is a partner donor (accepted, named publicly), the operator is invited (not yet
answered); the coordinators' office and State B are outsiders. One milestone, one action owned by the
partner, one thread, a field visit, a review; and the operator's expression of interest in Lebanon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ccm.coalitions import services
from ccm.coalitions.models import Coalition, Member, Milestone, Thread
from ccm.states.models import State
from tests.personas import organisation, persona

MEMBERS = ["state_viewer", "state_editor", "state_manager", "io_viewer", "io_editor", "io_manager"]
MEMBER_EDITORS = ["state_editor", "state_manager", "io_editor", "io_manager"]
WORKSPACE = [*MEMBERS, "coordinator", "administrator"]
STEER = ["state_manager", "coordinator", "administrator"]


@dataclass
class World:
    coalition: Coalition
    invitation: Member
    milestone: Milestone
    action: Any
    thread: Thread


def coalition_world(*, name: str = "Lebanon coalition") -> World:
    lebanon = State.objects.get(iso3="LBN")
    coordinator = persona("coordinator").user
    coalition = services.coalition_propose(
        state=lebanon,
        name=name,
        actor=coordinator,
        terms_of_reference="Clear the south by 2028.",
        today=date(2026, 1, 5),
    )
    lead = coalition.members.get(organisation=organisation("state"))
    services.member_answer(member=lead, accept=True, named_publicly=True, actor=persona("state_manager").user)
    io = services.member_invite(
        coalition=coalition, organisation=organisation("io"), role="partner_donor", actor=coordinator
    )
    services.member_answer(member=io, accept=True, named_publicly=True, actor=persona("io_manager").user)
    invitation = services.member_invite(
        coalition=coalition, organisation=organisation("operator"), role="operator", actor=coordinator
    )
    services.coalition_activate(coalition=coalition, actor=coordinator)
    milestone = services.milestone_add(
        coalition=coalition, title="Survey of the south finished", due_date=date(2027, 6, 30), actor=coordinator
    )
    action = services.workplan_action_add(
        coalition=coalition,
        title="Fund two clearance teams",
        owner=organisation("io"),
        due_date=date(2027, 3, 31),
        actor=persona("io_editor").user,
    )
    thread = services.thread_create(
        coalition=coalition,
        subject="Teams for 2027",
        body="Can we confirm two teams?",
        organisation=organisation("state"),
        actor=persona("state_editor").user,
    )
    services.visit_create(
        coalition=coalition,
        visited_on=date(2026, 3, 1),
        place="Tyre",
        participants="LMAC",
        findings="Ready",
        actor=None,
    )
    services.review_create(
        coalition=coalition,
        held_on=date(2026, 6, 1),
        ratings=[{"element": "appetite", "score": 4, "evidence": "Two offers"}],
        indicators={"appetite": 3},
        organisation=organisation("state"),
        actor=None,
    )
    services.interest_create(
        organisation=organisation("operator"), state=lebanon, pillar="survey", horizon="within_year", actor=None
    )
    coalition.refresh_from_db()
    return World(coalition, invitation, milestone, action, thread)
