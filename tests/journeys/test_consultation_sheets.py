"""A State's editor answers a consultation offline: download the workbook, fill it in, upload, preview,
apply — on a phone and on a laptop, without JavaScript."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ccm.consultations import campaign_services
from ccm.consultations.models import Answer
from ccm.core import clock
from tests.consultations.conftest import make_version
from tests.journeys.conftest import look
from tests.journeys.test_accounts import sign_in
from tests.personas import organisation, persona

pytestmark = pytest.mark.journey


def test_an_editor_answers_offline_with_the_workbook(page, tmp_path):
    coordinator = persona("coordinator").user
    version = make_version(coordinator)
    campaign = campaign_services.campaign_create(
        title="Obstacles 2026",
        version=version,
        opens_on=clock.today(),
        closes_on=clock.today() + timedelta(days=20),
        recipients=[organisation("state")],
        actor=coordinator,
    )
    campaign_services.campaign_send(campaign=campaign, actor=coordinator)
    sign_in(page, persona("state_editor").user.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"/consultations/campaigns/{campaign.pk}/upload/{organisation('state').slug}/")
    look(page, "consultation-upload")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the answering workbook (XLSX)").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    for row in book["Answers"].iter_rows(min_row=3):
        row[6].value = {"obstacles": "Access", "help": "Money; Training", "coalition": "No"}.get(row[0].value)
    filled = tmp_path / "answers.xlsx"
    book.save(filled)
    page.get_by_label("The answering workbook (XLSX) downloaded here and filled in").check()
    page.get_by_label("File").set_input_files(str(filled))
    page.get_by_role("button", name="Check the file").click()
    assert "Money; Training" in page.locator("main").inner_text()
    look(page, "consultation-import-preview")
    page.get_by_role("button", name="Apply all these changes").click()
    assert "Applied: 3 answers changed" in page.locator("main").inner_text()
    answer = Answer.objects.get(campaign=campaign, organisation=organisation("state"))
    assert {i.question.key: i.choices or i.text for i in answer.items.select_related("question")} == {
        "obstacles": "Access",
        "help": ["money", "training"],
        "coalition": ["no"],
    }
    assert page.url.endswith(f"/consultations/campaigns/{campaign.pk}/answer/{organisation('state').slug}/")
    page.goto(f"/consultations/campaigns/{campaign.pk}/upload/{organisation('state').slug}/")
    with page.expect_download() as xlsform:
        page.get_by_role("link", name="Download the XLSForm").click()
    form = load_workbook(io.BytesIO(Path(xlsform.value.path()).read_bytes()))
    assert form.sheetnames == ["survey", "choices", "settings"]
