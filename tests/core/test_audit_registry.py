"""Audit action names are declared once, in one style; old entries are renamed and redacted by data
migrations (run here on real rows)."""

import importlib
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from ccm.core import audit
from ccm.core.models import AuditEntry
from ccm.needs.models import Need, ResponseKind
from ccm.reporting.models import FigureKind
from tests.personas import persona

pytestmark = pytest.mark.django_db

rename = importlib.import_module("ccm.core.migrations.0002_audit_action_names")
redaction = importlib.import_module("ccm.core.migrations.0003_audit_redact_confidential")


def test_an_unregistered_action_is_refused():
    with pytest.raises(audit.UnregisteredAuditAction), transaction.atomic():
        audit.record(actor=None, action="need.pubilsh")
    assert not AuditEntry.objects.filter(action="need.pubilsh").exists()


@pytest.mark.parametrize("name", ["Need.publish", "need-publish", "need", "needs.publish.now", "need.Publish", "a..b"])
def test_a_name_outside_the_style_cannot_be_registered(name):
    with pytest.raises(ImproperlyConfigured):
        audit.register_actions(audit.AuditAction(name, "x"))
    assert not audit.is_registered(name)


def test_a_name_is_declared_once():
    with pytest.raises(ImproperlyConfigured):
        audit.register_actions(audit.AuditAction("need.publish", "Something else"))
    assert audit.action_label("need.publish") == "Need: published"


def test_every_registered_name_follows_the_style_and_has_a_label():
    actions = audit.registered_actions()
    assert len(actions) > 40
    for action in actions:
        assert audit.ACTION_NAME.match(action.name) and str(action.label), action.name


def test_actions_built_from_a_kind_are_all_registered():
    for kind in ResponseKind:
        assert audit.is_registered(f"response.add_{kind}"), kind
    for kind in FigureKind:
        assert audit.is_registered(f"baseline_figure.record_{kind}"), kind
    for model in ("state", "obligation", "extension_request", "user", "membership", "totp_device", "plan_year"):
        assert audit.is_registered(f"{model}.admin_change"), model


def test_the_audit_page_offers_the_registered_actions_by_their_labels():
    with transaction.atomic():
        audit.record(actor=None, action="need.mark_met")
        audit.record(actor=None, action="need.publish")
    client = persona("coordinator").client()
    page = client.get("/audit/").content.decode()
    assert '<option value="need.publish">Need: published</option>' in page
    assert "Need: marked as met" in page  # the label of an entry in the table
    filtered = client.get("/audit/", {"action": "need.publish"}).context["page"].object_list
    assert {e.action for e in filtered} == {"need.publish"}
    assert client.get("/api/v1/audit/", {"action": "need.publish"}).json()["results"][0]["action_label"] == (
        "Need: published"
    )
    prefixed = client.get("/api/v1/audit/", {"action": "need."}).json()["results"]
    assert {r["action"] for r in prefixed} == {"need.publish", "need.mark_met"}
    assert client.get("/api/v1/audit/", {"action": "nonsense.action"}).status_code == 400
    assert client.get("/audit/", {"action": "nonsense.action"}).context["page"].paginator.count == 0


# --- Data migrations, run on real rows ---------------------------------------------------------------


def _historical_apps(migration):
    """The models as they were after ``migration`` (plain managers: the append-only guard of the
    current model does not apply to migrations)."""
    return MigrationExecutor(connection).loader.project_state(("core", migration)).apps


def _entry(action, **fields):
    return AuditEntry.objects.create(action=action, actor_label="system", **fields)


