"""The source registry: how a registered kind is named, and a kind named per object."""

import pytest
from django.urls import reverse

from ccm.actions import sources
from ccm.needs import policies as need_policies
from ccm.needs.models import Need
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_a_kind_label_names_each_source_with_the_kind(need_source):
    need = NeedFactory(title="Survey")
    assert need_source.key == "needs.need" and sources.for_key("needs.need") is need_source
    assert need_source.kind_label == "Need (test source)"
    assert need_source.name(need) == "Need (test source): Lebanon: Survey"
    assert need_source.page_url(need) == f"/needs/{need.pk}/"
    assert sources.for_object(need) is need_source and sources.for_object(None) is None


def test_a_callable_label_names_one_source_and_the_kind_is_the_models_name(need_source):
    need = NeedFactory(title="Survey")
    entry = sources.register(
        Need,
        policy=need_policies.needs,
        page_url=lambda n: reverse("needs:detail", args=[n.pk]),
        label=lambda n: f"The need {n.title}",
    )
    try:
        assert entry.name(need) == "The need Survey" and entry.kind_label == "Need"
    finally:
        sources.register(
            Need,
            policy=need_source.policy,
            page_url=need_source.page_url,
            label=need_source.label,
            related=need_source.related,
        )
