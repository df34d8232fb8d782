"""Template filters for charts, added to the shared ``ccm`` template library (see ReportingConfig.ready)."""

from django.utils.safestring import mark_safe

from ccm.core.templatetags.ccm import register
from ccm.reporting.charts import LineChart, responsive_svg


@register.filter
def svg_chart(chart: object, element_id: str = "chart") -> str:
    """Inline, accessible SVG for a ``LineChart``, drawn for wide and narrow screens (every text is escaped
    by ``to_svg``)."""
    if not isinstance(chart, LineChart):
        return ""
    return mark_safe(responsive_svg(chart, element_id=f"chart-{element_id}"))  # noqa: S308 - escaped by to_svg
