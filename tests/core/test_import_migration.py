"""Moving SpreadsheetImport from reporting to core keeps every row, its id, status and time, and the
audit entries about it."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from tests.migrations import migrate, migrate_to_latest, start_from_reference

BEFORE = [("reporting", "0003_import_for_organisation"), ("core", "0004_document")]
AFTER = [("reporting", "0004_move_spreadsheetimport_to_core"), ("core", "0005_spreadsheetimport")]


@pytest.mark.django_db(transaction=True)
def test_existing_imports_move_to_core_with_their_ids_statuses_and_audit_entries():
    start_from_reference()  # a transactional test may start from an emptied database
    try:
        old_apps = migrate(BEFORE)
        State = old_apps.get_model("states", "State")
        Old = old_apps.get_model("reporting", "SpreadsheetImport")
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        AuditEntry = old_apps.get_model("core", "AuditEntry")
        lebanon = State.objects.get(iso3="LBN")
        created = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
        rows = {}
        for pk, status in ((7, "invalid"), (8, "ready"), (9, "applied")):
            rows[pk] = Old.objects.create(
                pk=pk,
                state=lebanon,
                kind="needs",
                original_name=f"{status}.csv",
                status=status,
                errors=[{"message": "x"}] if status == "invalid" else [],
                payload={"needs": []},
                changes=[{"action": "create"}],
            )
            Old.objects.filter(pk=pk).update(created_at=created)
        old_type, _created = ContentType.objects.get_or_create(app_label="reporting", model="spreadsheetimport")
        entry = AuditEntry.objects.create(action="needs_import.check", content_type=old_type, object_id="8")

        new_apps = migrate(AFTER)
        New = new_apps.get_model("core", "SpreadsheetImport")
        moved = {r.pk: r for r in New.objects.all()}
        assert {pk: r.status for pk, r in moved.items()} == {7: "invalid", 8: "ready", 9: "applied"}
        assert moved[7].problem_count == 1 and moved[8].problem_count == 0
        assert {r.created_at for r in moved.values()} == {created}
        assert moved[8].state_id == lebanon.pk and moved[8].original_name == "ready.csv"
        entry = new_apps.get_model("core", "AuditEntry").objects.get(pk=entry.pk)
        entry_type = new_apps.get_model("contenttypes", "ContentType").objects.get(pk=entry.content_type_id)
        assert (entry_type.app_label, entry_type.model) == ("core", "spreadsheetimport")
        later = New.objects.create(state_id=lebanon.pk, kind="needs", original_name="n.csv", status="uploaded")
        assert later.pk > 9  # the id sequence continues after the copied rows
        assert "reporting_spreadsheetimport" not in connection.introspection.table_names()
    finally:
        migrate_to_latest()
