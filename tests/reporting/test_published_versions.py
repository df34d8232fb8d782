"""Published figures stay published (issue 10 part 4; issue 12 version wording).

A correction to a published year is a new version awaiting review: every reader without edit rights
keeps the last published version on every surface (profile, year page, chart, Country Brief, API,
exports) until a manager publishes the correction; the State's editors see the correction. A plan's
audience is the audience of its version in force.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from ccm.core.clock import today
from ccm.reporting import selectors, services
from ccm.reporting.models import ProgressReport, ReportStatus
from tests.personas import persona

pytestmark = pytest.mark.django_db

PUBLISHED_CLEARED, CORRECTED_CLEARED = 1_000_000, 1_500_000
PUBLISHED_REMAINING, CORRECTED_REMAINING = 9_000_000, 8_500_000  # baseline 10 km²
WITHOUT_EDIT_RIGHTS = ["anonymous", "outsider", "state_viewer", "other_state_manager", "coordinator"]
EDITORS = ["state_editor", "state_manager"]


@pytest.fixture
def corrected(lebanon_with_baseline):
    """Lebanon 2022 published with 1,000,000 m² cleared, then corrected to 1,500,000 m² (with a new
    obstacle text) by the State's editor: the correction awaits review."""
    state = lebanon_with_baseline
    report = services.progress_save(
        state=state,
        year=2022,
        figures={"cleared_m2": PUBLISHED_CLEARED, "obstacles": "PUBLISHED-TEXT", "source": "Art 7 2022"},
        actor=persona("state_editor").user,
    ).report
    services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=persona("state_editor").user)
    services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=persona("state_manager").user)
    services.progress_save(
        state=state,
        year=2022,
        figures={"cleared_m2": CORRECTED_CLEARED, "obstacles": "DRAFT-CORRECTION-TEXT"},
        actor=persona("state_editor").user,
    )
    return ProgressReport.objects.get(state=state, year=2022)


def _publish(report):
    services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=persona("state_manager").user)


def _remaining_api(name):
    return persona(name).client().get("/api/v1/states/LBN/remaining/").json()[0]["remaining"]


def _progress_api(name):
    return persona(name).client().get("/api/v1/states/LBN/progress/").json()["results"]


def _profile(name):
    response = persona(name).client().get("/states/LBN/profile/")
    assert response.status_code == 200
    return response


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- The rule, on every surface, for each kind of reader ------------------------------------------


