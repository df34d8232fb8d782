"""Writes for consultations: answers (save a draft, submit). Question sets and campaigns are in
``ccm.consultations.set_services`` and ``ccm.consultations.campaign_services``."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.consultations import policies, synthesis_services
from ccm.consultations.models import (
    Answer,
    AnswerItem,
    AnswerStatus,
    Campaign,
    CampaignRecipient,
    Question,
    QuestionType,
)
from ccm.core import audit, clock
from ccm.core.policies import Action
from ccm.core.templatetags.ccm import date_filter
from ccm.core.text import clean_text

YES = "yes"
NO = "no"
SCALE_MIN, SCALE_MAX = 1, 5
# AnswerItem.number: 20 digits, 4 after the point.
_NUMBER_LIMIT = decimal.Decimal(10) ** 16


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def question_name(question: Question) -> str:
    """How a message names a question: its number and its words."""
    text = " ".join(question.text.split())
    if len(text) > 90:
        text = text[:87].rstrip() + "…"
    return _("Question %(number)s (“%(text)s”)") % {"number": question.position, "text": text}


def _option_keys(question: Question) -> list[str]:
    return [str(option.get("key")) for option in question.options or []]


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == ()


def clean_value(question: Question, value: object) -> tuple[str, decimal.Decimal | None, list[str]]:
    """The stored form of one answer (text, number, choices), or ValidationError naming the question.
    An empty value gives ("", None, [])."""
    name = question_name(question)
    if _is_empty(value):
        return "", None, []
    qtype = question.qtype
    if qtype == QuestionType.TEXT:
        if not isinstance(value, str):
            raise ValidationError(_("%(question)s: enter text.") % {"question": name})
        return clean_text(value, multiline=True).strip(), None, []
    if qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        if isinstance(value, bool):
            raise ValidationError(_("%(question)s: enter a number.") % {"question": name})
        try:
            number = decimal.Decimal(str(value).strip().replace(" ", "").replace("\u00a0", ""))
        except (decimal.InvalidOperation, ValueError):
            raise ValidationError(
                _("%(question)s: “%(value)s” is not a number.") % {"question": name, "value": value}
            ) from None
        if not number.is_finite() or abs(number) >= _NUMBER_LIMIT:
            raise ValidationError(_("%(question)s: enter a smaller number.") % {"question": name})
        if qtype == QuestionType.SCALE and (
            number != number.to_integral_value() or not SCALE_MIN <= number <= SCALE_MAX
        ):
            raise ValidationError(
                _("%(question)s: choose a whole number from %(low)s to %(high)s.")
                % {"question": name, "low": SCALE_MIN, "high": SCALE_MAX}
            )
        if qtype == QuestionType.SCALE:
            number = number.to_integral_value()
        rounded = number.quantize(decimal.Decimal("0.0001"))
        return "", rounded if rounded != number else number, []
    if qtype == QuestionType.YES_NO:
        if value is True or (isinstance(value, str) and value.strip().lower() == YES):
            return "", None, [YES]
        if value is False or (isinstance(value, str) and value.strip().lower() == NO):
            return "", None, [NO]
        raise ValidationError(_("%(question)s: answer yes or no.") % {"question": name})
    allowed = _option_keys(question)
    if qtype == QuestionType.SINGLE:
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise ValidationError(_("%(question)s: choose one option only.") % {"question": name})
            value = value[0]
        chosen = [str(value)]
    else:
        chosen = [str(v) for v in value] if isinstance(value, list | tuple | set) else [str(value)]
    wrong = [key for key in chosen if key not in allowed]
    if wrong:
        labels = ", ".join(question.option_label(key) for key in allowed)
        raise ValidationError(
            _("%(question)s: “%(value)s” is not one of the options (%(options)s).")
            % {"question": name, "value": ", ".join(wrong), "options": labels}
        )
    unique = list(dict.fromkeys(chosen))
    return "", None, unique


def _check_open(campaign: Campaign, *, today: date) -> None:
    if campaign.sent_at is None:
        raise ValidationError(_("This consultation has not been sent yet."))
    if today < campaign.opens_on:
        raise ValidationError(
            _("This consultation opens on %(date)s; answers are accepted from then.")
            % {"date": date_filter(campaign.opens_on)}
        )
    if today > campaign.closes_on:
        raise ValidationError(
            _("This consultation closed on %(date)s; answers are no longer accepted.")
            % {"date": date_filter(campaign.closes_on)}
        )


def _check_recipient(campaign: Campaign, organisation: Organisation) -> None:
    if not CampaignRecipient.objects.filter(campaign=campaign, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s was not asked to answer this consultation.") % {"organisation": organisation}
        )


@transaction.atomic
def answer_save(
    *,
    campaign: Campaign,
    organisation: Organisation,
    values: Mapping[str, object],
    actor: Any,
    today: date | None = None,
) -> Answer:
    """Save ``organisation``'s draft answer to ``campaign``: ``values`` keyed by question key (text →
    str, number and scale → Decimal, single → an option key, multiple → a list of option keys, yes/no →
    bool; an empty value clears the answer). Questions not in ``values`` keep their answers. Every value
    is checked first; a ValidationError names each question refused, and nothing is saved."""
    today = today or clock.today()
    if _actor(actor) is None or organisation.pk not in policies.may_answer_for(actor):
        raise PermissionDenied(_("Only the organisation's editors and managers may answer for it."))
    _check_recipient(campaign, organisation)
    _check_open(campaign, today=today)
    answer = Answer.objects.select_for_update().filter(campaign=campaign, organisation=organisation).first()
    if answer is not None and answer.status == AnswerStatus.SUBMITTED:
        raise ValidationError(_("This answer was submitted; it can no longer be changed."))
    version = answer.version if answer is not None else campaign.version
    questions = {q.key: q for q in version.questions.all()}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[str, decimal.Decimal | None, list[str]]] = {}
    unknown = [key for key in values if key not in questions]
    if unknown:
        errors["__all__"] = [
            _("Not questions of this consultation: %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))}
        ]
    for key, value in values.items():
        if key in questions:
            try:
                cleaned[key] = clean_value(questions[key], value)
            except ValidationError as error:
                errors[key] = error.messages
    if errors:
        raise ValidationError(errors)

    created = answer is None
    if answer is None:
        answer = Answer.objects.create(
            campaign=campaign, organisation=organisation, version=version, updated_by=_actor(actor)
        )
    existing = {item.question_id: item for item in answer.items.all()}
    changed: list[str] = []
    for key, (text, number, choices) in cleaned.items():
        question = questions[key]
        item = existing.get(question.pk)
        if not text and number is None and not choices:
            if item is not None:
                item.delete()
                changed.append(key)
            continue
        if item is None:
            AnswerItem.objects.create(answer=answer, question=question, text=text, number=number, choices=choices)
            changed.append(key)
        elif (item.text, item.number, item.choices) != (text, number, choices):
            item.text, item.number, item.choices = text, number, choices
            item.save(update_fields=["text", "number", "choices"])
            changed.append(key)
    if changed or created:
        answer.updated_by = _actor(actor)
        answer.save(update_fields=["updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="answer.save",
            obj=answer,
            new={"questions": sorted(changed)},
            organisation_id=organisation.pk,
        )
    return answer


def missing_required(answer: Answer) -> list[Question]:
    """The required questions of the answer's version left without an answer."""
    answered = set(answer.items.values_list("question_id", flat=True))
    return [q for q in answer.version.questions.filter(required=True) if q.pk not in answered]


