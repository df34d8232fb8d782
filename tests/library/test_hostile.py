"""Stray characters, formulas and huge values in practices and offers: refused with a message or stored
cleaned, and every library page, export and API answer still works."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ccm.core import clock
from ccm.library.models import Offer, Practice
from tests.personas import persona

pytestmark = pytest.mark.django_db

HOSTILE = "tab\there\x07bell\x1b[31m \u202eevil\u200b =cmd|' /C calc'!A0 <script>alert(1)</script>"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def test_hostile_text_is_stored_clean_and_every_output_still_answers():
    client = persona("operator_editor").client()
    client.post(
        reverse("library:practice-new"),
        {
            "title": "Hostile " + HOSTILE.replace("\t", " "),
            "summary": HOSTILE,
            "body": HOSTILE * 50,
            "pillar": "survey",
            "tags": "fine",
            "published_on": "2025-01-01",
            "language": "en",
            "visibility": "public",
        },
    )
    client.post(
        reverse("library:offer-new"),
        {
            "kind": "training",
            "title": '=HYPERLINK("http://evil")',
            "description": HOSTILE,
            "pillar": "survey",
            "modality": "capacity_building",
            "quantity": "1000000",
            "languages": "Arabic, French",
            "expires_on": (clock.today() + timedelta(days=9)).isoformat(),
            "visibility": "public",
        },
    )
    practice, offer = Practice.objects.get(), Offer.objects.get()
    assert not CONTROL.search(practice.summary + practice.body + practice.title + offer.description)
    reader = persona("anonymous").client()
    for url in (
        reverse("library:practices"),
        reverse("library:practice", args=[practice.pk]),
        reverse("library:offers"),
        reverse("library:offer", args=[offer.pk]),
        reverse("api-library-practice", args=[practice.pk]),
        reverse("api-library-offers"),
    ):
        response = reader.get(url)
        assert response.status_code == 200, url
        if not url.startswith("/api/"):  # the API gives the text as written, and its HTML sanitised
            assert "<script>alert(1)</script>" not in response.content.decode()
    body_html = reader.get(reverse("api-library-practice", args=[practice.pk])).json()["body_html"]
    assert "<script>" not in body_html
    sheet = load_workbook(io.BytesIO(reader.get(reverse("library:offers-xlsx")).content)).active
    title = next(sheet.iter_rows(min_row=2))[2]
    assert title.value.startswith("=") and title.data_type == "s"  # a formula is written as text
    csv_text = reader.get(reverse("library:practices-csv")).content.decode()
    assert ",=cmd" not in csv_text and "'=cmd" not in csv_text.split("\n")[0]


@pytest.mark.parametrize("quantity", ["1000001", "2147483648", "99999999999999999999", "-1", "1e9"])
def test_an_absurd_quantity_is_refused_with_a_message(quantity):
    response = (
        persona("io_editor")
        .client()
        .post(
            reverse("library:offer-new"),
            {
                "kind": "equipment",
                "title": "Detectors",
                "description": "d",
                "pillar": "clearance",
                "modality": "equipment",
                "quantity": quantity,
                "expires_on": (clock.today() + timedelta(days=9)).isoformat(),
                "visibility": "public",
            },
        )
    )
    assert response.status_code == 200 and "quantity" in response.context["form"].errors
    assert not Offer.objects.exists()


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2025-02-30", "1" * 40])
def test_dates_at_the_edges_never_fail(date):
    response = (
        persona("io_editor")
        .client()
        .post(
            reverse("library:practice-new"),
            {
                "title": "t",
                "summary": "s",
                "body": "b",
                "pillar": "survey",
                "published_on": date,
                "language": "en",
                "visibility": "public",
            },
        )
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert persona("anonymous").client().get(response["Location"]).status_code == 200
