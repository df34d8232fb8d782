"""Answering offline: the workbook downloaded, filled in, uploaded, checked whole, previewed and applied."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccm.consultations import campaign_services, services
from ccm.consultations.models import Answer, AnswerStatus
from ccm.core.clock import today
from ccm.core.models import SpreadsheetImport
from tests import hostile_files
from tests.consultations.conftest import make_version
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

ANSWERS = {
    "obstacles": "-Funding ran out; access is blocked.",
    "main_obstacle": "Access",
    "help": "Money; Equipment",
    "teams": 4.5,
    "satisfaction": 3,
    "coalition": "Yes",
}


def _download(client, campaign, **query):
    response = client.get(f"/consultations/campaigns/{campaign.pk}/workbook.xlsx", query)
    assert response.status_code == 200, response.status_code
    return response


def _fill(content: bytes, answers: dict) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book["Answers"]
    for row in sheet.iter_rows(min_row=3):
        key = row[0].value
        if key in answers:
            row[6].value = answers[key]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, campaign, content: bytes, *, source="workbook", name="answers.xlsx", org="state"):
    slug = organisation(org).slug
    response = client.post(
        f"/consultations/campaigns/{campaign.pk}/upload/{slug}/",
        {"source": source, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302, response.content[:500]
    return SpreadsheetImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1])), response


def _messages(record) -> list[str]:
    return [e["text"] for e in record.errors]


def test_round_trip_download_fill_upload_preview_apply(campaign):
    client = persona("state_editor").client()
    response = _download(client, campaign)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Answers"]
    assert [c.value for c in sheet[1]] == ["Key", "Question", "Type", "Options", "Required", "Help", "Answer"]
    assert sheet.row_dimensions[2].hidden
    assert [c.value for c in sheet[2]][:4] == ["#ccm-answers", campaign.version.question_set.slug, 1, campaign.pk]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["help"][2] == "Multiple choice" and rows["help"][3] == "Money; Training; Equipment"
    assert rows["obstacles"][4] == "Yes" and rows["teams"][4] == "No"
    assert book["Lists"].sheet_state == "hidden"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    lists = {cells: v.formula1 for cells, v in validations.items() if v.type == "list"}
    assert len(lists) == 3  # single, multiple, yes/no
    scale_row = 3 + list(rows).index("satisfaction")
    assert validations[f"G{scale_row}"].type == "whole"
    assert (validations[f"G{scale_row}"].formula1, validations[f"G{scale_row}"].formula2) == ("1", "5")

    record, redirect = _upload(client, campaign, _fill(response.content, ANSWERS))
    assert record.status == "ready", record.errors
    preview = client.get(redirect["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Money; Equipment" in page and "Access" in page and "4.5" in page
    assert '<th scope="col">Question</th>' in page and "Year / obligation" not in page
    assert len(record.changes) == 6 and {c["action"] for c in record.changes} == {"create"}

    applied = client.post(redirect["Location"])
    assert applied.status_code == 302
    answer = Answer.objects.get(campaign=campaign, organisation=organisation("state"))
    assert answer.status == AnswerStatus.DRAFT
    items = {i.question.key: i for i in answer.items.select_related("question")}
    assert items["obstacles"].text == "-Funding ran out; access is blocked."
    assert items["main_obstacle"].choices == ["access"]
    assert items["help"].choices == ["money", "kit"]
    assert items["teams"].number == Decimal("4.5")
    assert items["satisfaction"].number == Decimal(3)
    assert items["coalition"].choices == ["yes"]
    record.refresh_from_db()
    assert record.status == "applied" and record.result == {"changed": 6, "unchanged": 0}

    # The next download carries the draft; the same file again changes nothing
    again = _download(client, campaign, organisation=organisation("state").slug)
    filled = {r[0]: r[6] for r in load_workbook(io.BytesIO(again.content))["Answers"].iter_rows(values_only=True)}
    assert filled["main_obstacle"] == "Access" and filled["help"] == "Money; Equipment" and filled["teams"] == 4.5
    assert filled["obstacles"] == "-Funding ran out; access is blocked."
    cell = next(c for c in load_workbook(io.BytesIO(again.content))["Answers"]["G"] if c.value == filled["obstacles"])
    assert cell.data_type == "s" and cell.quotePrefix  # shown as text, never run as a formula
    record, _redirect = _upload(client, campaign, again.content)
    assert record.status == "ready" and not record.has_changes


def test_an_empty_cell_keeps_the_answer_and_a_change_is_previewed_old_to_new(campaign):
    editor = persona("state_editor")
    services.answer_save(
        campaign=campaign,
        organisation=organisation("state"),
        values={"teams": Decimal(2), "obstacles": "x"},
        actor=editor.user,
    )
    client = editor.client()
    blank = _download(client, campaign, organisation="nobody").content  # no organisation: blank
    assert all(r[6] is None for r in load_workbook(io.BytesIO(blank))["Answers"].iter_rows(min_row=3, values_only=True))
    record, _ = _upload(client, campaign, _fill(blank, {"teams": 3}))
    assert record.status == "ready", record.errors
    assert record.changes == [
        {
            "sheet": "Answers",
            "key": "4. How many teams?",
            "question": "teams",
            "action": "update",
            "fields": [["answer", "2", "3"]],
        }
    ]
    client.post(f"/consultations/campaigns/{campaign.pk}/upload/{organisation('state').slug}/{record.pk}/")
    items = {
        i.question.key: i for i in Answer.objects.get(campaign=campaign, organisation=organisation("state")).items.all()
    }
    assert items["teams"].number == 3 and items["obstacles"].text == "x"


def test_a_workbook_for_another_question_set_or_version_is_refused_naming_both(campaign, coordinator):
    donors = make_version(coordinator, title="Donor priorities", audience="donors")
    other = campaign_services.campaign_create(
        title="Donors 2026",
        version=donors,
        opens_on=today(),
        closes_on=today() + timedelta(days=5),
        recipients=[organisation("state")],
        actor=coordinator,
    )
    content = _download(persona("coordinator").client(), other).content
    record, redirect = _upload(persona("state_editor").client(), campaign, _fill(content, {"obstacles": "x"}))
    assert record.status == "invalid"
    assert _messages(record) == [
        "row 2: This file is for 'Donor priorities' version 1; this campaign uses 'Obstacles' version 1."
    ]
    assert "This file is for" in persona("state_editor").client().get(redirect["Location"]).content.decode()
    assert not Answer.objects.filter(campaign=campaign).exists()


def test_a_workbook_of_another_campaign_of_the_same_version_is_refused(campaign, coordinator):
    second = campaign_services.campaign_create(
        title="Obstacles again",
        version=campaign.version,
        opens_on=today(),
        closes_on=today() + timedelta(days=5),
        recipients=[organisation("state")],
        actor=coordinator,
    )
    content = _download(persona("coordinator").client(), second).content
    record, _ = _upload(persona("state_editor").client(), campaign, content)
    assert record.status == "invalid"
    assert "downloaded for another campaign" in _messages(record)[0]


def test_a_choice_outside_the_options_is_named_by_row_and_question_and_nothing_is_written(campaign):
    client = persona("state_editor").client()
    content = _download(client, campaign).content
    record, _ = _upload(
        client,
        campaign,
        _fill(content, {"main_obstacle": "Weather", "help": "Money; Luck", "satisfaction": 7, "teams": "many"}),
    )
    assert record.status == "invalid"
    messages = _messages(record)
    assert (
        "row 4, column G (Answer): 'Weather' is not one of the options of question 'main_obstacle': Funding; Access"
        in messages
    )
    assert any(
        m.startswith("row 5, column G (Answer): 'Luck' is not one of the options of question 'help'") for m in messages
    )
    assert "row 7, column G (Answer): '7' is not a whole number from 1 to 5" in messages
    assert "row 6, column G (Answer): 'many' is not a number" in messages
    assert not Answer.objects.filter(campaign=campaign).exists()


def test_an_unknown_or_repeated_question_key_is_named(campaign):
    client = persona("state_editor").client()
    book = load_workbook(io.BytesIO(_download(client, campaign).content))
    sheet = book["Answers"]
    sheet["A3"] = "weather"
    sheet.append(["teams", None, None, None, None, None, 5])
    sheet.append(["help", None, None, None, None, None, "Money"])
    out = io.BytesIO()
    book.save(out)
    record, _ = _upload(client, campaign, out.getvalue())
    messages = _messages(record)
    assert "row 3, column A (Key): 'weather' is not a question of 'Obstacles' version 1" in messages
    assert "row 10, column A (Key): question 'help' appears twice (also row 5)" in messages


def test_after_the_closing_date_an_upload_is_refused_with_the_date(campaign):
    content = _fill(_download(persona("state_editor").client(), campaign).content, {"teams": 1})
    with time_machine.travel(campaign.closes_on + timedelta(days=1)):
        record, _ = _upload(persona("state_editor").client(), campaign, content)
    assert record.status == "invalid"
    closes = f"{campaign.closes_on.day} {campaign.closes_on:%B %Y}"
    assert _messages(record) == [f"The campaign closed on {closes}: answers can no longer be changed."]


def test_a_file_checked_before_closing_is_not_applied_after_it(campaign):
    client = persona("state_editor").client()
    record, redirect = _upload(client, campaign, _fill(_download(client, campaign).content, {"teams": 1}))
    assert record.status == "ready"
    with time_machine.travel(campaign.closes_on + timedelta(days=1)):
        assert persona("state_editor").client().post(redirect["Location"]).status_code == 200
    record.refresh_from_db()
    assert record.status == "failed" and "closed on" in record.errors[0]["message"]
    assert not Answer.objects.filter(campaign=campaign).exists()


def test_a_submitted_answer_is_not_changed_by_a_file(campaign):
    manager = persona("state_manager")
    answer = services.answer_save(
        campaign=campaign,
        organisation=organisation("state"),
        values={"obstacles": "x", "help": ["money"]},
        actor=manager.user,
    )
    services.answer_submit(answer=answer, actor=manager.user)
    client = manager.client()
    record, _ = _upload(client, campaign, _fill(_download(client, campaign).content, {"teams": 1}))
    assert record.status == "invalid"
    assert "was submitted on" in _messages(record)[0]


def test_a_hostile_workbook_is_refused_by_the_pipeline_limits(campaign, settings):
    settings.CCM_IMPORT_MAX_ROWS = 10  # 10,000 shared strings at most
    client = persona("state_editor").client()
    bomb = hostile_files.shared_strings_bomb(_download(client, campaign).content, 2 * 65536)
    assert len(bomb) < 200_000
    record, _ = _upload(client, campaign, bomb)
    assert record.status == "invalid"
    assert _messages(record)[0].startswith("The workbook is refused")
    assert not Answer.objects.filter(campaign=campaign).exists()


def test_a_formula_typed_in_an_answer_is_stored_as_its_text_never_run(campaign):
    client = persona("state_editor").client()
    book = load_workbook(io.BytesIO(_download(client, campaign).content))
    sheet = book["Answers"]
    sheet["G3"] = '=HYPERLINK("http://example.org","x")'  # a real formula: read without its cached value
    sheet["G3"].data_type = "f"
    out = io.BytesIO()
    book.save(out)
    record, _ = _upload(client, campaign, out.getvalue())
    assert record.status == "ready"
    assert not record.has_changes  # a formula has no value to read: nothing is taken from it


def test_only_the_organisations_editors_upload_for_it(campaign):
    slug = organisation("state").slug
    url = f"/consultations/campaigns/{campaign.pk}/upload/{slug}/"
    assert persona("state_editor").client().get(url).status_code == 200
    assert persona("state_viewer").client().get(url).status_code == 403
    assert persona("coordinator").client().get(url).status_code == 403
    assert persona("other_state_manager").client().get(url).status_code == 404  # another recipient
    assert persona("operator_editor").client().get(url).status_code == 404
    other = organisation("other_state").slug
    assert (
        persona("state_editor").client().get(f"/consultations/campaigns/{campaign.pk}/upload/{other}/").status_code
        == 404
    )


def test_the_download_is_blank_for_coordinators_and_never_shows_another_organisations_draft(campaign):
    services.answer_save(
        campaign=campaign,
        organisation=organisation("other_state"),
        values={"obstacles": "secret"},
        actor=persona("other_state_manager").user,
    )
    for name, query in (("coordinator", {}), ("state_editor", {"organisation": organisation("other_state").slug})):
        content = _download(persona(name).client(), campaign, **query).content
        values = [r[6] for r in load_workbook(io.BytesIO(content))["Answers"].iter_rows(min_row=3, values_only=True)]
        assert values == [None] * 6, name
    mine = _download(persona("other_state_manager").client(), campaign).content
    assert "secret" in [r[6] for r in load_workbook(io.BytesIO(mine))["Answers"].iter_rows(values_only=True)]
