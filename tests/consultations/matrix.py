"""The consultation objects of the role matrix (``tests/test_access_matrix.py``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ccm.consultations import campaign_services, services, set_services
from ccm.core import clock
from tests.consultations.conftest import FULL, make_version
from tests.personas import organisation, persona


def consultation_fixtures() -> dict[str, Any]:
    coordinator = persona("coordinator").user
    version = make_version(coordinator, title="Matrix set")
    draft_set = set_services.question_set_create(title="Matrix draft set", audience="all", actor=coordinator)
    draft_question = set_services.question_add(
        version=set_services.draft_of(draft_set), text="Draft question?", qtype="text", actor=coordinator
    )
    set_services.question_add(
        version=set_services.draft_of(draft_set), text="Second?", qtype="yes_no", actor=coordinator
    )
    today = clock.today()
    campaign = campaign_services.campaign_create(
        title="Matrix campaign",
        version=version,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        recipients=[organisation("state"), organisation("other_state")],
        conveners=[(persona("io_manager").user, today + timedelta(days=30))],
        actor=coordinator,
    )
    campaign = campaign_services.campaign_send(campaign=campaign, actor=coordinator)
    answer = services.answer_save(
        campaign=campaign, organisation=organisation("state"), values=FULL, actor=persona("state_editor").user
    )
    return {
        "cons_set": version.question_set.slug,
        "cons_draft_set": draft_set.slug,
        "cons_draft_question": draft_question.pk,
        "cons_campaign": campaign.pk,
        "cons_answer": answer.pk,
    }
