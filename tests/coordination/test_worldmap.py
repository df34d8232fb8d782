"""The SVG world map: classes, patterns, legend, links and escaping (plain tests, no database)."""

import math
import xml.etree.ElementTree as ET

import pytest

from ccm.coordination.worldmap import DATA, NO_DATA_FILL, map_iso3s, world_map_svg

SVG = "{http://www.w3.org/2000/svg}"
BINS = [0.25, 0.5, 0.75, 1.0]
LABELS = ["Low", "Medium", "High", "Very high"]


def render(values, **kwargs):
    options = {"title": "Attention gap", "legend_title": "Attention gap", "bins": BINS, "labels": LABELS}
    options.update(kwargs)
    svg = world_map_svg(values, **options)
    return svg, ET.fromstring(svg)  # noqa: S314 - our own output, parsed in a test


def shapes(root):
    return {p.get("data-iso3"): p for p in root.iter(f"{SVG}path") if p.get("data-iso3")}


def patterns(root):
    return {p.get("id"): p for p in root.iter(f"{SVG}pattern")}


def pattern_of(root, path):
    fill = path.get("fill")
    assert fill.startswith("url(#") and fill.endswith(")")
    return patterns(root)[fill[5:-1]]


def test_each_value_gets_its_class_fill_and_pattern():
    values = {"LBN": 0.1, "IRQ": 0.25, "AFG": 0.3, "LAO": 0.9, "VNM": 5.0, "SYR": None, "KHM": math.nan}
    expected = {"LBN": 0, "IRQ": 0, "AFG": 1, "LAO": 3, "VNM": 3}  # bounds inclusive; above the last: last class
    _, root = render(values)
    paths = shapes(root)
    colours = {}
    for iso3, index in expected.items():
        path = paths[iso3]
        assert path.get("data-class") == str(index)
        pattern = pattern_of(root, path)
        assert pattern.get("id").endswith(f"-c{index}")
        colours[index] = pattern.find(f"{SVG}rect").get("fill")
        assert pattern.find(f"{SVG}line") is not None  # the hatching
    assert colours[0] != colours[1] != colours[3]
    for iso3 in ("SYR", "KHM", "FRA"):  # None, NaN, absent
        assert paths[iso3].get("fill") == NO_DATA_FILL
        assert paths[iso3].get("data-class") is None


def test_classes_differ_in_colour_and_in_hatching_density():
    _, root = render({})
    defs = sorted(patterns(root).values(), key=lambda p: p.get("id"))
    assert len(defs) == len(BINS)
    fills = [p.find(f"{SVG}rect").get("fill") for p in defs]
    spacing = [float(p.get("width")) for p in defs]
    assert len(set(fills)) == len(BINS) and NO_DATA_FILL not in fills
    assert spacing == sorted(spacing, reverse=True) and len(set(spacing)) == len(spacing)


def test_titles_give_name_value_and_label():
    _, root = render({"LBN": 0.62, "USA": 1234567.0, "SYR": None}, bins=[0.5, 1e9], labels=["Low", "High"])
    paths = shapes(root)
    assert paths["LBN"].find(f"{SVG}title").text == "Lebanon: 0.62 (High)"
    assert paths["USA"].find(f"{SVG}title").text.endswith(": 1,234,567 (High)")
    assert paths["SYR"].find(f"{SVG}title").text == "Syrian Arab Republic: No data"  # the legend's words


def test_unknown_codes_are_ignored():
    _, root = render({"ZZZ": 0.5, "LBN": 0.5, "": 0.1})
    paths = shapes(root)
    assert "ZZZ" not in paths
    assert [iso3 for iso3, p in paths.items() if p.get("data-class")] == ["LBN"]


def test_legend_lists_every_label_then_no_data():
    labels = ["Under a quarter", "Up to half", "Up to three quarters", "Most"]
    _, root = render({}, labels=labels, legend_title="Share covered")
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "world-map-legend")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == ["Share covered", *labels, "No data"]
    swatches = [r.get("fill") for r in legend.iter(f"{SVG}rect")]
    assert swatches[-1] == NO_DATA_FILL
    assert [s[5:-1] for s in swatches[:-1]] == sorted(patterns(root))


def test_long_labels_move_the_legend_under_the_map():
    _, short = render({})
    _, long = render({}, labels=[f"A label far too long to sit beside South America, number {n}" for n in range(4)])
    short_height = float(short.get("viewBox").split()[3])
    assert float(long.get("viewBox").split()[3]) > short_height
    legend = next(g for g in long.iter(f"{SVG}g") if g.get("class") == "world-map-legend")
    assert min(float(t.get("y")) for t in legend.iter(f"{SVG}text")) > short_height


def test_it_parses_as_accessible_responsive_svg():
    _, root = render({"LBN": 0.3})
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("height") is None
    assert len(root.get("viewBox").split()) == 4
    ids = root.get("aria-labelledby").split()
    labelled = {e.get("id"): e.tag for e in root.iter() if e.get("id") in ids}
    assert labelled == {ids[0]: f"{SVG}title", ids[1]: f"{SVG}desc"}
    assert root.find(f"{SVG}title").text == "Attention gap"
    assert "Attention gap: 1 country with data" in root.find(f"{SVG}desc").text


def test_hostile_text_is_escaped():
    hostile = '<script>alert("x")</script> & co'
    svg, root = render(
        {"LBN": 0.1},
        title=hostile,
        legend_title=hostile,
        labels=[hostile, "b", "c", "d"],
        names={"LBN": hostile},
        link=lambda iso3: f'/states/{iso3}/?a=1&b="><script>',
    )
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == hostile
    anchor = next(a for a in root.iter(f"{SVG}a") if a.find(f"{SVG}path").get("data-iso3") == "LBN")
    assert anchor.find(f"{SVG}title").text == f"{hostile}: 0.1 ({hostile})"
    assert anchor.get("href") == '/states/LBN/?a=1&b="><script>'


def test_links_wrap_countries_and_unsafe_links_are_refused():
    _, root = render({"LBN": 0.3}, link=lambda iso3: "" if iso3 == "XKX" else f"/states/{iso3.lower()}/")
    anchors = {a.find(f"{SVG}path").get("data-iso3"): a.get("href") for a in root.iter(f"{SVG}a")}
    assert anchors["LBN"] == "/states/lbn/"
    assert "XKX" not in anchors and len(anchors) == len(map_iso3s()) - 1
    assert root.get("role") == "group"  # the links stay reachable by assistive technology
    with pytest.raises(ValueError, match="relative, http or https"):
        render({}, link=lambda iso3: "javascript:alert(1)")


@pytest.mark.parametrize(
    ("bins", "labels"),
    [([0.5, 1.0], ["one"]), ([0.5], ["one", "two"]), ([], []), ([1.0, 0.5], ["a", "b"]), ([0.5, 0.5], ["a", "b"])],
)
def test_bad_bins_raise(bins, labels):
    with pytest.raises(ValueError):
        render({}, bins=bins, labels=labels)


def test_whole_world_output_stays_small():
    values = {iso3: n / 200 for n, iso3 in enumerate(sorted(map_iso3s()))}
    svg, _ = render(values, link=lambda iso3: f"/states/{iso3}/")
    assert len(svg.encode()) < 300_000


def test_the_data_covers_the_world_without_antarctica():
    codes = map_iso3s()
    assert len(codes) > 170
    assert {"LBN", "LAO", "AFG", "SOM", "CYP", "XKX", "FJI", "RUS"} <= codes
    assert "ATA" not in codes
    assert all(len(c) == 3 and c.isupper() for c in codes)
    assert DATA.stat().st_size < 250_000
