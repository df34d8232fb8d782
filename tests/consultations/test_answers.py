"""Saving and submitting answers: versions, values of each type, the rules (closing date, required
questions, options), and who may do what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ccm.consultations import services, set_services
from ccm.consultations.models import Answer, AnswerStatus
from ccm.consultations.synthesis_models import ThemeTag
from ccm.core import clock
from tests.consultations.conftest import FULL
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _save(campaign, values, who="state_editor", org="state", **kwargs):
    return services.answer_save(
        campaign=campaign, organisation=organisation(org), values=values, actor=persona(who).user, **kwargs
    )


def test_save_stores_each_type_and_submit_by_manager(campaign):
    answer = _save(campaign, FULL)
    items = {i.question.key: i for i in answer.items.select_related("question")}
    assert items["obstacles"].text == FULL["obstacles"]
    assert items["main_obstacle"].choices == ["funding"]
    assert items["help"].choices == ["money", "training"]
    assert items["teams"].number == Decimal("4")
    assert items["satisfaction"].number == Decimal("3")
    assert items["coalition"].choices == ["yes"]
    assert answer.status == AnswerStatus.DRAFT and answer.version == campaign.version
    with pytest.raises(PermissionDenied):
        services.answer_submit(answer=answer, actor=persona("state_editor").user)
    assert not ThemeTag.objects.filter(item__answer=answer).exists()  # a draft is not themed
    submitted = services.answer_submit(answer=answer, actor=persona("state_manager").user)
    assert submitted.status == AnswerStatus.SUBMITTED and submitted.submitted_at is not None
    # its themes are found as it is submitted ("Funding ran out and access is blocked.")
    themes = set(ThemeTag.objects.filter(item__answer=answer, active=True).values_list("theme", flat=True))
    assert "funding" in themes
    with pytest.raises(ValidationError, match="submitted"):
        _save(campaign, {"obstacles": "Changed"})


def test_clearing_a_value_and_partial_saves(campaign):
    _save(campaign, FULL)
    answer = _save(campaign, {"teams": "", "coalition": False})
    items = {i.question.key: i for i in answer.items.select_related("question")}
    assert "teams" not in items
    assert items["coalition"].choices == ["no"]
    assert items["obstacles"].text == FULL["obstacles"]


def test_bad_choice_and_bad_values_name_the_question_and_change_nothing(campaign):
    with pytest.raises(ValidationError) as caught:
        _save(campaign, {**FULL, "main_obstacle": "weather", "satisfaction": 9, "teams": "many"})
    errors = caught.value.message_dict
    assert "weather" in errors["main_obstacle"][0] and "Question 2" in errors["main_obstacle"][0]
    assert "Funding, Access" in errors["main_obstacle"][0]
    assert "1 to 5" in errors["satisfaction"][0]
    assert "many" in errors["teams"][0]
    assert not Answer.objects.filter(campaign=campaign).exists()
    with pytest.raises(ValidationError, match="not one of the options"):
        _save(campaign, {"help": ["money", "prayers"]})
    with pytest.raises(ValidationError, match="Not questions"):
        _save(campaign, {"nonsense": "x"})


def test_required_questions_block_submission_naming_them(campaign):
    answer = _save(campaign, {"teams": 2})
    with pytest.raises(ValidationError) as caught:
        services.answer_submit(answer=answer, actor=persona("state_manager").user)
    message = caught.value.messages[0]
    assert "Question 1" in message and "What stops you meeting your deadline?" in message
    assert "Question 3" in message and "Question 4" not in message
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT


def test_after_closing_date_refused_with_the_date(campaign):
    answer = _save(campaign, FULL)
    late = campaign.closes_on + timedelta(days=1)
    with pytest.raises(ValidationError, match=campaign.closes_on.strftime("%-d %B %Y")):
        _save(campaign, {"teams": 3}, today=late)
    with pytest.raises(ValidationError, match="closed on"):
        services.answer_submit(answer=answer, actor=persona("state_manager").user, today=late)
    # the closing day itself still accepts
    services.answer_submit(answer=answer, actor=persona("state_manager").user, today=campaign.closes_on)


def test_only_recipients_editors_may_answer(campaign):
    with pytest.raises(PermissionDenied):
        _save(campaign, FULL, who="state_viewer")
    with pytest.raises(PermissionDenied):
        _save(campaign, FULL, who="coordinator")
    with pytest.raises(ValidationError, match="was not asked"):
        _save(campaign, FULL, who="operator_editor", org="operator")


def test_answers_stay_tied_to_their_version(campaign, coordinator):
    answer = _save(campaign, FULL)
    question_set = campaign.version.question_set
    draft = set_services.draft_start(question_set=question_set, actor=coordinator)
    assert draft.number == 2 and draft.questions.count() == 6
    first = draft.questions.get(key="obstacles")
    set_services.question_update(
        question=first, text="Changed wording", qtype="text", key="obstacles", required=True, actor=coordinator
    )
    set_services.version_publish(version=draft, actor=coordinator, change_note="Clearer wording")
    answer = _save(campaign, {"obstacles": "Still funding"})
    assert answer.version == campaign.version
    assert answer.items.get(question__key="obstacles").question.version_id == campaign.version.pk
    assert campaign.version.questions.get(key="obstacles").text == "What stops you meeting your deadline?"


def test_not_yet_open_is_refused(campaign):
    with pytest.raises(ValidationError, match="opens on"):
        _save(campaign, FULL, today=campaign.opens_on - timedelta(days=1))


def test_audit_never_holds_the_words(campaign):
    from ccm.core.models import AuditEntry

    _save(campaign, FULL)
    entry = AuditEntry.objects.filter(action="answer.save").latest("pk")
    assert "Funding ran out" not in str(entry.new_values if hasattr(entry, "new_values") else entry.__dict__)
    assert clock.today()
