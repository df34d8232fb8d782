"""The pledges made in needs' threads move into the funding ledger: one pledge flow each (linked to the need
and to its message), none doubled where the ledger already held it, in-kind pledges left as messages."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.migrations import migrate, migrate_to_latest, start_from_reference

BEFORE = [("funding", "0005_flow_pledge_chain"), ("needs", "0003_amounts_in_cents")]
AFTER = [("funding", "0006_pledges_into_ledger"), ("needs", "0005_response_amount_in_ledger")]


@pytest.mark.django_db(transaction=True)
def test_pledge_responses_become_ledger_flows_once():
    start_from_reference()  # a transactional test may start from an emptied database
    try:
        old = migrate(BEFORE)
        State = old.get_model("states", "State")
        Organisation = old.get_model("accounts", "Organisation")
        Need = old.get_model("needs", "Need")
        Response = old.get_model("needs", "Response")
        Flow = old.get_model("funding", "FundingFlow")
        lebanon = State.objects.get(iso3="LBN")
        donor = Organisation.objects.create(name="Donor", slug="donor", kind="donor_government")
        other = Organisation.objects.create(name="Other", slug="other", kind="ngo")
        published = datetime(2024, 5, 1, tzinfo=UTC)
        need = Need.objects.create(
            state=lebanon,
            title="Teams",
            pillar="survey",
            modality="financial",
            description="d",
            amount=Decimal("1000000"),
            currency="EUR",
            published_at=published,
            visibility="public",
        )
        in_kind = Need.objects.create(
            state=lebanon,
            title="Trainers",
            pillar="risk_education",
            modality="technical_expertise",
            description="d",
            in_kind="Two trainers",
            published_at=published,
        )
        thread_only = Response.objects.create(need=need, organisation=donor, kind="pledge", amount=Decimal("250000"))
        Response.objects.filter(pk=thread_only.pk).update(created_at=datetime(2024, 6, 3, 9, tzinfo=UTC))
        # a pledge recorded on the funding pages: already in the ledger, and posted in the thread
        in_ledger = Response.objects.create(need=need, organisation=other, kind="pledge", amount=Decimal("100000"))
        ledger_flow = Flow.objects.create(
            funder=other,
            funder_ref="other",
            funder_name="Other",
            recipient_state=lebanon,
            need=need,
            pillar="survey",
            stage="pledge",
            amount=Decimal("100000"),
            currency="EUR",
            value_date=date(2024, 6, 1),
            source="entered",
        )
        words = Response.objects.create(need=in_kind, organisation=donor, kind="pledge", message="One trainer")
        Response.objects.create(need=need, organisation=donor, kind="interest", message="Maybe more")

        new = migrate(AFTER)
        Flow = new.get_model("funding", "FundingFlow")
        Response = new.get_model("needs", "Response")
        flows = {f.response_id: f for f in Flow.objects.filter(stage="pledge")}
        assert set(flows) == {thread_only.pk, in_ledger.pk}  # one each; the in-kind pledge stays a message
        assert Flow.objects.count() == 2 and flows[in_ledger.pk].pk == ledger_flow.pk  # linked, not copied
        moved = flows[thread_only.pk]
        assert (moved.funder_id, moved.need_id, moved.recipient_state_id) == (donor.pk, need.pk, lebanon.pk)
        assert (moved.amount, moved.currency, moved.pillar, moved.value_date) == (
            Decimal("250000.00"),
            "EUR",
            "survey",
            date(2024, 6, 3),
        )
        assert moved.usd_amount is not None and moved.rate_date <= date(2024, 6, 3) and moved.visibility == "public"
        assert Response.objects.filter(kind="pledge").count() == 3
        assert Response.objects.get(pk=words.pk).message == "One trainer"
        assert "amount" not in {f.name for f in Response._meta.get_fields()}
        # and back: the amounts return to the thread
        back = migrate(BEFORE)
        amounts = dict(back.get_model("needs", "Response").objects.filter(kind="pledge").values_list("pk", "amount"))
        assert amounts == {thread_only.pk: Decimal("250000.00"), in_ledger.pk: Decimal("100000.00"), words.pk: None}
    finally:
        migrate_to_latest()
