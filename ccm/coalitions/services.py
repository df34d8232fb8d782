"""Writes for coalitions: proposals (also in one step from an interest, a need or a meeting action),
members, objectives, milestones, threads and messages, field visits, reviews and ratings.

Every write checks the whole change first and records one audit entry in its transaction. A concluded
coalition is read-only: every write to it is refused (``_writable``). Who may call which service is
the views' and API's business, through ``ccm.coalitions.policies``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation, OrganisationKind
from ccm.coalitions.models import (
    Coalition,
    CoalitionStatus,
    Element,
    ExpressionOfInterest,
    FieldVisit,
    Member,
    MemberRole,
    MemberStatus,
    Message,
    MessagePreference,
    Milestone,
    Objective,
    Rating,
    ReadMarker,
    Review,
    Thread,
)
from ccm.core import audit, clock
from ccm.states.models import Obligation, State
from ccm.states.selectors import government_organisation_id


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _writable(coalition: Coalition) -> None:
    """Refuse any write to a concluded coalition (read from the database: a coalition object held by a
    thread or a milestone may be older than its conclusion)."""
    concluded = (
        Coalition.objects.filter(pk=coalition.pk, status=CoalitionStatus.CONCLUDED)
        .values_list("concluded_on", flat=True)
        .first()
    )
    if concluded is not None or coalition.is_concluded:
        raise ValidationError(
            _("This coalition concluded on %(day)s: it is read-only.") % {"day": concluded or coalition.concluded_on}
        )


def _check(obj: Any, exclude: Sequence[str] = ()) -> None:
    obj.full_clean(exclude=list(exclude))


@transaction.atomic
def interest_create(
    *, organisation: Organisation, state: State, pillar: str, horizon: str, conditions: str = "", actor: Any
) -> ExpressionOfInterest:
    if organisation.kind == OrganisationKind.STATE_GOVERNMENT and organisation.state_id == state.pk:
        raise ValidationError(_("A State cannot express an interest in partnering with itself."))
    interest = ExpressionOfInterest(
        organisation=organisation,
        state=state,
        pillar=pillar,
        horizon=horizon,
        conditions=conditions,
        created_by=_actor(actor),
    )
    _check(interest)
    interest.save()
    audit.record(
        actor=actor,
        action="coalition_interest.create",
        obj=interest,
        new=audit.snapshot(interest, ["pillar", "horizon"]),
        organisation_id=organisation.pk,
    )
    return interest


def _role_for(organisation: Organisation, state: State) -> str:
    if organisation.kind == OrganisationKind.STATE_GOVERNMENT and organisation.state_id == state.pk:
        return MemberRole.AFFECTED_STATE_LEAD
    if organisation.kind == OrganisationKind.OPERATOR:
        return MemberRole.OPERATOR
    if organisation.kind == OrganisationKind.COORDINATORS_OFFICE:
        return MemberRole.IMPLEMENTATION_SUPPORT
    return MemberRole.PARTNER_DONOR


@transaction.atomic
def coalition_propose(
    *,
    state: State,
    name: str,
    actor: Any,
    terms_of_reference: str = "",
    obligations: Iterable[Obligation] = (),
    visibility: str = "public",
    from_interest: ExpressionOfInterest | None = None,
    from_need: Any = None,
    from_action: Any = None,
    today: date | None = None,
) -> Coalition:
    """A proposed coalition, with the State's government invited as lead (accepted at once when the
    proposer works for it), and the organisation behind the interest, need or action it grew from."""
    day = today or clock.today()
    obligations = list(obligations)
    for source, label in ((from_interest, _("expression of interest")), (from_need, _("need"))):
        if source is not None and source.state_id != state.pk:
            raise ValidationError(_("The %(what)s concerns another State.") % {"what": label})
    if any(o.state_id != state.pk for o in obligations):
        raise ValidationError(_("Every obligation served must be the affected State's own."))
    coalition = Coalition(
        state=state,
        name=name,
        terms_of_reference=terms_of_reference,
        visibility=visibility,
        proposed_on=day,
        from_interest=from_interest,
        from_need=from_need,
        from_action=from_action,
        created_by=_actor(actor),
    )
    _check(coalition)
    coalition.save()
    coalition.obligations.set(obligations)
    government_id = government_organisation_id(state)
    actor_orgs = set(actor.memberships.values_list("organisation_id", flat=True)) if _actor(actor) else set()
    invited: list[Organisation] = []
    if government_id:
        invited.append(Organisation.objects.get(pk=government_id))
    if from_interest is not None:
        invited.append(from_interest.organisation)
    if from_action is not None and from_action.owner_id:
        invited.append(from_action.owner)
    seen = set()
    for organisation in invited:
        if organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        accepted = organisation.pk in actor_orgs
        Member.objects.create(
            coalition=coalition,
            organisation=organisation,
            role=_role_for(organisation, state),
            status=MemberStatus.ACCEPTED if accepted else MemberStatus.INVITED,
            invited_on=day,
            responded_on=day if accepted else None,
        )
    audit.record(
        actor=actor,
        action="coalition.propose",
        obj=coalition,
        new={
            **audit.snapshot(coalition, ["name", "visibility"]),
            "state": state.iso3,
            "origin": "interest" if from_interest else "need" if from_need else "action" if from_action else "",
        },
        organisation_id=government_id,
    )
    return coalition


@transaction.atomic
def coalition_update(
    *, coalition: Coalition, name: str, terms_of_reference: str, visibility: str, actor: Any
) -> Coalition:
    _writable(coalition)
    old = audit.snapshot(coalition, ["name", "terms_of_reference", "visibility"])
    coalition.name, coalition.terms_of_reference, coalition.visibility = name, terms_of_reference, visibility
    _check(coalition)
    coalition.save(update_fields=["name", "terms_of_reference", "visibility"])
    audit.record(
        actor=actor,
        action="coalition.update",
        obj=coalition,
        old=old,
        new=audit.snapshot(coalition, ["name", "terms_of_reference", "visibility"]),
        organisation_id=government_organisation_id(coalition.state),
    )
    return coalition


@transaction.atomic
def coalition_activate(*, coalition: Coalition, actor: Any, today: date | None = None) -> Coalition:
    """Proposed → active: needs the affected State and at least one partner to have accepted."""
    coalition = Coalition.objects.select_for_update().get(pk=coalition.pk)
    _writable(coalition)
    if coalition.status != CoalitionStatus.PROPOSED:
        raise ValidationError(_("Only a proposed coalition can be activated."))
    accepted = list(coalition.members.filter(status=MemberStatus.ACCEPTED).values_list("role", flat=True))
    if MemberRole.AFFECTED_STATE_LEAD not in accepted or len(accepted) < 2:
        raise ValidationError(_("The affected State and at least one partner must have accepted first."))
    coalition.status = CoalitionStatus.ACTIVE
    coalition.activated_on = today or clock.today()
    coalition.save(update_fields=["status", "activated_on"])
    audit.record(
        actor=actor,
        action="coalition.activate",
        obj=coalition,
        new={"status": coalition.status, "activated_on": coalition.activated_on},
        organisation_id=government_organisation_id(coalition.state),
    )
    return coalition


@transaction.atomic
def coalition_conclude(*, coalition: Coalition, reason: str, actor: Any, on: date | None = None) -> Coalition:
    coalition = Coalition.objects.select_for_update().get(pk=coalition.pk)
    _writable(coalition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the coalition concluded.")})
    day = on or clock.today()
    if day < coalition.proposed_on:
        raise ValidationError({"on": _("A coalition cannot conclude before it was proposed.")})
    coalition.status = CoalitionStatus.CONCLUDED
    coalition.concluded_on = day
    coalition.conclusion_reason = reason
    coalition.save(update_fields=["status", "concluded_on", "conclusion_reason"])
    audit.record(
        actor=actor,
        action="coalition.conclude",
        obj=coalition,
        new={"status": coalition.status, "concluded_on": day, "reason": reason},
        organisation_id=government_organisation_id(coalition.state),
    )
    return coalition


@transaction.atomic
def objective_add(
    *, coalition: Coalition, text: str, actor: Any, target: Decimal | None = None, unit: str = ""
) -> Objective:
    _writable(coalition)
    objective = Objective(coalition=coalition, text=text, target=target, unit=unit)
    _check(objective)
    objective.save()
    audit.record(actor=actor, action="coalition.objective_add", obj=coalition, new={"objective": text})
    return objective


@transaction.atomic
def member_invite(
    *, coalition: Coalition, organisation: Organisation, role: str, actor: Any, today: date | None = None
) -> Member:
    _writable(coalition)
    existing = coalition.members.filter(organisation=organisation).first()
    if existing is not None and existing.status in (MemberStatus.INVITED, MemberStatus.ACCEPTED):
        raise ValidationError(_("%(org)s is already invited or a member.") % {"org": organisation.name})
    if role == MemberRole.AFFECTED_STATE_LEAD and organisation.state_id != coalition.state_id:
        raise ValidationError({"role": _("Only the affected State's government can lead.")})
    member = existing or Member(coalition=coalition, organisation=organisation)
    member.role = role
    member.status = MemberStatus.INVITED
    member.invited_on = today or clock.today()
    member.responded_on = None
    member.left_on = None
    _check(member, exclude=["coalition", "organisation"])
    member.save()
    audit.record(
        actor=actor,
        action="coalition_member.invite",
        obj=member,
        new={"organisation": organisation.name, "role": role},
        organisation_id=organisation.pk,
    )
    return member


@transaction.atomic
def member_answer(
    *, member: Member, accept: bool, actor: Any, named_publicly: bool = False, today: date | None = None
) -> Member:
    member = Member.objects.select_for_update().select_related("coalition").get(pk=member.pk)
    _writable(member.coalition)
    if member.status != MemberStatus.INVITED:
        raise ValidationError(_("This invitation was already answered."))
    member.status = MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED
    member.responded_on = today or clock.today()
    member.named_publicly = bool(accept and named_publicly)
    member.save(update_fields=["status", "responded_on", "named_publicly"])
    audit.record(
        actor=actor,
        action="coalition_member.accept" if accept else "coalition_member.decline",
        obj=member,
        new={"status": member.status, "named_publicly": member.named_publicly},
        organisation_id=member.organisation_id,
    )
    return member


@transaction.atomic
def member_leave(*, member: Member, actor: Any, today: date | None = None) -> Member:
    member = Member.objects.select_for_update().select_related("coalition").get(pk=member.pk)
    _writable(member.coalition)
    if member.status != MemberStatus.ACCEPTED:
        raise ValidationError(_("Only a member can leave."))
    member.status = MemberStatus.LEFT
    member.left_on = today or clock.today()
    member.named_publicly = False
    member.save(update_fields=["status", "left_on", "named_publicly"])
    audit.record(
        actor=actor,
        action="coalition_member.leave",
        obj=member,
        new={"status": member.status, "left_on": member.left_on},
        organisation_id=member.organisation_id,
    )
    return member


@transaction.atomic
def member_naming(*, member: Member, named_publicly: bool, actor: Any) -> Member:
    _writable(member.coalition)
    if member.status != MemberStatus.ACCEPTED:
        raise ValidationError(_("Only a member can choose to be named."))
    old = member.named_publicly
    member.named_publicly = named_publicly
    member.save(update_fields=["named_publicly"])
    audit.record(
        actor=actor,
        action="coalition_member.naming",
        obj=member,
        old={"named_publicly": old},
        new={"named_publicly": named_publicly},
        organisation_id=member.organisation_id,
    )
    return member


@transaction.atomic
def milestone_add(*, coalition: Coalition, title: str, due_date: date, actor: Any) -> Milestone:
    _writable(coalition)
    milestone = Milestone(coalition=coalition, title=title, due_date=due_date)
    _check(milestone)
    milestone.save()
    audit.record(
        actor=actor, action="coalition_milestone.create", obj=milestone, new={"title": title, "due_date": due_date}
    )
    return milestone


@transaction.atomic
def milestone_reach(*, milestone: Milestone, actor: Any, on: date | None = None) -> Milestone:
    _writable(milestone.coalition)
    if milestone.done_on is not None:
        raise ValidationError(_("This milestone was already reached."))
    milestone.done_on = on or clock.today()
    milestone.save(update_fields=["done_on"])
    audit.record(actor=actor, action="coalition_milestone.reach", obj=milestone, new={"done_on": milestone.done_on})
    return milestone


def _speaking_for(coalition: Coalition, organisation: Organisation | None) -> Organisation:
    if (
        organisation is None
        or not coalition.members.filter(organisation=organisation, status=MemberStatus.ACCEPTED).exists()
    ):
        raise ValidationError(_("Only a member organisation can write in the coalition's threads."))
    return organisation


@transaction.atomic
def thread_create(
    *,
    coalition: Coalition,
    subject: str,
    body: str,
    organisation: Organisation | None,
    actor: Any,
    is_decision: bool = False,
) -> Thread:
    _writable(coalition)
    organisation = _speaking_for(coalition, organisation)
    thread = Thread(coalition=coalition, subject=subject, created_by=_actor(actor))
    _check(thread)
    if not (body or "").strip():
        raise ValidationError({"body": _("Write the first message.")})
    thread.save()
    audit.record(actor=actor, action="coalition_thread.create", obj=thread, organisation_id=organisation.pk)
    _post(thread=thread, body=body, organisation=organisation, actor=actor, is_decision=is_decision)
    return thread


def _post(*, thread: Thread, body: str, organisation: Organisation, actor: Any, is_decision: bool) -> Message:
    message = Message(
        thread=thread, author=_actor(actor), organisation=organisation, body=body, is_decision=is_decision
    )
    _check(message, exclude=["author", "organisation"])
    message.save()
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    audit.record(
        actor=actor,
        action="coalition_message.create",
        obj=message,
        new={"body": body, "is_decision": is_decision},
        organisation_id=organisation.pk,
    )
    if _actor(actor):
        ReadMarker.objects.update_or_create(thread=thread, user=actor, defaults={"read_at": message.created_at})
    from ccm.coalitions.tasks import enqueue_message_notice

    transaction.on_commit(lambda: enqueue_message_notice(message=message, actor=_actor(actor)))
    return message


@transaction.atomic
def message_post(
    *, thread: Thread, body: str, organisation: Organisation | None, actor: Any, is_decision: bool = False
) -> Message:
    _writable(thread.coalition)
    organisation = _speaking_for(thread.coalition, organisation)
    if not (body or "").strip():
        raise ValidationError({"body": _("The message is empty.")})
    return _post(thread=thread, body=body, organisation=organisation, actor=actor, is_decision=is_decision)


def mark_read(*, thread: Thread, user: Any) -> None:
    """The reader has seen the thread up to now (a marker, not a change of the record: not audited)."""
    if _actor(user):
        ReadMarker.objects.update_or_create(thread=thread, user=user, defaults={"read_at": timezone.now()})


@transaction.atomic
def preference_set(*, user: Any, messages: str, actor: Any) -> MessagePreference:
    preference, _created = MessagePreference.objects.get_or_create(user=user)
    old = preference.messages
    preference.messages = messages
    _check(preference, exclude=["user"])
    preference.save()
    audit.record(
        actor=actor, action="coalition_notice.update", obj=preference, old={"messages": old}, new={"messages": messages}
    )
    return preference


@transaction.atomic
def visit_create(
    *,
    coalition: Coalition,
    visited_on: date,
    place: str,
    participants: str,
    findings: str,
    actor: Any,
) -> FieldVisit:
    _writable(coalition)
    visit = FieldVisit(
        coalition=coalition,
        visited_on=visited_on,
        place=place,
        participants=participants,
        findings=findings,
        created_by=_actor(actor),
    )
    _check(visit)
    visit.save()
    audit.record(
        actor=actor, action="coalition_visit.create", obj=visit, new={"visited_on": visited_on, "place": place}
    )
    return visit


@transaction.atomic
def review_create(
    *,
    coalition: Coalition,
    held_on: date,
    ratings: Sequence[dict[str, Any]],
    indicators: dict[str, int | None],
    organisation: Organisation | None,
    actor: Any,
    note: str = "",
) -> Review:
    """A review with one rating per element given (1–5, with evidence and a trend), each stored beside
    the indicator computed for it (``indicators``: element → 1–5 or None). Checked whole first."""
    _writable(coalition)
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    rows = []
    for item in ratings:
        element = item.get("element", "")
        label = Element(element).label if element in Element.values else element
        if element not in Element.values:
            problems.setdefault("element", []).append(_("Unknown element: %(e)s.") % {"e": element})
            continue
        if element in seen:
            problems.setdefault("element", []).append(_("%(e)s is rated twice.") % {"e": label})
        seen.add(element)
        score = item.get("score")
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            problems.setdefault("score", []).append(
                _("%(e)s: the rating must be a whole number from 1 to 5.") % {"e": label}
            )
        if not str(item.get("evidence") or "").strip():
            problems.setdefault("evidence", []).append(_("%(e)s: give the evidence for the rating.") % {"e": label})
        rows.append(item)
    if not rows and not problems:
        problems["score"] = [_("Rate at least one element.")]
    if problems:
        raise ValidationError(problems)
    review = Review(coalition=coalition, held_on=held_on, note=note)
    _check(review)
    review.save()
    for item in rows:
        rating = Rating(
            review=review,
            element=item["element"],
            score=item["score"],
            evidence=str(item["evidence"]).strip(),
            trend=item.get("trend") or "steady",
            indicator=indicators.get(item["element"]),
            organisation=organisation,
            created_by=_actor(actor),
        )
        _check(rating)
        rating.save()
    audit.record(
        actor=actor,
        action="coalition_review.create",
        obj=review,
        new={"held_on": held_on, "ratings": {r["element"]: r["score"] for r in rows}},
        organisation_id=organisation.pk if organisation else None,
    )
    return review


# --- The joint work plan: actions owned by members ----------------------------------------------------


def member_organisations(coalition: Coalition) -> list[Organisation]:
    """The organisations that may own the coalition's actions: its accepted members."""
    return [
        m.organisation for m in coalition.members.filter(status=MemberStatus.ACCEPTED).select_related("organisation")
    ]


