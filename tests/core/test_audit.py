import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from ccm.accounts import services
from ccm.core import audit
from ccm.core import cache as aggregate_cache
from ccm.core.models import AuditEntry
from ccm.states.models import Obligation
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_a_service_writes_its_audit_entry_with_actor_old_and_new_values():
    manager = persona("state_manager").user
    membership = persona("state_viewer").user.memberships.get()
    services.membership_change_role(membership=membership, role="editor", actor=manager)
    entry = AuditEntry.objects.filter(action="membership.change_role").latest("id")
    assert entry.actor == manager and entry.actor_label == manager.email
    assert entry.old == {"role": "viewer"} and entry.new == {"role": "editor"}
    assert entry.organisation_id == organisation("state").pk


def test_the_reference_loader_audits_what_it_changes():
    Obligation.objects.filter(state__iso3="LBN").update(original_deadline=date(2020, 1, 1))
    call_command("load_reference", stdout=io.StringIO())
    entry = AuditEntry.objects.filter(action="obligation.load_reference").latest("id")
    assert entry.actor_label == "system"
    assert entry.old == {"original_deadline": "2020-01-01"} and entry.new == {"original_deadline": "2021-05-01"}


def test_audit_entries_are_append_only():
    entry = AuditEntry.objects.first()
    entry.action = "tampered"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_audit_is_written_only_inside_a_transaction(monkeypatch):
    from django.db import connection

    monkeypatch.setattr(connection, "in_atomic_block", False)
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x")


def test_a_failed_service_leaves_no_audit_entry():
    before = AuditEntry.objects.count()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        services.organisation_create(name="", kind="operator", actor=None)
    assert AuditEntry.objects.count() == before


def test_rows_of_one_request_share_its_server_made_request_id():
    client = persona("state_manager").client()
    response = client.post(
        f"/accounts/organisations/{organisation('state').slug}/",
        {"email": "grouped@example.org", "role": "viewer"},
        HTTP_X_REQUEST_ID="forged-request-id-0001",
    )
    entry = AuditEntry.objects.get(action="invitation.create", object_label__contains="grouped@example.org")
    assert entry.request_id == response["X-Request-ID"] != "forged-request-id-0001"
    assert len(entry.request_id) == 32


def test_managers_see_their_organisations_entries_and_coordinators_see_all():
    manager = persona("state_manager").user
    services.organisation_create(name="Elsewhere", kind="operator", actor=None)
    services.membership_change_role(
        membership=persona("state_viewer").user.memberships.get(), role="editor", actor=manager
    )
    manager_rows = persona("state_manager").client().get("/audit/").context["page"].object_list
    assert {e.organisation_id for e in manager_rows} == {organisation("state").pk}
    coordinator_page = persona("coordinator").client().get("/audit/", {"object": "Elsewhere"}).context["page"]
    assert [e.action for e in coordinator_page.object_list] == ["organisation.create"]
    assert persona("state_editor").client().get("/audit/").context["page"].paginator.count == 0
    assert persona("outsider").client().get("/api/v1/audit/").json()["count"] == 0


