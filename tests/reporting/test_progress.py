from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ccm.core.models import AuditEntry
from ccm.reporting import services
from ccm.reporting import services as reporting
from ccm.reporting.models import ProgressReport, ReportStatus
from tests.factories import NeedFactory, ObstacleFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def lebanon(lebanon_with_baseline):
    return lebanon_with_baseline


def test_an_editor_brings_in_a_year_through_the_page(lebanon):
    client = persona("state_editor").client()
    response = client.post(
        "/states/LBN/progress/new/",
        {
            "year": 2024,
            "cleared_m2": 1_200_000,
            "cancelled_m2": 300_000,
            "reduced_m2": "",
            "obstacles": "Access",
            "source": "Art 7 2024",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/states/LBN/progress/2024/"
    report = ProgressReport.objects.get(state=lebanon, year=2024)
    assert (report.land_released_m2, report.status, report.updated_by) == (
        1_500_000,
        "draft",
        persona("state_editor").user,
    )
    assert report.versions.get().changed == ["cancelled_m2", "cleared_m2", "obstacles", "source"]
    assert AuditEntry.objects.filter(action="progress_report.create", object_id=str(report.pk)).exists()
    profile = client.get("/states/LBN/profile/").context["profile"]
    assert profile.work[0].work.remaining == 8_500_000


def test_every_change_is_a_version_with_its_author(lebanon):
    editor = persona("state_editor").user
    services.progress_save(state=lebanon, year=2023, figures={"cleared_m2": 100}, actor=editor)
    services.progress_save(state=lebanon, year=2023, figures={"cleared_m2": 150}, actor=persona("state_manager").user)
    unchanged = services.progress_save(state=lebanon, year=2023, figures={"cleared_m2": 150}, actor=editor)
    report = ProgressReport.objects.get(state=lebanon, year=2023)
    assert unchanged.changed == [] and not unchanged.created
    versions = list(report.versions.order_by("number"))
    assert [(v.number, v.data["cleared_m2"], v.author.email) for v in versions] == [
        (1, 100, editor.email),
        (2, 150, persona("state_manager").user.email),
    ]


@pytest.mark.parametrize(
    ("year", "figures", "field", "message"),
    [
        (2024, {"cleared_m2": -5}, "cleared_m2", "cannot be negative"),
        (2024, {"cleared_m2": 10_000_001}, "cleared_m2", "more than what remains (10,000,000 m²)"),
        (2010, {"cleared_m2": 5}, "year", "before the Convention entered into force"),
        (2099, {"cleared_m2": 5}, "year", "has not begun"),
        (2024, {"national_resources": 100}, "national_resources_currency", "Give the currency"),
        (
            2024,
            {"national_resources": 100, "national_resources_currency": "XYZ"},
            "national_resources_currency",
            "ISO 4217",
        ),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_written(lebanon, year, figures, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.progress_save(state=lebanon, year=year, figures=figures, actor=None)
    assert any(message in m for m in excinfo.value.message_dict[field])
    assert not ProgressReport.objects.filter(state=lebanon).exists()


def test_released_area_is_checked_against_what_other_years_left(lebanon):
    services.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 9_000_000}, actor=None)
    with pytest.raises(ValidationError, match="1,000,000"):
        services.progress_save(state=lebanon, year=2023, figures={"cleared_m2": 1_000_001}, actor=None)


def test_changing_published_figures_is_kept_but_flagged_for_review(lebanon):
    report = services.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 1_000}, actor=None).report
    services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    result = services.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 800}, actor=None)
    report.refresh_from_db()
    assert report.needs_review and "Cleared: 1,000 m² → 800 m²" in report.review_reason
    assert report.status == "submitted"  # not public again until a manager publishes it
    assert report.cleared_m2 == 800 and result.changed == ["cleared_m2"]
    services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    report.refresh_from_db()
    assert not report.needs_review


