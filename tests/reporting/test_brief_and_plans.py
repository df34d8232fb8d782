import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from pypdf import PdfReader

from ccm.reporting import services
from ccm.reporting.charts import LineChart, Series, to_png, to_svg
from ccm.reporting.models import ReportStatus
from ccm.reporting.selectors import plan_in_force
from ccm.states.models import State
from tests.personas import persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def lebanon():
    state = State.objects.get(iso3="LBN")
    obligation = state.obligations.get(kind="clearance")
    services.baseline_add(
        obligation=obligation,
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=10_000_000,
        source="test",
        actor=None,
    )
    published = services.progress_save(
        state=state, year=2021, figures={"cleared_m2": 1_000_000, "obstacles": "PUBLISHED-OBSTACLE"}, actor=None
    )
    services.progress_set_status(report=published.report, status=ReportStatus.SUBMITTED, actor=None)
    services.progress_set_status(report=published.report, status=ReportStatus.PUBLISHED, actor=None)
    services.progress_save(
        state=state, year=2022, figures={"cleared_m2": 2_000_000, "obstacles": "DRAFT-OBSTACLE"}, actor=None
    )
    plan, _ = services.plan_save(
        obligation=obligation,
        currency="USD",
        actor=None,
        visibility="organisation",
        years=[
            {
                "year": 2027,
                "target_output": 3_000_000,
                "cost": Decimal("9000000"),
                "national_funding": Decimal("1000000"),
            }
        ],
    )
    services.plan_approve(plan=plan, actor=None)
    return state


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_brief_holds_only_what_the_reader_may_see(lebanon):
    public = persona("anonymous").client().get("/states/LBN/brief.pdf")
    assert public["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(public.content)
    assert 1 <= pages <= 4
    assert "Country Brief: Lebanon" in text and "PUBLISHED-OBSTACLE" in text
    assert "DRAFT-OBSTACLE" not in text and "8,000,000" not in text  # the gap of a restricted plan
    own = persona("state_viewer").client().get("/states/LBN/brief.pdf")
    pages, text = _pdf_text(own.content)
    assert 2 <= pages <= 4
    assert "DRAFT-OBSTACLE" in text and "8,000,000" in text and "7,000,000 m² remaining" in text


def test_the_docx_brief_opens_and_carries_the_chart(lebanon):
    response = persona("state_editor").client().get("/states/LBN/brief.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Country Brief: Lebanon" in document.core_properties.title
    assert "DRAFT-OBSTACLE" in text
    assert len(document.inline_shapes) == 1  # the remaining-work chart
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "8,000,000" in cells


def test_plan_versions_are_kept_and_the_newest_approved_is_in_force(lebanon):
    obligation = lebanon.obligations.get(kind="clearance")
    years = [
        {"year": 2027, "target_output": 3_000_000, "cost": Decimal("9000000"), "national_funding": Decimal("1000000")}
    ]
    same, created = services.plan_save(obligation=obligation, currency="usd", actor=None, years=years)
    assert not created and same.version == 1
    draft, created = services.plan_save(
        obligation=obligation, currency="USD", actor=None, years=[*years, {"year": 2028, "target_output": 1, "cost": 1}]
    )
    assert created and draft.version == 2
    plans = list(obligation.plans.all())
    assert plan_in_force(plans).version == 1
    services.plan_approve(plan=draft, actor=None)
    assert plan_in_force(list(obligation.plans.all())).version == 2
    with pytest.raises(ValidationError, match="appears twice"):
        services.plan_save(obligation=obligation, currency="USD", actor=None, years=[years[0], years[0]])


def test_only_a_manager_approves(lebanon):
    obligation = lebanon.obligations.get(kind="clearance")
    draft, _ = services.plan_save(
        obligation=obligation, currency="USD", actor=None, years=[{"year": 2029, "target_output": 1, "cost": 1}]
    )
    assert persona("state_editor").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 403
    assert persona("coordinator").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 403
    assert persona("other_state_manager").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 404
    assert persona("state_manager").client().post(f"/states/LBN/plans/{draft.pk}/approve/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"


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
