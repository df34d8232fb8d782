"""The audit log page and its CSV export; both filtered through the audit policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from ccm.core import cache as aggregate_cache
from ccm.core.forms import AuditFilterForm
from ccm.core.policies import audit_entries
from ccm.core.spreadsheets import csv_stream


def _entries(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    queryset = form.apply(audit_entries.visible_to(request.user)).select_related("content_type")
    return form, queryset


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    form, queryset = _entries(request)
    # read only when the page part is not in the shared cache (it is kept until the next audited write)
    page = SimpleLazyObject(lambda: Paginator(queryset, 50).get_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "topics": aggregate_cache.EVERY_WRITE},
    )


def _csv_rows(queryset: Any) -> Iterator[list[Any]]:
    yield ["time (UTC)", "actor", "action", "object type", "object id", "object", "change", "request id"]
    for entry in queryset.iterator(chunk_size=2000):
        yield [
            entry.timestamp.isoformat(),
            entry.actor_label,
            entry.action,
            entry.content_type.model if entry.content_type else "",
            entry.object_id,
            entry.object_label,
            json.dumps(entry.data, sort_keys=True, ensure_ascii=False),
            entry.request_id,
        ]


@login_required
@require_safe
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    _form, queryset = _entries(request)
    response = StreamingHttpResponse(csv_stream(_csv_rows(queryset)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