@pytest.mark.parametrize("name", WITHOUT_EDIT_RIGHTS)
def test_a_reader_without_edit_rights_keeps_the_published_figures_everywhere(corrected, name):
    assert corrected.status == ReportStatus.SUBMITTED and corrected.cleared_m2 == CORRECTED_CLEARED
    # API: the year and the remaining work
    rows = _progress_api(name)
    assert [(r["year"], r["cleared_m2"], r["status"], r["correction_under_review"]) for r in rows] == [
        (2022, PUBLISHED_CLEARED, "published", True)
    ]
    assert rows[0]["obstacles"] == "PUBLISHED-TEXT" and rows[0]["needs_review"] is False
    assert _remaining_api(name) == PUBLISHED_REMAINING
    # the profile: remaining work, pace, the chart and its table, the year's row
    response = _profile(name)
    work = response.context["profile"].work[0]
    assert work.work.remaining == PUBLISHED_REMAINING and work.releases == {2022: PUBLISHED_CLEARED}
    assert work.chart().series[0].points[-1] == (2022.0, float(PUBLISHED_REMAINING))
    html = response.content.decode()
    assert "9,000,000" in html and "8,500,000" not in html and "1,500,000" not in html
    assert "a correction is under review" in html and "DRAFT-CORRECTION-TEXT" not in html
    # the year page: the published figures, the notice, and no word of the correction
    page = persona(name).client().get("/states/LBN/progress/2022/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1,000,000" in text and "1,500,000" not in text and "DRAFT-CORRECTION-TEXT" not in text
    assert "A correction is under review." in text and "Flagged for review" not in text
    # the Country Brief, both formats
    pdf = _pdf_text(persona(name).client().get("/states/LBN/brief.pdf").content)
    assert "9,000,000 m² remaining" in pdf and "8,500,000" not in pdf and "DRAFT-CORRECTION-TEXT" not in pdf
    docx = _docx_text(persona(name).client().get("/states/LBN/brief.docx").content)
    assert "1,000,000" in docx and "1,500,000" not in docx and "DRAFT-CORRECTION-TEXT" not in docx
    assert "Published; a correction is under review" in docx


@pytest.mark.parametrize("name", EDITORS)
def test_the_states_editors_see_the_correction_everywhere(corrected, name):
    rows = _progress_api(name)
    assert [(r["cleared_m2"], r["status"], r["correction_under_review"], r["needs_review"]) for r in rows] == [
        (CORRECTED_CLEARED, "submitted", True, True)
    ]
    assert _remaining_api(name) == CORRECTED_REMAINING
    response = _profile(name)
    assert response.context["profile"].work[0].work.remaining == CORRECTED_REMAINING
    assert "8,500,000" in response.content.decode()
    text = persona(name).client().get("/states/LBN/progress/2022/").content.decode()
    assert "1,500,000" in text and "Cleared: 1,000,000 m² → 1,500,000 m²" in text
    assert "readers without edit rights see the published version" in text
    pdf = _pdf_text(persona(name).client().get("/states/LBN/brief.pdf").content)
    assert "8,500,000 m² remaining" in pdf and "DRAFT-CORRECTION-TEXT" in pdf
    # the workbook export they fill in holds the working figures
    workbook = persona(name).client().get("/states/LBN/workbook.xlsx")
    assert workbook.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.content))["Progress"]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert CORRECTED_CLEARED in values and PUBLISHED_CLEARED not in values


@pytest.mark.parametrize("name", ["anonymous", "outsider", "state_viewer", "state_editor"])
def test_once_published_the_correction_is_what_everyone_sees(corrected, name):
    _publish(corrected)
    assert _remaining_api(name) == CORRECTED_REMAINING
    assert [(r["cleared_m2"], r["correction_under_review"]) for r in _progress_api(name)] == [
        (CORRECTED_CLEARED, False)
    ]
    assert _profile(name).context["profile"].work[0].work.remaining == CORRECTED_REMAINING
    pdf = _pdf_text(persona(name).client().get("/states/LBN/brief.pdf").content)
    assert "8,500,000 m² remaining" in pdf


def test_the_state_page_never_carries_the_correction(corrected):
    for name in ("anonymous", "outsider"):
        text = persona(name).client().get("/states/LBN/").content.decode()
        assert "1,500,000" not in text and "DRAFT-CORRECTION-TEXT" not in text


def test_a_correction_sent_back_to_draft_keeps_the_published_version_public(corrected):
    services.progress_set_status(report=corrected, status=ReportStatus.DRAFT, actor=persona("state_editor").user)
    assert _remaining_api("anonymous") == PUBLISHED_REMAINING
    assert _remaining_api("state_editor") == CORRECTED_REMAINING
    # and editing it again still compares with what is published
    services.progress_save(
        state=corrected.state, year=2022, figures={"cleared_m2": 1_200_000}, actor=persona("state_editor").user
    )
    corrected.refresh_from_db()
    assert corrected.review_reason.endswith(
        "Cleared: 1,000,000 m² → 1,200,000 m²; Obstacles: “PUBLISHED-TEXT” → “DRAFT-CORRECTION-TEXT”"
    )
    assert _remaining_api("anonymous") == PUBLISHED_REMAINING


def test_a_year_never_published_is_in_no_public_figure(lebanon_with_baseline):
    services.progress_save(state=lebanon_with_baseline, year=2023, figures={"cleared_m2": 5}, actor=None)
    assert _remaining_api("anonymous") == 10_000_000 and _remaining_api("state_editor") == 9_999_995
    assert persona("anonymous").client().get("/states/LBN/progress/2023/").status_code == 404


