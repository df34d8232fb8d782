"""Who sees question sets, campaigns and answers, and who sees which organisation gave an answer."""

from datetime import timedelta

import pytest

from ccm.accounts.models import Membership, Organisation, OrganisationKind, PlatformRole, Role, User
from ccm.consultations import policies, services, set_services
from ccm.consultations.models import Convener
from ccm.core import clock
from tests.consultations.conftest import FULL
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _answer(campaign, org, who, submit_as=None):
    answer = services.answer_save(
        campaign=campaign, organisation=organisation(org), values=FULL, actor=persona(who).user
    )
    if submit_as:
        answer = services.answer_submit(answer=answer, actor=persona(submit_as).user)
    return answer


def test_one_organisation_never_sees_anothers_answers(campaign):
    mine = _answer(campaign, "state", "state_editor", submit_as="state_manager")
    theirs = _answer(campaign, "other_state", "other_state_manager", submit_as="other_state_manager")
    for name in ("state_viewer", "state_editor", "state_manager"):
        user = persona(name).user
        assert set(policies.answers.visible_to(user)) == {mine}
        assert not policies.answers.can(user, "view", theirs)
    other = persona("other_state_manager").user
    assert set(policies.answers.visible_to(other)) == {theirs}
    for name in ("anonymous", "outsider", "operator_manager", "io_viewer"):
        user = persona(name).user
        assert not policies.answers.visible_to(user).filter(pk__in=[mine.pk, theirs.pk]).exists()


def test_drafts_stay_with_their_organisation(campaign):
    draft = _answer(campaign, "state", "state_editor")
    coordinator = persona("coordinator").user
    assert not policies.answers.can(coordinator, "view", draft)
    assert not policies.answers.visible_to(coordinator).filter(pk=draft.pk).exists()
    assert policies.answers.can(persona("state_viewer").user, "view", draft)
    assert policies.answers.can(persona("state_editor").user, "change", draft)
    assert not policies.answers.can(persona("state_viewer").user, "change", draft)
    assert policies.answers.can(persona("state_manager").user, policies.SUBMIT, draft)
    assert not policies.answers.can(persona("state_editor").user, policies.SUBMIT, draft)


def test_submitted_answers_seen_by_coordinators_and_conveners(campaign):
    answer = _answer(campaign, "state", "state_editor", submit_as="state_manager")
    for name in ("coordinator", "io_manager", "isu_viewer"):  # io_manager convenes the campaign
        user = persona(name).user
        assert policies.answers.can(user, "view", answer)
        assert policies.answers.visible_to(user).filter(pk=answer.pk).exists()
    assert not policies.answers.can(persona("io_viewer").user, "view", answer)


def test_attribution_rules(campaign):
    today = clock.today()
    convener = persona("io_manager").user
    assert policies.sees_attribution(convener, campaign, today=today)
    # the mandate ends: the convener no longer sees who said what
    row = Convener.objects.get(campaign=campaign, user=convener)
    row.mandate_ends = today - timedelta(days=1)
    row.save()
    assert not policies.sees_attribution(persona("io_manager").user, campaign, today=today)
    assert policies.sees_attribution(persona("io_manager").user, campaign, today=today - timedelta(days=1))
    # a plain coordinator does not; the implementation support unit does
    assert not policies.sees_attribution(persona("coordinator").user, campaign, today=today)
    assert not policies.sees_attribution(persona("administrator").user, campaign, today=today)
    for name in ("isu_viewer", "isu_manager"):
        assert policies.sees_attribution(persona(name).user, campaign, today=today)
    for name in ("anonymous", "state_manager", "other_state_manager", "outsider"):
        assert not policies.sees_attribution(persona(name).user, campaign, today=today)


def test_campaigns_seen_by_coordinators_recipients_and_conveners(campaign, version, coordinator):
    for name in ("coordinator", "state_viewer", "other_state_manager", "io_manager"):
        assert policies.campaigns.visible_to(persona(name).user).filter(pk=campaign.pk).exists(), name
        assert policies.campaigns.can(persona(name).user, "view", campaign), name
    for name in ("isu_viewer", "isu_manager"):
        assert policies.campaigns.can(persona(name).user, "view", campaign), name
    for name in ("anonymous", "outsider", "operator_manager", "io_viewer"):
        assert not policies.campaigns.visible_to(persona(name).user).filter(pk=campaign.pk).exists(), name
        assert not policies.campaigns.can(persona(name).user, "view", campaign), name
    assert policies.campaigns.can(coordinator, policies.SEND, campaign)
    assert not policies.campaigns.can(persona("state_manager").user, policies.SEND, campaign)


def test_unsent_campaign_hidden_from_recipients(version, coordinator):
    from ccm.consultations import campaign_services

    unsent = campaign_services.campaign_create(
        title="Later",
        version=version,
        opens_on=clock.today(),
        closes_on=clock.today() + timedelta(days=3),
        recipients=[organisation("state")],
        actor=coordinator,
    )
    assert not policies.campaigns.can(persona("state_manager").user, "view", unsent)
    assert policies.campaigns.can(coordinator, "view", unsent)


def test_question_sets_published_public_drafts_for_coordinators(version, coordinator):
    draft_set = set_services.question_set_create(title="Unpublished", audience="all", actor=coordinator)
    anonymous = persona("anonymous").user
    assert policies.question_sets.visible_to(anonymous).filter(pk=version.question_set_id).exists()
    assert not policies.question_sets.visible_to(anonymous).filter(pk=draft_set.pk).exists()
    assert policies.question_sets.visible_to(coordinator).filter(pk=draft_set.pk).exists()
    assert policies.versions.can(anonymous, "view", version)
    draft = set_services.draft_of(draft_set)
    assert not policies.versions.can(persona("state_manager").user, "view", draft)
    assert policies.versions.can(coordinator, "change", draft)
    assert not policies.versions.can(coordinator, "change", version)


def test_support_unit_member_without_platform_role_sees_attribution(campaign):
    isu = Organisation.objects.filter(kind=OrganisationKind.COORDINATORS_OFFICE).first()
    user = User.objects.create_user(email="isu.extra@personas.test", password="x" * 20, platform_role=PlatformRole.NONE)
    Membership.objects.create(user=user, organisation=isu, role=Role.VIEWER)
    assert policies.sees_attribution(user, campaign, today=clock.today())


def test_answer_documents_only_for_who_may_see_attribution(campaign):
    from django.core.files.base import ContentFile

    from ccm.core.documents.policies import documents
    from ccm.core.documents.services import document_attach

    answer = _answer(campaign, "state", "state_editor", submit_as="state_manager")
    document = document_attach(
        parent=answer,
        upload=ContentFile(b"%PDF-1.4 map", name="map.pdf"),
        actor=persona("state_editor").user,
        title="Map",
    )
    for name in ("state_viewer", "io_manager", "isu_viewer"):
        assert documents.can(persona(name).user, "view", document), name
    for name in ("coordinator", "administrator", "other_state_manager", "operator_manager", "anonymous"):
        assert not documents.can(persona(name).user, "view", document), name
        assert not documents.visible_to(persona(name).user).filter(pk=document.pk).exists(), name