@transaction.atomic
def answer_submit(*, answer: Answer, actor: Any, today: date | None = None) -> Answer:
    """Submit the answer (the organisation's managers only): refused after the closing date, naming it,
    and while a required question is left empty, naming each."""
    today = today or clock.today()
    if _actor(actor) is None or not policies.answers.can(actor, policies.SUBMIT, answer):
        raise PermissionDenied(_("Only the organisation's managers may submit its answer."))
    answer = Answer.objects.select_for_update().select_related("campaign", "version").get(pk=answer.pk)
    if answer.status == AnswerStatus.SUBMITTED:
        raise ValidationError(_("This answer was already submitted."))
    _check_open(answer.campaign, today=today)
    missing = missing_required(answer)
    if missing:
        raise ValidationError(
            _("Answer the required questions before submitting: %(questions)s.")
            % {"questions": "; ".join(question_name(q) for q in missing)}
        )
    answer.status = AnswerStatus.SUBMITTED
    answer.submitted_at = timezone.now()
    answer.submitted_by = _actor(actor)
    answer.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    # its themes are found as it is submitted, so the synthesis is ready when the campaign closes
    synthesis_services.themes_auto_tag_answer(answer=answer, actor=actor)
    audit.record(
        actor=actor,
        action="answer.submit",
        obj=answer,
        new={"status": answer.status},
        organisation_id=answer.organisation_id,
    )
    return answer


def can_change(user: Any, answer: Answer) -> bool:
    return answer.status == AnswerStatus.DRAFT and policies.answers.can(user, Action.CHANGE, answer)
