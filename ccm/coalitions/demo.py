"""Demo coalitions (``ccm seed_demo``).

- **Montenegro–Norway** (concluded): modelled on the coalition the Coordinators cited as highly
  successful — Norway funded Norwegian People's Aid to clear Montenegro's cluster munition remnants,
  2018–2020; operations completed on 21 July 2020, before the 1 August 2020 deadline; 1.72 km² were
  estimated to remain at the end of 2017 (sources: Cluster Munition Monitor, the ISU's news of 12
  December 2019 and 31 July 2020, as in ``states.csv``). Every other date and text here is
  illustrative, and the coalition is labelled so.
- **Lebanon** (active, illustrative): a State with an open clearance obligation; members, a work plan
  with a done and an overdue action, a thread with a decision, a field visit whose follow-up went into
  the work plan, and a review in which one rating is flagged against its computed indicator.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from ccm.accounts import services as account_services
from ccm.accounts.models import Organisation, OrganisationKind, User
from ccm.coalitions import scorecard, services
from ccm.coalitions.models import Coalition, Element, Member
from ccm.core import clock, demo
from ccm.states.models import State

MONTENEGRO = "Montenegro–Norway clearance coalition"
LEBANON = "Lebanon clearance coalition (demo)"


def _org(name: str, kind: str, iso3: str | None = None) -> Organisation:
    return Organisation.objects.filter(name=name).first() or account_services.organisation_create(
        name=name, kind=kind, state=State.objects.get(iso3=iso3) if iso3 else None, actor=None
    )


def _accept(coalition: Coalition, organisation: Organisation, role: str, day: date, coordinator: User | None) -> Member:
    member = coalition.members.filter(organisation=organisation).first() or services.member_invite(
        coalition=coalition, organisation=organisation, role=role, actor=coordinator, today=day
    )
    return services.member_answer(member=member, accept=True, named_publicly=True, actor=None, today=day)


def _montenegro(coordinator: User | None) -> list[str]:
    montenegro = State.objects.get(iso3="MNE")
    government = _org(
        "Montenegro, Directorate for Emergency Situations (demo)", OrganisationKind.STATE_GOVERNMENT, "MNE"
    )
    norway = _org("Norway, Ministry of Foreign Affairs (demo)", OrganisationKind.STATE_GOVERNMENT, "NOR")
    npa = _org("Norwegian People's Aid (demo)", OrganisationKind.OPERATOR)
    coalition = services.coalition_propose(
        state=montenegro,
        name=MONTENEGRO,
        actor=coordinator,
        terms_of_reference=(
            "Norway funds Norwegian People's Aid to survey and clear every remaining cluster munition "
            "remnant in Montenegro, with the national authority leading, so that Montenegro completes "
            "Article 4 by its deadline of 1 August 2020. (Wording illustrative.)"
        ),
        obligations=montenegro.obligations.filter(kind="clearance"),
        today=date(2017, 12, 1),
    )
    Coalition.objects.filter(pk=coalition.pk).update(illustrative=True)
    _accept(coalition, government, "affected_state_lead", date(2017, 12, 5), coordinator)
    _accept(coalition, norway, "partner_donor", date(2017, 12, 12), coordinator)
    _accept(coalition, npa, "operator", date(2017, 12, 12), coordinator)
    services.objective_add(
        coalition=coalition,
        text="Release the remaining contaminated area (estimate end-2017)",
        target=Decimal("1.72"),
        unit="km²",
        actor=None,
    )
    services.coalition_activate(coalition=coalition, actor=coordinator, today=date(2018, 1, 15))
    start = services.milestone_add(
        coalition=coalition, title="Clearance operations under way", due_date=date(2018, 6, 30), actor=None
    )
    services.milestone_reach(milestone=start, actor=None, on=date(2018, 5, 14))
    done = services.milestone_add(
        coalition=coalition, title="All cluster munition remnants cleared", due_date=date(2020, 8, 1), actor=None
    )
    services.milestone_reach(milestone=done, actor=None, on=date(2020, 7, 21))
    services.visit_create(
        coalition=coalition,
        visited_on=date(2019, 12, 12),
        place="Montenegro",
        participants="ISU Director; national authority; Norwegian People's Aid",
        findings=(
            "The Director of the ISU visited the clearance work (ISU news, 12 December 2019). "
            "Findings text illustrative."
        ),
        actor=None,
    )
    services.coalition_conclude(
        coalition=coalition,
        reason=(
            "Montenegro cleared all cluster munition remnants on its territory: operations completed on "
            "21 July 2020, before its 1 August 2020 deadline."
        ),
        actor=coordinator,
        on=date(2020, 8, 1),
    )
    return [f"Coalitions demo: {MONTENEGRO} (concluded 2020)."]


def _lebanon(coordinator: User | None) -> list[str]:
    lebanon = State.objects.get(iso3="LBN")
    today = clock.today()
    government = _org("Lebanon Mine Action Centre (demo)", OrganisationKind.STATE_GOVERNMENT, "LBN")
    norway = Organisation.objects.get(name="Norway, Ministry of Foreign Affairs (demo)")
    eu = Organisation.objects.get(name="European Union (demo)")
    operator = Organisation.objects.get(name="Clearance Operator (demo)")
    isu = Organisation.objects.get(name="CCM Implementation Support Unit (demo)")
    lina = User.objects.filter(email="lebanon.manager@example.org").first()
    layla = User.objects.filter(email="lebanon.editor@example.org").first()
    nora = User.objects.filter(email="norway.editor@example.org").first()
    interest = services.interest_create(
        organisation=eu,
        state=lebanon,
        pillar="clearance",
        horizon="one_to_three",
        conditions="Co-funding with another donor; quarterly reporting.",
        actor=None,
    )
    services.interest_create(
        organisation=operator, state=State.objects.get(iso3="LAO"), pillar="survey", horizon="within_year", actor=None
    )
    coalition = services.coalition_propose(
        state=lebanon,
        name=LEBANON,
        actor=coordinator,
        terms_of_reference=(
            "Partners align funding, survey and clearance in the south behind the national plan. (Illustrative.)"
        ),
        obligations=lebanon.obligations.filter(completed=False),
        from_interest=interest,
        today=today - timedelta(days=300),
    )
    Coalition.objects.filter(pk=coalition.pk).update(illustrative=True)
    day = today - timedelta(days=290)
    _accept(coalition, government, "affected_state_lead", day, coordinator)
    _accept(coalition, eu, "partner_donor", day, coordinator)
    _accept(coalition, norway, "partner_donor", day, coordinator)
    member = _accept(coalition, operator, "operator", day, coordinator)
    services.member_naming(member=member, named_publicly=False, actor=None)
    services.member_invite(
        coalition=coalition, organisation=isu, role="implementation_support", actor=coordinator, today=day
    )
    services.coalition_activate(coalition=coalition, actor=coordinator, today=today - timedelta(days=280))
    services.objective_add(
        coalition=coalition,
        text="Area released in the south by the end of next year",
        target=Decimal(500000),
        unit="m²",
        actor=None,
    )
    first = services.milestone_add(
        coalition=coalition,
        title="Joint survey of the southern districts",
        due_date=today - timedelta(days=120),
        actor=None,
    )
    services.milestone_reach(milestone=first, actor=None, on=today - timedelta(days=130))
    services.milestone_add(
        coalition=coalition, title="Two more teams deployed", due_date=today + timedelta(days=90), actor=None
    )
    done = services.workplan_action_add(
        coalition=coalition,
        title="Share the survey results with partners",
        owner=government,
        due_date=today - timedelta(days=100),
        actor=lina,
    )
    services.workplan_action_update(
        coalition=coalition, action=done, status="done", completed_on=today - timedelta(days=105), actor=lina
    )
    services.workplan_action_add(
        coalition=coalition,
        title="Confirm co-funding for two teams",
        owner=eu,
        due_date=today - timedelta(days=20),
        actor=lina,
    )
    services.workplan_action_add(
        coalition=coalition,
        title="Deploy accredited teams",
        owner=operator,
        due_date=today + timedelta(days=60),
        actor=lina,
    )
    thread = services.thread_create(
        coalition=coalition,
        subject="Funding the two additional teams",
        body="Can the partners confirm how the two teams for next year are shared?",
        organisation=government,
        actor=layla,
    )
    services.message_post(thread=thread, body="Norway can fund one team from January.", organisation=norway, actor=nora)
    services.message_post(
        thread=thread,
        body="Agreed: Norway funds one team from January; the EU confirms the second by the next review.",
        organisation=government,
        actor=layla,
        is_decision=True,
    )
    services.visit_record(
        coalition=coalition,
        visited_on=today - timedelta(days=60),
        place="Nabatieh district",
        participants="Lebanon Mine Action Centre; European Union; Clearance Operator",
        findings="Two sites ready for clearance; access roads need work before the rains. (Illustrative.)",
        follow_ups=[
            {
                "title": "Agree the access-road works with the municipality",
                "owner": government,
                "due_date": today + timedelta(days=30),
            }
        ],
        actor=lina,
    )
    computed = scorecard.indicators(coalition, coordinator, today=today)
    known = [(element, indicator.score) for element, indicator in computed.items() if indicator.score is not None]
    ratings = []
    for i, (element, score) in enumerate(known):
        # The first element with data is rated two points away from its indicator: flagged for discussion.
        given = (score + 2 if score <= 3 else score - 2) if i == 0 else score
        ratings.append(
            {
                "element": element,
                "score": given,
                "evidence": f"Discussed at the review ({Element(element).label}).",
                "trend": "steady",
            }
        )
    services.review_create(
        coalition=coalition,
        held_on=today - timedelta(days=10),
        ratings=ratings,
        indicators={k: v.score for k, v in computed.items()},
        organisation=government,
        actor=lina,
        note="First periodic review. (Illustrative.)",
    )
    return [f"Coalitions demo: {LEBANON} (active, one rating flagged for discussion)."]


@demo.register
@transaction.atomic
def seed() -> list[str]:
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    lines = []
    if not Coalition.objects.filter(name=MONTENEGRO).exists():
        lines += _montenegro(coordinator)
    if not Coalition.objects.filter(name=LEBANON).exists():
        lines += _lebanon(coordinator)
    return lines or ["Coalitions demo: already present."]
