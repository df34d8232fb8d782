"""``ccm seed_scale``: the sizes it promises, the same rows from the same seed, and its refusals."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ccm.accounts.models import Organisation, User
from ccm.core.models import AuditEntry
from ccm.core.scale import SIZES, ScaleContext
from ccm.funding.models import FundingFlow
from ccm.needs.models import Need, Response
from ccm.reporting.models import ProgressReport

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
