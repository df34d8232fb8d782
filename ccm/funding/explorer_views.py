"""The funding explorer page and its downloads: every visible flow, filtered by the query string, so
every selection is a link (``/funding/explorer/?recipient=LAO&pillar=clearance&year=2021``)."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from babel.numbers import format_compact_decimal
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ccm.funding import explorer
from ccm.funding.forms import ExplorerFilterForm
from ccm.funding.models import FlowSource, Stage
from ccm.needs.models import Pillar

PAGE_SIZE = 50


def _form(request: HttpRequest) -> ExplorerFilterForm:
    return ExplorerFilterForm(
        request.GET,
        funders=explorer.funder_choices(user=request.user),
        states=explorer.recipient_choices(user=request.user),
    )


def filters_from(form: ExplorerFilterForm) -> explorer.ExplorerFilters:
    data = form.cleaned_data
    return explorer.ExplorerFilters(
        q=data["q"],
        funder=data["funder"],
        recipient=data["recipient"],
        pillar=data["pillar"],
        stage=data["stage"],
        year=data["year"],
        source=data["source"],
        activity=data["activity"],
    )


def _link(filters: explorer.ExplorerFilters, **changes: Any) -> str:
    """The explorer's query string for ``filters`` with some filters added, changed or removed."""
    query = filters.as_query()
    for key, value in changes.items():
        if value in ("", None):
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + urlencode(query) if query else "?"


def _compact(value: Decimal) -> str:
    locale = translation.to_locale(translation.get_language() or "en")
    try:
        return format_compact_decimal(value, format_type="short", fraction_digits=1, locale=locale)
    except (ValueError, LookupError):
        return format_compact_decimal(value, format_type="short", fraction_digits=1, locale="en")


# Stages in the chart: fill, outline (a pledge is an outlined bar, so the chart reads without colour)
CHART_STAGES = [
    ("pledged", Stage.PLEDGE.label, "#ffffff", "#1a1a1a"),
    ("committed", Stage.COMMITMENT.label, "#7aa7d6", "#0b4f8a"),
    ("disbursed", Stage.DISBURSEMENT.label, "#0b4f8a", "#0b4f8a"),
]


def trend_svg(rows: list[explorer.Row], element_id: str = "trend") -> str:
    """Horizontal bars per year and stage (US dollars), each labelled with its amount; narrow enough
    (340 units) that on a phone its 13-unit labels stay at least 12 px. Every text is escaped."""
    width, left, right, bar, gap, group_gap, font = 340, 46, 62, 13, 3, 10, 13
    stages = [s for s in CHART_STAGES if any(getattr(r, s[0]) for r in rows)]
    if not rows or not stages:
        return ""
    top = 8 + 20 * len(stages) + 8
    group = len(stages) * (bar + gap) + group_gap
    height = top + group * len(rows)
    plot = width - left - right
    largest = max(getattr(r, key) for r in rows for key, *_rest in stages) or Decimal(1)
    title = _("Funding per year, in US dollars")
    description = _("For each year, the amounts pledged, committed and disbursed; the table below gives the figures.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" class="chart">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
    ]
    for index, (_key, label, fill, stroke) in enumerate(stages):
        y = 8 + index * 20
        parts.append(f'<rect x="{left}" y="{y}" width="22" height="{bar}" fill="{fill}" stroke="{stroke}"/>')
        parts.append(
            f'<text x="{left + 28}" y="{y + bar - 2}" font-size="{font}" font-family="sans-serif" fill="#1a1a1a">'
            f"{escape(str(label))}</text>"
        )
    for row_index, row in enumerate(rows):
        y0 = top + row_index * group
        parts.append(
            f'<text x="{left - 6}" y="{y0 + bar}" font-size="{font}" text-anchor="end" font-family="sans-serif" '
            f'fill="#1a1a1a">{escape(row.label)}</text>'
        )
        for index, (key, _label, fill, stroke) in enumerate(stages):
            value: Decimal = getattr(row, key)
            y = y0 + index * (bar + gap)
            length = float(plot * value / largest) if value > 0 else 0.0
            if length:
                parts.append(
                    f'<rect x="{left}" y="{y}" width="{max(length, 1.0):.1f}" height="{bar}" fill="{fill}" '
                    f'stroke="{stroke}"/>'
                )
            parts.append(
                f'<text x="{left + length + 4:.1f}" y="{y + bar - 2}" font-size="{font}" font-family="sans-serif" '
                f'fill="#1a1a1a">{escape(_compact(value))}</text>'
            )
    parts.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height}" stroke="#555555"/>')
    parts.append("</svg>")
    return "".join(parts)


def with_empty_years(rows: list[explorer.Row]) -> list[explorer.Row]:
    """The years between the first and the last, those without a flow at zero (a trend has no gaps)."""
    if not rows:
        return rows
    known = {int(row.key): row for row in rows}
    first, last = min(known), max(known)
    zero = Decimal(0)
    return [
        known.get(year) or explorer.Row(str(year), str(year), 0, zero, zero, zero)
        for year in range(max(first, last - explorer.TREND_YEARS + 1), last + 1)
    ]


