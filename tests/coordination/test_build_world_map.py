"""scripts/build_world_map.py: TopoJSON decoding, merging, the antimeridian and the projection."""

import importlib.util
import math
import re
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_world_map.py"
spec = importlib.util.spec_from_file_location("build_world_map", SCRIPT)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_quantised_arcs_are_delta_decoded_then_transformed():
    topology = {"transform": {"scale": [0.5, 0.25], "translate": [10, 20]}, "arcs": [[[0, 0], [2, 0], [0, 4]]]}
    assert build.decode_arcs(topology) == [[(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]]


def test_a_negative_index_reverses_its_arc_and_rings_skip_the_joining_point():
    arcs = [[(0.0, 0.0), (1.0, 0.0)], [(0.0, 1.0), (1.0, 0.0)]]
    assert build.arc_points(arcs, -2) == [(1.0, 0.0), (0.0, 1.0)]
    assert build.ring_points(arcs, [0, -2]) == [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]


def test_merging_two_shapes_drops_their_shared_border():
    # two unit squares side by side; arc 0 is the border between them
    arcs = [
        [(1.0, 0.0), (1.0, 1.0)],
        [(1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)],
        [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)],
    ]
    west = {"type": "Polygon", "arcs": [[0, 1]]}
    east = {"type": "Polygon", "arcs": [[2, -1]]}
    (ring,) = build.merged_rings(arcs, [west, east])
    assert ring[0] == ring[-1]
    assert set(ring) == {(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (0.0, 1.0)}
    steps = {frozenset(pair) for pair in zip(ring, ring[1:], strict=False)}
    assert frozenset({(1.0, 0.0), (1.0, 1.0)}) not in steps


def test_a_ring_across_the_antimeridian_is_cut_in_two():
    ring = [(170.0, 0.0), (-170.0, 0.0), (-170.0, 10.0), (170.0, 10.0), (170.0, 0.0)]
    pieces = build.split_at_antimeridian(ring)
    extents = sorted((min(p[0] for p in piece), max(p[0] for p in piece)) for piece in pieces)
    assert extents == [(-180.0, -170.0), (170.0, 180.0)]
    plain = [(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), (10.0, 0.0)]
    assert build.split_at_antimeridian(plain) == [plain]


def test_equal_earth_has_its_published_extent_and_keeps_areas():
    assert build.equal_earth(0, 0) == (0.0, 0.0)
    assert build.equal_earth(180, 0)[0] == pytest.approx(2.70663, rel=1e-4)
    assert build.equal_earth(0, 90)[1] == pytest.approx(1.31736, rel=1e-4)

    def area(lat: float) -> float:  # a 1° x 1° cell, its edges sampled finely, by the shoelace formula
        steps = [i / 50 for i in range(51)]
        edge = [(s, lat) for s in steps] + [(1, lat + s) for s in steps] + [(1 - s, lat + 1) for s in steps]
        edge += [(0, lat + 1 - s) for s in steps]
        points = [build.equal_earth(lon, la) for lon, la in edge]
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))) / 2

    sphere = (math.sin(math.radians(61)) - math.sin(math.radians(60))) / math.sin(math.radians(1))
    assert area(60) / area(0) == pytest.approx(sphere, rel=1e-3)


def test_path_data_round_trips_to_the_rounded_points():
    ring = [(35.1, 33.1), (35.6, 33.1), (35.6, 34.6), (35.1, 34.6), (35.1, 33.1)]
    d = build.path_data([ring], top=1.0)
    assert re.fullmatch(r"M\d+ \d+l[-\d ]+z", d)
    numbers = [int(n) for n in re.findall(r"-?\d+", d)]
    points = [(numbers[0], numbers[1])]
    for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
        points.append((points[-1][0] + dx, points[-1][1] + dy))
    assert points == [build.to_svg(lon, lat, 1.0) for lon, lat in ring[:-1]]


def test_shapes_are_keyed_by_iso3_and_those_without_a_code_as_documented():
    names = {"LBN": "Lebanon (preferred)"}
    assert build.key_and_name({"id": "422", "properties": {"name": "Lebanon"}}, names) == ("LBN", "Lebanon (preferred)")
    assert build.key_and_name({"id": "760", "properties": {"name": "Syria"}}, {}) == ("SYR", "Syrian Arab Republic")
    assert build.key_and_name({"properties": {"name": "Somaliland"}}, {})[0] == "SOM"
    assert build.key_and_name({"properties": {"name": "Kosovo"}}, {}) == ("XKX", "Kosovo")
    with pytest.raises(ValueError, match="without an ISO code"):
        build.key_and_name({"properties": {"name": "Atlantis"}}, {})
