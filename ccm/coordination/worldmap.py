"""A server-rendered SVG world map shaded by class, readable without colour and without JavaScript.

The shapes are Natural Earth's 1:110m countries (from the `world-atlas` package), projected once with
the Equal Earth projection by scripts/build_world_map.py into data/world-110m.json, keyed by ISO3
(data/README.md has the source, the licence and what was done to the shapes without an ISO code).

Plain string building, no Django: every piece of text that comes from the caller is escaped here, so
the result can be marked safe in a template. No `<style>` element and no `style` attribute (the site's
Content Security Policy forbids inline styles): presentation attributes only.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from ccm.core.templatetags.ccm import number, rate

DATA = Path(__file__).resolve().parent / "data" / "world-110m.json"

NO_DATA_FILL = "#d9d9d9"
NO_DATA_LABEL = "No data"
BORDER = "#ffffff"

# Viridis, from light (low values) to dark (high values): perceptually ordered and readable with the
# common colour-vision deficiencies. Classes are sampled along it, so any number of classes works,
# though hatching stays easy to tell apart only up to about seven.
_RAMP = ("#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878")

# The legend, in map units (the map is 2,000 units wide): in the empty south-western Pacific, left of
# South America (about 520 units of room), when its lines are short enough.
_LEGEND_X, _LEGEND_ROOM = 30, 520
_FONT, _ROW, _SWATCH_W, _SWATCH_H = 38, 52, 64, 38


@dataclass(frozen=True)
class _Shape:
    iso3: str
    name: str
    d: str


@dataclass(frozen=True)
class _World:
    width: int
    height: int
    shapes: tuple[_Shape, ...]


@cache
def _world() -> _World:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    shapes = tuple(_Shape(iso3, c["name"], c["d"]) for iso3, c in raw["countries"].items())
    return _World(int(raw["width"]), int(raw["height"]), shapes)


def map_iso3s() -> frozenset[str]:
    """Every ISO3 code that has a shape on the map."""
    return frozenset(shape.iso3 for shape in _world().shapes)


def world_map_svg(
    values: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    bins: Sequence[float],
    labels: Sequence[str],
    link: Callable[[str], str] | None = None,
    names: Mapping[str, str] | None = None,
    no_data: str = NO_DATA_LABEL,
) -> str:
    """SVG markup of the world with each country shaded by the class its value falls in.

    `bins` are the classes' upper bounds, ascending, one per label: a value goes in the first class
    whose bound is at least the value, and a value above the last bound in the last class. A country
    whose value is None or NaN, or that is not in `values`, is drawn in light grey as "No data". Codes
    in `values` that have no shape on the map (see `map_iso3s`) are ignored. `names` overrides the map's
    English short names; `link(iso3)` gives each country's href (an empty string: no link; only
    relative, http and https addresses). Each class has a fill colour and a hatching that grows denser
    with the class, so the map reads in greyscale too. Raises ValueError when bins and labels differ in
    length, are empty, or the bins are not strictly ascending.
    """
    bounds = [float(b) for b in bins]
    if len(bounds) != len(labels):
        raise ValueError(f"{len(bounds)} bins but {len(labels)} labels: give one label per bin")
    if not bounds:
        raise ValueError("at least one bin is needed")
    if any(math.isnan(b) for b in bounds) or any(a >= b for a, b in zip(bounds, bounds[1:], strict=False)):
        raise ValueError("bins must be strictly ascending upper bounds")

    world = _world()
    names = names or {}
    prefix = _prefix(values, title, legend_title, bounds, labels)
    fills = [_colour(i, len(bounds)) for i in range(len(bounds))]
    with_data = 0
    paths: list[str] = []
    for shape in world.shapes:
        name = names.get(shape.iso3) or shape.name
        value = values.get(shape.iso3)
        if value is None or math.isnan(value):
            tip, paint, extra = f"{name}: {no_data}", NO_DATA_FILL, ""
        else:
            index = _class_of(float(value), bounds)
            with_data += 1
            tip = f"{name}: {_number(float(value))} ({labels[index]})"
            paint, extra = f"url(#{prefix}-c{index})", f' data-class="{index}"'
        paths.append(_country(shape, tip, paint, extra, link))

    ident = escape(prefix)
    desc = _description(legend_title, labels, with_data)
    legend, height = _legend(ident, legend_title, labels, world.height, no_data)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {world.width} {height}" width="100%"'
        f' preserveAspectRatio="xMidYMid meet" id="{ident}" class="world-map"'
        f' role="{"group" if link else "img"}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        "<defs>",
        *(_pattern(f"{ident}-c{i}", fill, i, len(bounds)) for i, fill in enumerate(fills)),
        "</defs>",
        f'<g stroke="{BORDER}" stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">',
        *paths,
        "</g>",
        legend,
        "</svg>",
    ]
    return "\n".join(parts)


def _country(shape: _Shape, tip: str, paint: str, extra: str, link: Callable[[str], str] | None) -> str:
    iso3 = escape(shape.iso3)
    href = link(shape.iso3) if link else ""
    if href:
        if urlsplit(href).scheme.lower() not in ("", "http", "https"):
            raise ValueError(f"refusing a link that is not relative, http or https: {href!r}")
        return (
            f'<a href="{escape(href)}"><title>{escape(tip)}</title>'
            f'<path d="{shape.d}" fill="{paint}" data-iso3="{iso3}"{extra}/></a>'
        )
    return f'<path d="{shape.d}" fill="{paint}" data-iso3="{iso3}"{extra}><title>{escape(tip)}</title></path>'


def _class_of(value: float, bounds: Sequence[float]) -> int:
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds) - 1


def _number(value: float) -> str:
    """A value for a tooltip: whole numbers with thousands separators, others to three significant figures."""
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value.is_integer() or abs(value) >= 1000:
        return number(value)
    return rate(value, 3)


def _description(legend_title: str, labels: Sequence[str], with_data: int) -> str:
    classes = "; ".join(f"{n}. {label}" for n, label in enumerate(labels, start=1))
    countries = "1 country" if with_data == 1 else f"{with_data} countries"
    return (
        f"World map by country. {legend_title}: {countries} with data, in classes from lowest to highest, "
        f"darker and more densely hatched as they rise: {classes}. Countries without data are plain light grey."
    )


def _prefix(
    values: Mapping[str, float | None], title: str, legend_title: str, bounds: Sequence[float], labels: Sequence[str]
) -> str:
    """Ids unique to this map's content, so that two different maps on one page do not share patterns."""
    key = json.dumps(
        [title, legend_title, list(bounds), list(labels), sorted((k, repr(v)) for k, v in values.items())],
        ensure_ascii=True,
    )
    return "wm-" + hashlib.sha256(key.encode()).hexdigest()[:10]


