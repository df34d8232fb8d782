"""The visibility levels, on a throwaway model created for the test."""

import pytest
from django.db import connection, models

from ccm.core.policies import Visibility, visibility_q
from tests.personas import organisation, persona


@pytest.fixture
def dossier_model(transactional_db):
    # A table made for this test; SQLite cannot change its schema inside the usual test transaction,
    # so this test runs transactionally and first restores the shared data a previous one emptied.
    from ccm.states.reference_data import read_reference
    from ccm.states.services import reference_load
    from tests.personas import create_personas

    reference_load(data=read_reference())
    create_personas()

    class Dossier(models.Model):  # noqa: DJ008 - a throwaway table for this test
        title = models.CharField(max_length=50)
        visibility = models.CharField(max_length=20, choices=Visibility.choices)
        organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
        coalition_member = models.ForeignKey(
            "accounts.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
        )

        class Meta:
            app_label = "core"

    with connection.schema_editor() as editor:
        editor.create_model(Dossier)
    yield Dossier
    with connection.schema_editor() as editor:
        editor.delete_model(Dossier)
    from django.apps import apps

    apps.all_models["core"].pop("dossier", None)  # so the next test may declare it again
    apps.clear_cache()


def test_each_level_is_seen_by_exactly_its_circle(dossier_model):
    org_a, org_b = organisation("state"), organisation("other_state")
    make = dossier_model.objects.create
    make(title="public", visibility=Visibility.PUBLIC, organisation=org_a)
    make(title="platform", visibility=Visibility.PLATFORM, organisation=org_a)
    make(title="org-a", visibility=Visibility.ORGANISATION, organisation=org_a)
    make(title="coalition-with-b", visibility=Visibility.COALITION, organisation=org_a, coalition_member=org_b)
    make(title="meeting", visibility=Visibility.MEETING, organisation=org_a)

    def seen(name):
        user = persona(name).user
        q = visibility_q(user, coalition_members="coalition_member")
        return set(dossier_model.objects.filter(q).values_list("title", flat=True))

    everything = {"public", "platform", "org-a", "coalition-with-b", "meeting"}
    assert seen("anonymous") == {"public"}
    assert seen("outsider") == {"public", "platform"}
    assert seen("state_viewer") == everything  # the owning organisation sees all its own
    assert seen("other_state_manager") == {"public", "platform", "coalition-with-b"}
    assert seen("coordinator") == everything


def test_the_chosen_level_is_seen_by_the_chosen_organisations_only(dossier_model):
    org_a, org_b = organisation("state"), organisation("other_state")
    dossier_model.objects.create(
        title="chosen-b", visibility=Visibility.CHOSEN, organisation=org_a, coalition_member=org_b
    )

    def seen(name):
        q = visibility_q(persona(name).user, chosen="coalition_member")
        return set(dossier_model.objects.filter(q).values_list("title", flat=True))

    assert seen("other_state_manager") == {"chosen-b"}  # chosen
    assert seen("state_viewer") == {"chosen-b"}  # the owner
    assert seen("coordinator") == {"chosen-b"}
    assert seen("outsider") == set() and seen("anonymous") == set() and seen("io_manager") == set()


def test_a_model_keeps_the_levels_it_needs_in_the_vocabulary_order():
    assert Visibility.subset(Visibility.ORGANISATION, Visibility.PUBLIC) == [
        ("public", "Public"),
        ("organisation", "The owning organisation"),
    ]
    assert Visibility.subset("public", labels={"public": "Everyone"}) == [("public", "Everyone")]
    with pytest.raises(ValueError, match="coordinators"):
        Visibility.subset("coordinators")
