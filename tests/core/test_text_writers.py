"""Every writer survives any text (issue 11, item 3): arbitrary Unicode stored through the services, or
written straight into the rows (data stored before text was cleaned), is rendered by every writer — needs
CSV and XLSX, coverage CSV and XLSX, the progress workbook, the Country Brief as PDF and DOCX, the pages,
the e-mail to donors — without error, and the files open again."""

from __future__ import annotations

import csv
import io

import docx
import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ccm.core.text import clean_text
from ccm.funding.models import FundingFlow
from ccm.needs.models import Need, Obstacle
from ccm.reporting import services as reporting
from ccm.reporting.models import ProgressReport, ReportStatus
from tests.core.test_text import BREAKS, FORBIDDEN, HOSTILE
from tests.factories import DonorProfileFactory, FlowFactory, NeedFactory, ObstacleFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db

# Through the services: any code point (lone surrogates and NUL included).
service_text = st.text(
    st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(list(HOSTILE))), max_size=60
)
# Straight into the rows: what a database can hold (no NUL, no lone surrogate), control characters included.
stored_text = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_characters="\x00"),
        st.sampled_from([c for c in HOSTILE if c not in "\x00\ud800\udfff"]),
    ),
    max_size=60,
)
PROPERTY = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
PUBLIC_PAGES = ["/needs/", "/states/LBN/profile/", "/funding/", "/funding/states/LBN/", "/states/LBN/"]


@pytest.fixture
def io_donor():
    """A donor whose profile matches Lebanon's clearance needs: publishing a need e-mails its members."""
    return DonorProfileFactory(priority_regions=["asia"], currency="USD")


def _publish(report: ProgressReport) -> None:
    report.refresh_from_db()
    if report.status == ReportStatus.DRAFT:
        reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
        report.refresh_from_db()
    if report.status == ReportStatus.SUBMITTED:
        reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)


def _xlsx_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


def _csv_cells(content: bytes) -> list[str]:
    return [cell.removeprefix("'") for row in csv.reader(io.StringIO(content.decode("utf-8"))) for cell in row]


def _every_writer(need: Need, *, title: str | None = None, obstacles: str | None = None) -> None:
    """Every writer answers for an anonymous reader and for the State's editor; files open again; where
    the expected text is given, it is in the file."""
    anonymous, editor = Client(), persona("state_editor").client()
    for url in [*PUBLIC_PAGES, f"/needs/{need.pk}/"]:
        assert anonymous.get(url).status_code == 200, url
    for client in (anonymous, editor):
        needs_csv = client.get("/needs/export.csv")
        needs_xlsx = client.get("/needs/export.xlsx")
        assert needs_csv.status_code == needs_xlsx.status_code == 200
        csv_cells, xlsx_cells = _csv_cells(needs_csv.content), _xlsx_cells(needs_xlsx.content)
        if title is not None:
            assert title in csv_cells and title in xlsx_cells
        for url in ("/funding/coverage.csv", "/funding/coverage.xlsx"):
            assert client.get(url).status_code == 200, url
        _xlsx_cells(client.get("/funding/coverage.xlsx").content)
        pdf = client.get("/states/LBN/brief.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        brief = client.get("/states/LBN/brief.docx")
        assert brief.status_code == 200
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(brief.content)).paragraphs)
        if obstacles is not None and obstacles.strip():
            assert obstacles in text
    workbook = editor.get("/states/LBN/workbook.xlsx")
    assert workbook.status_code == 200
    cells = _xlsx_cells(workbook.content)
    if obstacles is not None and obstacles.strip():
        assert obstacles in [c.removeprefix("'") for c in cells]


def _mail_is_whole(need: Need, capture) -> None:
    """Publishing tells the matching donors; every message has a one-line subject and renders."""
    mail.outbox.clear()
    with capture(execute=True):
        from ccm.needs import services

        services.need_publish(need=need, actor=None)
    assert mail.outbox, "the matching donor is told"
    for message in mail.outbox:
        assert not BREAKS.search(message.subject) and not FORBIDDEN.search(message.subject + message.body)
        message.message().as_bytes()


@PROPERTY
@given(title=service_text, description=service_text, obstacles=service_text, statement=service_text)
def test_text_stored_through_the_services_survives_every_writer(
    io_donor, lebanon_reported, django_capture_on_commit_callbacks, title, description, obstacles, statement
):
    need = NeedFactory(published=False, title="T" + title, description="D" + description)
    ObstacleFactory(statement="S" + statement)
    result = reporting.progress_save(
        state=lebanon_reported, year=2021, figures={"cleared_m2": 1_000_000, "obstacles": obstacles}, actor=None
    )
    _publish(result.report)
    _mail_is_whole(need, django_capture_on_commit_callbacks)
    stored = Need.objects.get(pk=need.pk)
    assert stored.title == clean_text("T" + title, multiline=False)
    assert not FORBIDDEN.search(stored.title + stored.description)
    _every_writer(stored, title=stored.title, obstacles=clean_text(obstacles, multiline=True))


@PROPERTY
@given(raw=stored_text)
def test_text_already_stored_with_control_characters_survives_every_writer(
    io_donor, lebanon_reported, django_capture_on_commit_callbacks, raw
):
    need = NeedFactory(published=False)
    obstacle = ObstacleFactory()
    FlowFactory()
    Need.objects.filter(pk=need.pk).update(title="T" + raw, description=raw, in_kind=raw)
    Obstacle.objects.filter(pk=obstacle.pk).update(statement=raw)
    ProgressReport.objects.filter(state=lebanon_reported).update(obstacles=raw)
    FundingFlow.objects.update(funder_name=raw, funder_ref=raw, recipient_label=raw)
    _mail_is_whole(Need.objects.get(pk=need.pk), django_capture_on_commit_callbacks)
    _every_writer(Need.objects.get(pk=need.pk))
