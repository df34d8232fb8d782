"""``ccm seed_scale``: the sizes it promises, the same rows from the same seed, and its refusals."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ccm.accounts.models import Organisation, User
from ccm.coalitions.models import Coalition, Message
from ccm.consultations.models import Answer, Campaign
from ccm.core.models import AuditEntry
from ccm.core.scale import SIZES, ScaleContext
from ccm.funding.models import FundingFlow
from ccm.library.models import Offer, Practice, SearchEntry
from ccm.meetings.models import AgendaItem, InvitedOrganisation, Meeting
from ccm.needs.models import Need, Response
from ccm.reporting.models import ProgressReport
from ccm.states.models import Obligation
from ccm.transparency.models import TransparencyReport
from ccm.victims.models import VictimAssistanceYear, VictimFigure

pytestmark = pytest.mark.django_db(transaction=False)

FACTOR = 0.01


def _digest() -> str:
    """The content of the rows, without ids or times (sequences do not roll back on PostgreSQL)."""
    h = hashlib.sha256()
    for row in Need.objects.order_by("title").values_list("title", "state__iso3", "amount", "visibility"):
        h.update(repr(row).encode())
    for row in FundingFlow.objects.order_by("funder__slug", "value_date", "amount", "stage").values_list(
        "funder__slug", "recipient_state__iso3", "stage", "amount", "currency", "value_date", "pillar"
    ):
        h.update(repr(row).encode())
    for row in Meeting.objects.order_by("ics_uid").values_list("ics_uid", "title", "kind", "status", "starts_at"):
        h.update(repr(row).encode())
    for row in Message.objects.order_by("created_at", "body", "organisation__slug").values_list(
        "thread__coalition__name", "thread__subject", "organisation__slug", "author__email", "body", "created_at"
    ):
        h.update(repr(row).encode())
    for row in VictimFigure.objects.order_by(
        "year__state__iso3", "year__year", "measure", "sex", "age_group"
    ).values_list("year__state__iso3", "year__year", "measure", "sex", "age_group", "count"):
        h.update(repr(row).encode())
    for row in TransparencyReport.objects.order_by("state__iso3", "kind", "year").values_list(
        "state__iso3", "kind", "year", "status", "submitted_on", "checked_on"
    ):
        h.update(repr(row).encode())
    for row in Answer.objects.order_by("campaign__title", "organisation__slug").values_list(
        "campaign__title", "organisation__slug", "status", "submitted_at"
    ):
        h.update(repr(row).encode())
    for row in Practice.objects.order_by("title").values_list(
        "title", "organisation__slug", "visibility", "published_on"
    ):
        h.update(repr(row).encode())
    for row in Offer.objects.order_by("title").values_list("title", "organisation__slug", "kind", "expires_on"):
        h.update(repr(row).encode())
    return h.hexdigest()


def _build(seed: int) -> tuple[str, dict[str, int]]:
    with transaction.atomic():
        call_command("seed_scale", factor=FACTOR, seed=seed, stdout=io.StringIO())
        counts = {
            "organisations": Organisation.objects.filter(slug__startswith="scale-").count(),
            "users": User.objects.filter(email__startswith="scale-user-").count(),
            "needs": Need.objects.count(),
            "responses": Response.objects.count(),
            "flows": FundingFlow.objects.count(),
            "progress": ProgressReport.objects.count(),
            "audit": AuditEntry.objects.filter(data__new__scale=True).count(),
            "victim_years": VictimAssistanceYear.objects.filter(illustrative=True).count(),
            "victim_figures": VictimFigure.objects.count(),
            "victim_small": VictimFigure.objects.filter(count__gte=1, count__lte=4).count(),
            "clearance_states": Obligation.objects.filter(kind="clearance").values("state").distinct().count(),
            "article7": TransparencyReport.objects.filter(illustrative=True).count(),
            "article7_late_or_missing": TransparencyReport.objects.filter(status="not_received").count(),
            "consultations": Campaign.objects.filter(title__startswith="Scale consultation").count(),
            "answers": Answer.objects.count(),
            "meetings": Meeting.objects.filter(ics_uid__startswith="scale-").count(),
            "agenda_items": AgendaItem.objects.count(),
            "invited": InvitedOrganisation.objects.count(),
            "coalitions": Coalition.objects.filter(illustrative=True).count(),
            "messages": Message.objects.count(),
            "practices": Practice.objects.filter(illustrative=True).count(),
            "offers": Offer.objects.filter(illustrative=True).count(),
            "indexed_practices": SearchEntry.objects.filter(kind="practice").count(),
            "indexed_offers": SearchEntry.objects.filter(kind="offer").count(),
        }
        digest = _digest()
        transaction.set_rollback(True)
    return digest, counts


def test_sizes_follow_the_factor_and_the_same_seed_gives_the_same_rows(settings):
    settings.DEBUG = True
    ctx = ScaleContext(factor=FACTOR, seed=1, today=__import__("datetime").date(2026, 1, 1))
    first, counts = _build(seed=7)
    assert counts["users"] == ctx.size("users")
    assert counts["needs"] == ctx.size("needs")
    assert counts["responses"] == ctx.size("responses")
    assert counts["flows"] == ctx.size("flows")
    assert counts["audit"] == ctx.size("audit_per_year") * SIZES["audit_years"]
    assert counts["progress"] > 0 and counts["progress"] % SIZES["progress_years"] == 0
    # The apps above funding: every kind has rows at this small factor.
    assert counts["victim_years"] == counts["clearance_states"] * SIZES["victim_assistance_years"] > 0
    assert counts["victim_figures"] > 0 and counts["victim_small"] > 0  # small counts, for the protection
    assert counts["article7"] > counts["article7_late_or_missing"] > 0
    assert counts["consultations"] == ctx.size("consultations")
    assert 0 < counts["answers"] <= ctx.size("consultation_answers")
    assert counts["meetings"] == ctx.size("meetings")
    assert counts["agenda_items"] >= 3 * counts["meetings"] and counts["invited"] >= 4 * counts["meetings"]
    assert counts["coalitions"] == ctx.size("coalitions")
    assert counts["messages"] == ctx.size("coalition_messages")
    assert counts["practices"] == ctx.size("practices") == counts["indexed_practices"]
    assert counts["offers"] == ctx.size("offers") == counts["indexed_offers"]
    again, _ = _build(seed=7)
    other, _ = _build(seed=8)
    assert again == first
    assert other != first


def test_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_scale", factor=FACTOR, stdout=io.StringIO())
    assert not Organisation.objects.filter(slug__startswith="scale-").exists()


def test_refuses_a_database_that_already_holds_it_and_a_bad_factor(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="at most 20"):
        call_command("seed_scale", factor=1000, stdout=io.StringIO())
    with pytest.raises(CommandError, match="above 0"):
        call_command("seed_scale", factor=0, stdout=io.StringIO())
    call_command("seed_scale", factor=0.002, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_scale", factor=0.002, stdout=io.StringIO())
