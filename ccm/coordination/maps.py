"""The dashboard's world map: each affected State shaded by its attention gap or its coverage (the map
helper ``ccm.coordination.worldmap`` draws it; the same figures go in the table beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ccm.coordination import selectors

# Upper bounds of the classes, one per label (a value above the last bound goes in the last class).
ATTENTION_BINS: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)
COVERAGE_BINS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)


@dataclass
class WorldMap:
    svg: SafeString
    title: str
    legend_title: str
    rows: list[dict[str, Any]]  # the same figures as a table: name, iso3, value, band


def _band(value: float | None, bins: tuple[float, ...], labels: list[str]) -> str:
    if value is None:
        return _("no data")
    for bound, label in zip(bins, labels, strict=True):
        if value <= bound:
            return label
    return labels[-1]


def dashboard_map(data: selectors.Dashboard, *, shade: str) -> WorldMap:
    from ccm.coordination import worldmap

    names = {s.iso3: s.name for s in data.states}
    if shade == "coverage":
        values = {s.iso3: s.coverage for s in data.states}
        bins = COVERAGE_BINS
        labels = [_("up to 25%"), _("25–50%"), _("50–75%"), _("over 75%")]
        title = _("Coverage of requirements, %(first)s–%(last)s") % {"first": data.window[0], "last": data.window[1]}
        legend = _("Coverage")
    else:
        values = {s.iso3: (s.score.score if s.score else None) for s in data.states}
        bins = ATTENTION_BINS
        labels = [
            _("up to 0.2 (least neglected)"),
            _("0.2–0.4"),
            _("0.4–0.6"),
            _("0.6–0.8"),
            _("over 0.8 (most neglected)"),
        ]
        title = _("Attention gap of affected States")
        legend = _("Attention gap")
    svg = worldmap.world_map_svg(
        values,
        title=title,
        legend_title=legend,
        bins=bins,
        labels=labels,
        link=lambda iso3: reverse("states:detail", args=[iso3]) if iso3 in names else "",
        names=names,
        no_data=_("No data"),
    )
    rows = [
        {"iso3": iso3, "name": names[iso3], "value": value, "band": _band(value, bins, labels)}
        for iso3, value in sorted(values.items(), key=lambda kv: (kv[1] is None, -(kv[1] or 0.0), names[kv[0]]))
    ]
    return WorldMap(mark_safe(svg), title, legend, rows)  # noqa: S308 - the helper escapes every text it writes
