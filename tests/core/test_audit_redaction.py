"""Confidential fields in the audit trail: a restricted need (chosen donors only) and a confidential
funding flow. Their values are stored redacted; the audit page, its CSV and the API show neither the
values nor a plain SHA-256 of them, to a manager or to a coordinator."""

import hashlib
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.core import audit
from ccm.core.models import AuditEntry
from ccm.funding import services as funding
from ccm.funding.models import FundingFlow
from ccm.needs import services as needs
from ccm.needs.models import Need, Response
from ccm.states.models import State
from tests.factories import FlowFactory, NeedFactory, ResponseFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

TITLE = "Quiet survey of the Kaslik valley"
DESCRIPTION = "Nine villages near the line; names withheld"
AMOUNT = Decimal("734521.50")
NEW_AMOUNT = Decimal("812977.25")
NEW_DESCRIPTION = "Eleven villages after the new survey"
REASON = "The donor conference moved it elsewhere"
QUESTION = "Could you share the Kaslik hazard map?"
PLEDGE = Decimal("123456.78")
FLOW_AMOUNT = Decimal("98765.43")
IMPLEMENTER = "Undisclosed Demining Partner"


def _sha256_forms(value):
    """Plain SHA-256 digests of the ways a value could be written."""
    forms = {str(value)}
    if isinstance(value, Decimal):
        forms |= {f"{value:.2f}", format(value.normalize(), "f"), f"{value:,.2f}"}
    return {hashlib.sha256(f.encode()).hexdigest() for f in forms}


SECRETS = [TITLE, DESCRIPTION, NEW_DESCRIPTION, REASON, QUESTION, IMPLEMENTER, "Kaslik"]
SECRET_NUMBERS = ["734521", "734,521", "812977", "812,977", "123456", "123,456", "98765", "98,765"]
SECRET_DIGESTS = set().union(
    *(_sha256_forms(v) for v in (TITLE, DESCRIPTION, NEW_DESCRIPTION, REASON, QUESTION, IMPLEMENTER)),
    *(_sha256_forms(v) for v in (AMOUNT, NEW_AMOUNT, PLEDGE, FLOW_AMOUNT)),
)


