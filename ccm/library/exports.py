"""Practices and offers as CSV or XLSX: exactly the rows the list shows the requesting user (the same
policy and filters), at most ``MAX_ROWS`` of them (the file says so when more were left out)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccm.core.spreadsheets import csv_text, xlsx_from_rows
from ccm.library.models import Offer, Practice

MAX_ROWS = 5_000
CELL_LIMIT = 32_000  # a spreadsheet cell holds at most 32,767 characters

PRACTICE_HEADER = [
    "id",
    "title",
    "summary",
    "pillar",
    "tags",
    "countries",
    "organisation",
    "source_organisation",
    "date",
    "language",
    "visibility",
    "illustrative",
    "text_markdown",
]
OFFER_HEADER = [
    "id",
    "kind",
    "title",
    "description",
    "pillar",
    "modality",
    "organisation",
    "person_or_agency",
    "skills",
    "languages",
    "availability",
    "quantity",
    "condition",
    "where",
    "for_countries",
    "offered_until",
    "withdrawn",
    "visibility",
    "illustrative",
]


def _cell(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _countries(obj: Any) -> str:
    return "; ".join(sorted(state.iso3 for state in obj.countries.all()))


def _practice(p: Practice) -> list[Any]:
    return [
        p.pk,
        p.title,
        p.summary,
        str(p.get_pillar_display()),
        ", ".join(p.tags),
        _countries(p),
        p.organisation.name,
        p.source_organisation,
        p.published_on,
        str(p.get_language_display()),
        str(p.get_visibility_display()),
        p.illustrative,
        _cell(p.body),
    ]


def _offer(o: Offer) -> list[Any]:
    return [
        o.pk,
        str(o.get_kind_display()),
        o.title,
        _cell(o.description),
        str(o.get_pillar_display()),
        str(o.get_modality_display()),
        o.organisation.name,
        o.expert_name,
        ", ".join(o.skills),
        ", ".join(o.languages),
        o.availability,
        o.quantity,
        str(o.get_condition_display()) if o.condition else "",
        o.location,
        _countries(o) or _("any"),
        o.expires_on,
        o.withdrawn_at.date() if o.withdrawn_at else None,
        str(o.get_visibility_display()),
        o.illustrative,
    ]


def _table(header: list[str], rows: QuerySet[Any], convert: Any) -> list[list[Any]]:
    total = rows.count()
    table: list[list[Any]] = [header, *(convert(row) for row in rows[:MAX_ROWS])]
    if total > MAX_ROWS:
        left_out = total - MAX_ROWS
        table.append(
            [
                ngettext(
                    "%(n)s more row was left out: narrow the filters.",
                    "%(n)s more rows were left out: narrow the filters.",
                    left_out,
                )
                % {"n": left_out}
            ]
        )
    return table


def _response(name: str, sheet: str, table: Iterable[Iterable[Any]], fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_from_rows(sheet, table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def practices_response(rows: QuerySet[Practice], fmt: str) -> HttpResponse:
    return _response("practices", "Practices", _table(PRACTICE_HEADER, rows, _practice), fmt)


def offers_response(rows: QuerySet[Offer], fmt: str) -> HttpResponse:
    return _response("offers", "Offers", _table(OFFER_HEADER, rows, _offer), fmt)
