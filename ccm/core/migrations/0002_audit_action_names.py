"""One naming style for audit actions: ``<object>.<verb>`` in snake_case, the object being the model's
name in snake_case. Renames the actions of existing entries; the reverse restores the old names.

The names are frozen here (a migration must not follow later code)."""

from django.db import migrations

RENAMED = {
    "user.second_factor_enabled": "user.enable_second_factor",
    "notifications.update": "notification_preference.update",
    "response.interest": "response.add_interest",
    "response.question": "response.add_question",
    "response.offer": "response.add_offer",
    "response.pledge": "response.add_pledge",
    "response.decline": "response.add_decline",
    "response.answer": "response.add_answer",
    "funding.iati_import": "iati_import.apply",
    "funding.load_rates": "exchange_rate.load",
    "funding.flow_create": "funding_flow.create",
    "baseline.baseline": "baseline_figure.record_baseline",
    "baseline.addition": "baseline_figure.record_addition",
    "progress.create": "progress_report.create",
    "progress.update": "progress_report.update",
    "plan.change_visibility": "completion_plan.change_visibility",
    "plan.create_version": "completion_plan.create_version",
    "plan.approve": "completion_plan.approve",
    "spreadsheet.check": "progress_import.check",
    "spreadsheet.apply": "progress_import.apply",
}
# progress.<status> became one action; the status is in the entry's data ("new": {"status": ...}).
STATUS_ACTIONS = ("progress.draft", "progress.submitted", "progress.published")
SET_STATUS = "progress_report.set_status"

# Admin and reference-data actions were named after Django's model_name ("extensionrequest"): now
# the model's name in snake_case. Names of one word are unchanged.
OBJECTS = {
    "accessattempt": "access_attempt",
    "accessattemptexpiration": "access_attempt_expiration",
    "accessfailurelog": "access_failure_log",
    "accesslog": "access_log",
    "apitoken": "api_token",
    "auditentry": "audit_entry",
    "baselinefigure": "baseline_figure",
    "completionplan": "completion_plan",
    "contenttype": "content_type",
    "digestdelivery": "digest_delivery",
    "donorprofile": "donor_profile",
    "exchangerate": "exchange_rate",
    "extensionrequest": "extension_request",
    "fundingflow": "funding_flow",
    "iatiactivity": "iati_activity",
    "logentry": "log_entry",
    "neednotification": "need_notification",
    "notificationpreference": "notification_preference",
    "planyear": "plan_year",
    "progressreport": "progress_report",
    "progressreportversion": "progress_report_version",
    "spreadsheetimport": "spreadsheet_import",
    "totpdevice": "totp_device",
}
ADMIN_VERBS = ("admin_add", "admin_change", "admin_delete")


def _renamed_per_model(old_verb, new_verb, objects):
    return {f"{old}.{old_verb}": f"{new}.{new_verb}" for old, new in objects.items()}


def forward_names():
    names = dict(RENAMED)
    for verb in ADMIN_VERBS:
        names.update(_renamed_per_model(verb, verb, OBJECTS))
    return names


def rename_forward(apps, schema_editor):
    entry = apps.get_model("core", "AuditEntry")
    for old, new in forward_names().items():
        entry.objects.filter(action=old).update(action=new)
    entry.objects.filter(action__in=STATUS_ACTIONS).update(action=SET_STATUS)
    # <model_name>.reference_load → <object>.load_reference, whatever the model
    for action in entry.objects.filter(action__endswith=".reference_load").order_by().values_list("action", flat=True).distinct():
        model_name = action.split(".", 1)[0]
        new = f"{OBJECTS.get(model_name, model_name)}.load_reference"
        entry.objects.filter(action=action).update(action=new)


def rename_backward(apps, schema_editor):
    entry = apps.get_model("core", "AuditEntry")
    for old, new in forward_names().items():
        entry.objects.filter(action=new).update(action=old)
    for row in entry.objects.filter(action=SET_STATUS).only("pk", "data").iterator(chunk_size=1000):
        status = ((row.data or {}).get("new") or {}).get("status") or "draft"
        entry.objects.filter(pk=row.pk).update(action=f"progress.{status}")
    model_names = {new: old for old, new in OBJECTS.items()}
    for action in entry.objects.filter(action__endswith=".load_reference").order_by().values_list("action", flat=True).distinct():
        name = action.split(".", 1)[0]
        entry.objects.filter(action=action).update(action=f"{model_names.get(name, name)}.reference_load")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(rename_forward, rename_backward)]
