"""Line charts described once and drawn three ways: SVG (pages), PDF drawing, PNG (DOCX).

A chart is laid out into primitives (lines, polylines, markers, texts) in a fixed coordinate space;
each backend only draws primitives. Series differ by dash pattern and marker shape as well as by
colour, so the chart reads without colour.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ccm.core.templatetags.ccm import number, rate, share

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 78, 20, 34, 72
LEGEND_CHAR_WIDTH = 0.56  # an estimate of a sans-serif character's width, per pixel of font size


@dataclass(frozen=True)
class Frame:
    """The coordinate space a chart is laid out in. Pages carry two: ``WIDE`` (shown at 48 rem and
    wider, where it is drawn at 1.2x and its 10-unit labels read at 12 px) and ``NARROW`` (phones: drawn
    at about 1x, so its labels are 12 units). PDF and DOCX use ``WIDE``."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM
    label: int = 10  # axis and legend labels
    title: int = 13
    max_ticks: int = 10


WIDE = Frame()
NARROW = Frame(width=340, height=340, left=58, right=12, top=48, bottom=104, label=12, title=14, max_ticks=5)

DASHES = {"solid": (), "dashed": (8, 5), "dotted": (2, 4)}
COLOURS = ["#0b4f8a", "#8a5300", "#1d6b2f", "#6b2f8a"]


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[float, float]]
    style: str = "solid"  # solid | dashed | dotted
    marker: str | None = "circle"  # circle | square | triangle | None


@dataclass
class LineChart:
    title: str
    description: str  # the text equivalent's summary, read by screen readers
    y_label: str
    series: list[Series] = field(default_factory=list)
    x_label: str = ""
    y_format: str = ""  # a str.format pattern for the axis values; empty: whole numbers in the reader's style

    def is_empty(self) -> bool:
        return not any(s.points for s in self.series)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = "#999999"
    width: float = 1.0
    dash: tuple[int, ...] = ()


