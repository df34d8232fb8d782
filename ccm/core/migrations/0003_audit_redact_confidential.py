"""Entries written before confidential fields were declared: store their values redacted, as
``ccm.core.audit.record`` now does — ``[confidential]``, or ``hmac-sha256:<hex>`` keyed with a secret
derived from ``SECRET_KEY`` (the same fingerprint ``record`` writes, so equal values still match) —
and label objects whose name is confidential "Need #12". In batches. The reverse does nothing: the
values are gone, as intended.

What is confidential is frozen here as declared when this migration was written (``audit_confidential``
on the models, and the TOTP device's key)."""

import decimal
import json

from django.db import migrations
from django.utils.crypto import salted_hmac

CONFIDENTIAL = "[confidential]"
HMAC_PREFIX = "hmac-sha256:"
HMAC_SALT = "ccm.audit.confidential"

FIELDS = {
    ("needs", "need"): {
        "title": "changed",
        "description": "changed",
        "in_kind": "changed",
        "amount": "hmac",
        "reason": "changed",
    },
    ("needs", "obstacle"): {"statement": "changed"},
    ("needs", "response"): {"message": "changed", "decline_reason": "changed", "amount": "hmac"},
    ("funding", "fundingflow"): {"amount": "hmac", "usd_amount": "hmac", "usd": "hmac", "implementer_name": "changed"},
    ("accounts", "invitation"): {"token_hash": "changed"},
    ("accounts", "apitoken"): {"key_hash": "changed"},
    ("otp_totp", "totpdevice"): {"key": "changed"},
}
NEUTRAL_LABELS = {("needs", "need"): "Need", ("needs", "response"): "Response", ("funding", "fundingflow"): "Funding flow"}
BATCH = 1000


def canonical(value):
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float | str):
        try:
            number = decimal.Decimal(str(value).strip())
        except (decimal.InvalidOperation, ValueError):
            number = None
        if number is not None and number.is_finite():
            return format(number.normalize(), "f")
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def redact(value, how):
    if value is None or value == "":
        return value
    if isinstance(value, str) and (value == CONFIDENTIAL or value.startswith(HMAC_PREFIX)):
        return value
    if how == "hmac":
        return HMAC_PREFIX + salted_hmac(HMAC_SALT, canonical(value), algorithm="sha256").hexdigest()
    return CONFIDENTIAL


def redacted_data(data, fields):
    result = dict(data or {})
    for part in ("old", "new", "extra"):
        values = result.get(part)
        if isinstance(values, dict):
            result[part] = {k: redact(v, fields[k]) if k in fields else v for k, v in values.items()}
    return result


def redact_forward(apps, schema_editor):
    entry = apps.get_model("core", "AuditEntry")
    for (app_label, model), fields in FIELDS.items():
        rows = entry.objects.filter(content_type__app_label=app_label, content_type__model=model).order_by("pk")
        neutral = NEUTRAL_LABELS.get((app_label, model))
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last).only("pk", "data", "object_id", "object_label")[:BATCH])
            if not batch:
                break
            last = batch[-1].pk
            changed = []
            for row in batch:
                data = redacted_data(row.data, fields)
                label = f"{neutral} #{row.object_id}" if neutral else row.object_label
                if data != row.data or label != row.object_label:
                    row.data, row.object_label = data, label
                    changed.append(row)
            entry.objects.bulk_update(changed, ["data", "object_label"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_action_names")]

    operations = [migrations.RunPython(redact_forward, migrations.RunPython.noop)]
