"""Identifiers from outside in URLs (issue 11, item 5): a donor's page is addressed by a URL-safe form of
its IATI reference (ccm.core.converters.ExternalRefConverter), whatever characters the reference holds;
the reference is shown on the page, never used raw as a path segment."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ccm.core.converters import ExternalRefConverter
from ccm.funding.models import FundingFlow
from tests.factories import FlowFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db

HOSTILE_REFS = [
    "XM/EVIL",
    "XM-DAC-41114",
    "what?now",
    "hash#tag",
    "100%25 and %",
    "with space",
    "Ünïcødé-東京/ref",
    "ctl\x0bref\x1b\x7f",
    "../..",
    ".",
    "~tilde",
    "-",
    "a" * 100,
]


@pytest.mark.parametrize("ref", HOSTILE_REFS)
def test_a_donor_page_opens_whatever_its_reference_holds(ref):
    flow = FlowFactory()
    FundingFlow.objects.filter(pk=flow.pk).update(funder_ref=ref, funder_name=f"Donor {ref}", funder=None)
    url = reverse("funding:donor", args=[ref])
    assert re.fullmatch(r"/funding/donors/[A-Za-z0-9._~\-]+/", url), url
    for client in (Client(), persona("io_manager").client(), persona("coordinator").client()):
        for page in ("/funding/", "/funding/states/LBN/", "/funding/coverage.csv", "/funding/coverage.xlsx"):
            assert client.get(page).status_code == 200, page
        assert client.get("/api/v1/flows/").status_code == 200
        state_page = client.get("/funding/states/LBN/").content.decode()
        assert f'href="{url}"' in state_page  # the listing links to the donor page
        donor_page = client.get(url)
        assert donor_page.status_code == 200
        assert escape(ref) in donor_page.content.decode()  # the reference is shown


def test_the_converter_round_trips_and_refuses_what_does_not_decode():
    converter = ExternalRefConverter()
    for ref in [*HOSTILE_REFS, "", "\ud800", "日本"]:
        segment = converter.to_url(ref)
        assert re.fullmatch(ExternalRefConverter.regex, segment)
        assert converter.to_python(segment) == ref
    assert converter.to_url("XM-DAC-41114") == "XM-DAC-41114"  # ordinary references stay readable
    assert Client().get("/funding/donors/~a/").status_code == 404  # not base64
    assert Client().get("/funding/donors/~_w/").status_code == 404  # not UTF-8
    assert Client().get("/funding/donors/XM%2FEVIL/").status_code == 404


def test_an_iati_import_with_hostile_references_leaves_every_page_answering(tmp_path):
    from ccm.funding.iati_import import import_iati
    from tests.funding.test_iati import activity, transaction, write

    funder = (
        '<participating-org ref="XM/EVIL?#%25 é&#10;" role="1">'
        "<narrative>Evil&#13;&#10;donor&#133;&#127;</narrative></participating-org>"
    )
    path = write(tmp_path, "a.xml", activity(funder=funder, reporter="XM/EVIL", transactions=transaction()))
    import_iati(paths=[path], actor=None)
    flow = FundingFlow.objects.get()
    assert "\n" not in flow.funder_ref + flow.funder_name and "\x85" not in flow.funder_name  # cleaned on the way in
    client = Client()
    for page in ("/funding/", "/funding/states/LBN/", "/funding/coverage.csv", "/api/v1/flows/"):
        assert client.get(page).status_code == 200, page
    url = reverse("funding:donor", args=[flow.funder_ref])
    assert f'href="{url}"' in client.get("/funding/states/LBN/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and escape(flow.funder_ref) in page.content.decode()
