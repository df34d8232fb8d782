"""Needs as CSV or XLSX: exactly the rows the board shows the requesting user."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from ccm.core.views import csv_safe
from ccm.needs.services import NEED_FIELDS

# The first columns are those the import reads back (see ccm/needs/imports.py); the rest are for reading.
HEADER = ["id", *NEED_FIELDS, "state", "pledged", "remaining", "status", "published", "responses", "matching_donors"]


def _field(need: Any, name: str) -> Any:
    if name == "obligation":
        return need.obligation.kind if need.obligation else None
    return getattr(need, name)


def _values(row: Any) -> list[Any]:
    need = row.need
    return [
        need.pk,
        *(_field(need, name) for name in NEED_FIELDS),
        need.state.iso3,
        row.pledged,
        row.remaining,
        row.status,
        need.published_at.date() if need.published_at else None,
        row.donor_responses,
        "; ".join(p.organisation.name for p in row.matching),
    ]


def needs_response(rows: Sequence[Any], fmt: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([csv_safe(str(v)) if v is not None else "" for v in _values(row)])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "Needs"
        sheet.append(HEADER)
        for row in rows:
            sheet.append([csv_safe(v) if isinstance(v, str) else v for v in _values(row)])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="needs.{fmt}"'
    return response
