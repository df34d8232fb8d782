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
