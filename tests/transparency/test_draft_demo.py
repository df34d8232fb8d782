"""The demo's drafts (``ccm seed_demo``): Lebanon 2025, Peru's stockpile years and Norway's assistance, as
the demo accounts download them (the issue's "Done when")."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from ccm.accounts.models import User
from ccm.funding import explorer
from ccm.transparency import draft_demo
from tests.personas import signed_in_client

pytestmark = pytest.mark.django_db


def _items(client, url: str) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {item["key"]: item for item in response.json()["items"]}


def _values(item: dict) -> dict[str, str]:
    return {f["label"]: f["value"] for f in item["figures"]}


@override_settings(DEBUG=True)
def test_the_demo_drafts_match_the_demo_figures():
    call_command("seed_demo", stdout=io.StringIO())
    lebanon = signed_in_client(User.objects.get(email="lebanon.viewer@example.org"))
    items = _items(lebanon, "/api/v1/transparency/drafts/LBN/2025/")
    expected = draft_demo.LEBANON_2025
    i = _values(items["i"])
    assert i["Cleared"] == str(expected["cleared_m2"]) and i["Reduced by technical survey"] == str(
        expected["reduced_m2"]
    )
    assert i["Land released in total"] == str(
        expected["cancelled_m2"] + expected["reduced_m2"] + expected["cleared_m2"]
    )
    assert i["Submunitions destroyed in clearance"] == str(expected["submunitions_destroyed"])
    assert _values(items["j"]) == {"People reached by risk education": str(expected["risk_education_beneficiaries"])}
    assert lebanon.get("/transparency/drafts/LBN/2025/draft.docx").status_code == 200

    coordinator = signed_in_client(User.objects.get(email="coordinator@example.org"))
    for year, (munitions, submunitions) in draft_demo.PERU_YEARS.items():
        f = _values(_items(coordinator, f"/api/v1/transparency/drafts/PER/{year}/")["f"])
        assert f == {
            "Cluster munitions destroyed": str(munitions),
            "Explosive submunitions destroyed": str(submunitions),
        }
    assert sum(m for m, _s in draft_demo.PERU_YEARS.values()) == draft_demo.PERU_TOTALS[0]
    assert sum(s for _m, s in draft_demo.PERU_YEARS.values()) == draft_demo.PERU_TOTALS[1]

    norway_user = User.objects.get(email="norway.editor@example.org")
    norway = signed_in_client(norway_user)
    response = norway.get("/api/v1/transparency/drafts/NOR/2025/").json()
    lines = next(item for item in response["items"] if item["key"] == "n")["flow_lines"]
    assert {(line["recipient_iso3"], line["currency"], Decimal(line["amount"])) for line in lines} == {
        (iso3, currency, amount) for iso3, _p, _s, amount, currency, _d, _v in draft_demo.NORWAY_2025
    }
    shown = explorer.totals(
        explorer.explorer_flows(
            user=norway_user,
            filters=explorer.ExplorerFilters(funder="norway-ministry-of-foreign-affairs-demo", year=2025),
        )
    )
    totals = {t["stage"]: Decimal(t["usd"]) for t in response["flow_totals"]}
    assert totals.get("disbursement", Decimal(0)) == shown.disbursed
    assert totals.get("commitment", Decimal(0)) == shown.committed
