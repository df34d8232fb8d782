"""SpreadsheetImport moved to core (ccm.core.imports is the one import pipeline): every row is copied to
the core table with its id, and its status kept (invalid, ready and applied mean the same there);
the content type is carried over so audit entries stay attached to their import."""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = [
    "id",
    "state_id",
    "organisation_id",
    "kind",
    "uploaded_by_id",
    "original_name",
    "status",
    "errors",
    "payload",
    "changes",
    "created_at",
    "applied_at",
]


def _reset_sequence(schema_editor, model):
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def _move_content_type(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=source, model="spreadsheetimport").first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label=target, model="spreadsheetimport").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
    else:
        AuditEntry = apps.get_model("core", "AuditEntry")
        AuditEntry.objects.filter(content_type=old).update(content_type=new)


def forward(apps, schema_editor):
    Old = apps.get_model("reporting", "SpreadsheetImport")
    New = apps.get_model("core", "SpreadsheetImport")
    status = {"invalid": "invalid", "ready": "ready", "applied": "applied"}
    for row in Old.objects.order_by("id").values(*FIELDS).iterator(chunk_size=500):
        row["status"] = status.get(row["status"], "failed")
        row["problem_count"] = len(row["errors"] or [])
        New.objects.create(**row)
        # created_at is set on creation (auto_now_add): give it back its own time
        New.objects.filter(pk=row["id"]).update(created_at=row["created_at"])
    _reset_sequence(schema_editor, New)
    _move_content_type(apps, "reporting", "core")


def backward(apps, schema_editor):
    Old = apps.get_model("reporting", "SpreadsheetImport")
    New = apps.get_model("core", "SpreadsheetImport")
    for row in New.objects.order_by("id").values(*FIELDS).iterator(chunk_size=500):
        if row["status"] not in ("invalid", "ready", "applied"):
            row["status"] = "invalid"
        Old.objects.create(**row)
        Old.objects.filter(pk=row["id"]).update(created_at=row["created_at"])
    _reset_sequence(schema_editor, Old)
    New.objects.all().delete()
    _move_content_type(apps, "core", "reporting")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_spreadsheetimport"),
        ("reporting", "0003_import_for_organisation"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="SpreadsheetImport"),
    ]
