"""One status, one wording, everywhere: for a State in each status, every surface (State page,
deadlines board, country profile, chart SVG, Country Brief PDF and DOCX, API JSON, CSV export)
says the same label and the same sentence."""

import csv
import html
import io
import re
from datetime import UTC, date, datetime, time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from docx import Document
from pypdf import PdfReader

from ccm import treaty
from ccm.reporting.charts import to_svg
from ccm.reporting.selectors import country_profile
from ccm.states import wording
from ccm.states.models import Obligation, Source, State

pytestmark = pytest.mark.django_db

S = treaty.ObligationStatus
# (State, obligation, day, status) — one State in each status, on a day when it holds.
CASES = [
    ("LBN", "clearance", date(2026, 11, 28), S.DECISION_NOT_ON_RECORD),
    ("LBN", "clearance", date(2025, 6, 1), S.EXTENSION_PENDING),  # before the 13MSP opened
    ("TCD", "clearance", date(2026, 11, 28), S.OVERDUE),
    ("TCD", "clearance", date(2026, 1, 15), S.DUE_SOON),
    ("TCD", "clearance", date(2025, 6, 1), S.ON_TRACK),
    ("HRV", "clearance", date(2026, 11, 28), S.COMPLETED),
    ("MNE", "clearance", date(2026, 11, 28), S.COMPLETED),
    ("GBR", "clearance", date(2026, 11, 28), S.UNKNOWN),
    ("LTU", "stockpile_destruction", date(2026, 11, 28), S.ENDED),
]
# What a diplomat reads, written out (not computed) for the States the issue names.
EXPECTED = {
    ("LBN", date(2026, 11, 28)): "Deadline 1 May 2026; a request to extend it was considered at the Thirteenth "
    "Meeting of States Parties, 16–19 September 2025; decision not on record.",
    ("TCD", date(2026, 11, 28)): "Deadline 1 October 2026 has passed; not completed, and no pending extension "
    "request is on record.",
    ("HRV", date(2026, 11, 28)): "Completed on 10 July 2020.",
    ("MNE", date(2026, 11, 28)): "Completed on 21 July 2020.",
    ("LTU", date(2026, 11, 28)): "Ended on 6 March 2025, when the State's withdrawal from the Convention took effect.",
}


@pytest.fixture
def lithuania_obligation():
    """Lithuania's stockpile obligation (not in the reference data) — it ends with the withdrawal."""
    return Obligation.objects.create(
        state=State.objects.get(iso3="LTU"),
        kind="stockpile_destruction",
        original_deadline=date(2019, 9, 1),
        source=Source.objects.get(key="ltu-withdrawal"),
        confidence="derived",
    )


def _plain(text: str) -> str:
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def _pdf(content: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


def _docx(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", " ", " ".join([p.text for p in document.paragraphs] + cells))


@pytest.mark.parametrize(("iso3", "kind", "day", "status"), CASES, ids=lambda v: str(v))
def test_every_surface_says_the_same(time_machine, lithuania_obligation, iso3, kind, day, status):
    time_machine.move_to(datetime.combine(day, time(12), tzinfo=UTC), tick=False)
    obligation = Obligation.objects.select_related("state").get(state__iso3=iso3, kind=kind)
    description = obligation.describe(day)
    assert description.status is status
    label, sentence = wording.obligation_wording(description)
    assert label and "_" not in label  # words, never a code
    if (iso3, day) in EXPECTED:
        assert sentence == EXPECTED[(iso3, day)]
    client = Client()

    surfaces = {
        "State page": _plain(client.get(f"/states/{iso3}/").content.decode()),
        "profile": _plain(client.get(f"/states/{iso3}/profile/").content.decode()),
        "brief PDF": _pdf(client.get(f"/states/{iso3}/brief.pdf").content),
        "brief DOCX": _docx(client.get(f"/states/{iso3}/brief.docx").content),
        "export": client.get("/states/export.csv").content.decode(),
    }
    work = next(
        w
        for w in country_profile(state=obligation.state, user=AnonymousUser(), today=day).work
        if w.obligation == obligation
    )
    surfaces["chart SVG"] = _plain(to_svg(work.chart()))
    for name, text in surfaces.items():
        assert sentence in text, f"{name} lacks: {sentence}"
        assert "deadline passed" not in text.lower(), name
    for name in ("State page", "profile", "brief PDF", "brief DOCX"):
        assert label in surfaces[name], f"{name} lacks the label {label}"

    board = _plain(client.get("/deadlines/").content.decode())
    if status in (S.COMPLETED, S.ENDED):  # closed: not on the board of open obligations
        assert sentence not in board
    else:
        assert sentence in board

    api = client.get(f"/api/v1/states/{iso3}/").json()
    [item] = [o for o in api["obligations"] if o["kind"] == kind]
    assert (item["status"], item["status_label"], item["status_sentence"]) == (status.value, label, sentence)

    export = [
        r
        for r in csv.DictReader(io.StringIO(surfaces["export"]))
        if r["iso3"] == iso3 and r["obligation"] == obligation.get_kind_display()
    ]
    assert [(r["status"], r["status_label"], r["status_sentence"]) for r in export] == [(status.value, label, sentence)]


def test_a_state_without_obligation_says_so_and_never_no_record(time_machine):
    time_machine.move_to(datetime(2026, 11, 28, 12, tzinfo=UTC), tick=False)
    client = Client()
    for iso3 in ("AUT", "BEL", "USA", "LTU"):
        page = _plain(client.get(f"/states/{iso3}/").content.decode())
        assert "no obligation on record in the sources" in page and "No record" not in page, iso3
    listing = _plain(client.get("/states/").content.decode())
    assert "No record" not in listing and "no obligation on record in the sources" in listing
    lithuania = _plain(client.get("/states/LTU/").content.decode())
    assert (
        "withdrawal took effect on 6 March 2025, and its obligations under the Convention ended on that date"
        in lithuania
    )


def test_a_state_for_which_the_convention_is_not_yet_in_force_says_when(time_machine):
    time_machine.move_to(datetime(2025, 12, 1, 12, tzinfo=UTC), tick=False)
    client = Client()
    assert "The Convention enters into force for Vanuatu on 1 March 2026." in _plain(
        client.get("/states/VUT/").content.decode()
    )
    home = _plain(client.get("/").content.decode())
    assert "Vanuatu is counted as a State Party; the Convention enters into force for it on 1 March 2026." in home
    time_machine.move_to(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False)
    assert "enters into force for Vanuatu" not in _plain(client.get("/states/VUT/").content.decode())