def test_the_rename_migration_renames_old_actions_and_its_reverse_restores_them():
    old_names = [
        "response.pledge",
        "progress.submitted",
        "plan.approve",
        "spreadsheet.apply",
        "funding.flow_create",
        "user.second_factor_enabled",
        "extensionrequest.reference_load",
        "obligation.reference_load",
        "donorprofile.admin_change",
        "state.admin_delete",
        "membership.change_role",
    ]
    rows = [
        _entry(name, data={"new": {"status": "submitted"}} if name.startswith("progress.") else {})
        for name in old_names
    ]
    apps = _historical_apps("0002_audit_action_names")
    rename.rename_forward(apps, None)
    renamed = [AuditEntry.objects.get(pk=r.pk).action for r in rows]
    assert renamed == [
        "response.add_pledge",
        "progress_report.set_status",
        "completion_plan.approve",
        "progress_import.apply",
        "funding_flow.create",
        "user.enable_second_factor",
        "extension_request.load_reference",
        "obligation.load_reference",
        "donor_profile.admin_change",
        "state.admin_delete",
        "membership.change_role",
    ]
    assert all(audit.is_registered(name) for name in renamed if not name.startswith("donor_profile."))
    rename.rename_backward(apps, None)
    assert [AuditEntry.objects.get(pk=r.pk).action for r in rows] == old_names


def test_every_old_name_the_migration_knows_maps_to_a_registered_action():
    for old, new in rename.RENAMED.items():
        assert audit.is_registered(new), (old, new)


def test_the_redaction_migration_redacts_old_entries_as_record_does_now():
    need_type = ContentType.objects.get_for_model(Need)
    plain = _entry(
        "need.update",
        content_type=need_type,
        object_id="4242",
        object_label="Lebanon: Quiet survey of the Kaslik valley",
        data={
            "old": {"title": "Quiet survey", "amount": "734521.50", "currency": "USD"},
            "new": {"title": "Quiet survey of the Kaslik valley", "amount": "812977.25", "currency": "EUR"},
        },
    )
    withdrawn = _entry(
        "need.withdraw",
        content_type=need_type,
        object_id="4242",
        object_label="x",
        data={"extra": {"reason": "moved"}},
    )
    other = _entry("membership.change_role", object_label="someone", data={"new": {"role": "editor"}})
    apps = _historical_apps("0003_audit_redact_confidential")
    redaction.redact_forward(apps, None)
    redaction.redact_forward(apps, None)  # a second run changes nothing more
    plain.refresh_from_db()
    assert plain.object_label == "Need #4242"
    assert plain.old == {
        "title": audit.CONFIDENTIAL,
        "amount": audit.fingerprint(Decimal("734521.50")),
        "currency": "USD",
    }
    assert plain.new["amount"] == audit.fingerprint("812977.25") and plain.new["currency"] == "EUR"
    assert "Kaslik" not in str(plain.data)
    withdrawn.refresh_from_db()
    assert withdrawn.data == {"extra": {"reason": audit.CONFIDENTIAL}}
    other.refresh_from_db()
    assert other.object_label == "someone" and other.new == {"role": "editor"}


def test_the_migration_fingerprints_values_as_record_does():
    for value in ["734521.50", "734521.5", "0", "abc", "  12 ", "NaN", "", 5, 5.25, True, ["a", 1], {"x": 1}]:
        if value == "":
            continue
        assert redaction.redact(value, "hmac") == audit.redact(value, "hmac"), value


def test_the_redaction_migration_knows_every_confidential_field_declared_today():
    """A field declared confidential later needs a new migration redacting the entries before it.

    Models created after that migration (documents: core 0004) have no older entries to redact.
    """
    from django.apps import apps

    born_redacted = {("core", "document")}
    # coalitions (new models: no entry about them predates their declarations)
    born_redacted |= {("coalitions", "message"), ("coalitions", "thread"), ("coalitions", "expressionofinterest")}

    declared = {
        (model._meta.app_label, model._meta.model_name): audit.confidential_fields(model)
        for model in apps.get_models()
        if audit.confidential_fields(model) and (model._meta.app_label, model._meta.model_name) not in born_redacted
    }
    assert declared == redaction.FIELDS
    neutral = {
        (model._meta.app_label, model._meta.model_name): audit.neutral_label(model(pk=1)).removesuffix(" #1")
        for model in apps.get_models()
        if audit.has_neutral_label(model) and (model._meta.app_label, model._meta.model_name) not in born_redacted
    }
    assert neutral == redaction.NEUTRAL_LABELS
