"""The published donor profiles matching reads are kept in the shared cache: a profile saved, changed or
unpublished is seen at once by the next page."""

import pytest

from ccm.needs import selectors, services
from tests.personas import organisation

pytestmark = pytest.mark.django_db


def _donors():
    return {donor.organisation_id: facts for donor, facts in selectors.donor_profiles_for_matching()}


def test_a_profile_saved_changed_or_unpublished_is_read_at_once():
    io = organisation("io")
    assert io.pk not in _donors()  # read once: now cached
    services.donor_profile_save(organisation=io, values={"pillars": ["clearance"], "is_published": True}, actor=None)
    assert _donors()[io.pk].pillars == frozenset({"clearance"})
    services.donor_profile_save(organisation=io, values={"pillars": ["survey"], "is_published": True}, actor=None)
    assert _donors()[io.pk].pillars == frozenset({"survey"})
    services.donor_profile_save(organisation=io, values={"pillars": ["survey"], "is_published": False}, actor=None)
    assert io.pk not in _donors()


def test_the_cached_list_holds_plain_values_with_what_the_pages_show():
    io = organisation("io")
    services.donor_profile_save(organisation=io, values={"pillars": ["clearance"], "is_published": True}, actor=None)
    [(donor, _facts)] = [pair for pair in selectors.donor_profiles_for_matching() if pair[0].organisation_id == io.pk]
    assert (donor.organisation.name, donor.organisation.slug) == (io.name, io.slug)
    assert type(donor).__module__ == "ccm.needs.selectors"  # not a model instance
