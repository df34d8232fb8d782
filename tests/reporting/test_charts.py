"""Charts (ccm.reporting.charts): readable without colour, with a text equivalent."""

import pytest

from ccm.reporting.charts import LineChart, Series, to_png, to_svg

pytestmark = pytest.mark.django_db


def test_a_chart_reads_without_colour_and_has_a_text_equivalent():
    chart = LineChart(
        "Remaining",
        "Fell from 10 to 2",
        "m²",
        [
            Series("Reported", [(2020.0, 10.0), (2021.0, 6.0), (2022.0, 2.0)]),
            Series("Straight line", [(2022.0, 2.0), (2026.0, 0.0)], style="dashed", marker=None),
            Series("Plan", [(2022.0, 2.0), (2023.0, 1.0)], style="dotted", marker="triangle"),
        ],
    )
    svg = to_svg(chart, "c1")
    assert 'role="img"' in svg and '<title id="c1-title">Remaining</title>' in svg
    assert '<desc id="c1-desc">Fell from 10 to 2</desc>' in svg
    assert 'stroke-dasharray="8 5"' in svg and 'stroke-dasharray="2 4"' in svg  # told apart by line pattern
    assert "<polygon" in svg  # and by marker shape
    assert to_png(chart).startswith(b"\x89PNG")
    assert "<script" not in to_svg(LineChart("<script>x</script>", "d", "u"))


def test_pages_get_a_wide_and_a_narrow_drawing_with_readable_text():
    import re

    from ccm.reporting.charts import NARROW, WIDE, bar_svg, responsive_svg

    chart = LineChart("Work remaining", "d", "m²", [Series("Remaining", [(2015, 16_300_000), (2022, 5_230_000)])])
    html = responsive_svg(chart, "c")
    assert html.count("<svg") == 2 and 'class="chart-wide"' in html and 'class="chart-narrow"' in html
    narrow = html[html.index('class="chart-narrow"') :]
    assert f'viewBox="0 0 {NARROW.width} {NARROW.height}"' in narrow
    # Narrow is drawn at about 1x on a 390 px phone, wide at 1.2x from 48 rem: both read at 12 px or more
    assert min(int(s) for s in re.findall(r'font-size="(\d+)"', narrow)) >= 12
    wide = html[: html.index('class="chart-narrow"')]
    assert min(int(s) for s in re.findall(r'font-size="(\d+)"', wide)) * 1.2 >= 12 and WIDE.width == 640
    assert (
        "15M" in narrow and "20M" in narrow and "20,000,000" not in narrow
    )  # large axis values shortened to fit a phone
    bars = bar_svg("Coverage", "d", [("Lebanon", 0.09), ("Chad", 0.0)])
    assert bars.count("<svg") == 2 and bars.count("Lebanon") == 2
