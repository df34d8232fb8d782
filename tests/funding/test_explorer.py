"""The funding explorer (/funding/explorer/ and /api/v1/funding/explorer/): two clicks to "who funded
clearance in Lao PDR in 2021, and how much", the role matrix on totals, rankings and trend, query
counts that do not grow with the flows, bad and edge input, downloads, IATI activity links."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urljoin, urlparse

import lxml.html
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from ccm.funding import explorer
from ccm.funding.demo import SAMPLE
from ccm.funding.explorer_views import trend_svg
from ccm.funding.iati_import import import_iati
from ccm.funding.models import FlowSource, FundingFlow
from ccm.states.models import State
from tests.factories import FlowFactory
from tests.personas import ALL_PERSONAS, organisation, persona

pytestmark = pytest.mark.django_db

EXPLORER = "/funding/explorer/"
API = "/api/v1/funding/explorer/"
LAO_NAME = "Lao People's Democratic Republic"
# Who sees a flow the international organisation keeps to itself: its members and the coordinators
SEES_IO_CONFIDENTIAL = ["io_viewer", "io_editor", "io_manager", "coordinator", "administrator"]


@pytest.fixture
def lao():
    return State.objects.get(iso3="LAO")


@pytest.fixture
def lao_2021(lao, lebanon):
    """Clearance in Lao PDR in 2021 from two funders, one confidential flow from a third, and flows
    that differ from the question in one respect each (year, pillar, State)."""
    io_org, operator = organisation("io"), organisation("operator")
    FlowFactory(
        funder=io_org, recipient_state=lao, stage="commitment", amount=Decimal("300000"), value_date=date(2021, 2, 1)
    )
    FlowFactory(
        funder=io_org, recipient_state=lao, stage="disbursement", amount=Decimal("200000"), value_date=date(2021, 8, 1)
    )
    FlowFactory(
        funder=operator, recipient_state=lao, stage="commitment", amount=Decimal("150000"), value_date=date(2021, 5, 1)
    )
    FlowFactory(
        funder=operator, recipient_state=lao, stage="pledge", amount=Decimal("50000"), value_date=date(2021, 6, 1)
    )
    FlowFactory(
        funder=io_org,
        recipient_state=lao,
        stage="commitment",
        amount=Decimal("1000000"),
        value_date=date(2021, 3, 1),
        visibility="organisation",
    )
    FlowFactory(funder=io_org, recipient_state=lao, amount=Decimal("999"), value_date=date(2022, 1, 1))
    FlowFactory(
        funder=io_org,
        recipient_state=lao,
        pillar="victim_assistance",
        amount=Decimal("777"),
        value_date=date(2021, 1, 1),
    )
    FlowFactory(funder=operator, recipient_state=lebanon, amount=Decimal("555"), value_date=date(2021, 1, 1))


def _doc(response):
    assert response.status_code == 200, response.content[:500]
    return lxml.html.fromstring(response.content.decode())


def _table(doc, caption_start):
    tables = [t for t in doc.iter("table") if t.findtext("caption", "").strip().startswith(caption_start)]
    assert len(tables) == 1, caption_start
    return tables[0]


def _follow(client, current, href):
    return client.get(urljoin(current, href)), urljoin(current, href)


def _ranking(doc):
    rows = []
    for tr in _table(doc, "Funders by what they funded").iter("tr"):
        cells = [c.text_content().strip() for c in tr if c.tag in ("td", "th")]
        if tr.getparent().tag == "tbody":
            rows.append(cells)
    return rows


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_two_clicks_answer_who_funded_clearance_in_lao_in_2021(lao_2021):
    client = persona("anonymous").client()
    # Click 1: Lao PDR's clearance row in the table of recipients and pillars
    doc = _doc(client.get(EXPLORER))
    row = next(
        tr
        for tr in _table(doc, "Recipient States by pillar").iter("tr")
        if tr.findtext("th/a") == LAO_NAME and tr.xpath("string(td[1]/a)") == "Clearance"
    )
    response, url = _follow(client, EXPLORER, row.xpath("td[1]/a/@href")[0])
    # Click 2: the year 2021 in the table of years
    doc = _doc(response)
    year_link = next(a for a in _table(doc, "Each year of value date").iter("a") if a.text == "2021")
    response, url = _follow(client, url, year_link.get("href"))
    assert parse_qs(urlparse(url).query) == {"recipient": ["LAO"], "pillar": ["clearance"], "year": ["2021"]}

    doc = _doc(response)
    # The answer: who, and how much (what each funded: the larger of committed and disbursed)
    assert _ranking(doc) == [
        ["1", "International organisation", "300,000", "300,000", "200,000", "0", "2"],
        ["2", "Operator", "150,000", "150,000", "0", "50,000", "2"],
    ]
    figures = {dt.text_content(): dt.getnext().text_content() for dt in doc.iter("dt")}
    assert figures["Flows"] == "4"
    assert figures["Committed (USD)"] == "450,000"
    assert figures["Disbursed (USD)"] == "200,000"
    assert figures["Pledged (USD)"] == "50,000"
    # ... and every flow listed is one of the question's
    dates = [td.text_content().strip() for td in _table(doc, "The flows of this selection").xpath("tbody/tr/td[1]")]
    assert dates == ["1 August 2021", "1 June 2021", "1 May 2021", "1 February 2021"]


@override_settings(DEBUG=True)
def test_the_demo_answers_the_question():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    data = persona("anonymous").client().get(API, {"recipient": "LAO", "pillar": "clearance", "year": 2021}).json()
    funders = [row["label"] for row in data["by_funder"] if Decimal(row["funded"]) > 0]
    assert len(funders) >= 2
    flows = FundingFlow.objects.filter(
        recipient_state__iso3="LAO", pillar="clearance", value_date__year=2021, visibility="public"
    )
    assert Decimal(data["totals"]["committed"]) == sum(f.usd_amount for f in flows if f.stage == "commitment")


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_a_flow_the_reader_may_not_see_is_not_listed_nor_counted(name, lao_2021):
    client = persona(name).client()
    sees = name in SEES_IO_CONFIDENTIAL
    query = {"recipient": "LAO", "pillar": "clearance", "year": 2021}
    data = client.get(API, query).json()
    io_committed = Decimal("1300000") if sees else Decimal("300000")
    assert Decimal(data["totals"]["committed"]) == io_committed + Decimal("150000")
    assert data["totals"]["flows"] == (5 if sees else 4)
    assert data["flows"]["count"] == len(data["flows"]["results"]) == data["totals"]["flows"]
    ranking = {row["label"]: Decimal(row["funded"]) for row in data["by_funder"]}
    assert ranking["International organisation"] == io_committed
    assert sum(Decimal(row["committed"]) for row in data["by_year"]) == io_committed + Decimal("150000")
    # the page says the same
    doc = _doc(client.get(EXPLORER, query))
    assert _ranking(doc)[0][1:3] == ["International organisation", f"{io_committed:,.0f}"]
    assert ("1 March 2021" in doc.text_content()) is sees
    # and the downloads
    rows = list(csv.reader(io.StringIO(_body(client.get("/funding/explorer/flows.csv", query)).decode())))
    assert len(rows) - 1 == (5 if sees else 4)


def test_query_counts_do_not_grow_with_the_flows(lao):
    def count(url):
        client = persona("state_viewer").client()
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                assert _body(response)  # the rows are read while the body streams
        return len(queries)

    FlowFactory(recipient_state=lao)
    few = {url: count(url) for url in (EXPLORER, API, "/funding/explorer/flows.csv")}
    for index in range(40):
        FlowFactory(
            funder=organisation("operator" if index % 2 else "io"),
            recipient_state=lao,
            stage=["pledge", "commitment", "disbursement"][index % 3],
            value_date=date(2015 + index % 8, 1, 1),
            pillar=["clearance", "survey"][index % 2],
        )
    many = {url: count(url) for url in few}
    assert many == few
    assert few[EXPLORER] <= 14 and few[API] <= 10  # the page part kept for the reader: two more


@pytest.mark.parametrize(
    "query",
    [
        {"recipient": "XXX"},
        {"recipient": "lao"},
        {"funder": "nobody"},
        {"pillar": "gardening"},
        {"stage": "maybe"},
        {"source": "rumour"},
        {"year": "abc"},
        {"year": "1800"},
        {"year": "99999999999999999999"},
        {"q": "x" * 500},
        {"q": "a\x00b"},
    ],
)
def test_unknown_filter_values_are_refused_with_a_message(query, lao_2021):
    client = persona("anonymous").client()
    response = client.get(EXPLORER, query)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Some filters are not valid" in text
    assert 'class="error"' in text
    assert client.get("/funding/explorer/flows.csv", query).status_code == 400


@pytest.mark.parametrize(
    "query", [{"recipient": "XXX"}, {"stage": "maybe"}, {"year": "1800"}, {"limit": "100000"}, {"offset": "-1"}]
)
def test_the_api_refuses_unknown_values_with_400(query):
    response = persona("anonymous").client().get(API, query)
    assert response.status_code == 400
    assert set(response.json()) <= {"recipient", "stage", "year", "limit", "offset"}


@pytest.mark.parametrize("page", ["99999999999999999999999999", "-3", "abc", "0", ""])
def test_page_numbers_at_the_edges_are_bounded(page, lao):
    for _index in range(3):
        FlowFactory(recipient_state=lao)
    response = persona("anonymous").client().get(EXPLORER, {"page": page})
    assert response.status_code == 200
    assert len(response.context["drill"]["flows"]) == 3


def test_the_flows_table_is_paginated(lao, monkeypatch):
    monkeypatch.setattr("ccm.funding.explorer_views.PAGE_SIZE", 2)
    for day in range(1, 6):
        FlowFactory(recipient_state=lao, value_date=date(2020, 1, day))
    client = persona("anonymous").client()
    first = _doc(client.get(EXPLORER, {"recipient": "LAO"}))
    assert "Page 1 of 3" in first.text_content()
    next_link = first.xpath("//a[@rel='next']/@href")[0]
    assert parse_qs(urlparse(next_link).query) == {"recipient": ["LAO"], "page": ["2"]}
    last = client.get(EXPLORER, {"recipient": "LAO", "page": "3"})
    assert [item["flow"].value_date.day for item in last.context["drill"]["flows"]] == [1]


def test_downloads_hold_the_selection_with_safe_text_and_a_row_bound(lao, monkeypatch):
    operator = organisation("operator")
    operator.name = "=HYPERLINK(1)"
    operator.save()
    FlowFactory(funder=operator, recipient_state=lao, amount=Decimal("1234.5"))
    FlowFactory(recipient_state=lao, pillar="survey")
    client = persona("anonymous").client()
    response = client.get("/funding/explorer/flows.csv", {"recipient": "LAO", "pillar": "clearance"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(_body(response).decode())))
    assert rows[0][:3] == ["value_date", "funder", "funder_ref"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][3:10] == [
        "Lao People's Democratic Republic",
        "LAO",
        "Clearance",
        "Commitment",
        "1234.50",
        "USD",
        "1234.50",
    ]
    book = load_workbook(io.BytesIO(_body(client.get("/funding/explorer/flows.xlsx", {"recipient": "LAO"}))))
    sheet = book.active
    assert sheet.title == "Flows"
    assert sheet.max_row == 3
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    quoted = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "=HYPERLINK(1)")
    assert quoted[1].quotePrefix and quoted[1].data_type == "s"
    assert not any(cell.quotePrefix for cell in quoted[2:]), "the quote prefix stays on its own cell"
    assert quoted[7].value == 1234.5 and quoted[7].data_type == "n"
    # The CSV has no bound; the spreadsheet stops at its row limit and says so.
    monkeypatch.setattr(explorer, "XLSX_MAX_ROWS", 1)
    everything = client.get("/funding/explorer/flows.csv", {"recipient": "LAO"})
    assert len(list(csv.reader(io.StringIO(_body(everything).decode())))) == 3
    assert "X-CCM-Truncated" not in everything
    bounded = client.get("/funding/explorer/flows.xlsx", {"recipient": "LAO"})
    assert bounded["X-CCM-Truncated"] == "1"
    assert load_workbook(io.BytesIO(_body(bounded))).active.max_row == 2


def test_the_csv_download_is_written_in_the_readers_language_while_it_streams(lao):
    FlowFactory(recipient_state=lao, pillar="survey")
    client = persona("anonymous").client()
    response = client.get("/funding/explorer/flows.csv", HTTP_ACCEPT_LANGUAGE="fr")
    translation.activate("en")  # what another request on this thread would do before the body is read
    rows = list(csv.reader(io.StringIO(_body(response).decode())))
    assert rows[1][5] == "Enquête"


def test_the_csv_download_streams_in_flat_memory(lao, monkeypatch):
    """The download of N flows holds one chunk of rows at a time: its peak memory does not grow with N."""
    monkeypatch.setattr(explorer, "EXPORT_CHUNK", 100)

    def peak(count: int) -> tuple[int, int]:
        FundingFlow.objects.bulk_create(
            FundingFlow(
                recipient_state=lao,
                funder_name=f"Funder {i % 7}",
                pillar="clearance",
                stage="disbursement",
                amount=Decimal(i + 1),
                currency="USD",
                usd_amount=Decimal(i + 1),
                value_date=date(2020, 1, 1),
                source=FlowSource.ENTERED,
                visibility="public",
            )
            for i in range(count - FundingFlow.objects.count())
        )
        response = persona("anonymous").client().get("/funding/explorer/flows.csv")
        tracemalloc.start()
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        _size, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return lines, top

    small_lines, small = peak(500)
    large_lines, large = peak(5000)
    assert (small_lines, large_lines) == (501, 5001)
    assert large < small * 1.5, (small, large)


def test_an_iati_flow_links_to_its_activity():
    import_iati(paths=[str(SAMPLE)], actor=None)
    client = persona("anonymous").client()
    doc = _doc(client.get(EXPLORER, {"source": "iati"}))
    links = [a for a in _table(doc, "The flows of this selection").iter("a") if a.get("class") == "code"]
    assert links
    identifier = links[0].text
    response, _url = _follow(client, EXPLORER + "?source=iati", links[0].get("href"))
    doc = _doc(response)
    assert doc.xpath("string(//section[@aria-labelledby='activity-heading']//code)") == identifier
    shown = FundingFlow.objects.filter(iati_activity=identifier).count()
    assert response.context["totals"].flows == shown
    external = doc.xpath("//section[@aria-labelledby='activity-heading']//a/@href")[0]
    assert external.startswith("https://d-portal.org/q.html?aid=")


def test_search_and_drill_down_by_funder(lao_2021):
    client = persona("anonymous").client()
    searched = client.get(EXPLORER, {"q": "operator"}).context["totals"]
    assert searched.flows == 3 and searched.funders == 1
    doc = _doc(client.get(EXPLORER))
    link = next(a for a in _table(doc, "Funders by what they funded").iter("a") if a.text == "Operator")
    response, _url = _follow(client, EXPLORER, link.get("href"))
    assert response.context["filters"].funder == organisation("operator").slug
    assert {item["flow"].funder_id for item in response.context["drill"]["flows"]} == {organisation("operator").pk}
    # each active filter can be removed by a link
    assert "Remove the filter Funder" in response.content.decode()


def test_the_trend_chart_is_readable_on_a_phone_and_escapes_its_text():
    rows = [
        explorer.Row("2020", "2020", 1, Decimal(0), Decimal("1000000"), Decimal("500")),
        explorer.Row("2021", "<b>2021</b>", 2, Decimal("5"), Decimal(0), Decimal("2000000")),
    ]
    svg = trend_svg(rows)
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    # the page is 390 px wide, less 2 × 16 px of padding: the chart is drawn at about 358 px
    assert min(sizes) * 358 / width >= 12
    assert "<b>" not in svg and "&lt;b&gt;2021&lt;/b&gt;" in svg
    assert 'role="img"' in svg and "<title" in svg
    assert trend_svg([]) == ""


def test_the_explorer_is_linked_from_the_navigation_and_the_funding_overview():
    client = persona("anonymous").client()
    for url in ("/", "/funding/"):
        doc = _doc(client.get(url))
        assert EXPLORER in doc.xpath("//a/@href"), url


def test_the_trend_has_no_gaps_between_years():
    from ccm.funding.explorer_views import with_empty_years

    rows = [explorer.Row("2019", "2019", 1, Decimal(1), Decimal(0), Decimal(0))]
    rows.append(explorer.Row("2022", "2022", 2, Decimal(0), Decimal(3), Decimal(0)))
    filled = with_empty_years(rows)
    assert [r.key for r in filled] == ["2019", "2020", "2021", "2022"]
    assert [r.flows for r in filled] == [1, 0, 0, 2]
    assert with_empty_years([]) == []


def test_a_funder_whose_flows_are_all_hidden_is_not_offered(lao):
    FlowFactory(funder=organisation("isu"), recipient_state=lao, visibility="organisation")
    FlowFactory(funder=organisation("io"), recipient_state=lao)
    isu = organisation("isu").slug
    offered = dict(persona("anonymous").client().get(EXPLORER).context["form"].fields["funder"].choices)
    assert isu not in offered and organisation("io").slug in offered
    assert persona("anonymous").client().get(EXPLORER, {"funder": isu}).status_code == 400
    seen = persona("isu_viewer").client().get(EXPLORER, {"funder": isu})
    assert seen.status_code == 200 and seen.context["totals"].flows == 1


def test_the_state_and_donor_pages_lead_to_their_flows_in_the_explorer(lao_2021):
    client = persona("anonymous").client()
    page = client.get("/funding/states/LAO/").content.decode()
    assert 'href="/funding/explorer/?recipient=LAO"' in page
    assert client.get("/funding/explorer/", {"recipient": "LAO"}).status_code == 200
    flow = FundingFlow.objects.filter(recipient_state__iso3="LAO", visibility="public").exclude(funder_ref="").first()
    donor = client.get(f"/funding/donors/{flow.funder_ref}/").content.decode()
    assert f'href="/funding/explorer/?funder={flow.funder_ref}"' in donor
    assert client.get("/funding/explorer/", {"funder": flow.funder_ref}).status_code == 200
