"""Answers from a field tool's export (ODK Central CSV, KoboToolbox XLSX), matched by column name."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from ccm.consultations.fieldtools import question_for_heading
from ccm.consultations.models import Answer
from tests.consultations.test_sheets import _messages, _upload
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

KOBO_HEADER = [
    "start",
    "end",
    "organisation",
    "group_obstacles/obstacles",
    "main_obstacle",
    "help",
    "help/money",
    "help/training",
    "help/kit",
    "teams",
    "satisfaction",
    "coalition",
    "_id",
    "_uuid",
    "_submission_time",
    "__version__",
]


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Obstacles"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _kobo_row(org: str, **values) -> list:
    row = dict.fromkeys(KOBO_HEADER, "")
    row.update({"organisation": org, "_uuid": "5f1c-…", "_submission_time": "2026-11-20T10:00:00", "__version__": "vX"})
    row.update(values)
    return [row[h] for h in KOBO_HEADER]


def _items(campaign):
    answer = Answer.objects.get(campaign=campaign, organisation=organisation("state"))
    return {i.question.key: i for i in answer.items.select_related("question")}


def test_a_kobo_xlsx_export_with_several_organisations_applies_the_uploaders_row(campaign):
    content = _xlsx(
        [
            KOBO_HEADER,
            _kobo_row("state-b-government", **{"group_obstacles/obstacles": "Not ours", "teams": 9}),
            _kobo_row(
                "state-a-government",
                **{
                    "group_obstacles/obstacles": "Access is blocked.",
                    "main_obstacle": "access",
                    "help": "money kit",
                    "help/money": 1,
                    "help/kit": 1,
                    "help/training": 0,
                    "teams": 12,
                    "satisfaction": "4",
                    "coalition": "yes",
                },
            ),
            _kobo_row("somebody-else", **{"main_obstacle": "weather"}),  # not ours: not checked
        ]
    )
    client = persona("state_editor").client()
    record, redirect = _upload(client, campaign, content, source="field_tool", name="kobo.xlsx")
    assert record.status == "ready", record.errors
    assert record.kind == "consultation_field"
    assert len(record.changes) == 6
    page = client.get(redirect["Location"]).content.decode()
    assert "Money; Equipment" in page
    client.post(redirect["Location"])
    items = _items(campaign)
    assert items["obstacles"].text == "Access is blocked."
    assert items["main_obstacle"].choices == ["access"]
    assert items["help"].choices == ["money", "kit"]
    assert items["teams"].number == Decimal(12)
    assert items["satisfaction"].number == Decimal(4)
    assert items["coalition"].choices == ["yes"]


def test_an_odk_central_csv_with_one_row_and_dash_group_prefixes(campaign):
    csv = (
        b"SubmissionDate,grp-obstacles,main_obstacle,help,teams,coalition,meta-instanceID,KEY,FormVersion\n"
        b'2026-11-20,"Funding, mostly",Funding,training,2.25,no,uuid:1,uuid:1,1\n'
    )
    client = persona("state_editor").client()
    record, redirect = _upload(client, campaign, csv, source="field_tool", name="odk.csv")
    assert record.status == "ready", record.errors
    client.post(redirect["Location"])
    items = _items(campaign)
    assert items["obstacles"].text == "Funding, mostly"
    assert items["main_obstacle"].choices == ["funding"]  # by label as well as by key
    assert items["help"].choices == ["training"]
    assert items["teams"].number == Decimal("2.25")
    assert items["coalition"].choices == ["no"]


def test_bad_field_tool_files_are_refused_naming_row_and_column(campaign):
    client = persona("state_editor").client()
    bad = b"obstacles,main_obstacle,help,satisfaction\nx,weather,money luck,9\n"
    record, _ = _upload(client, campaign, bad, source="field_tool", name="bad.csv")
    assert record.status == "invalid"
    messages = _messages(record)
    assert (
        "row 2, column B (main_obstacle): 'weather' is not one of the options of question 'main_obstacle': "
        "Funding; Access" in messages
    )
    assert any(m.startswith("row 2, column C (help): 'luck' is not one of the options") for m in messages)
    assert "row 2, column D (satisfaction): '9' is not a whole number from 1 to 5" in messages

    two = b"obstacles,teams\nx,1\ny,2\n"
    record, _ = _upload(client, campaign, two, source="field_tool", name="two.csv")
    assert any("The file holds 2 answers (rows 2, 3)" in m for m in _messages(record))

    none_named = b"organisation,obstacles\nsomeone-else,x\n"
    record, _ = _upload(client, campaign, none_named, source="field_tool", name="none.csv")
    assert _messages(record) == [
        "No row names your organisation: the 'organisation' column must hold its short name (state-a-government)."
    ]

    labels = b"What stops you?,How many teams?\nx,1\n"
    record, _ = _upload(client, campaign, labels, source="field_tool", name="labels.csv")
    assert any(
        m.startswith("row 1: No column is named after a question of 'Obstacles' version 1") for m in _messages(record)
    )

    version = b"obstacles,FormVersion\nx,2\n"
    record, _ = _upload(client, campaign, version, source="field_tool", name="v.csv")
    assert _messages(record) == [
        "row 2, column B (FormVersion): This file is for version 2 of the form; "
        "this campaign uses 'Obstacles' version 1."
    ]
    assert not Answer.objects.filter(campaign=campaign).exists()


def test_a_workbook_uploaded_as_a_field_tool_export_or_garbage_is_refused_cleanly(campaign):
    client = persona("state_editor").client()
    record, _ = _upload(client, campaign, b"\x00\x01garbage", source="field_tool", name="x.xlsx")
    assert record.status == "invalid" and record.errors


def test_headings_name_questions_with_prefixes_but_not_kobos_option_columns(version):
    questions = {q.key: q for q in version.questions.all()}
    assert question_for_heading("obstacles", questions) == "obstacles"
    assert question_for_heading("Obstacles", questions) == "obstacles"
    assert question_for_heading("grp/sub/obstacles", questions) == "obstacles"
    assert question_for_heading("grp-obstacles", questions) == "obstacles"
    assert question_for_heading("help/money", questions) is None
    assert question_for_heading("_uuid", questions) is None
    assert question_for_heading("meta/instanceID", questions) is None
