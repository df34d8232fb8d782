"""Coalitions: the whole story through the pages, read-only once concluded, bad input refused,
members-only threads, documents and work plan items, e-mail by preference, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from ccm.actions.models import Action as FollowUp
from ccm.coalitions import services, tasks
from ccm.coalitions.models import (
    Coalition,
    CoalitionStatus,
    Member,
    MemberStatus,
    Message,
    MessagePreference,
    Rating,
    Review,
)
from ccm.core.documents.services import document_attach
from ccm.core.models import AuditEntry
from ccm.states.models import State
from tests.coalitions.helpers import coalition_world
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _url(name: str, *args: object) -> str:
    return reverse(f"coalitions:{name}", args=args)


def test_a_coordinator_proposes_partners_accept_and_work_and_talk_while_outsiders_see_the_summary():
    coordinator = persona("coordinator").client()
    response = coordinator.post(
        _url("new"), {"state": "LBN", "name": "South Lebanon partnership", "visibility": "public"}
    )
    assert response.status_code == 302
    coalition = Coalition.objects.get(name="South Lebanon partnership")
    assert coalition.status == CoalitionStatus.PROPOSED
    assert AuditEntry.objects.filter(action="coalition.propose", object_id=str(coalition.pk)).exists()
    lead = coalition.members.get(organisation=organisation("state"))
    assert lead.status == MemberStatus.INVITED
    # the State's manager accepts, and agrees to be named
    state = persona("state_manager").client()
    assert (
        state.post(_url("answer", coalition.pk, lead.pk), {"answer": "accept", "named_publicly": "on"}).status_code
        == 302
    )
    # the coordinator invites the IO, whose manager accepts without being named
    assert (
        coordinator.post(
            _url("invite", coalition.pk), {"organisation": "international-organisation", "role": "partner_donor"}
        ).status_code
        == 302
    )
    io_member = coalition.members.get(organisation=organisation("io"))
    assert (
        persona("io_manager")
        .client()
        .post(_url("answer", coalition.pk, io_member.pk), {"answer": "accept"})
        .status_code
        == 302
    )
    assert coordinator.post(_url("status", coalition.pk), {"step": "activate"}).status_code == 302
    coalition.refresh_from_db()
    assert coalition.status == CoalitionStatus.ACTIVE
    # a work plan and a thread are running
    editor = persona("io_editor").client()
    assert (
        editor.post(
            _url("action-add", coalition.pk),
            {"title": "Fund a survey team", "owner": "international-organisation", "due_date": "2027-02-01"},
        ).status_code
        == 302
    )
    assert (
        editor.post(_url("thread-new", coalition.pk), {"subject": "Survey", "body": "Ready in March?"}).status_code
        == 302
    )
    thread = coalition.threads.get()
    page = persona("state_editor").client().get(_url("detail", coalition.pk)).content.decode()
    assert "Fund a survey team" in page and "Survey" in page and "1 unread" in page
    # the reader's visit marks the thread read
    persona("state_editor").client().get(_url("thread", coalition.pk, thread.pk))
    assert "unread" not in persona("state_editor").client().get(_url("detail", coalition.pk)).content.decode()
    # an outsider sees the summary: the State named, the IO (not named) not, no work plan, no thread
    public = persona("outsider").client().get(_url("detail", coalition.pk)).content.decode()
    assert "South Lebanon partnership" in public and "State A government" in public
    assert "International organisation" not in public
    assert "Fund a survey team" not in public and "Ready in March" not in public and "Survey" not in public
    listing = persona("anonymous").client().get(_url("list")).content.decode()
    assert "South Lebanon partnership" in listing and "International organisation" not in listing


def test_activation_needs_the_state_and_a_partner():
    coalition = services.coalition_propose(
        state=State.objects.get(iso3="LBN"), name="Early", actor=persona("coordinator").user
    )
    with pytest.raises(ValidationError, match="at least one partner"):
        services.coalition_activate(coalition=coalition, actor=None)


def test_a_concluded_coalition_is_read_only():
    world = coalition_world()
    services.coalition_conclude(coalition=world.coalition, reason="Completed.", actor=persona("coordinator").user)
    coalition = Coalition.objects.get(pk=world.coalition.pk)
    io = organisation("io")
    refusals = [
        lambda: services.milestone_add(coalition=coalition, title="x", due_date=date(2027, 1, 1), actor=None),
        lambda: services.objective_add(coalition=coalition, text="x", actor=None),
        lambda: services.workplan_action_add(
            coalition=coalition, title="x", owner=io, due_date=date(2027, 1, 1), actor=None
        ),
        lambda: services.message_post(thread=world.thread, body="x", organisation=io, actor=None),
        lambda: services.thread_create(coalition=coalition, subject="x", body="y", organisation=io, actor=None),
        lambda: services.member_invite(
            coalition=coalition, organisation=organisation("isu"), role="observer", actor=None
        ),
        lambda: services.member_answer(member=world.invitation, accept=True, actor=None),
        lambda: services.visit_create(
            coalition=coalition, visited_on=date(2026, 1, 1), place="x", participants="x", findings="x", actor=None
        ),
        lambda: services.review_create(
            coalition=coalition,
            held_on=date(2026, 1, 1),
            ratings=[{"element": "appetite", "score": 3, "evidence": "x"}],
            indicators={},
            organisation=io,
            actor=None,
        ),
        lambda: services.coalition_conclude(coalition=coalition, reason="again", actor=None),
        lambda: services.coalition_update(
            coalition=coalition, name="x", terms_of_reference="", visibility="public", actor=None
        ),
        lambda: services.milestone_reach(milestone=world.milestone, actor=None),
        lambda: services.workplan_action_update(coalition=coalition, action=world.action, status="done", actor=None),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match="read-only"):
            refuse()
    before = (coalition.milestones.count(), Message.objects.count(), FollowUp.objects.count())
    editor = persona("io_editor").client()
    response = editor.post(_url("milestone-add", coalition.pk), {"title": "late", "due_date": "2027-01-01"})
    assert response.status_code == 302
    assert editor.post(_url("thread", coalition.pk, world.thread.pk), {"body": "late"}).status_code == 403
    assert editor.post(_url("thread-new", coalition.pk), {"subject": "late", "body": "late"}).status_code == 302
    assert (coalition.milestones.count(), Message.objects.count(), FollowUp.objects.count()) == before
    page = editor.get(_url("detail", coalition.pk)).content.decode()
    assert "read-only" in page and "Add a milestone" not in page and "Start a thread" not in page


def test_conclusion_needs_a_reason():
    world = coalition_world()
    response = (
        persona("coordinator").client().post(_url("status", world.coalition.pk), {"step": "conclude", "reason": ""})
    )
    assert response.status_code == 400
    assert "Say why the coalition concluded" in response.content.decode()
    assert Coalition.objects.get(pk=world.coalition.pk).status == CoalitionStatus.ACTIVE


@pytest.mark.parametrize(
    ("score", "evidence", "message"),
    [
        (0, "Budget kept", "from 1 to 5"),
        (6, "Budget kept", "from 1 to 5"),
        (3, "", "give the evidence"),
        (3, "   ", "give the evidence"),
    ],
)
def test_a_rating_outside_one_to_five_or_without_evidence_is_refused(score, evidence, message):
    world = coalition_world()
    before = (Review.objects.count(), Rating.objects.count())
    with pytest.raises(ValidationError, match=message):
        services.review_create(
            coalition=world.coalition,
            held_on=date(2026, 11, 1),
            ratings=[{"element": "political_will", "score": score, "evidence": evidence}],
            indicators={},
            organisation=organisation("io"),
            actor=None,
        )
    response = (
        persona("io_editor")
        .client()
        .post(
            _url("review-add", world.coalition.pk),
            {"held_on": "2026-11-01", "political_will_score": str(score), "political_will_evidence": evidence},
        )
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Review.objects.count(), Rating.objects.count()) == before


def test_a_rating_two_points_from_its_indicator_is_flagged():
    world = coalition_world()
    review = services.review_create(
        coalition=world.coalition,
        held_on=date(2026, 11, 1),
        ratings=[
            {"element": "political_will", "score": 5, "evidence": "x"},
            {"element": "appetite", "score": 4, "evidence": "x"},
            {"element": "information", "score": 1, "evidence": "x"},
        ],
        indicators={"political_will": 3, "appetite": 3, "information": None},
        organisation=organisation("io"),
        actor=None,
    )
    flags = {r.element: r.flagged for r in review.ratings.all()}
    assert flags == {"political_will": True, "appetite": False, "information": False}
    page = persona("io_viewer").client().get(_url("detail", world.coalition.pk)).content.decode()
    assert page.count("for discussion: two or more points") == 1


def test_an_action_owned_by_an_organisation_outside_the_coalition_is_refused():
    world = coalition_world()
    for outsider in ("isu", "operator", "other_state"):  # the operator is only invited
        with pytest.raises(ValidationError, match="cannot own this action"):
            services.workplan_action_add(
                coalition=world.coalition,
                title="x",
                owner=organisation(outsider),
                due_date=date(2027, 1, 1),
                actor=None,
            )
    count, visits = FollowUp.objects.count(), world.coalition.visits.count()
    response = (
        persona("io_editor")
        .client()
        .post(
            _url("action-add", world.coalition.pk),
            {"title": "Outsourced", "owner": "coordinators-office", "due_date": "2027-01-01"},
        )
    )
    assert response.status_code == 400 and "cannot own this action" in response.content.decode()
    # a field visit's follow-up owned by an outsider: nothing recorded
    with pytest.raises(ValidationError):
        services.visit_record(
            coalition=world.coalition,
            visited_on=date(2026, 10, 1),
            place="Tyre",
            participants="x",
            findings="y",
            follow_ups=[{"title": "z", "owner": organisation("isu"), "due_date": date(2027, 1, 1)}],
            actor=None,
        )
    assert FollowUp.objects.count() == count and world.coalition.visits.count() == visits


def test_a_field_visit_follow_up_goes_into_the_work_plan():
    world = coalition_world()
    services.visit_record(
        coalition=world.coalition,
        visited_on=date(2026, 10, 1),
        place="Tyre",
        participants="LMAC",
        findings="Road needed",
        follow_ups=[{"title": "Agree road works", "owner": organisation("state"), "due_date": date(2027, 1, 1)}],
        actor=None,
    )
    page = persona("state_viewer").client().get(_url("detail", world.coalition.pk)).content.decode()
    assert "Agree road works" in page and "Tyre" in page


def test_a_need_of_another_state_cannot_be_linked():
    world = coalition_world()
    need = NeedFactory(state=State.objects.get(iso3="LAO"), title="Lao need", description="x", amount=10)
    with pytest.raises(ValidationError, match="another State"):
        services.workplan_action_add(
            coalition=world.coalition,
            title="x",
            owner=organisation("io"),
            due_date=date(2027, 1, 1),
            need=need,
            actor=None,
        )


def test_non_members_get_404_for_threads_documents_and_work_plan_items():
    world = coalition_world()
    message = world.thread.messages.get()
    document = document_attach(
        parent=message, upload=ContentFile(b"%PDF-1.4 minutes", name="minutes.pdf"), actor=None, title="Minutes"
    )
    pk = world.coalition.pk
    thread_urls = [
        _url("thread", pk, world.thread.pk),
        reverse("api-coalitions-thread", args=[pk, world.thread.pk]),
        reverse("api-coalitions-threads", args=[pk]),
        document.get_absolute_url(),
        reverse("api-documents-download", args=[document.pk]),
    ]
    plan_urls = [_url("action", pk, world.action.pk), reverse("api-coalitions-work-plan", args=[pk])]
    for name in ("outsider", "isu_manager", "other_state_manager", "operator_manager"):
        client = persona(name).client()
        for url in [*thread_urls, *plan_urls]:
            assert client.get(url).status_code == 404, (name, url)
    # coordinators who are not members: the work plan yes, the threads and their documents no
    coordinator = persona("coordinator").client()
    for url in thread_urls:
        assert coordinator.get(url).status_code == 404, url
    for url in plan_urls:
        assert coordinator.get(url).status_code == 200, url
    member = persona("io_viewer").client()
    for url in [*thread_urls, *plan_urls]:
        assert member.get(url).status_code == 200, url
    # a work plan item of another coalition is not found under this one
    other = coalition_world(name="Second coalition")
    assert member.get(_url("action", pk, other.action.pk)).status_code == 404
    # the pack holds no thread
    pack = member.get(_url("pack-docx", pk))
    assert pack.status_code == 200 and b"Can we confirm" not in pack.content


def test_messages_are_mailed_by_each_persons_preference(django_capture_on_commit_callbacks):
    world = coalition_world()
    MessagePreference.objects.create(user=persona("io_viewer").user, messages="none")
    MessagePreference.objects.create(user=persona("io_editor").user, messages="decisions")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the background job runs after the commit
        services.message_post(
            thread=world.thread, body="Noted.", organisation=organisation("state"), actor=persona("state_editor").user
        )
    to = {m.to[0] for m in mail.outbox}
    assert persona("io_manager").user.email in to and persona("state_viewer").user.email in to
    assert persona("io_viewer").user.email not in to and persona("io_editor").user.email not in to
    assert persona("state_editor").user.email not in to  # the author
    assert persona("operator_manager").user.email not in to  # only invited
    decision = services.message_post(
        thread=world.thread,
        body="Decided.",
        organisation=organisation("state"),
        actor=persona("state_editor").user,
        is_decision=True,
    )
    assert tasks.notify_message(message_id=decision.pk) > 0
    assert persona("io_editor").user.email in {m.to[0] for m in mail.outbox}
    assert tasks.notify_message(message_id=decision.pk) == 0  # never twice


def test_propose_in_one_step_from_an_expression_of_interest():
    io = persona("io_editor").client()
    response = io.post(
        _url("interests"),
        {"organisation": "international-organisation", "state": "LBN", "pillar": "clearance", "horizon": "within_year"},
    )
    assert response.status_code == 302
    interest = organisation("io").coalition_interests.get()
    # the State sees it; another State does not
    assert "International organisation" in persona("state_viewer").client().get(_url("interests")).content.decode()
    assert (
        "International organisation"
        not in persona("other_state_manager").client().get(_url("interests")).content.decode()
    )
    state = persona("state_manager").client()
    assert state.get(_url("new") + f"?interest={interest.pk}").status_code == 200
    response = state.post(
        _url("new"), {"state": "LBN", "name": "From interest", "visibility": "public", "interest": interest.pk}
    )
    assert response.status_code == 302
    coalition = Coalition.objects.get(name="From interest")
    members = {m.organisation.slug: m.status for m in coalition.members.select_related("organisation")}
    assert members == {"state-a-government": "accepted", "international-organisation": "invited"}
    # another State's government cannot propose for Lebanon
    assert (
        persona("other_state_manager")
        .client()
        .post(_url("new"), {"state": "LBN", "name": "No", "visibility": "public"})
        .status_code
        == 403
    )


def test_propose_from_a_need():
    need = NeedFactory(state=State.objects.get(iso3="LBN"), title="Two teams", description="x", amount=1000)
    response = (
        persona("coordinator")
        .client()
        .post(_url("new"), {"state": "LBN", "name": "From need", "visibility": "coalition", "need": need.pk})
    )
    assert response.status_code == 302
    coalition = Coalition.objects.get(name="From need")
    assert coalition.from_need == need
    # a coalition with a members-only summary is hidden from outsiders
    assert persona("outsider").client().get(_url("detail", coalition.pk)).status_code == 404


def test_a_member_leaves_and_is_no_longer_named():
    world = coalition_world()
    io = Member.objects.get(coalition=world.coalition, organisation=organisation("io"))
    response = persona("io_manager").client().post(_url("answer", world.coalition.pk, io.pk), {"answer": "leave"})
    assert response.status_code == 302
    io.refresh_from_db()
    assert io.status == MemberStatus.LEFT and io.left_on and not io.named_publicly
    assert persona("io_viewer").client().get(_url("thread", world.coalition.pk, world.thread.pk)).status_code == 404


def _coalitions(n: int) -> None:
    for i in range(n):
        coalition_world(name=f"Coalition {i}")


@pytest.mark.parametrize("name", ["anonymous", "io_viewer", "coordinator"])
def test_the_list_costs_the_same_for_one_or_five_coalitions(name, django_assert_max_num_queries):
    client = persona(name).client()
    _coalitions(1)
    client.get(_url("list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ccm.core.cache import bump_all

    bump_all()  # the table is computed again, as after the writes below (not read back as a page part)
    with CaptureQueriesContext(connection) as one:
        assert client.get(_url("list")).status_code == 200
    _coalitions(4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(_url("list")).status_code == 200


def test_the_workspace_costs_a_bounded_number_of_queries(django_assert_max_num_queries):
    world = coalition_world()
    for i in range(5):
        services.milestone_add(coalition=world.coalition, title=f"m{i}", due_date=date(2027, 1, i + 1), actor=None)
        services.workplan_action_add(
            coalition=world.coalition,
            title=f"a{i}",
            owner=organisation("io"),
            due_date=date(2027, 1, i + 1),
            actor=None,
        )
        services.message_post(thread=world.thread, body=f"b{i}", organisation=organisation("io"), actor=None)
    client = persona("io_editor").client()
    client.get(_url("detail", world.coalition.pk))
    with django_assert_max_num_queries(60):
        assert client.get(_url("detail", world.coalition.pk)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(_url("thread", world.coalition.pk, world.thread.pk)).status_code == 200


def test_the_follow_up_reminders_cover_work_plan_actions_once():
    from ccm.actions import reminders

    world = coalition_world()  # its action is due on 2027-03-31, owned by the IO
    services.workplan_action_add(
        coalition=world.coalition, title="Far away", owner=organisation("state"), due_date=date(2028, 1, 1), actor=None
    )
    mail.outbox.clear()
    sent, _skipped = reminders.send_reminders(today=date(2027, 3, 25))
    to = sorted(m.to[0] for m in mail.outbox)
    assert sent == 2 and to == [persona("io_editor").user.email, persona("io_manager").user.email]
    assert "Fund two clearance teams" in mail.outbox[0].subject
    assert reminders.send_reminders(today=date(2027, 3, 26)) == (0, 2)  # nothing twice
    mail.outbox.clear()
    reminders.send_reminders(today=date(2027, 4, 5))
    assert "Overdue" in mail.outbox[0].subject


def test_the_worklist_shows_invitations_and_the_owners_actions():
    world = coalition_world()
    assert world.coalition.name in persona("operator_manager").client().get("/me/").content.decode()
    import time_machine

    with time_machine.travel(date(2027, 4, 2)):
        assert "Fund two clearance teams" in persona("io_editor").client().get("/me/").content.decode()
        assert "Fund two clearance teams" not in persona("state_editor").client().get("/me/").content.decode()


def test_a_concluded_coalitions_open_actions_are_no_longer_reminded():
    from datetime import timedelta

    from ccm.actions.reminders import AFTER_DAYS, BEFORE_DAYS
    from ccm.actions.selectors import due_for_reminder

    world = coalition_world()
    due = world.action.due_date
    for today in (due - timedelta(days=1), due + timedelta(days=AFTER_DAYS)):
        assert world.action in due_for_reminder(today=today, before_days=BEFORE_DAYS, after_days=AFTER_DAYS)
    services.coalition_conclude(coalition=world.coalition, reason="Completed.", actor=persona("coordinator").user)
    assert FollowUp.objects.get(pk=world.action.pk).status in ("open", "in_progress")  # still open, not reminded
    for today in (due - timedelta(days=1), due + timedelta(days=AFTER_DAYS)):
        assert world.action not in due_for_reminder(today=today, before_days=BEFORE_DAYS, after_days=AFTER_DAYS)
