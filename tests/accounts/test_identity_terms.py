"""The names that identify organisations and people, for the de-identification check."""

from __future__ import annotations

import pytest

from ccm.accounts.models import Organisation, OrganisationKind, User
from ccm.accounts.selectors import identity_terms_for
from ccm.core.deidentify import find_identities

pytestmark = pytest.mark.django_db


def test_organisations_are_found_by_name_short_name_and_initials():
    lmac = Organisation.objects.create(
        name="Lebanon Mine Action Centre (demo)", slug="lmac-demo", kind=OrganisationKind.OPERATOR
    )
    mag = Organisation.objects.create(name="Mines Advisory Group", slug="mag", kind=OrganisationKind.OPERATOR)
    terms = identity_terms_for(organisations=[lmac, mag])
    assert {t.text for t in terms} >= {
        "Lebanon Mine Action Centre (demo)",
        "Lebanon Mine Action Centre",
        "LMAC",
        "Mines Advisory Group",
        "MAG",
    }
    text = "The Lebanon Mine Action Centre and LMAC staff met MAG's team; a mag wheel is no hit."
    hits = find_identities(text, terms)
    assert [h.matched for h in hits] == ["Lebanon Mine Action Centre", "LMAC", "MAG's"]
    assert [h.term.participant for h in hits] == [lmac.name, lmac.name, mag.name]


def test_people_are_found_by_full_name_and_surname(django_assert_num_queries):
    User.objects.create_user(email="amal@example.test", password="x" * 20, full_name="Amal  Haddad")
    User.objects.create_user(email="noname@example.test", password="x" * 20)
    users = User.objects.filter(email__in=["amal@example.test", "noname@example.test"])
    with django_assert_num_queries(1):
        terms = identity_terms_for(users=users)
    assert [(t.text, t.kind) for t in terms] == [("Amal Haddad", "person")]
    hits = find_identities("Amal Haddad spoke; later Haddad agreed; a haddad is not her.", terms)
    assert [h.matched for h in hits] == ["Amal Haddad", "Haddad"]


def test_nothing_given_nothing_found(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert identity_terms_for() == []