def test_the_published_copy_is_for_reading_only(corrected):
    copy = selectors.year_shown(corrected, user=persona("anonymous").user)
    assert copy is not None and copy.cleared_m2 == PUBLISHED_CLEARED and copy.correction_under_review
    with pytest.raises(TypeError):
        copy.save()
    assert ProgressReport.objects.get(pk=corrected.pk).cleared_m2 == CORRECTED_CLEARED
    assert selectors.year_shown(corrected, user=persona("state_editor").user) is corrected


def test_the_profile_reads_published_versions_in_a_bounded_number_of_queries(
    lebanon_with_baseline, django_assert_max_num_queries
):
    for year in range(2016, 2024):
        report = services.progress_save(
            state=lebanon_with_baseline, year=year, figures={"cleared_m2": 10_000}, actor=None
        ).report
        services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
        services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
        services.progress_save(state=lebanon_with_baseline, year=year, figures={"cleared_m2": 20_000}, actor=None)
    client = persona("outsider").client()
    client.get("/states/LBN/profile/")
    # 20 before the victim-assistance section and the Article 7 draft link (issue 17); none per year.
    with django_assert_max_num_queries(22):
        response = client.get("/states/LBN/profile/")
    assert [r.cleared_m2 for r in response.context["profile"].reports] == [10_000] * 8
    with django_assert_max_num_queries(8):
        rows = persona("anonymous").client().get("/api/v1/states/LBN/progress/").json()["results"]
    assert {r["cleared_m2"] for r in rows} == {10_000}


# --- Version histories: published versions only in public, changes in words ------------------------


def test_the_public_history_lists_published_versions_only_in_words_without_names(corrected):
    _publish(corrected)
    services.progress_save(
        state=corrected.state, year=2022, figures={"cleared_m2": 1_700_000}, actor=persona("state_editor").user
    )  # a second correction, not published
    text = persona("anonymous").client().get("/states/LBN/progress/2022/").content.decode()
    history = text[text.index("Published versions") :]
    rows = re.findall(r"<tr><th scope=\"row\">(\d+)</th>", history)
    published = list(corrected.versions.filter(status="published").order_by("-number").values_list("number", flat=True))
    assert [int(n) for n in rows] == published and len(published) == 2
    assert "Cleared: 1,000,000 m²" in history and "Cleared: 1,000,000 m² → 1,500,000 m²" in history
    assert "1,700,000" not in text and "Submitted" not in history and "Draft" not in history
    assert "cleared_m2" not in text and "status: —" not in text
    for name in ("state_editor", "state_manager"):  # the officials' names
        assert persona(name).user.get_full_name() not in text
    signed_in = persona("outsider").client().get("/states/LBN/progress/2022/").content.decode()
    assert persona("state_manager").user.get_full_name() in signed_in and "1,700,000" not in signed_in


def test_the_editors_history_lists_every_version_in_words(corrected):
    text = persona("state_editor").client().get("/states/LBN/progress/2022/").content.decode()
    history = text[text.index("What changed") :]
    assert "Status: Draft → Submitted" in history and "Status: Submitted → Published" in history
    assert "Status: Published → Submitted" in history
    assert "Obstacles: “PUBLISHED-TEXT” → “DRAFT-CORRECTION-TEXT”" in history
    assert "cleared_m2" not in text and "<code>" not in history


def test_values_are_formatted_with_labels_units_and_separators():
    assert selectors.describe_changes({"cleared_m2": 50000}, {"cleared_m2": 60000}) == [
        "Cleared: 50,000 m² → 60,000 m²"
    ]
    assert selectors.describe_changes(
        {"national_resources": None, "national_resources_currency": ""},
        {"national_resources": "1200000.00", "national_resources_currency": "USD"},
    ) == ["National resources allocated: not given → 1,200,000 USD", "Currency of national resources: not given → USD"]
    assert selectors.describe_changes({"status": "draft"}, {"status": "submitted"}) == ["Status: Draft → Submitted"]
    assert selectors.describe_changes({"reduced_m2": 5}, {"reduced_m2": 5}) == []
    long = "x" * 200
    assert selectors.describe_changes({}, {"obstacles": long})[0].endswith("…”")


