"""The funding ledger's background work: IATI files uploaded from the page are imported by a task, and
flows converted with a provisional rate (or with none) are converted again, hourly, once newer rates
are on file (the periodic job ``funding.reconvert``, run by ``ccm tick``).

The upload is stored outside the web root (``CCM_TASK_FILES_DIR``; on several machines, storage that
every worker can read), the task imports it, records the report on the job, and removes the file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ccm.core import audit, periodic, tasks
from ccm.core.task_models import Job
from ccm.core.uploads import CleanUpload
from ccm.funding.iati_import import import_iati
from ccm.funding.models import FundingFlow
from ccm.funding.rates import convert, rate_table

IATI_IMPORT = "funding.iati_import"
RECONVERT = "funding.reconvert"
RATE_FIELDS = ("rate", "rate_date", "rate_source", "usd_amount", "rate_problem", "rate_provisional")


def _files_dir() -> Path:
    return Path(settings.CCM_TASK_FILES_DIR) / "iati"


def enqueue_iati_upload(*, upload: CleanUpload, dry_run: bool, actor: Any) -> Job:
    """Store a checked upload and enqueue its import; the job's page follows it."""
    folder = _files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / upload.safe_name
    with path.open("wb") as out:
        for chunk in upload.file.chunks():
            out.write(chunk)
    return tasks.enqueue(
        IATI_IMPORT,
        arguments={
            "file": upload.safe_name,
            "original_name": upload.original_name,
            "dry_run": dry_run,
            "actor_id": getattr(actor, "pk", None),
        },
        label=upload.original_name + (" (check only)" if dry_run else ""),
        actor=actor,
    )


@tasks.job_kind(IATI_IMPORT, label=_("IATI file import"))
def _import(job: Job) -> dict[str, Any]:
    arguments = job.arguments
    path = _files_dir() / Path(arguments["file"]).name  # only a name is stored: never a path from outside
    if not path.is_file():
        raise FileNotFoundError(f"The uploaded file {arguments['original_name']} is no longer stored.")
    actor = get_user_model().objects.filter(pk=arguments.get("actor_id")).first()

    def progress(_index: int, _files: int, read: int) -> None:
        tasks.set_progress(job, percent=0, note=f"{read} activities read")

    report = import_iati(paths=[str(path)], actor=actor, dry_run=bool(arguments["dry_run"]), progress=progress)
    result = report.as_dict()
    for file in result["files"]:
        file["path"] = arguments["original_name"]
        file["error"] = file["error"].replace(str(path), arguments["original_name"])
    path.unlink(missing_ok=True)
    return result


@transaction.atomic
def reconvert(_period_start: datetime | None = None) -> dict[str, Any]:
    """Convert again every flow whose rate was provisional or missing, with the rates now on file; a
    flow whose conversion is unchanged is left as it is. One audit entry per flow changed."""
    table = rate_table()
    changed: list[FundingFlow] = []
    entries: list[audit.Change] = []
    pending = FundingFlow.objects.filter(Q(rate_provisional=True) | Q(usd_amount__isnull=True)).only(
        "pk", "amount", "currency", "value_date", "funder_id", *RATE_FIELDS
    )
    checked = 0
    for flow in pending.iterator(chunk_size=2000):
        checked += 1
        fields = convert(table, flow.amount, flow.currency, flow.value_date).as_fields()
        old = {name: getattr(flow, name) for name in RATE_FIELDS}
        if all(old[name] == fields[name] for name in RATE_FIELDS):
            continue
        for name, value in fields.items():
            setattr(flow, name, value)
        changed.append(flow)
        entries.append(
            audit.Change(
                obj=flow,
                old={"rate": old["rate"], "rate_date": old["rate_date"], "provisional": old["rate_provisional"]},
                new={"rate": flow.rate, "rate_date": flow.rate_date, "provisional": flow.rate_provisional},
                organisation_id=flow.funder_id,
            )
        )
    FundingFlow.objects.bulk_update(changed, list(RATE_FIELDS), batch_size=500)
    audit.record_many(actor=None, action="funding_flow.reconvert", changes=entries)
    return {"checked": checked, "converted_again": len(changed)}


periodic.register(RECONVERT, period="hourly", handler=reconvert, label=_("Flows converted again with newer rates"))
