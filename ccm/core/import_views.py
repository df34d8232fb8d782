"""The one preview-and-apply page every spreadsheet import uses (progress workbook, needs, flows).

The app's view resolves the import through the import policy (404 when hidden) and calls
``import_preview_page`` with where to go next; applying goes through ``apply_or_enqueue``, so a large
file is applied by a background task while the page follows the job.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ccm.core.imports import apply_or_enqueue, pending_job, spec_for
from ccm.core.models import SpreadsheetImport


def import_preview_page(
    request: HttpRequest,
    sheet_import: SpreadsheetImport,
    *,
    state: Any,
    done_url: str,
    success_message: str,
    retry_url: str = "",
    key_heading: str = "",
) -> HttpResponse:
    """GET: the check's result and preview (or the background job's progress). POST: apply, then go to
    ``done_url`` with ``success_message`` (formatted with the counts), or stay here while a task applies."""
    if request.method == "POST":
        try:
            outcome = apply_or_enqueue(import_id=sheet_import.pk, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if outcome.counts is None:
                messages.info(
                    request,
                    _("The file is large, so it is being applied in the background. This page shows when it is done."),
                )
                return redirect(request.path)
            messages.success(request, success_message % outcome.counts)
            return redirect(done_url)
        sheet_import.refresh_from_db()
    job = pending_job(sheet_import)
    changes, unchanged = preview_in_words(sheet_import)
    response = render(
        request,
        "reporting/import_preview.html",
        {
            "state": state,
            "sheet_import": sheet_import,
            "retry_url": retry_url,
            "pending_job": job,
            "changes": changes,
            "unchanged": unchanged,
            "key_heading": key_heading,  # what the rows are (default: "Year / obligation")
        },
    )
    if job is not None:
        response["Refresh"] = "5"  # no JavaScript needed: the browser asks again until the job is done
    return response


def preview_in_words(sheet_import: SpreadsheetImport) -> tuple[list[dict[str, Any]], int]:
    """The changes a file makes, in words (field and value labels from its import kind), and how many of
    its rows change nothing: the page lists only what changes and summarises the rest as a count."""
    try:
        spec = spec_for(sheet_import.kind)
    except LookupError:
        spec = None
    changes, unchanged = [], 0
    for change in sheet_import.changes if isinstance(sheet_import.changes, list) else []:
        if not isinstance(change, dict):
            continue
        if change.get("action") == "unchanged":
            unchanged += 1
            continue
        if spec is not None:
            changes.append(spec.describe(change))
        else:  # pragma: no cover - every stored kind is registered
            changes.append(dict(change, action_label=change.get("action", "")))
    return changes, unchanged