@transaction.atomic
def workplan_action_add(
    *,
    coalition: Coalition,
    title: str,
    owner: Organisation,
    due_date: date | None,
    actor: Any,
    need: Any = None,
    flow: Any = None,
    follows: Any = None,
    obligation: Any = None,
    description: str = "",
) -> Any:
    """An action in the work plan; its owner must be an accepted member (others are refused), and what
    it links to must concern the coalition's State."""
    from ccm.actions.services import action_create

    _writable(coalition)
    if need is not None and need.state_id != coalition.state_id:
        raise ValidationError({"need": _("This need is another State's.")})
    if obligation is not None and obligation.state_id != coalition.state_id:
        raise ValidationError({"obligation": _("This obligation is another State's.")})
    return action_create(
        source=coalition,
        title=title,
        owner=owner,
        due_date=due_date,
        actor=actor,
        state=coalition.state,
        need=need,
        obligation=obligation,
        flow=flow,
        follows=follows,
        description=description,
        allowed_owners=member_organisations(coalition),
    )


@transaction.atomic
def workplan_action_update(
    *, coalition: Coalition, action: Any, status: str, actor: Any, completed_on: date | None = None, note: str = ""
) -> Any:
    from ccm.actions.services import action_update

    _writable(coalition)
    return action_update(action=action, actor=actor, status=status, completed_on=completed_on, note=note)


@transaction.atomic
def visit_record(
    *,
    coalition: Coalition,
    visited_on: date,
    place: str,
    participants: str,
    findings: str,
    actor: Any,
    follow_ups: Sequence[dict[str, Any]] = (),
) -> FieldVisit:
    """A field visit and its follow-up actions (title, owner, due date), which go into the work plan.
    All or nothing: a follow-up refused (an owner outside the coalition) records no visit."""
    visit = visit_create(
        coalition=coalition,
        visited_on=visited_on,
        place=place,
        participants=participants,
        findings=findings,
        actor=actor,
    )
    for item in follow_ups:
        workplan_action_add(
            coalition=coalition,
            title=item["title"],
            owner=item["owner"],
            due_date=item["due_date"],
            description=_("Follow-up of the field visit to %(place)s on %(day)s.")
            % {"place": place, "day": visited_on},
            actor=actor,
        )
    return visit