# Tokens that carry digits by chance and never a value: keyed fingerprints, 32-hex request ids and the
# time of each entry, written to the microsecond. The coordinator's CSV holds every entry of the test
# database (some 370, most from the personas' creation); the chance that one of their microseconds
# reads ...98765... or 123456 is near 1 % a run, which made the check fail now and then.
NOISE = re.compile(
    r"hmac-sha256:[0-9a-f]{64}"
    r"|\b[0-9a-f]{32}\b"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _without_noise(text):
    return NOISE.sub(" ", text)


def _assert_nothing_confidential(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in {where}"
    for digest in SECRET_DIGESTS:
        assert digest not in text, f"a plain SHA-256 in {where}"
    numbers = _without_noise(text)
    for secret in SECRET_NUMBERS:
        at = numbers.find(secret)
        assert at == -1, f"{secret!r} in {where}: {numbers[max(0, at - 40) : at + 40]!r}"


@pytest.fixture
def restricted_need():
    """A need only its chosen donor (the international organisation) sees, created, changed, asked
    about, pledged to and withdrawn."""
    lebanon = State.objects.get(iso3="LBN")
    need = NeedFactory(
        state=lebanon,
        title=TITLE,
        description=DESCRIPTION,
        amount=AMOUNT,
        visibility="chosen",
        chosen_donors=[organisation("io")],
        actor=persona("state_editor").user,
    )
    needs.need_save(
        state=lebanon,
        need=need,
        actor=persona("state_editor").user,
        values={"description": NEW_DESCRIPTION, "amount": NEW_AMOUNT, "currency": "USD"},
    )
    ResponseFactory(need=need, kind="question", message=QUESTION, actor=persona("io_editor").user)
    funding.pledge_create(need=need, funder=organisation("io"), amount=PLEDGE, actor=persona("io_editor").user)
    needs.need_withdraw(need=need, actor=persona("state_editor").user, reason=REASON)
    return need


@pytest.fixture
def confidential_flow():
    return FlowFactory(
        amount=FLOW_AMOUNT, actor=persona("io_editor").user, visibility="organisation", implementer_name=IMPLEMENTER
    )


def _entries(obj):
    return AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name).order_by("id")


def test_a_restricted_needs_entries_hold_no_plain_value_and_a_neutral_label(restricted_need):
    entries = {e.action: e for e in _entries(restricted_need)}
    assert set(entries) == {"need.create", "need.publish", "need.update", "need.withdraw"}
    for entry in entries.values():
        _assert_nothing_confidential(str(entry.data) + entry.object_label, entry.action)
        assert entry.object_label == f"Need #{restricted_need.pk}"
    created, updated = entries["need.create"], entries["need.update"]
    assert created.new["title"] == created.new["description"] == audit.CONFIDENTIAL
    assert updated.old["description"] == updated.new["description"] == audit.CONFIDENTIAL
    assert entries["need.withdraw"].data["extra"] == {"reason": audit.CONFIDENTIAL}
    # what is not confidential stays readable
    assert created.new["currency"] == "USD" and created.new["visibility"] == "chosen"


def test_a_keyed_hash_tells_equal_amounts_apart_from_different_ones(restricted_need):
    entries = {e.action: e for e in _entries(restricted_need)}
    created, updated = entries["need.create"], entries["need.update"]
    assert created.new["amount"].startswith(audit.HMAC_PREFIX)
    assert updated.old["amount"] == created.new["amount"]  # the same value: the same fingerprint
    assert updated.new["amount"] != updated.old["amount"]  # a different one: another fingerprint
    assert updated.new["amount"] == audit.fingerprint(NEW_AMOUNT) == audit.fingerprint("812977.2500")
    assert updated.new["amount"] not in {f"{audit.HMAC_PREFIX}{d}" for d in _sha256_forms(NEW_AMOUNT)}


def test_a_confidential_flows_entry_holds_no_plain_amount(confidential_flow):
    [entry] = _entries(confidential_flow)
    assert entry.action == "funding_flow.create"
    _assert_nothing_confidential(str(entry.data) + entry.object_label, entry.action)
    assert entry.object_label == f"Funding flow #{confidential_flow.pk}"
    assert entry.new["amount"] == audit.fingerprint(FLOW_AMOUNT)
    assert entry.new["usd"] is None or entry.new["usd"].startswith(audit.HMAC_PREFIX)
    assert entry.new["stage"] == "commitment" and entry.new["currency"] == "USD"


def test_a_pledges_amount_is_a_keyed_hash(restricted_need):
    entries = [e for r in Response.objects.filter(need=restricted_need) for e in _entries(r)]
    assert {e.action for e in entries} == {"response.add_question", "response.add_pledge"}
    for entry in entries:
        assert entry.object_label.startswith("Response #")
        _assert_nothing_confidential(str(entry.data) + entry.object_label, entry.action)
    [pledge] = [e for e in entries if e.action == "response.add_pledge"]
    assert "amount" not in pledge.new  # the amount is the ledger flow's
    [flow_entry] = _entries(FundingFlow.objects.get(need=restricted_need, stage="pledge"))
    assert flow_entry.new["amount"] == audit.fingerprint(PLEDGE)
    _assert_nothing_confidential(str(flow_entry.data) + flow_entry.object_label, flow_entry.action)


@pytest.mark.parametrize("name", ["state_manager", "io_manager", "coordinator"])
def test_the_audit_page_its_csv_and_the_api_show_no_confidential_value(name, restricted_need, confidential_flow):
    client = persona(name).client()
    page = client.get("/audit/")
    export = client.get("/audit/export.csv")
    api = client.get("/api/v1/audit/", {"object": "#"})
    assert page.status_code == export.status_code == api.status_code == 200
    html = page.content.decode()
    rows = b"".join(export.streaming_content).decode()
    body = api.content.decode()
    for text, where in ((html, "the page"), (rows, "the CSV"), (body, "the API")):
        _assert_nothing_confidential(text, where)
    # the entries are there (the test would pass on an empty log otherwise)
    seen = {"state_manager": f"Need #{restricted_need.pk}", "io_manager": f"Funding flow #{confidential_flow.pk}"}
    for label in [seen.get(name)] if name in seen else seen.values():
        assert label in html and label in rows and label in body, (name, label)
    assert audit.HMAC_PREFIX in html and audit.HMAC_PREFIX in rows and audit.HMAC_PREFIX in body


def test_managers_do_not_see_entries_about_objects_they_cannot_see(restricted_need):
    response = Response.objects.filter(need=restricted_need).first()
    io_manager = persona("io_manager").client()

    def io_sees_the_response_entry():
        rows = io_manager.get("/api/v1/audit/", {"action": "response."}).json()["results"]
        return any(r["object_label"] == f"Response #{response.pk}" for r in rows)

    assert io_sees_the_response_entry()  # recorded for the donor, which the need is shown to
    Need.chosen_donors.through.objects.filter(need=restricted_need).delete()  # no longer shown to it
    assert not io_sees_the_response_entry()
    coordinator_rows = persona("coordinator").client().get("/api/v1/audit/", {"action": "response."}).json()
    assert any(r["object_label"] == f"Response #{response.pk}" for r in coordinator_rows["results"])


def test_a_confidential_flows_entry_is_seen_by_the_funders_managers_only(confidential_flow):
    label = f"Funding flow #{confidential_flow.pk}"
    for name, sees in (("io_manager", True), ("state_manager", False), ("other_state_manager", False)):
        results = persona(name).client().get("/api/v1/audit/", {"action": "funding_flow."}).json()["results"]
        assert any(r["object_label"] == label for r in results) is sees, name


def test_fields_of_models_the_project_does_not_own_are_redacted_too():
    """The TOTP secret would otherwise be copied by the admin."""
    device = TOTPDevice.objects.create(user=persona("state_viewer").user, name="phone", key="00112233445566778899")
    with transaction.atomic():
        entry = audit.record(
            actor=None, action="totp_device.admin_change", obj=device, old={"key": "00"}, new={"key": device.key}
        )
    assert entry.old == {"key": audit.CONFIDENTIAL} and entry.new == {"key": audit.CONFIDENTIAL}


def test_empty_values_stay_readable_and_redaction_is_idempotent():
    assert audit.redact(None, "hmac") is None and audit.redact("", "changed") == ""
    once = audit.redact(Decimal("10"), "hmac")
    assert audit.redact(once, "hmac") == once and audit.redact(audit.CONFIDENTIAL, "changed") == audit.CONFIDENTIAL
    assert audit.fingerprint(Decimal("250000")) == audit.fingerprint("250000.00") == audit.fingerprint(250000)
    assert audit.fingerprint("250000") != audit.fingerprint("250001")


def test_the_fingerprint_is_keyed_with_the_servers_secret(settings):
    before = audit.fingerprint("1000")
    settings.SECRET_KEY = "another-secret-for-this-test-only"
    assert audit.fingerprint("1000") != before


def test_the_check_ignores_digits_in_times_fingerprints_and_request_ids_but_not_a_value():
    """The guard of the tests above: an entry's time, fingerprint or request id may hold 98765 by chance;
    a confidential amount written in any of its forms is still caught."""
    noise = (
        "2026-11-28T14:43:00.987650+00:00,system,user.create,"
        f"{audit.HMAC_PREFIX}{'0' * 20}98765{'a' * 39},"
        "4f2d123456ab98765cd0123456789abc,2026-11-28T14:43:00.123456Z"
    )
    _assert_nothing_confidential(noise, "noise")
    for leak in ("98765.43", "98,765.43", "amount: 734521.5", "USD 812,977.25", '"123456.78"'):
        with pytest.raises(AssertionError):
            _assert_nothing_confidential(f"{noise} {leak}", "a leak")