def test_status_follows_draft_submitted_published(lebanon):
    report = services.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 1}, actor=None).report
    with pytest.raises(ValidationError, match="draft report cannot become published"):
        services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)


def test_a_viewer_and_a_coordinator_read_but_cannot_publish(lebanon):
    report = services.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 1}, actor=None).report
    services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    for name in ("state_viewer", "coordinator", "state_editor"):
        client = persona(name).client()
        assert client.get("/states/LBN/progress/2022/").status_code == 200
        assert client.post("/states/LBN/progress/2022/status/", {"status": "published"}).status_code == 403
    assert (
        persona("state_manager").client().post("/states/LBN/progress/2022/status/", {"status": "published"}).status_code
        == 302
    )
    assert ProgressReport.objects.get(pk=report.pk).status == "published"


def test_drafts_are_hidden_from_everyone_outside_the_state_and_figures_use_them_for_editors_only(lebanon):
    services.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 1}, actor=None)
    assert persona("other_state_manager").client().get("/states/LBN/progress/2022/").status_code == 404
    assert persona("anonymous").client().get("/api/v1/states/LBN/progress/").json()["count"] == 0
    # the State's viewer may open the draft's page, but figures without edit rights are published ones
    assert persona("state_viewer").client().get("/states/LBN/progress/2022/").status_code == 200
    assert persona("state_viewer").client().get("/api/v1/states/LBN/progress/").json()["count"] == 0
    assert persona("state_editor").client().get("/api/v1/states/LBN/progress/").json()["count"] == 1


def test_newly_found_work_is_an_addition_not_an_overwrite(lebanon):
    obligation = lebanon.obligations.get(kind="clearance")
    with pytest.raises(ValidationError, match="addition"):
        services.baseline_add(
            obligation=obligation, kind="baseline", recorded_on=date(2020, 1, 1), cha_m2=5, source="x", actor=None
        )
    services.baseline_add(
        obligation=obligation,
        kind="addition",
        recorded_on=date(2021, 6, 1),
        sha_m2=500_000,
        source="survey",
        actor=None,
    )
    assert obligation.baseline_figures.get(kind="baseline").cha_m2 == 10_000_000
    remaining = persona("anonymous").client().get("/api/v1/states/LBN/remaining/").json()
    assert remaining[0]["baseline"] == 10_000_000 and remaining[0]["additions"] == 500_000


def test_the_profile_runs_a_bounded_number_of_queries(lebanon, django_assert_max_num_queries):
    for year in range(2016, 2024):
        services.progress_save(state=lebanon, year=year, figures={"cleared_m2": 10_000}, actor=None)
    for index in range(6):
        NeedFactory(
            state=lebanon, title=f"Need {index}", amount=1000, obligation=lebanon.obligations.get(kind="clearance")
        )
        ObstacleFactory(state=lebanon, observed_on=date(2024, 1, 1))
    client = persona("state_editor").client()
    client.get("/states/LBN/profile/")
    with django_assert_max_num_queries(26):  # with the funding figures (flows, needs, plans: a fixed few)
        response = client.get("/states/LBN/profile/")
    assert len(response.context["profile"].reports) == 8
    assert len(response.context["needs"]) == 6 and len(response.context["obstacles"]) == 6
    html = response.content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html


def test_changed_published_figures_stay_public_as_published_until_published_again(lebanon):
    report = reporting.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 100}, actor=None).report
    reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    reporting.progress_save(state=lebanon, year=2022, figures={"cleared_m2": 424242}, actor=None)
    report.refresh_from_db()
    assert report.status == "submitted" and report.needs_review
    rows = persona("anonymous").client().get("/api/v1/states/LBN/progress/").json()["results"]
    assert [(r["cleared_m2"], r["status"], r["correction_under_review"]) for r in rows] == [(100, "published", True)]
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    assert (
        persona("anonymous").client().get("/api/v1/states/LBN/progress/").json()["results"][0]["cleared_m2"] == 424242
    )
