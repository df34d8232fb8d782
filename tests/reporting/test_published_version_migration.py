"""The migration that adds ``ProgressReport.published_version`` points each report at its newest
published version: a year corrected after publication (the old code sent it back to "submitted") gets
its published figures back in public; a year published before versions were kept gets a version."""

import pytest

from tests.migrations import migrate, migrate_to_latest, start_from_reference

BEFORE = [("reporting", "0005_amounts_in_cents")]
AFTER = [("reporting", "0006_progress_published_version")]


@pytest.mark.django_db(transaction=True)
def test_each_report_gets_its_newest_published_version():
    start_from_reference()  # a transactional test may start from an emptied database
    try:
        old_apps = migrate(BEFORE)
        lebanon = old_apps.get_model("states", "State").objects.get(iso3="LBN")
        Report = old_apps.get_model("reporting", "ProgressReport")
        Version = old_apps.get_model("reporting", "ProgressReportVersion")
        corrected = Report.objects.create(
            state=lebanon, year=2021, status="submitted", cleared_m2=800, needs_review=True
        )
        for number, status, cleared in (
            (1, "draft", 1000),
            (2, "submitted", 1000),
            (3, "published", 1000),
            (4, "submitted", 800),
        ):
            Version.objects.create(
                report=corrected, number=number, status=status, data={"cleared_m2": cleared}, changed=[]
            )
        unversioned = Report.objects.create(state=lebanon, year=2020, status="published", cleared_m2=500)
        draft = Report.objects.create(state=lebanon, year=2022, status="draft", cleared_m2=5)
        Version.objects.create(report=draft, number=1, status="draft", data={"cleared_m2": 5}, changed=[])

        new_apps = migrate(AFTER)
        Report = new_apps.get_model("reporting", "ProgressReport")
        Version = new_apps.get_model("reporting", "ProgressReportVersion")
        assert Version.objects.get(pk=Report.objects.get(pk=corrected.pk).published_version_id).number == 3
        made = Version.objects.get(pk=Report.objects.get(pk=unversioned.pk).published_version_id)
        assert (made.number, made.status, made.data["cleared_m2"]) == (1, "published", 500)
        assert Report.objects.get(pk=draft.pk).published_version_id is None
    finally:
        migrate_to_latest()