@dataclass(frozen=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    colour: str
    dash: tuple[int, ...]
    width: float = 2.5


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    shape: str
    colour: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: int = 11
    anchor: str = "start"  # start | middle | end
    bold: bool = False


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def layout(chart: LineChart, frame: Frame = WIDE) -> list[Line | Poly | Marker | Text]:
    f = frame
    title_x = f.left if f is WIDE else 4
    items: list[Line | Poly | Marker | Text] = [Text(title_x, 20, chart.title, f.title, bold=True)]
    points = [p for s in chart.series for p in s.points]
    if not points:
        items.append(Text(f.width / 2, f.height / 2, "No figures yet", max(12, f.label), "middle"))
        return items
    xs = [p[0] for p in points]
    x_min, x_max = min(xs), max(xs)
    if x_max == x_min:
        x_max = x_min + 1
    y_max = _nice_max(max(p[1] for p in points))
    plot_w, plot_h = f.width - f.left - f.right, f.height - f.top - f.bottom

    def sx(x: float) -> float:
        return f.left + (x - x_min) / (x_max - x_min) * plot_w

    def sy(y: float) -> float:
        return f.top + plot_h - (y / y_max) * plot_h

    for i in range(5):
        value = y_max * i / 4
        y = sy(value)
        items.append(Line(f.left, y, f.left + plot_w, y, "#dddddd"))
        items.append(Text(f.left - 6, y + 4, _compact(chart.y_format, value, f), f.label, "end"))
    step = max(1, math.ceil((x_max - x_min) / f.max_ticks))
    tick = float(math.ceil(x_min))
    while tick <= x_max:
        items.append(Line(sx(tick), f.top + plot_h, sx(tick), f.top + plot_h + 4, "#555555"))
        items.append(Text(sx(tick), f.top + plot_h + 5 + f.label * 1.2, str(int(tick)), f.label, "middle"))
        tick += step
    items.append(Line(f.left, f.top + plot_h, f.left + plot_w, f.top + plot_h, "#555555"))
    items.append(Line(f.left, f.top, f.left, f.top + plot_h, "#555555"))
    items.append(Text(4 if f is not WIDE else 12, f.top - 8, chart.y_label, f.label))
    legend_x, ly = float(f.left if f is WIDE else 4), float(f.top + plot_h + 10 + f.label * 2.6)
    legend_left = legend_x
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES.get(series.style, ())
        scaled = tuple((sx(x), sy(y)) for x, y in series.points)
        if len(scaled) > 1:
            items.append(Poly(scaled, colour, dash))
        if series.marker:
            items.extend(Marker(x, y, series.marker, colour) for x, y in scaled)
        entry_width = 44 + LEGEND_CHAR_WIDTH * f.label * len(series.label)
        if legend_x > legend_left and legend_x + entry_width > f.width - f.right:
            legend_x, ly = legend_left, ly + f.label * 1.6
        items.append(Line(legend_x, ly - 4, legend_x + 26, ly - 4, colour, 2.5, dash))
        if series.marker:
            items.append(Marker(legend_x + 13, ly - 4, series.marker, colour))
        items.append(Text(legend_x + 32, ly, series.label, f.label))
        legend_x += entry_width
    return items


def _compact(y_format: str, value: float, frame: Frame) -> str:
    """Axis values; on a narrow frame large ones are shortened (12,000,000 → 12M) so they fit."""
    if frame is WIDE or abs(value) < 100_000:
        return y_format.format(value) if y_format else number(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{rate(value / size, 3)}{suffix}"
    return y_format.format(value) if y_format else number(value)


def _dash_attr(dash: tuple[int, ...]) -> str:
    return f' stroke-dasharray="{" ".join(map(str, dash))}"' if dash else ""


def to_svg(chart: LineChart, element_id: str = "chart", frame: Frame = WIDE) -> str:
    """An accessible inline SVG: role="img", a title and a description linked to it."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" class="chart">',
        f'<title id="{element_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{element_id}-desc">{escape(chart.description)}</desc>',
    ]
    for item in layout(chart, frame):
        if isinstance(item, Line):
            parts.append(
                f'<line x1="{item.x1:.1f}" y1="{item.y1:.1f}" x2="{item.x2:.1f}" y2="{item.y2:.1f}" '
                f'stroke="{item.colour}" stroke-width="{item.width}"{_dash_attr(item.dash)}/>'
            )
        elif isinstance(item, Poly):
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in item.points)
            parts.append(
                f'<polyline points="{pts}" fill="none" stroke="{item.colour}" '
                f'stroke-width="{item.width}"{_dash_attr(item.dash)}/>'
            )
        elif isinstance(item, Marker):
            parts.append(_svg_marker(item))
        else:
            weight = ' font-weight="bold"' if item.bold else ""
            parts.append(
                f'<text x="{item.x:.1f}" y="{item.y:.1f}" font-size="{item.size}" text-anchor="{item.anchor}"'
                f'{weight} font-family="sans-serif" fill="#1a1a1a">{escape(item.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def for_screens(wide: str, narrow: str) -> str:
    """Both drawings of a chart for a page: CSS shows the wide one from 48 rem and the narrow one below,
    so chart text stays at 12 px or more on a phone and on a laptop (the hidden one is not read out)."""
    return f'<span class="chart-wide">{wide}</span><span class="chart-narrow">{narrow}</span>'


def responsive_svg(chart: LineChart, element_id: str = "chart") -> str:
    return for_screens(to_svg(chart, element_id, WIDE), to_svg(chart, f"{element_id}-narrow", NARROW))


def _svg_marker(m: Marker) -> str:
    if m.shape == "square":
        return f'<rect x="{m.x - 4:.1f}" y="{m.y - 4:.1f}" width="8" height="8" fill="{m.colour}"/>'
    if m.shape == "triangle":
        return (
            f'<polygon points="{m.x:.1f},{m.y - 5:.1f} {m.x - 5:.1f},{m.y + 4:.1f} {m.x + 5:.1f},{m.y + 4:.1f}" '
            f'fill="#ffffff" stroke="{m.colour}" stroke-width="1.5"/>'
        )
    return f'<circle cx="{m.x:.1f}" cy="{m.y:.1f}" r="4" fill="{m.colour}"/>'


def to_drawing(chart: LineChart, width: float = WIDTH * 0.7) -> object:
    """A reportlab Drawing (vector) for the PDF brief."""
    from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, Rect, String
    from reportlab.graphics.shapes import Line as RLine
    from reportlab.lib.colors import HexColor

    scale = width / WIDTH
    drawing = Drawing(WIDTH * scale, HEIGHT * scale)
    group = Group()
    group.transform = (scale, 0, 0, -scale, 0, HEIGHT * scale)  # flip: SVG y runs downwards
    for item in layout(chart):
        if isinstance(item, Line):
            group.add(
                RLine(
                    item.x1,
                    item.y1,
                    item.x2,
                    item.y2,
                    strokeColor=HexColor(item.colour),
                    strokeWidth=item.width,
                    strokeDashArray=list(item.dash) or None,
                )
            )
        elif isinstance(item, Poly):
            flat = [c for point in item.points for c in point]
            group.add(
                PolyLine(
                    flat,
                    strokeColor=HexColor(item.colour),
                    strokeWidth=item.width,
                    strokeDashArray=list(item.dash) or None,
                )
            )
        elif isinstance(item, Marker):
            colour = HexColor(item.colour)
            if item.shape == "square":
                group.add(Rect(item.x - 4, item.y - 4, 8, 8, fillColor=colour, strokeColor=colour))
            elif item.shape == "triangle":
                group.add(
                    Polygon(
                        [item.x, item.y - 5, item.x - 5, item.y + 4, item.x + 5, item.y + 4],
                        fillColor=HexColor("#ffffff"),
                        strokeColor=colour,
                    )
                )
            else:
                group.add(Circle(item.x, item.y, 4, fillColor=colour, strokeColor=colour))
        else:
            text = Group(
                String(
                    0,
                    0,
                    item.text,
                    fontSize=item.size,
                    fontName="Helvetica-Bold" if item.bold else "Helvetica",
                    textAnchor=item.anchor,
                )
            )
            text.transform = (1, 0, 0, -1, item.x, item.y)  # text upright again
            group.add(text)
    drawing.add(group)
    return drawing


def to_png(chart: LineChart, scale: int = 2) -> bytes:
    """A PNG for the DOCX brief (Word documents need a raster picture)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[int, bool], ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if (size, bold) not in fonts:
            fonts[(size, bold)] = ImageFont.load_default(size=size * scale)
        return fonts[(size, bold)]

    def pt(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    for item in layout(chart):
        if isinstance(item, Line):
            _png_line(
                draw, [pt(item.x1, item.y1), pt(item.x2, item.y2)], item.colour, item.width * scale, item.dash, scale
            )
        elif isinstance(item, Poly):
            _png_line(draw, [pt(x, y) for x, y in item.points], item.colour, item.width * scale, item.dash, scale)
        elif isinstance(item, Marker):
            x, y = pt(item.x, item.y)
            r = 4 * scale
            if item.shape == "square":
                draw.rectangle([x - r, y - r, x + r, y + r], fill=item.colour)
            elif item.shape == "triangle":
                draw.polygon(
                    [(x, y - 5 * scale), (x - r - scale, y + r), (x + r + scale, y + r)],
                    fill="white",
                    outline=item.colour,
                    width=scale,
                )
            else:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=item.colour)
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[item.anchor]
            draw.text(pt(item.x, item.y), item.text, fill="#1a1a1a", font=font(item.size, item.bold), anchor=anchor)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _png_line(
    draw: object, points: list[tuple[float, float]], colour: str, width: float, dash: tuple[int, ...], scale: int
) -> None:
    from PIL import ImageDraw

    assert isinstance(draw, ImageDraw.ImageDraw)  # noqa: S101
    if not dash:
        draw.line(points, fill=colour, width=max(1, round(width)))
        return
    on, off = dash[0] * scale, dash[1] * scale
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0:
            continue
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        position = 0.0
        while position < length:
            end = min(position + on, length)
            draw.line(
                [(x1 + dx * position, y1 + dy * position), (x1 + dx * end, y1 + dy * end)],
                fill=colour,
                width=max(1, round(width)),
            )
            position = end + off


def bar_svg(title: str, description: str, items: list[tuple[str, float]], element_id: str = "bars") -> str:
    """Horizontal bars of shares (1.0 = 100 %), each labelled with its value: readable without colour.
    A dashed line marks 100 %. Drawn wide (label beside the bar) and narrow (label above it)."""
    return for_screens(
        _bar_svg(title, description, items, element_id, narrow=False),
        _bar_svg(title, description, items, f"{element_id}-narrow", narrow=True),
    )


def _bar_svg(title: str, description: str, items: list[tuple[str, float]], element_id: str, *, narrow: bool) -> str:
    if narrow:
        width, row, left, right, top, size, label_room = 340, 40, 4, 52, 30, 12, 16
    else:
        width, row, left, right, top, size, label_room = 640, 22, 190, 70, 30, 11, 0
    scale_max = max([1.0, *[value for _label, value in items]])
    height = top + row * max(len(items), 1) + 20
    plot = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" class="chart">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
        f'<text x="{left}" y="18" font-size="{size + 2}" font-weight="bold" font-family="sans-serif">'
        f"{escape(title)}</text>",
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * row
        bar = plot * min(value, scale_max) / scale_max
        if narrow:
            parts.append(
                f'<text x="{left}" y="{y + size}" font-size="{size}" font-family="sans-serif">'
                f"{escape(label[:40])}</text>"
            )
        else:
            parts.append(
                f'<text x="{left - 6}" y="{y + 14}" font-size="{size}" text-anchor="end" font-family="sans-serif">'
                f"{escape(label[:28])}</text>"
            )
        bar_y = y + 3 + label_room
        bar_h = row - 8 - label_room
        parts.append(f'<rect x="{left}" y="{bar_y}" width="{bar:.1f}" height="{bar_h}" fill="#0b4f8a"/>')
        parts.append(
            f'<text x="{left + bar + 4:.1f}" y="{bar_y + bar_h - 2}" font-size="{size}" font-family="sans-serif">'
            f"{escape(share(value))}</text>"
        )
    full = left + plot / scale_max
    parts.append(
        f'<line x1="{full:.1f}" y1="{top}" x2="{full:.1f}" y2="{height - 16}" stroke="#555" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{full:.1f}" y="{height - 4}" font-size="{max(size - 1, 10) if not narrow else size}" '
        'text-anchor="middle" font-family="sans-serif">100%</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
