"""Library services: practices and offers written, changed, deleted and withdrawn, each audited; bad
input refused with a message and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from ccm.core import clock
from ccm.core.models import AuditEntry
from ccm.library import services
from ccm.library.models import Offer, Practice
from ccm.states.models import State
from tests.library.helpers import offer_values, practice_values
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_a_practice_is_written_changed_and_deleted_with_an_audit_entry_each():
    editor = persona("operator_editor").user
    lebanon = State.objects.get(iso3="LBN")
    practice = services.practice_save(
        organisation=organisation("operator"),
        values=practice_values(tags=["Land Release", " land  release ", "Survey"]),
        countries=[lebanon],
        actor=editor,
    )
    assert practice.tags == ["land release", "survey"]  # lower-cased, once each
    assert list(practice.countries.all()) == [lebanon]
    assert practice.created_by == editor
    services.practice_save(
        organisation=organisation("operator"), practice=practice, values={"title": "Renamed"}, actor=editor
    )
    practice.refresh_from_db()
    assert practice.title == "Renamed"
    services.practice_delete(practice=practice, actor=editor)
    assert not Practice.objects.filter(pk=practice.pk).exists()
    entries = AuditEntry.objects.filter(object_id=str(practice.pk), action__startswith="practice.")
    actions = list(entries.values_list("action", flat=True))
    assert sorted(actions) == ["practice.create", "practice.delete", "practice.update"]
    # the title of a practice that may be private is stored redacted
    update = AuditEntry.objects.get(action="practice.update", object_id=str(practice.pk))
    assert "Renamed" not in str(update.data)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"pillar": "nonsense"}, "pillar"),
        ({"visibility": "chosen"}, "visibility"),
        ({"language": "de"}, "language"),
        ({"tags": ["ok", "<script>"]}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": [f"t{i}" for i in range(13)]}, "tags"),
        ({"body": "x" * 50_001}, "body"),
        ({"summary": "x" * 1_001}, "summary"),
    ],
)
def test_a_bad_practice_is_refused_and_nothing_is_written(values, field):
    with pytest.raises(ValidationError) as caught:
        services.practice_save(organisation=organisation("operator"), values=practice_values(**values), actor=None)
    assert field in caught.value.message_dict
    assert not Practice.objects.exists()
    assert not AuditEntry.objects.filter(action="practice.create").exists()


def test_another_organisations_practice_cannot_be_changed_through_the_service():
    practice = services.practice_save(organisation=organisation("operator"), values=practice_values(), actor=None)
    with pytest.raises(ValidationError):
        services.practice_save(organisation=organisation("io"), practice=practice, values={"title": "x"}, actor=None)


def test_an_offer_is_made_changed_and_withdrawn_and_then_cannot_change():
    editor = persona("io_editor").user
    offer = services.offer_save(organisation=organisation("io"), values=offer_values(), actor=editor)
    services.offer_save(organisation=organisation("io"), offer=offer, values={"availability": "June"}, actor=editor)
    services.offer_withdraw(offer=offer, actor=editor)
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None and offer.availability == "June"
    with pytest.raises(ValidationError):
        services.offer_withdraw(offer=offer, actor=editor)
    with pytest.raises(ValidationError):
        services.offer_save(organisation=organisation("io"), offer=offer, values={"title": "again"}, actor=editor)
    entries = AuditEntry.objects.filter(object_id=str(offer.pk), action__startswith="offer.")
    actions = set(entries.values_list("action", flat=True))
    assert actions >= {"offer.create", "offer.update", "offer.withdraw"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "expertise", "expert_name": ""}, "expert_name"),
        ({"kind": "equipment", "quantity": None, "expert_name": ""}, "quantity"),
        ({"kind": "training", "quantity": 0}, "quantity"),
        ({"kind": "expertise", "condition": "new"}, "condition"),
        ({"expires_on": clock.today() - timedelta(days=1)}, "expires_on"),
        ({"kind": "barter"}, "kind"),
        ({"modality": "nonsense"}, "modality"),
        ({"quantity": -3}, "quantity"),
        ({"description": "x" * 10_001}, "description"),
        ({"skills": ["a\\b"]}, "skills"),
    ],
)
def test_a_bad_offer_is_refused_with_the_field_named(values, field):
    with pytest.raises(ValidationError) as caught:
        services.offer_save(organisation=organisation("io"), values=offer_values(**values), actor=None)
    assert field in caught.value.message_dict
    assert not Offer.objects.exists()