# --- Colours and patterns ------------------------------------------------------------------------------


def _colour(index: int, count: int) -> str:
    """Class `index` of `count` along the ramp, linearly interpolated between its stops."""
    t = 0.5 if count == 1 else index / (count - 1)
    position = t * (len(_RAMP) - 1)
    low = min(int(position), len(_RAMP) - 2)
    frac = position - low
    a, b = _rgb(_RAMP[low]), _rgb(_RAMP[low + 1])
    return "#" + "".join(f"{round(x + (y - x) * frac):02x}" for x, y in zip(a, b, strict=True))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _pattern(ident: str, fill: str, index: int, count: int) -> str:
    """The class's colour under diagonal hatching whose spacing narrows (and lines thicken) as the class
    rises; the lines are dark on light colours and white on dark ones."""
    t = 0 if count == 1 else index / (count - 1)
    spacing = round(18 - 10 * t, 1)
    width = round(1.5 + 1.5 * t, 1)
    ink = "#000000" if _luminance(fill) > 0.3 else "#ffffff"
    return (
        f'<pattern id="{ident}" width="{spacing}" height="{spacing}" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)">'
        f'<rect width="{spacing}" height="{spacing}" fill="{fill}"/>'
        f'<line x1="{spacing / 2:g}" y1="0" x2="{spacing / 2:g}" y2="{spacing}" stroke="{ink}" stroke-opacity="0.45"'
        f' stroke-width="{width:g}"/>'
        f"</pattern>"
    )


def _legend(
    ident: str, legend_title: str, labels: Sequence[str], height: int, no_data: str = NO_DATA_LABEL
) -> tuple[str, int]:
    """The legend and the height of the whole picture. It sits in the empty south-western Pacific when its
    widest line fits there, and otherwise in a band under the map (which then grows taller)."""
    entries = [(f"url(#{ident}-c{i})", label) for i, label in enumerate(labels)] + [(NO_DATA_FILL, no_data)]
    em = _FONT * 0.58  # a rough average character width
    widest = max(len(legend_title) * em, *(_SWATCH_W + 14 + len(label) * em for _, label in entries))
    block = _ROW * (len(entries) + 1)
    if widest <= _LEGEND_ROOM and len(entries) <= 8:
        top, total = height - block, height
    else:
        top, total = height + _ROW // 2, height + block + _ROW
    rows = [
        f'<g class="world-map-legend" font-size="{_FONT}" fill="currentColor">',
        f'<text x="{_LEGEND_X}" y="{top + _FONT}" font-weight="bold">{escape(legend_title)}</text>',
    ]
    for n, (paint, label) in enumerate(entries, start=1):
        y = top + n * _ROW + 8
        rows.append(
            f'<rect x="{_LEGEND_X}" y="{y}" width="{_SWATCH_W}" height="{_SWATCH_H}" fill="{paint}"'
            f' stroke="#767676" stroke-width="1"/>'
            f'<text x="{_LEGEND_X + _SWATCH_W + 14}" y="{y + _SWATCH_H - 8}">{escape(label)}</text>'
        )
    rows.append("</g>")
    return "".join(rows), max(total, height)
