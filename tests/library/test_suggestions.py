"""Suggestions on a need's page: same pillar (and modality for offers), text similarity, with the reasons
shown; never an expired offer; a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ccm.analytics.similarity import similar, words
from ccm.core import clock
from ccm.library import services, suggestions
from ccm.library.models import Offer
from ccm.states.models import State
from tests.factories import NeedFactory
from tests.library.helpers import offer_values, practice_values
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_words_drop_common_words_and_fold_plurals():
    assert words("The surveys of Prosthetics and rehabilitation, 2025!") == ["survey", "prosthetic", "rehabilitation"]


def test_similarity_ranks_the_document_sharing_rare_words_first():
    matches = similar(
        "prosthetics and rehabilitation for survivors",
        ["rehabilitation and prosthetics centre", "clearance of farmland", ""],
    )
    assert matches[0].score > matches[1].score == matches[2].score == 0
    assert set(matches[0].shared) == {"prosthetic", "rehabilitation"}


def test_similarity_is_bounded_on_huge_texts():
    matches = similar("word " * 100_000, ["word " * 100_000] * 3)
    assert len(matches) == 3 and all(0.99 < m.score <= 1.0001 for m in matches)


def _va_need():
    return NeedFactory(
        title="Prosthetics and rehabilitation for survivors",
        description="Rehabilitation services and prosthetics workshops for cluster munition survivors.",
        pillar="victim_assistance",
        modality="technical_expertise",
    )


def test_a_need_page_suggests_practices_and_offers_with_their_reasons():
    need = _va_need()
    lebanon = State.objects.get(iso3="LBN")
    services.practice_save(
        organisation=organisation("io"),
        values=practice_values(
            title="Referral to rehabilitation",
            summary="Survivors reach prosthetics workshops through one referral list.",
            pillar="victim_assistance",
        ),
        countries=[lebanon],
        actor=None,
    )
    services.practice_save(  # another pillar: not suggested
        organisation=organisation("io"), values=practice_values(title="Unrelated survey"), actor=None
    )
    services.offer_save(
        organisation=organisation("operator"),
        values=offer_values(
            title="Rehabilitation adviser",
            description="A physiotherapist to set up prosthetics workshops.",
            pillar="victim_assistance",
        ),
        actor=None,
    )
    page = persona("state_viewer").client().get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "Practices and offers that may help" in page
    assert "Referral to rehabilitation" in page and "Unrelated survey" not in page
    assert "same pillar: victim assistance" in page
    assert "concerns Lebanon" in page
    assert "shares words: " in page and "prosthetic" in page
    assert "Rehabilitation adviser" in page and "same modality: technical expertise" in page


def test_an_expired_or_withdrawn_offer_is_never_suggested_even_to_its_owner():
    need = _va_need()
    values = offer_values(title="Rehabilitation adviser", description="prosthetics", pillar="victim_assistance")
    past = clock.today() - timedelta(days=100)
    services.offer_save(
        organisation=organisation("operator"),
        values={**values, "expires_on": past + timedelta(days=5)},
        actor=None,
        today=past,
    )
    withdrawn = services.offer_save(organisation=organisation("operator"), values=values, actor=None)
    services.offer_withdraw(offer=withdrawn, actor=None)
    for name in ("operator_manager", "coordinator"):
        assert suggestions.offers_for(need, user=persona(name).user, today=clock.today()) == []
        page = persona(name).client().get(reverse("needs:detail", args=[need.pk])).content.decode()
        assert "Rehabilitation adviser" not in page


def test_a_need_with_nothing_relevant_shows_no_panel():
    need = _va_need()
    services.practice_save(organisation=organisation("io"), values=practice_values(), actor=None)
    page = persona("state_viewer").client().get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "Practices and offers that may help" not in page


def test_the_need_page_costs_the_same_queries_with_many_library_rows(django_assert_max_num_queries):
    need = _va_need()
    client = persona("operator_manager").client()

    def add(n: int) -> None:
        for i in range(n):
            services.practice_save(
                organisation=organisation("io"),
                values=practice_values(title=f"Rehabilitation {i}", pillar="victim_assistance"),
                countries=[State.objects.get(iso3="LBN")],
                actor=None,
            )
            services.offer_save(
                organisation=organisation("operator"),
                values=offer_values(title=f"Prosthetics {i}", pillar="victim_assistance"),
                actor=None,
            )

    add(2)
    client.get(reverse("needs:detail", args=[need.pk]))
    with django_assert_max_num_queries(60) as base:
        client.get(reverse("needs:detail", args=[need.pk]))
    add(20)
    assert Offer.objects.count() == 22
    with django_assert_max_num_queries(len(base.captured_queries)):
        page = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    # the operator's own matching offers are listed (to be proposed) beyond the three best, up to ten more
    assert page.count("Propose this offer as a response") == 13
