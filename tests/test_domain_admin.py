"""The admin of needs, donor profiles and funding flows: every page opens for an administrator, changes
are audited, figures the services compute stay read-only, and nobody else gets in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ccm.core.models import AuditEntry
from ccm.funding.models import FundingFlow
from ccm.needs.models import DonorProfile, Need, Obstacle, Response
from tests.factories import DonorProfileFactory, FlowFactory, NeedFactory, ObstacleFactory, ResponseFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db

MODELS = [Need, Obstacle, Response, DonorProfile, FundingFlow]


@pytest.fixture
def objects():
    need = NeedFactory()
    return {
        Need: need,
        Obstacle: ObstacleFactory(),
        Response: ResponseFactory(need=need),
        DonorProfile: DonorProfileFactory(),
        FundingFlow: FlowFactory(),
    }


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_domain_admin_page_opens_for_an_administrator(objects, model):
    client = persona("administrator").client()
    changelist = client.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert str(objects[model].pk) in changelist.content.decode()
    assert client.get(_url(model, "change", objects[model].pk)).status_code == 200


@pytest.mark.parametrize("who", ["coordinator", "state_manager", "io_manager", "outsider"])
def test_nobody_but_an_administrator_reaches_the_domain_admin(objects, who):
    response = persona(who).client().get(_url(FundingFlow, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_donor_profile_changed_in_the_admin_is_audited(objects):
    profile = objects[DonorProfile]
    client = persona("administrator").client()
    page = client.get(_url(DonorProfile, "change", profile.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["priority_states"] = [s.pk for s in profile.priority_states.all()]
    data["contact_name"] = "Desk officer for mine action"
    data["is_published"] = "on" if profile.is_published else ""
    for key in ("pillars", "modalities", "channels", "priority_regions"):
        data[key] = '["' + '", "'.join(getattr(profile, key)) + '"]' if getattr(profile, key) else "[]"
    response = client.post(_url(DonorProfile, "change", profile.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.contact_name == "Desk officer for mine action"
    entry = AuditEntry.objects.filter(action="donor_profile.admin_change").latest("id")
    assert entry.actor == persona("administrator").user
    assert entry.new.get("contact_name") == "Desk officer for mine action"


def test_a_flows_computed_dollar_figure_cannot_be_edited_in_the_admin(objects):
    flow = objects[FundingFlow]
    page = persona("administrator").client().get(_url(FundingFlow, "change", flow.pk))
    form = page.context["adminform"].form
    for computed in ("amount", "currency", "usd_amount", "rate", "value_date"):
        assert computed not in form.fields