@require_safe
def explorer_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, "funding/explorer.html", {"form": form, "invalid": True}, status=400)
    filters = filters_from(form)
    summary = explorer.summary(user=request.user, filters=filters)
    paginator = Paginator(explorer.explorer_flows(user=request.user, filters=filters), PAGE_SIZE)
    paginator.__dict__["count"] = summary.totals.flows  # known already: no second count query
    # The page's flows, chart and links are read only when the page part is not in the shared cache (the
    # template calls each of these once).
    page = functools.cache(lambda: paginator.get_page(request.GET.get("page")))
    query = filters.as_query()
    context = {
        "form": form,
        "filters": filters,
        "summary": summary,
        "totals": summary.totals,
        "page": page,
        "chart": functools.cache(lambda: trend_svg(with_empty_years(summary.by_year))),
        "activity": functools.cache(lambda: explorer.activity(user=request.user, identifier=filters.activity)),
        "query": urlencode(query),
        "active": functools.cache(lambda: _active_filters(form, filters)),
        "drill": SimpleLazyObject(lambda: _drill(filters, summary, page().object_list)),
        "export_limit": explorer.XLSX_MAX_ROWS,
        "pillar_labels": dict(Pillar.choices),
        "stage_labels": dict(Stage.choices),
        "source_labels": dict(FlowSource.choices),
    }
    return render(request, "funding/explorer.html", context)


def _drill(filters: explorer.ExplorerFilters, summary: explorer.Summary, flows: Any) -> dict[str, Any]:
    """Each funder, recipient, pillar and year shown, with the link to the same selection narrowed to it."""
    return {
        "funders": [(row, _link(filters, funder=row.key)) for row in summary.by_funder],
        "recipients": [
            (row, _link(filters, recipient=row.key), _link(filters, recipient=row.key, pillar=row.pillar))
            for row in summary.by_recipient
        ],
        "years": [(row, _link(filters, year=row.key)) for row in reversed(summary.by_year)],
        "flows": [
            {
                "flow": flow,
                "funder": _link(filters, funder=flow.funder_ref) if flow.funder_ref else "",
                "recipient": _link(filters, recipient=flow.recipient_state.iso3) if flow.recipient_state else "",
                "year": _link(filters, year=flow.value_date.year),
                "activity": _link(filters, activity=flow.iati_activity) if flow.iati_activity else "",
            }
            for flow in flows
        ],
    }


def _active_filters(form: ExplorerFilterForm, filters: explorer.ExplorerFilters) -> list[dict[str, str]]:
    """The filters in force, in words, each with the link that removes it."""
    active = []
    for name, value in filters.as_query().items():
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        shown = str(choices.get(value, value))
        active.append({"label": str(field.label), "value": shown, "remove": _link(filters, **{name: ""})})
    return active


def _export_table(values: Iterable[tuple[Any, ...]]) -> Iterator[list[Any]]:
    """The download's headings, then one row per flow, with the labels in the reader's language."""
    pillars, stages, sources = dict(Pillar.choices), dict(Stage.choices), dict(FlowSource.choices)
    yield [
        "value_date",
        "funder",
        "funder_ref",
        "recipient",
        "recipient_iso3",
        "pillar",
        "stage",
        "amount",
        "currency",
        "usd_amount",
        "source",
        "iati_activity",
        "implementer",
    ]
    for row in values:
        (day, funder, funder_ref, state, label, iso3, pillar, stage, amount, currency, usd, source, activity, by) = row
        yield [
            day.isoformat(),
            funder or funder_ref,
            funder_ref,
            state or label,
            iso3 or "",
            str(pillars.get(pillar, pillar)),
            str(stages.get(stage, stage)),
            amount,
            currency,
            usd,
            str(sources.get(source, source)),
            activity,
            by,
        ]


def _in_language(language: str, rows: Iterator[str]) -> Iterator[str]:
    """``rows``, made in ``language``: a streamed body is written after the view has returned."""
    with translation.override(language):
        yield from rows


@require_safe
def explorer_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """Every flow of the selection: the CSV streams (flat memory, any number of rows); the XLSX is written
    row by row to a temporary file and holds at most ``XLSX_MAX_ROWS`` (the header ``X-CCM-Truncated``
    says when it stopped there)."""
    from ccm.core.spreadsheets import csv_stream, xlsx_file

    form = _form(request)
    if not form.is_valid():
        return render(request, "funding/explorer.html", {"form": form, "invalid": True}, status=400)
    values = explorer.export_values(user=request.user, filters=filters_from(form))
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        rows = _export_table(values.iterator(chunk_size=explorer.EXPORT_CHUNK))
        body = _in_language(translation.get_language(), csv_stream(rows))
        response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        limit = explorer.XLSX_MAX_ROWS
        flows = values[: limit + 1].iterator(chunk_size=explorer.EXPORT_CHUNK)
        written = xlsx_file("Flows", _export_table(itertools.islice(flows, limit)))
        response = FileResponse(
            written, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        if next(flows, None) is not None:  # a flow beyond the last row written
            response["X-CCM-Truncated"] = str(limit)
    response["Content-Disposition"] = f'attachment; filename="funding-flows.{fmt}"'
    return response
