from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ccm.reporting import services
from ccm.reporting import services as reporting
from ccm.reporting.selectors import plan_in_force
from ccm.states.models import State
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_plan_versions_are_kept_and_the_newest_approved_is_in_force(lebanon_reported):
    obligation = lebanon_reported.obligations.get(kind="clearance")
    years = [
        {"year": 2027, "target_output": 3_000_000, "cost": Decimal("9000000"), "national_funding": Decimal("1000000")}
    ]
    same, created = services.plan_save(obligation=obligation, currency="usd", actor=None, years=years)
    assert not created and same.version == 1
    draft, created = services.plan_save(
        obligation=obligation, currency="USD", actor=None, years=[*years, {"year": 2028, "target_output": 1, "cost": 1}]
    )
    assert created and draft.version == 2
    plans = list(obligation.plans.all())
    assert plan_in_force(plans).version == 1
    services.plan_approve(plan=draft, actor=None)
    assert plan_in_force(list(obligation.plans.all())).version == 2
    with pytest.raises(ValidationError, match="appears twice"):
        services.plan_save(obligation=obligation, currency="USD", actor=None, years=[years[0], years[0]])


def test_only_a_manager_approves(lebanon_reported):
    obligation = lebanon_reported.obligations.get(kind="clearance")
    draft, _ = services.plan_save(
        obligation=obligation, currency="USD", actor=None, years=[{"year": 2029, "target_output": 1, "cost": 1}]
    )
    assert persona("state_editor").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 403
    assert persona("coordinator").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 403
    assert persona("other_state_manager").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 404
    assert persona("state_manager").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


def test_restricting_a_plan_takes_effect_and_imports_keep_the_restriction(lebanon):
    obligation = lebanon.obligations.get(kind="clearance")
    years = [{"year": 2027, "target_output": 1, "cost": Decimal(10)}]
    plan, _ = reporting.plan_save(obligation=obligation, years=years, currency="USD", visibility="public", actor=None)
    reporting.plan_approve(plan=plan, actor=None)
    same, changed = reporting.plan_save(
        obligation=obligation, years=years, currency="USD", visibility="organisation", actor=None
    )
    assert changed and same.pk == plan.pk and same.visibility == "organisation"
    assert persona("anonymous").client().get("/api/v1/states/LBN/plans/").json()["count"] == 0
    newer, _ = reporting.plan_save(
        obligation=obligation,
        years=[*years, {"year": 2028, "target_output": 1, "cost": Decimal(5)}],
        currency="USD",
        actor=None,
    )
    assert newer.version == 2 and newer.visibility == "organisation"