def test_the_csv_export_has_the_same_filtered_rows():
    manager = persona("state_manager").user
    services.membership_change_role(
        membership=persona("state_viewer").user.memberships.get(), role="editor", actor=manager
    )
    response = persona("state_manager").client().get("/audit/export.csv", {"action": "membership.change_role"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["membership.change_role"]
    assert rows[0]["actor"] == manager.email
    assert '"role": "editor"' in rows[0]["change"]


def test_the_audit_page_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = persona("coordinator").client()
    client.get("/audit/")  # warm the session
    aggregate_cache.bump([aggregate_cache.EVERY_WRITE])  # the rows are read again, not the kept page part
    with django_assert_max_num_queries(14):  # nine, and the shared cache: the version, a miss, the store
        response = client.get("/audit/")
        assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(6):
        assert client.get("/audit/").status_code == 200  # the page part read back


def test_the_kept_audit_page_shows_a_write_at_once_and_is_kept_per_reader():
    coordinator = persona("coordinator").client()
    manager = persona("state_manager").client()
    assert "Elsewhere" not in coordinator.get("/audit/").content.decode()
    before = manager.get("/audit/").content.decode()
    services.organisation_create(name="Elsewhere", kind="operator", actor=None)
    assert "Elsewhere" in coordinator.get("/audit/").content.decode()
    after = manager.get("/audit/").content.decode()
    assert "Elsewhere" not in after and before.count("<tr>") == after.count("<tr>")


def test_a_password_reset_is_audited_without_the_password(mailoutbox, django_capture_on_commit_callbacks):
    user = persona("state_viewer").user
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is sent by a background task
        client.post("/accounts/password-reset/", {"email": user.email})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password-reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    new_password = "a-brand-new-long-password"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    entry = AuditEntry.objects.filter(action="user.set_password").latest("id")
    assert entry.object_id == str(user.pk)
    assert new_password not in str(entry.data)


def test_changes_through_the_django_admin_are_audited():
    client = persona("administrator").client()
    state = Obligation.objects.get(state__iso3="LBN").state
    response = client.post(
        f"/admin/states/state/{state.pk}/change/",
        {
            "iso3": state.iso3,
            "iso2": state.iso2,
            "numeric": state.numeric,
            "name": state.name,
            "official_name": state.official_name,
            "region": state.region,
            "subregion": state.subregion,
            "is_state": "on",
            "ccm_status": state.ccm_status,
            "signature_date": "2008-12-03",
            "deposit_date": "2010-11-05",
            "instrument": state.instrument,
            "entry_into_force": "2011-05-01",
            "treaty_source": state.treaty_source_id,
            "treaty_confidence": state.treaty_confidence,
            "note": "Edited by staff",
            "obligations-TOTAL_FORMS": "0",
            "obligations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(action="state.admin_change").latest("id")
    assert entry.actor == persona("administrator").user
    assert entry.new == {"note": "Edited by staff"}


def test_the_audit_export_neutralises_spreadsheet_formulas():
    viewer = persona("state_viewer").user
    services.user_update_profile(user=viewer, full_name='=HYPERLINK("http://evil.example","x")', actor=viewer)
    services.membership_change_role(
        membership=viewer.memberships.get(), role="editor", actor=persona("state_manager").user
    )
    response = persona("coordinator").client().get("/audit/export.csv", {"action": "membership.change_role"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_record_many_writes_one_entry_each_with_the_checks_and_redaction_of_record(monkeypatch):
    from django.db import connection

    from ccm.funding.models import FundingFlow

    flows = [FundingFlow(pk=n, amount=n, currency="USD", implementer_name=f"Operator {n}") for n in (1, 2)]
    changes = [audit.Change(obj=f, new={"amount": f.amount, "implementer_name": f.implementer_name}) for f in flows]
    with monkeypatch.context() as patch:
        patch.setattr(connection, "in_atomic_block", False)
        with pytest.raises(RuntimeError):  # outside a transaction, as record
            audit.record_many(actor=None, action="funding_flow.create", changes=changes)
    with transaction.atomic():
        with pytest.raises(audit.UnregisteredAuditAction):
            audit.record_many(actor=None, action="funding_flow.crate", changes=changes)
        audit.record_many(actor=None, action="funding_flow.create", changes=changes)
        one = audit.record(actor=None, action="funding_flow.create", obj=flows[0], new=changes[0].new)
    many = AuditEntry.objects.filter(action="funding_flow.create").exclude(pk=one.pk).order_by("pk")
    assert [e.object_id for e in many] == ["1", "2"]
    assert [e.object_label for e in many] == ["Funding flow #1", "Funding flow #2"]
    assert many[0].data == one.data  # redacted alike: the amount's keyed fingerprint, the name hidden
    assert many[0].data["new"] == {"amount": audit.fingerprint(1), "implementer_name": audit.CONFIDENTIAL}
