"""What waits for people around needs (registered with the worklist, ``ccm.core.worklist``):

- a State's editors and managers: draft needs to publish, donors' questions to answer, open needs
  whose end date is near;
- a donor's editors and managers: new needs matching its profile, States' replies in its threads;
- coordinators: needs nobody has answered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core import worklist
from ccm.core.policies import EDITOR_ROLES, is_coordinator, organisation_ids, state_ids
from ccm.core.templatetags.ccm import date_filter
from ccm.needs import selectors

DRAFTS = "needs.drafts"
QUESTIONS = "needs.questions"
ENDING = "needs.ending"
MATCHING = "needs.matching"
REPLIES = "needs.replies"
UNANSWERED = "needs.unanswered"


def _need_url(need_id: int) -> str:
    return reverse("needs:detail", args=[need_id])


def _day(value: Any) -> str:
    return date_filter(value)


def drafts_to_publish(user: Any, today: date) -> list[worklist.WorkItem] | worklist.Bounded:
    if not state_ids(user, EDITOR_ROLES):
        return []
    return worklist.bounded(
        selectors.draft_needs(user=user),
        lambda need: worklist.WorkItem(
            title=f"{need.state.display_name}: {need.title}",
            url=_need_url(need.pk),
            kind=DRAFTS,
            detail=_("Draft, last changed %(date)s: publish it when ready") % {"date": _day(need.updated_at)},
        ),
    )


def questions_to_answer(user: Any, today: date) -> list[worklist.WorkItem] | worklist.Bounded:
    if not state_ids(user, EDITOR_ROLES):
        return []
    return worklist.bounded(
        selectors.questions_to_answer(user=user),
        lambda question: worklist.WorkItem(
            title=f"{question.need.state.display_name}: {question.need.title}",
            url=_need_url(question.need_id) + "#thread",
            kind=QUESTIONS,
            detail=_("%(donor)s asked on %(date)s")
            % {"donor": question.organisation.name, "date": _day(question.created_at)},
        ),
    )


def needs_ending(user: Any, today: date) -> list[worklist.WorkItem]:
    if not state_ids(user, EDITOR_ROLES):
        return []
    return [
        worklist.WorkItem(
            title=f"{row.need.state.display_name}: {row.need.title}",
            url=_need_url(row.need.pk),
            kind=ENDING,
            detail=_("%(status)s; ends %(date)s: mark it as met, or change its end date")
            % {"status": row.status_label, "date": _day(row.need.ends_on)},
            due=row.need.ends_on,
        )
        for row in selectors.needs_ending(user=user, today=today)
    ]


def new_matching_needs(user: Any, today: date) -> list[worklist.WorkItem]:
    if not organisation_ids(user, EDITOR_ROLES):
        return []
    return [
        worklist.WorkItem(
            title=f"{row.need.state.display_name}: {row.need.title}",
            url=_need_url(row.need.pk),
            kind=MATCHING,
            detail=_("Published %(date)s; matches the profile of %(donor)s")
            % {"date": _day(row.need.published_at), "donor": profile.organisation.name},
            due=row.need.ends_on,
        )
        for row, profile in selectors.new_matching_needs(user=user, today=today)
    ]


def replies_to_read(user: Any, today: date) -> list[worklist.WorkItem]:
    if not organisation_ids(user, EDITOR_ROLES):
        return []
    return [
        worklist.WorkItem(
            title=f"{answer.need.state.display_name}: {answer.need.title}",
            url=_need_url(answer.need_id) + "#thread",
            kind=REPLIES,
            detail=_("%(state)s replied on %(date)s")
            % {"state": answer.organisation.name, "date": _day(answer.created_at)},
        )
        for answer in selectors.replies_to_read(user=user)
    ]


def unanswered_needs(user: Any, today: date) -> list[worklist.WorkItem]:
    if not is_coordinator(user):
        return []
    return [
        worklist.WorkItem(
            title=f"{need.state.display_name}: {need.title}",
            url=_need_url(need.pk),
            kind=UNANSWERED,
            detail=selectors.silence_note(need.published_at),
        )
        for need in selectors.unanswered_needs(user=user, today=today)
    ]


worklist.register(DRAFTS, gettext_lazy("Draft needs to publish"), drafts_to_publish, order=12)
worklist.register(QUESTIONS, gettext_lazy("Questions from donors to answer"), questions_to_answer, order=20)
worklist.register(ENDING, gettext_lazy("Needs nearing their end date"), needs_ending, order=21)
worklist.register(MATCHING, gettext_lazy("New needs matching your profile"), new_matching_needs, order=30)
worklist.register(REPLIES, gettext_lazy("Replies from States awaiting your answer"), replies_to_read, order=31)
worklist.register(UNANSWERED, gettext_lazy("Needs nobody has answered"), unanswered_needs, order=60)