# --- Plans: the audience of the version in force is the audience of every version ----------------


def _plan(state, target, visibility):
    plan, _ = services.plan_save(
        obligation=state.obligations.get(kind="clearance"),
        currency="USD",
        visibility=visibility,
        actor=None,
        note=f"PLAN-{target}",
        years=[{"year": today().year + 1, "target_output": target, "cost": Decimal(target), "national_funding": 0}],
    )
    services.plan_approve(plan=plan, actor=None)
    return plan


@pytest.fixture
def restricted_plan(lebanon_with_baseline):
    """Version 1 approved for everyone; version 2, approved later, kept to the State's government."""
    _plan(lebanon_with_baseline, 1_111_111, "public")
    _plan(lebanon_with_baseline, 2_222_222, "organisation")
    return lebanon_with_baseline


@pytest.mark.parametrize("name", ["anonymous", "outsider", "other_state_manager"])
def test_a_reader_who_may_not_see_the_plan_in_force_gets_no_older_version(restricted_plan, name):
    client = persona(name).client()
    profile = client.get("/states/LBN/profile/")
    assert profile.context["profile"].work[0].plan is None
    assert "1,111,111" not in profile.content.decode() and "Plan in force" not in profile.content.decode()
    page = client.get("/states/LBN/plans/clearance/").content.decode()
    assert "1,111,111" not in page and "in force" not in page and "No plan visible to you." in page
    assert client.get("/api/v1/states/LBN/plans/").json()["count"] == 0
    assert "1,111,111" not in _pdf_text(client.get("/states/LBN/brief.pdf").content)
    cells = client.get("/api/v1/coverage/", {"state": "LBN"}).json()
    assert cells == []  # no requirement from an older plan
    export = client.get("/funding/coverage.csv").content.decode()
    assert not [row for row in csv.reader(io.StringIO(export)) if "LBN" in row]


@pytest.mark.parametrize("name", ["state_viewer", "state_editor", "coordinator"])
def test_the_plans_audience_sees_the_newest_approved_in_force(restricted_plan, name):
    client = persona(name).client()
    plan = client.get("/states/LBN/profile/").context["profile"].work[0].plan
    assert plan is not None and plan.version == 2
    versions = [(p["version"], p["status"]) for p in client.get("/api/v1/states/LBN/plans/").json()["results"]]
    assert versions == [(2, "approved"), (1, "approved")]
    cells = client.get("/api/v1/coverage/", {"state": "LBN"}).json()
    assert [Decimal(c["required"]) for c in cells] == [Decimal("2222222")]


def test_a_public_plan_in_force_shows_its_older_approved_versions_but_no_draft(lebanon_with_baseline):
    _plan(lebanon_with_baseline, 1_111_111, "public")
    _plan(lebanon_with_baseline, 2_222_222, "public")
    services.plan_save(
        obligation=lebanon_with_baseline.obligations.get(kind="clearance"),
        currency="USD",
        actor=None,
        note="DRAFT-PLAN-NOTE",
        years=[{"year": today().year + 1, "target_output": 3_333_333, "cost": 1}],
    )
    client = persona("anonymous").client()
    assert [p["version"] for p in client.get("/api/v1/states/LBN/plans/").json()["results"]] == [2, 1]
    page = client.get("/states/LBN/plans/clearance/").content.decode()
    assert "DRAFT-PLAN-NOTE" not in page and "3,333,333" not in page and "Written by" not in page
    assert client.get("/states/LBN/profile/").context["profile"].work[0].plan.version == 2
    assert "Written by" in persona("outsider").client().get("/states/LBN/plans/clearance/").content.decode()
