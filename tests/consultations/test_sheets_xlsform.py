"""The XLSForm export of a question set version converts with pyxform, with the expected fields."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from ccm.consultations import set_services
from ccm.consultations.models import QuestionSetVersion, VersionStatus
from ccm.consultations.xlsform import xlsform
from tests.consultations.conftest import make_version
from tests.personas import persona

pytestmark = pytest.mark.django_db

XFORMS = "{http://www.w3.org/2002/xforms}"


def _tricky_version(actor):
    """Options and texts a spreadsheet could misread: formula starts, commas, quotes, a key with a hyphen."""
    qs = set_services.question_set_create(title='Donor "priorities", 2026', audience="donors", actor=actor)
    draft = set_services.draft_of(qs)
    set_services.question_add(
        version=draft,
        key="priority_areas",
        text="=Which areas come first?",
        help_text="-choose all that apply",
        qtype="multiple",
        required=True,
        options=[{"key": "clearance", "label": "Clearance, survey"}, {"key": "va", "label": '+Victim "assistance"'}],
        actor=actor,
    )
    set_services.question_add(version=draft, key="approach", text="@How to approach you?", qtype="text", actor=actor)
    return set_services.version_publish(version=draft, actor=actor)


def _converted(version):
    content = xlsform(version)
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(content), warnings=warnings, file_type=".xlsx")
    return content, result, warnings


def _bind_types(xform: str) -> dict[str, str]:
    root = ElementTree.fromstring(xform)  # noqa: S314 - our own export, parsed in a test
    return {bind.get("nodeset", "").rsplit("/", 1)[-1]: bind.get("type", "") for bind in root.iter(f"{XFORMS}bind")}


def test_every_question_set_version_converts_with_pyxform_with_its_fields():
    coordinator = persona("coordinator").user
    make_version(coordinator)
    _tricky_version(coordinator)
    versions = list(QuestionSetVersion.objects.filter(status=VersionStatus.PUBLISHED))
    assert len(versions) >= 2
    for version in versions:
        _content, result, warnings = _converted(version)
        assert result.xform, version
        binds = _bind_types(result.xform)
        assert binds["organisation"] == "string"
        for question in version.questions.all():
            assert question.key in binds, (version, question.key)
        root = ElementTree.fromstring(result.xform)  # noqa: S314
        title = root.find(".//{http://www.w3.org/1999/xhtml}title")
        assert title is not None and version.question_set.title in (title.text or "")
        assert warnings == []


def test_question_types_become_xlsform_types_with_their_lists():
    version = make_version(persona("coordinator").user)
    content, result, _warnings = _converted(version)
    binds = _bind_types(result.xform)
    assert binds["obstacles"] == "string"
    assert binds["teams"] == "decimal"
    assert binds["main_obstacle"] == "string" and binds["help"] == "string"  # select1 / select in the body
    assert binds["satisfaction"] == "string" and binds["coalition"] == "string"
    book = load_workbook(io.BytesIO(content))
    survey = [tuple(r) for r in book["survey"].iter_rows(values_only=True)]
    assert survey[0] == ("type", "name", "label", "hint", "required")
    types = {row[1]: row[0] for row in survey[1:]}
    assert types["main_obstacle"] == "select_one main_obstacle_options"
    assert types["help"] == "select_multiple help_options"
    assert types["satisfaction"] == "select_one scale_1_5"
    assert types["coalition"] == "select_one yes_no"
    assert types["teams"] == "decimal"
    required = {row[1]: row[4] for row in survey[1:]}
    assert required["obstacles"] == "yes" and required["teams"] == "no"
    choices = [tuple(r) for r in book["choices"].iter_rows(values_only=True)]
    assert ("scale_1_5", "3", "3") in choices and ("yes_no", "yes", "Yes") in choices
    assert ("help_options", "kit", "Equipment") in choices
    settings = [tuple(r) for r in book["settings"].iter_rows(values_only=True)]
    assert settings[0] == ("form_title", "form_id", "version")
    assert settings[1][2] == str(version.number)
    for name in ("main_obstacle", "satisfaction", "coalition"):
        assert f'<select1 ref="/data/{name}">' in result.xform
    assert '<select ref="/data/help">' in result.xform


def test_formula_like_texts_stay_text_in_the_xlsform():
    version = _tricky_version(persona("coordinator").user)
    content, result, _warnings = _converted(version)
    book = load_workbook(io.BytesIO(content))
    cells = {c.value: c for row in book["survey"].iter_rows() for c in row if c.value}
    assert cells["=Which areas come first?"].data_type == "s"
    assert cells["=Which areas come first?"].quotePrefix
    assert "=Which areas come first?" in result.xform
    assert "Victim &quot;assistance&quot;" in result.xform or 'Victim "assistance"' in result.xform


def test_the_xlsform_page_is_public_for_published_versions_and_hidden_for_drafts(client):
    coordinator = persona("coordinator").user
    version = make_version(coordinator)
    url = f"/consultations/sets/{version.question_set.slug}/v{version.number}/xlsform.xlsx"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-v{version.number}-xlsform.xlsx"')
    assert convert(xlsform=io.BytesIO(response.content), file_type=".xlsx").xform
    draft = set_services.draft_start(question_set=version.question_set, actor=coordinator)
    draft_url = f"/consultations/sets/{version.question_set.slug}/v{draft.number}/xlsform.xlsx"
    assert client.get(draft_url).status_code == 404
    assert persona("coordinator").client().get(draft_url).status_code == 200
