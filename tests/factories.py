"""factory_boy factories for the objects tests create again and again: needs, obstacles, responses, donor
profiles and funding flows.

They build nothing by hand: each ``_create`` goes through the app's service, so every object a test makes
is validated, audited and notified exactly as on the platform. ``Factory.build()`` is not supported (a
service always writes). The defaults describe the common case — a published, public Lebanese need for
clearance, financial, USD 1,000,000 — and every test overrides only what it is about::

    need = NeedFactory(visibility="chosen", chosen_donors=[organisation("operator")])
    draft = NeedFactory(published=False, title="Draft")
    FlowFactory(stage="pledge", need=need, amount=Decimal("100"))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from ccm.funding import services as funding
from ccm.funding.models import FundingFlow
from ccm.needs import services as needs
from ccm.needs.models import DonorProfile, Need, Obstacle, Response
from ccm.states.models import State
from tests.personas import organisation


def _lebanon() -> State:
    return State.objects.get(iso3="LBN")


class _ServiceFactory(factory.Factory):
    """A factory whose objects exist only once a service wrote them."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{cls.__name__} creates through the services only: call it, not .build().")


class NeedFactory(_ServiceFactory):
    """A need saved with ``need_save`` (and published with ``need_publish`` unless ``published=False``).

    ``actor``, ``chosen_donors``, ``obstacles`` and ``illustrative`` go to ``need_save``; every other
    field is one of the need's values."""

    class Meta:
        model = Need

    state = factory.LazyFunction(_lebanon)
    title = "Clearance teams"
    pillar = "clearance"
    modality = "financial"
    description = "d"
    amount = Decimal("1000000")
    currency = "USD"
    visibility = "public"
    published = True
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Need:
        state, actor, published = kwargs.pop("state"), kwargs.pop("actor"), kwargs.pop("published")
        options = {k: kwargs.pop(k) for k in ("chosen_donors", "obstacles", "illustrative") if k in kwargs}
        need = needs.need_save(state=state, values=kwargs, actor=actor, **options)
        if published:
            need = needs.need_publish(need=need, actor=actor)
        return need


class ObstacleFactory(_ServiceFactory):
    """An obstacle recorded with ``obstacle_create``."""

    class Meta:
        model = Obstacle

    state = factory.LazyFunction(_lebanon)
    category = "funding"
    severity = "high"
    statement = "s"
    observed_on = date(2025, 1, 1)
    visibility = "public"
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Obstacle:
        return needs.obstacle_create(**kwargs)


_WRITTEN = ("question", "offer", "answer")  # the kinds of response that must carry a message


class ResponseFactory(_ServiceFactory):
    """A response in a need's thread, added with ``response_create`` (by default the international
    organisation's question on a new published need)."""

    class Meta:
        model = Response

    need = factory.SubFactory(NeedFactory)
    organisation = factory.LazyFunction(lambda: organisation("io"))
    kind = "question"
    message = factory.LazyAttribute(lambda o: "Could you tell us more?" if o.kind in _WRITTEN else "")
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Response:
        return needs.response_create(**kwargs)


class DonorProfileFactory(_ServiceFactory):
    """A donor profile saved with ``donor_profile_save`` (by default the international organisation's,
    for clearance). ``actor`` and ``priority_states`` go to the service; every other field is a value."""

    class Meta:
        model = DonorProfile

    organisation = factory.LazyFunction(lambda: organisation("io"))
    pillars = factory.LazyFunction(lambda: ["clearance"])
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> DonorProfile:
        owner, actor = kwargs.pop("organisation"), kwargs.pop("actor")
        options = {"priority_states": kwargs.pop("priority_states")} if "priority_states" in kwargs else {}
        return needs.donor_profile_save(organisation=owner, values=kwargs, actor=actor, **options)


class FlowFactory(_ServiceFactory):
    """A funding flow entered on the platform with ``flow_create`` (by default the international
    organisation's public USD 1,000 commitment to Lebanon for clearance)."""

    class Meta:
        model = FundingFlow

    funder = factory.LazyFunction(lambda: organisation("io"))
    recipient_state = factory.LazyFunction(_lebanon)
    pillar = "clearance"
    stage = "commitment"
    amount = Decimal("1000")
    currency = "USD"
    value_date = date(2025, 1, 6)
    visibility = "public"
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> FundingFlow:
        return funding.flow_create(**kwargs)
