"""One chain of money (issue 10, part 5): a pledge on a need is one flow in the ledger, shown on the need,
on the State's funding page, in coverage and on the donor's page; the commitment and the disbursement are
recorded against it and counted once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ccm.funding import selectors, services
from ccm.funding.models import FundingFlow
from ccm.needs.models import Response
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def usd_need(lebanon):
    return NeedFactory(
        state=lebanon, title="Clearance teams", amount=Decimal("500000"), currency="USD", starts_on=date(2025, 1, 1)
    )


def _cells(client, **params):
    return client.get("/api/v1/coverage/", {"state": "LBN", **params}).json()


def test_a_pledge_entered_once_shows_on_the_need_the_state_coverage_and_the_donor(usd_need):
    editor = persona("io_editor").client()
    # the need's page offers the pledge form, posted to the ledger
    page = editor.get(f"/needs/{usd_need.pk}/").content.decode()
    assert f'action="/funding/needs/{usd_need.pk}/"' in page
    response = editor.post(f"/funding/needs/{usd_need.pk}/", {"amount": "200000", "message": "For the teams"})
    assert response.status_code == 302
    flow = FundingFlow.objects.get()
    assert (flow.stage, flow.need, flow.amount, flow.funder) == (
        "pledge",
        usd_need,
        Decimal(200000),
        organisation("io"),
    )
    assert flow.value_date.year >= 2025 and flow.usd_amount is not None
    message = Response.objects.get(kind="pledge")
    assert message.ledger_flow == flow and message.message == "For the teams"  # the words; the amount is the flow's

    anonymous = persona("anonymous").client()
    need = anonymous.get(f"/api/v1/needs/{usd_need.pk}/").json()
    assert (need["status"], need["pledged"], need["remaining"]) == ("partly_met", "200000.00", "300000.00")
    assert need["responses"][0]["amount"] == "200000.00" and need["responses"][0]["flow"] == flow.pk
    assert "200,000\xa0USD" in anonymous.get(f"/needs/{usd_need.pk}/").content.decode()
    state_page = anonymous.get("/funding/states/LBN/").content.decode()
    assert "Pledges and what followed them" in state_page and "Clearance teams" in state_page
    assert f"/needs/{usd_need.pk}/" in state_page
    cells = _cells(anonymous)
    assert sum(Decimal(c["pledged"]) for c in cells) == flow.usd_amount  # counted once
    donor_page = anonymous.get(f"/funding/donors/{organisation('io').slug}/").content.decode()
    assert "Clearance teams" in donor_page and "200,000" in donor_page
    chains = anonymous.get("/api/v1/pledges/", {"need": usd_need.pk}).json()
    assert [(c["pledge"], c["pledged"], c["committed"]) for c in chains] == [(flow.pk, "200000.00", "0.00")]
    # the overview's "pledged" is this pledge, once
    overview = anonymous.get("/funding/").context["totals"]
    assert [t.pledged for t in overview if t.iso3 == "LBN"] == [flow.usd_amount]


def test_commitment_and_disbursement_against_a_pledge_are_linked_and_counted_once(usd_need):
    pledge = services.pledge_create(
        need=usd_need, funder=organisation("io"), amount=Decimal("300000"), actor=None, value_date=date(2025, 2, 1)
    )
    editor = persona("io_editor").client()
    form = editor.get(f"/funding/flows/{pledge.pk}/follow/")
    assert form.status_code == 200 and "Record a Commitment" in form.content.decode()
    assert (
        editor.post(
            f"/funding/flows/{pledge.pk}/follow/",
            {"amount": "300000", "currency": "USD", "value_date": "2025-03-01", "visibility": "public"},
        ).status_code
        == 302
    )
    commitment = FundingFlow.objects.get(stage="commitment")
    assert commitment.follows == pledge and commitment.need == usd_need and commitment.funder == organisation("io")
    disbursement = services.flow_follow_create(
        follows=commitment, amount=Decimal("300000"), value_date=date(2026, 2, 1), actor=None
    )
    assert disbursement.stage == "disbursement" and disbursement.follows == commitment
    cells = _cells(persona("anonymous").client())
    funded = sum(Decimal(c["funded"]) for c in cells)
    assert funded == commitment.usd_amount  # not commitment + disbursement, even in another year
    assert sum(Decimal(c["disbursed"]) for c in cells) == disbursement.usd_amount
    [chain] = persona("anonymous").client().get("/api/v1/pledges/", {"state": "LBN"}).json()
    assert (chain["pledged"], chain["committed"], chain["disbursed"]) == ("300000.00", "300000.00", "300000.00")
    # the need's money page shows the chain; the brief's needs table reads the same figures
    page = persona("anonymous").client().get(f"/funding/needs/{usd_need.pk}/").content.decode()
    assert page.count("300,000\xa0USD") >= 3
    assert selectors.need_money(user=None, need_ids=[usd_need.pk]) == {usd_need.pk: (Decimal(300000), Decimal(300000))}
    # a disbursement is the end of the chain; a follow-up never comes before what it follows
    with pytest.raises(ValidationError, match="end of the chain"):
        services.flow_follow_create(follows=disbursement, amount=Decimal(1), value_date=date(2026, 3, 1), actor=None)
    with pytest.raises(ValidationError) as excinfo:
        services.flow_follow_create(follows=pledge, amount=Decimal(1), value_date=date(2000, 1, 1), actor=None)
    assert "value_date" in excinfo.value.message_dict
    # another organisation may not record against io's pledge; a reader of io may not either
    assert persona("operator_editor").client().get(f"/funding/flows/{pledge.pk}/follow/").status_code == 403
    assert persona("io_viewer").client().get(f"/funding/flows/{pledge.pk}/follow/").status_code == 403


def test_pledges_awaiting_commitment_are_the_users_organisations_uncommitted_pledges(usd_need):
    first = services.pledge_create(need=usd_need, funder=organisation("io"), amount=Decimal("100"), actor=None)
    second = services.pledge_create(need=usd_need, funder=organisation("io"), amount=Decimal("200"), actor=None)
    services.pledge_create(need=usd_need, funder=organisation("operator"), amount=Decimal("300"), actor=None)
    services.flow_follow_create(follows=first, amount=Decimal("100"), value_date=date(2030, 1, 1), actor=None)
    assert list(selectors.pledges_awaiting_commitment(persona("io_viewer").user)) == [second]
    assert list(selectors.pledges_awaiting_commitment(persona("state_viewer").user)) == []
    assert not selectors.pledges_awaiting_commitment(persona("anonymous").user).exists()
    api = persona("io_viewer").client().get("/api/v1/pledges/", {"awaiting_commitment": "true"}).json()
    assert [c["pledge"] for c in api] == [second.pk]
    assert persona("anonymous").client().get("/api/v1/pledges/", {"awaiting_commitment": "true"}).status_code == 401


def test_a_states_own_organisation_records_no_international_assistance_to_itself(usd_need, lebanon):
    with pytest.raises(ValidationError, match="national funding"):
        services.flow_create(
            funder=organisation("state"),
            recipient_state=lebanon,
            pillar="clearance",
            stage="commitment",
            amount=Decimal("1000"),
            currency="USD",
            value_date=date(2025, 1, 1),
            actor=None,
        )
    with pytest.raises(ValidationError, match="national funding"):
        services.pledge_create(need=usd_need, funder=organisation("state"), amount=Decimal("1000"), actor=None)
    page = (
        persona("state_editor")
        .client()
        .post(
            "/funding/flows/new/",
            {
                "funder": organisation("state").pk,
                "recipient_state": lebanon.pk,
                "pillar": "clearance",
                "stage": "disbursement",
                "amount": "1000",
                "currency": "USD",
                "value_date": "2025-01-01",
                "visibility": "public",
            },
        )
    )
    assert page.status_code == 200 and "national funding" in page.content.decode()
    assert persona("state_editor").client().post(f"/funding/needs/{usd_need.pk}/", {"amount": "5"}).status_code == 403
    assert not FundingFlow.objects.exists()


def test_a_public_flow_linked_to_a_hidden_need_shows_no_link_to_it(lebanon):
    hidden = NeedFactory(state=lebanon, title="For the operator only", visibility="chosen", currency="USD")
    hidden.chosen_donors.set([organisation("operator")])
    flow = services.flow_create(
        funder=organisation("io"),
        recipient_state=lebanon,
        pillar="clearance",
        stage="commitment",
        amount=Decimal("1000"),
        currency="USD",
        value_date=date(2025, 1, 1),
        need=hidden,
        actor=None,
    )
    for name in ("anonymous", "io_viewer"):
        client = persona(name).client()
        [row] = client.get("/api/v1/flows/", {"recipient": "LBN"}).json()["results"]
        assert row["id"] == flow.pk and row["need"] is None, name
        for url in ("/funding/states/LBN/", f"/funding/donors/{organisation('io').slug}/"):
            html = client.get(url).content.decode()
            assert f"/needs/{hidden.pk}/" not in html and "For the operator only" not in html, (name, url)
    operator = persona("operator_viewer").client()
    [row] = operator.get("/api/v1/flows/", {"recipient": "LBN"}).json()["results"]
    assert row["need"] == hidden.pk
    assert f"/needs/{hidden.pk}/" in operator.get("/funding/states/LBN/").content.decode()
    assert persona("io_viewer").client().get(f"/funding/needs/{hidden.pk}/").status_code == 404


def test_required_is_the_plan_gap_plus_the_needs_not_in_the_plan(lebanon):
    from ccm.reporting import services as reporting

    obligation = lebanon.obligations.get(kind="clearance")
    plan, _created = reporting.plan_save(
        obligation=obligation,
        currency="USD",
        actor=None,
        visibility="public",
        years=[{"year": 2027, "target_output": 10, "cost": Decimal("900"), "national_funding": Decimal("100")}],
    )
    reporting.plan_approve(plan=plan, actor=None)
    NeedFactory(
        state=lebanon,
        title="In the plan",
        amount=Decimal("500"),
        currency="USD",
        starts_on=date(2027, 1, 1),
        obligation=obligation,
    )
    NeedFactory(state=lebanon, title="Not in it", amount=Decimal("300"), currency="USD", starts_on=date(2027, 1, 1))
    [cell] = _cells(persona("anonymous").client(), year=2027)
    assert (cell["required"], cell["required_plan"], cell["required_needs"]) == ("1100.00", "800.00", "300.00")
    page = persona("anonymous").client().get("/funding/states/LBN/").content.decode()
    assert "of which plan gap" in page and "800" in page and "of which needs not in the plan" in page


def test_the_chain_pages_run_a_bounded_number_of_queries(usd_need, django_assert_max_num_queries):
    for _index in range(15):
        pledge = services.pledge_create(need=usd_need, funder=organisation("io"), amount=Decimal("10"), actor=None)
        services.flow_follow_create(follows=pledge, amount=Decimal("10"), value_date=date(2030, 1, 1), actor=None)
    client = persona("io_editor").client()
    for url in (
        "/funding/states/LBN/",
        f"/funding/needs/{usd_need.pk}/",
        f"/funding/donors/{organisation('io').slug}/",
    ):
        client.get(url)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/pledges/", {"limit": 500}).json()) == 15


def test_a_pledge_on_a_need_kept_to_chosen_donors_is_not_published_in_the_ledger(lebanon):
    hidden = NeedFactory(
        state=lebanon, title="For the operator only", visibility="chosen", currency="USD", amount=Decimal("5000")
    )
    hidden.chosen_donors.set([organisation("operator")])
    pledge = services.pledge_create(need=hidden, funder=organisation("operator"), amount=Decimal("700"), actor=None)
    assert pledge is not None and pledge.visibility == "organisation"
    for name in ("anonymous", "io_viewer", "other_state_manager"):
        client = persona(name).client()
        assert client.get("/api/v1/flows/", {"recipient": "LBN"}).json()["results"] == [], name
        assert "700" not in client.get("/funding/explorer/", {"recipient": "LBN"}).content.decode(), name
    for name in ("operator_viewer", "coordinator"):
        [row] = persona(name).client().get("/api/v1/flows/", {"recipient": "LBN"}).json()["results"]
        assert row["id"] == pledge.pk and row["need"] == hidden.pk, name
    # whoever sees the need reads the pledge in its thread
    thread = persona("state_editor").client().get(f"/needs/{hidden.pk}/").content.decode()
    assert "700\xa0USD" in thread
    public = NeedFactory(
        state=lebanon, title="Open to all", currency="USD", amount=Decimal("5000"), visibility="public"
    )
    assert (
        services.pledge_create(need=public, funder=organisation("io"), amount=Decimal("9"), actor=None).visibility
        == "public"
    )
