"""A large spreadsheet is applied by a background task; the import page follows the job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ccm.core.imports import check_import, pending_job
from ccm.core.models import ImportStatus, SpreadsheetImport
from ccm.core.task_models import Job
from ccm.needs.models import Need
from ccm.states.models import State
from tests.personas import persona

pytestmark = pytest.mark.django_db

NEEDS = (
    b"title,pillar,modality,description,amount,currency\n"
    b"Survey teams,survey,financial,Two teams,250000,USD\n"
    b"Clearance teams,clearance,financial,Four teams,900000,USD\n"
    b"Risk education,risk_education,financial,Schools,50000,USD\n"
)


def _checked(editor):
    lebanon = State.objects.get(iso3="LBN")
    record = check_import("needs", upload=SimpleUploadedFile("needs.csv", NEEDS), actor=editor.user, state=lebanon)
    assert record.status == ImportStatus.READY and len(record.changes) == 3
    return record


@override_settings(CCM_TASK_APPLY_ABOVE_ROWS=2)
def test_a_file_above_the_threshold_is_applied_by_a_task_and_the_page_follows_it(
    django_capture_on_commit_callbacks,
):
    editor = persona("state_editor")
    record = _checked(editor)
    client = editor.client()
    url = f"/needs/import/LBN/{record.pk}/"
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    record.refresh_from_db()
    job = pending_job(record)
    assert job is not None and job.name == "core.apply_import" and job.arguments["import_id"] == record.pk
    assert Need.objects.filter(title__in=["Survey teams", "Clearance teams"]).count() == 0  # not yet
    page = client.get(url)
    assert page["Refresh"] == "5" and "Being applied in the background" in page.content.decode()
    assert client.post(url).status_code == 200  # a second click does not start a second job
    assert Job.objects.filter(name="core.apply_import").count() == 1

    for callback in handed_over:  # the worker runs the job (immediate backend)
        callback()
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED and record.result == {"created": 3, "updated": 0, "unchanged": 0}
    assert (
        Need.objects.filter(state__iso3="LBN", title__in=["Survey teams", "Clearance teams", "Risk education"]).count()
        == 3
    )
    assert Job.objects.get(name="core.apply_import").status == "done"
    page = client.get(url)
    assert not page.has_header("Refresh") and "Applied on" in page.content.decode()


def test_a_small_file_is_applied_in_the_request():
    editor = persona("state_editor")
    record = _checked(editor)
    response = editor.client().post(f"/needs/import/LBN/{record.pk}/")
    assert response.status_code == 302 and response["Location"] == "/needs/"
    assert SpreadsheetImport.objects.get(pk=record.pk).status == ImportStatus.APPLIED
    assert not Job.objects.filter(name="core.apply_import").exists()
