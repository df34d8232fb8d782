"""Needs as CSV or XLSX: exactly the rows the board shows the requesting user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from ccm.core.spreadsheets import csv_text, xlsx_from_rows
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
    table = [HEADER, *(_values(row) for row in rows)]
    if fmt == "csv":
        response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_from_rows("Needs", table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="needs.{fmt}"'
    return response
