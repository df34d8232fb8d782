"""Build ccm/coordination/data/world-110m.json from the world-atlas package's countries-110m.json.

The input is TopoJSON (Natural Earth 1:110m admin-0 boundaries, quantised, longitude and latitude in
degrees). This script decodes it with the standard library only, projects it with the Equal Earth
projection and writes one SVG path per country, keyed by ISO 3166-1 alpha-3 code:

    .venv/bin/python scripts/build_world_map.py /tmp/world-atlas/package/countries-110m.json

Get the input with `npm pack world-atlas@2` in a temporary directory and unpack the tarball there;
the tarball is not kept in the repository. ccm/coordination/data/README.md says what was done to the
shapes without an ISO code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "ccm" / "coordination" / "data" / "world-110m.json"
COUNTRIES_CSV = ROOT / "ccm" / "states" / "reference" / "countries.csv"

WIDTH = 2000  # SVG units across the whole world (longitude -180 to 180); coordinates rounded to integers
DROPPED = frozenset({"010"})  # Antarctica (ISO numeric 010): no obligations there, and it takes a third of the height

# Shapes without an ISO numeric id in Natural Earth: the key and name they are given here.
# N. Cyprus and Somaliland are drawn as part of the State the UN recognises (their shared border is
# removed); Kosovo keeps a shape of its own under the user-assigned code XKX, which no ISO3 list holds,
# so it stays unshaded unless a caller passes a value for "XKX".
NO_ID = {"N. Cyprus": "CYP", "Somaliland": "SOM", "Kosovo": "XKX"}
EXTRA_NAMES = {"XKX": "Kosovo"}

Point = tuple[float, float]
Ring = list[Point]


# --- TopoJSON ------------------------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Every arc as absolute longitude/latitude: undo the delta encoding, then apply the transform."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Point] = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs: Sequence[list[Point]], index: int) -> list[Point]:
    """Arc `index`, reversed when the index is negative (~index is the arc meant: -1 is arc 0 reversed)."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs: Sequence[list[Point]], indices: Iterable[int]) -> Ring:
    """A ring from its arcs; each arc after the first starts where the previous one ended (point dropped)."""
    ring: Ring = []
    for index in indices:
        points = arc_points(arcs, index)
        ring.extend(points if not ring else points[1:])
    return ring


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings of arc indices."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def merged_rings(arcs: Sequence[list[Point]], geometries: Sequence[dict]) -> list[Ring]:
    """The rings of several geometries drawn as one shape: arcs they share (their common borders) are
    left out and the remaining arcs are chained end to start into closed rings."""
    indices = [i for g in geometries for polygon in polygons_of(g) for ring in polygon for i in ring]
    used: dict[int, int] = {}
    for i in indices:
        key = i if i >= 0 else ~i
        used[key] = used.get(key, 0) + 1
    outer = [arc_points(arcs, i) for i in indices if used[i if i >= 0 else ~i] == 1]
    by_start: dict[Point, list[int]] = {}
    for n, points in enumerate(outer):
        by_start.setdefault(points[0], []).append(n)
    left = set(range(len(outer)))
    rings: list[Ring] = []
    while left:
        n = min(left)
        left.discard(n)
        ring = list(outer[n])
        while ring[-1] != ring[0]:
            candidates = [m for m in by_start.get(ring[-1], []) if m in left]
            if not candidates:
                raise ValueError(f"cannot close a merged ring at {ring[-1]}")
            left.discard(candidates[0])
            ring.extend(outer[candidates[0]][1:])
        rings.append(ring)
    return rings


def geometry_rings(arcs: Sequence[list[Point]], geometry: dict) -> list[Ring]:
    return [ring_points(arcs, ring) for polygon in polygons_of(geometry) for ring in polygon]


# --- The antimeridian ----------------------------------------------------------------------------------


def unwrap(ring: Ring) -> Ring:
    """The ring with longitudes made continuous: a step of more than 180 degrees crosses the antimeridian,
    so the following longitudes are shifted by 360 (they may then lie beyond -180 or 180)."""
    out: Ring = [ring[0]]
    shift = 0.0
    for (lon0, _), (lon, lat) in zip(ring, ring[1:], strict=False):
        step = lon - lon0
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        out.append((lon + shift, lat))
    return out


