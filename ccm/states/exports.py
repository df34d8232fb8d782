"""The States registry as CSV or XLSX: the rows the States page lists (same filters), one line per
obligation, with the status and its sentence worded as on every page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from ccm.core.spreadsheets import csv_text, xlsx_from_rows
from ccm.states.selectors import StateRow

HEADER = [
    "iso3",
    "state",
    "treaty_status",
    "signature",
    "consent",
    "instrument",
    "entry_into_force",
    "withdrawal_effective",
    "treaty_source",
    "treaty_source_as_of",
    "obligation",
    "original_deadline",
    "current_deadline",
    "status",
    "status_label",
    "status_sentence",
]
NO_OBLIGATION = "no obligation on record in the sources"


def _values(row: StateRow) -> list[list[Any]]:
    state = row.state
    source = state.treaty_source
    head = [
        state.iso3,
        state.name,
        state.get_ccm_status_display(),
        state.signature_date,
        state.deposit_date,
        state.get_instrument_display() if state.instrument else "",
        state.entry_into_force,
        state.withdrawal_effective,
        source.citation if source else "",
        source.as_of if source else None,
    ]
    if not row.obligations:
        return [[*head, "", None, None, "", "", NO_OBLIGATION]]
    return [
        [
            *head,
            o.obligation.get_kind_display(),
            o.obligation.original_deadline,
            o.current_deadline,
            o.status.value,
            o.status_label,
            o.sentence,
        ]
        for o in row.obligations
    ]


def states_response(rows: Sequence[StateRow], fmt: str) -> HttpResponse:
    table = [HEADER, *(line for row in rows for line in _values(row))]
    if fmt == "csv":
        response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_from_rows("States", table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="states.{fmt}"'
    return response
