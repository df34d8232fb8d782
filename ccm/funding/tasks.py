"""The funding ledger's background work: IATI files uploaded from the page are imported by a task.

The upload is stored outside the web root (``CCM_TASK_FILES_DIR``; on several machines, storage that
every worker can read), the task imports it, records the report on the job, and removes the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ccm.core import tasks
from ccm.core.task_models import Job
from ccm.core.uploads import CleanUpload
from ccm.funding.iati_import import import_iati

IATI_IMPORT = "funding.iati_import"


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