def clip(ring: Ring, edge: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman: the part of the ring on one side of the meridian `edge` (unwrapped degrees)."""

    def inside(point: Point) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    out: Ring = []
    for n, current in enumerate(ring):
        previous = ring[n - 1]
        if inside(current) != inside(previous):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def split_at_antimeridian(ring: Ring) -> list[Ring]:
    """A ring that crosses the antimeridian cut into the pieces on each side, each within -180..180."""
    flat = unwrap(ring)
    low, high = min(p[0] for p in flat), max(p[0] for p in flat)
    if low >= -180 and high <= 180:
        return [ring]
    pieces: list[Ring] = []
    for start in range(math.floor((low + 180) / 360), math.floor((high + 180) / 360) + 1):
        west, east = start * 360 - 180, start * 360 + 180
        piece = clip(clip(flat, west, keep_below=False), east, keep_below=True)
        if len(piece) >= 3:
            pieces.append([(lon - start * 360, lat) for lon, lat in piece])
    return pieces


# --- Projection and path data --------------------------------------------------------------------------

# Equal Earth (Šavrič, Patterson and Jenny, 2018): polynomial coefficients from the published formulas.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> Point:
    """Equal Earth projection of a point in degrees, on the unit sphere (y grows northwards)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


HALF_WIDTH = equal_earth(180.0, 0.0)[0]
SCALE = WIDTH / (2 * HALF_WIDTH)


def to_svg(lon: float, lat: float, top: float) -> tuple[int, int]:
    """SVG coordinates (integers): x from the left edge of the world, y down from `top` (projected units)."""
    x, y = equal_earth(lon, lat)
    return round((x + HALF_WIDTH) * SCALE), round((top - y) * SCALE)


def path_data(rings: Sequence[Ring], top: float) -> str:
    """Compact SVG path data: each ring an absolute move, then relative lines, closed with z. Points that
    fall on the same rounded position as the one before are dropped, and so are rings that collapse."""
    parts: list[str] = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            point = to_svg(lon, lat, top)
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(set(points)) < 3:
            continue
        (x0, y0), deltas = points[0], []
        px, py = x0, y0
        for x, y in points[1:]:
            deltas.append(_pair(x - px, y - py))
            px, py = x, y
        parts.append(f"M{x0} {y0}l" + "".join(deltas) + "z")
    return "".join(parts)


def _pair(dx: int, dy: int) -> str:
    """A relative coordinate pair with the fewest characters (a minus sign separates numbers by itself)."""
    return f"{' ' if dx >= 0 else ''}{dx}{' ' if dy >= 0 else ''}{dy}"


# --- Keys and names ------------------------------------------------------------------------------------


def project_names(path: Path = COUNTRIES_CSV) -> dict[str, str]:
    """The English short names the project prefers (countries.csv), where it gives one."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["iso3"]: row["name"] for row in csv.DictReader(handle) if row["name"]}


def key_and_name(geometry: dict, preferred: dict[str, str]) -> tuple[str, str]:
    numeric = geometry.get("id")
    label = geometry.get("properties", {}).get("name", "")
    if numeric is None:
        if label not in NO_ID:
            raise ValueError(f"a shape without an ISO code that this script does not know: {label!r}")
        iso3 = NO_ID[label]
    else:
        country = pycountry.countries.get(numeric=str(numeric).zfill(3))
        if country is None:
            raise ValueError(f"ISO numeric code {numeric} ({label}) is not in pycountry")
        iso3 = country.alpha_3
    if iso3 in preferred:
        return iso3, preferred[iso3]
    if iso3 in EXTRA_NAMES:
        return iso3, EXTRA_NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise ValueError(f"{iso3} is not in pycountry")
    return iso3, str(country.name)  # as the State registry names it (ccm.states.services.reference_load)


# --- Build ---------------------------------------------------------------------------------------------


def build(topology: dict, *, source: str, names: dict[str, str]) -> dict:
    arcs = decode_arcs(topology)
    groups: dict[str, list[dict]] = {}
    labels: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if str(geometry.get("id")) in DROPPED:
            continue
        iso3, name = key_and_name(geometry, names)
        groups.setdefault(iso3, []).append(geometry)
        labels[iso3] = name
    rings = {
        iso3: [
            piece
            for ring in (merged_rings(arcs, gs) if len(gs) > 1 else geometry_rings(arcs, gs[0]))
            for piece in split_at_antimeridian(ring)
        ]
        for iso3, gs in groups.items()
    }
    ys = [equal_earth(lon, lat)[1] for rs in rings.values() for ring in rs for lon, lat in ring]
    top, bottom = max(ys), min(ys)
    height = math.ceil((top - bottom) * SCALE)
    countries = {
        iso3: {"name": labels[iso3], "d": path_data(rings[iso3], top)}
        for iso3 in sorted(rings, key=lambda code: labels[code])
    }
    return {
        "source": source,
        "projection": "Equal Earth, longitude 0 at the centre",
        "width": WIDTH,
        "height": height,
        "countries": countries,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="countries-110m.json from the world-atlas package")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    raw = args.input.read_bytes()
    version = "unknown version"
    package = args.input.with_name("package.json")
    if package.exists():
        version = json.loads(package.read_text(encoding="utf-8")).get("version", version)
    source = (
        f"world-atlas {version}, {args.input.name} (sha256 {hashlib.sha256(raw).hexdigest()}); "
        "Natural Earth 1:110m admin-0 countries"
    )
    data = build(json.loads(raw), source=source, names=project_names())
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(data['countries'])} countries, {len(text.encode()):,} bytes")  # noqa: T201


if __name__ == "__main__":
    main()
