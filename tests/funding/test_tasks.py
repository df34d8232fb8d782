"""IATI uploads from the page run as a background job: progress, then the report; check-only says 'would'."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core import tasks
from ccm.core.task_models import Job, JobStatus
from ccm.funding.models import FundingFlow
from tests.personas import persona

pytestmark = pytest.mark.django_db

ACTIVITY = (
    b'<?xml version="1.0"?><iati-activities version="2.03"><iati-activity default-currency="EUR">'
    b'<iati-identifier>XM-TASK-1</iati-identifier><reporting-org ref="XM-DONOR"/>'
    b'<participating-org ref="XM-DONOR" role="1"/><sector code="15250" percentage="100"/>'
    b'<recipient-country code="LB"/><transaction><transaction-type code="3"/>'
    b'<transaction-date iso-date="2021-01-05"/><value value-date="2021-01-05">1000</value></transaction>'
    b"</iati-activity></iati-activities>"
)


def _upload(client, dry_run, capture):
    with capture(execute=True):
        response = client.post(
            "/funding/iati/", {"file": SimpleUploadedFile("mine.xml", ACTIVITY), "dry_run": "on" if dry_run else ""}
        )
    assert response.status_code == 302
    return response["Location"]


def test_a_check_only_upload_says_what_would_be_created_and_writes_nothing(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CCM_TASK_FILES_DIR = tmp_path
    client = persona("coordinator").client()
    page = client.get(_upload(client, True, django_capture_on_commit_callbacks))
    report = page.context["report"]
    assert report["dry_run"] and report["counts"]["flows_would_be_created"] == 1
    assert "flows_created" not in report["counts"]
    text = page.content.decode()
    assert "Flows that would be created" in text and "Flows created" not in text and "nothing was written" in text
    assert not FundingFlow.objects.exists()
    assert report["totals"]["by_recipient"]["LBN"]["EUR"] == "1000.00"  # totals of the one pass
    assert list(tmp_path.rglob("*.xml")) == []  # the stored upload is removed once imported
    assert "Refresh" not in page


def test_an_upload_page_reloads_until_done_and_then_shows_the_report(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CCM_TASK_FILES_DIR = tmp_path
    client = persona("coordinator").client()
    with django_capture_on_commit_callbacks(execute=False):
        queued = client.post("/funding/iati/", {"file": SimpleUploadedFile("mine.xml", ACTIVITY)})
    waiting = client.get(queued["Location"])
    assert waiting["Refresh"] == "3" and "Queued" in waiting.content.decode().title()
    assert len(list(tmp_path.rglob("*.xml"))) == 1  # stored outside the web root until the task runs
    job = Job.objects.get(name="funding.iati_import")
    assert tasks.execute(job.pk) == "done"
    done = client.get(queued["Location"])
    assert done.context["report"]["counts"]["flows_created"] == 1 and FundingFlow.objects.count() == 1
    assert tasks.execute(job.pk) == "done" and FundingFlow.objects.count() == 1  # a retry writes nothing twice


def test_a_failed_upload_shows_its_error(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.CCM_TASK_FILES_DIR = tmp_path
    client = persona("coordinator").client()
    with django_capture_on_commit_callbacks(execute=False):
        queued = client.post("/funding/iati/", {"file": SimpleUploadedFile("mine.xml", ACTIVITY)})
    for stored in tmp_path.rglob("*.xml"):
        stored.unlink()
    job = Job.objects.get(name="funding.iati_import")
    with pytest.raises(FileNotFoundError):
        tasks.execute(job.pk)
    page = client.get(queued["Location"])
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert "The import failed" in page.content.decode() and "mine.xml is no longer stored" in page.content.decode()


def test_the_import_reports_its_progress_as_it_reads(tmp_path, monkeypatch):
    from ccm.funding import iati_import

    monkeypatch.setattr(iati_import, "PROGRESS_EVERY", 1)
    path = tmp_path / "one.xml"
    path.write_bytes(ACTIVITY)
    calls = []
    iati_import.import_iati(paths=[str(path)], actor=None, progress=lambda *args: calls.append(args))
    assert calls == [(0, 1, 0), (0, 1, 1)]


RICH = (
    b'<?xml version="1.0"?><iati-activities version="2.03"><iati-activity default-currency="EUR">'
    b'<iati-identifier>XM-RICH-1</iati-identifier><reporting-org ref="XM-DONOR"/>'
    b'<participating-org ref="XM-DONOR" role="1"/><sector code="15250" percentage="100"/>'
    b'<recipient-country code="LA"/>'
    b'<transaction><transaction-type code="3"/><value value-date="2021-01-05">1234567.5</value></transaction>'
    b'<transaction><transaction-type code="3"/><value value-date="2021-02-05">-1000</value></transaction>'
    b'<transaction><transaction-type code="2"/><value value-date="2021-01-05">0</value></transaction>'
    b'<transaction><transaction-type code="1"/><value value-date="2021-01-05">50</value></transaction>'
    b"</iati-activity></iati-activities>"
)


def test_the_report_is_a_page_in_words_with_the_json_as_a_download(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CCM_TASK_FILES_DIR = tmp_path
    client = persona("coordinator").client()
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/funding/iati/", {"file": SimpleUploadedFile("rich.xml", RICH), "dry_run": "on"})
    page = client.get(queued["Location"])
    text = page.content.decode()
    for words in (
        "Lao People&#x27;s Democratic Republic",  # the recipient by name
        "Disbursement",  # the stage by its label
        "1,233,567.50",  # 1,234,567.50 - 1,000: the reversal netted, with thousands separators
        "Transactions not counted",
        "the value is zero",
        "incoming funds (type 1)",
        "Reversals netted",
        "Download the full report (JSON)",
    ):
        assert words in text, words
    for key in ("files_refused", "activities_read", "transactions_read", "by_recipient", "skip_summary", "LAO"):
        assert key not in text, key
    download = client.get(page.context["job"].pk and f"/funding/iati/jobs/{page.context['job'].pk}/report.json")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    report = download.json()
    assert report["counts"]["transactions_skipped"] == 2 and report["counts"]["reversals"] == 1
    row = report["totals"]["by_recipient_stage_currency"][0]
    assert (row["recipient"], row["stage"], row["currency"], row["amount"]) == (
        "LAO",
        "disbursement",
        "EUR",
        "1233567.50",
    )


def test_the_json_download_is_for_coordinators_and_finished_jobs_only():
    job = Job.objects.create(name="funding.iati_import", label="x.xml", status=JobStatus.QUEUED)
    url = f"/funding/iati/jobs/{job.pk}/report.json"
    assert persona("coordinator").client().get(url).status_code == 404  # not finished: no report yet
    job.status, job.report = JobStatus.DONE, {"counts": {"files": 1}}
    job.save()
    assert persona("coordinator").client().get(url).json() == {"counts": {"files": 1}}
    assert persona("state_editor").client().get(url).status_code == 404
