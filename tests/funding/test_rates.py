"""Current exchange rates: provisional conversion after the last rate, the ECB history loader (zipped
or plain, path or URL, checked cell by cell and bounded), reconversion by the periodic job, flows in a
currency without rates, the rates page and API."""

from __future__ import annotations

import http.server
import threading
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ccm.core import periodic
from ccm.core.clock import today
from ccm.core.models import AuditEntry
from ccm.funding import rates
from ccm.funding.models import ExchangeRate, FundingFlow
from ccm.funding.rates import EnteredRate, RateFileError, ecb_table, load_rates, rate_table
from tests.factories import FlowFactory
from tests.personas import persona

DATA = Path(__file__).resolve().parent.parent / "data" / "rates"
SMALL_CSV = DATA / "eurofxref-hist-small.csv"
SMALL_ZIP = DATA / "eurofxref-hist-small.zip"
NEWER_CSV = DATA / "eurofxref-hist-newer.csv"
Q = Decimal("0.0000000001")

pytestmark = pytest.mark.django_db


def _fixture_rates() -> dict[tuple[str, date], Decimal]:
    return {(r.currency, r.on): r.to_usd for r in ExchangeRate.objects.all()}


def _expected_small() -> dict[tuple[str, date], Decimal]:
    jan5, jan6 = date(2099, 1, 5), date(2099, 1, 6)
    return {
        ("EUR", jan6): Decimal("1.2000000000"),
        ("JPY", jan6): (Decimal("1.2") / Decimal("150")).quantize(Q),
        ("GBP", jan6): (Decimal("1.2") / Decimal("0.8")).quantize(Q),
        ("EUR", jan5): Decimal("1.1000000000"),
        ("GBP", jan5): (Decimal("1.1") / Decimal("0.85")).quantize(Q),
        ("CHF", jan5): (Decimal("1.1") / Decimal("0.95")).quantize(Q),
    }


def test_a_plain_ecb_history_file_is_read_as_rates_to_us_dollars():
    report = load_rates(path=SMALL_CSV, actor=None)
    assert report.layout == "ecb" and report.last == date(2099, 1, 6)
    assert _fixture_rates() == _expected_small()  # "N/A" cells give no rate; USD itself is the EUR rate
    assert report.stored == 6 and report.currencies == ("CHF", "EUR", "GBP", "JPY")
    assert all(r.source == rates.ECB_SOURCE for r in ExchangeRate.objects.all())
    assert AuditEntry.objects.filter(action="exchange_rate.load").count() == 1


def test_a_zipped_ecb_history_file_gives_the_same_rates():
    load_rates(path=SMALL_ZIP, actor=None)
    assert _fixture_rates() == _expected_small()


def test_loading_the_same_history_again_stores_nothing_new():
    load_rates(path=SMALL_CSV, actor=None)
    again = load_rates(path=SMALL_ZIP, actor=None)
    assert again.stored == 0 and again.unchanged == 6


def test_days_already_in_the_shipped_history_are_not_stored_again(tmp_path):
    eur = ecb_table().daily["EUR"]
    last_day, usd_per_eur = eur[0][-1], eur[1][-1]
    path = tmp_path / "history.csv"
    path.write_text(f"Date,USD,\n{last_day.isoformat()},{usd_per_eur},\n")
    report = load_rates(path=path, actor=None)
    assert report.read == 1 and report.stored == 0


def test_a_file_url_is_read():
    report = load_rates(path=SMALL_ZIP.as_uri(), actor=None)
    assert report.stored == 6 and _fixture_rates() == _expected_small()


def test_an_http_url_is_read_from_a_local_server():
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None  # type: ignore[method-assign,attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{SMALL_ZIP.name}"
        call_command("load_rates", url)
    finally:
        server.shutdown()
        server.server_close()
    assert _fixture_rates() == _expected_small()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("0", "more than zero"),
        ("-1.5", "more than zero"),
        ("1e30", "outside the accepted range"),
        ("1e-30", "outside the accepted range"),
        ("abc", "is not a number"),
    ],
)
def test_a_wrong_rate_is_reported_with_its_row_and_column_and_nothing_is_stored(tmp_path, cell, message):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(f"Date,USD,JPY,GBP,\n2099-01-06,1.2,150,0.8,\n2099-01-05,1.1,{cell},0.85,\n")
    with pytest.raises(RateFileError) as excinfo:
        load_rates(path=path, actor=None)
    assert "row 3, column JPY" in str(excinfo.value) and message in str(excinfo.value)
    assert not ExchangeRate.objects.exists()


def test_a_wrong_date_and_many_problems_are_listed_bounded(tmp_path):
    path = tmp_path / "eurofxref-hist.csv"
    lines = ["Date,USD,JPY,"] + [f"2099-02-{day:02d},1.2,-1," for day in range(1, 29)] * 3 + ["06/01/2099,1.2,150,"]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RateFileError) as excinfo:
        load_rates(path=path, actor=None)
    assert len(excinfo.value.problems) == rates.MAX_RATE_PROBLEMS and excinfo.value.more == 85 - 50
    assert "more problems" in str(excinfo.value)
    assert not ExchangeRate.objects.exists()


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: nothing written, 100 MB long
    with pytest.raises(CommandError, match="larger than"):
        call_command("load_rates", str(path))
    assert not ExchangeRate.objects.exists()


def test_a_zip_whose_content_unpacks_beyond_the_bound_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", "Date,USD,\n" + "2099-01-06,1.2,\n" * 20000)
    assert path.stat().st_size < 10_000
    monkeypatch.setattr(rates, "MAX_RATE_FILE_UNPACKED", 100_000)
    with pytest.raises(RateFileError, match="unpacked file is larger"):
        load_rates(path=path, actor=None)


def test_a_download_beyond_the_bound_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(rates, "MAX_RATE_FILE_BYTES", 50)
    with pytest.raises(RateFileError, match="download is larger"):
        load_rates(path=SMALL_CSV.as_uri(), actor=None)


def test_a_flow_dated_today_converts_with_the_latest_rate_provisionally():
    last = ecb_table().daily["EUR"][0][-1]
    with time_machine.travel(datetime.combine(last + timedelta(days=20), time(12), tzinfo=UTC), tick=False):
        day = today()  # twenty days after the last rate shipped
        flow = FlowFactory(currency="EUR", amount=Decimal("1000"), value_date=day)
    stored = FundingFlow.objects.get(pk=flow.pk)
    assert stored.rate_provisional and stored.rate_date == last and stored.usd_amount is not None
    assert stored.usd_amount == (Decimal(1000) * ecb_table().daily["EUR"][1][-1]).quantize(Decimal("0.01"))
    page = persona("anonymous").client().get("/funding/states/LBN/")
    assert "provisional" in page.content.decode()


def test_a_newer_rate_converts_a_provisional_flow_again_through_the_periodic_job(
    django_capture_on_commit_callbacks,
):
    load_rates(path=SMALL_CSV, actor=None)
    with time_machine.travel(datetime(2099, 1, 9, 12, tzinfo=UTC), tick=False):
        flow = FlowFactory(currency="GBP", amount=Decimal("1000"), value_date=date(2099, 1, 9))
        assert flow.rate_provisional and flow.rate_date == date(2099, 1, 6) and flow.usd_amount == Decimal("1500.00")
        settled = FlowFactory(currency="GBP", amount=Decimal("1000"), value_date=date(2099, 1, 5))
        load_rates(path=NEWER_CSV, actor=None)
        with django_capture_on_commit_callbacks(execute=True):
            enqueued = periodic.tick(now=datetime(2099, 1, 9, 13, 5, tzinfo=UTC))
    assert "funding.reconvert 2099-01-09T13" in enqueued
    flow.refresh_from_db()
    assert not flow.rate_provisional and flow.rate_date == date(2099, 1, 9)
    assert flow.usd_amount == Decimal("1562.50")  # 1.25 / 0.8 per pound
    assert AuditEntry.objects.filter(action="funding_flow.reconvert").count() == 1
    unchanged = FundingFlow.objects.get(pk=settled.pk)
    assert not unchanged.rate_provisional and unchanged.rate_date == date(2099, 1, 5)


def test_a_flow_in_a_currency_without_rate_or_source_is_refused_with_the_reason():
    with pytest.raises(ValidationError) as excinfo:
        FlowFactory(currency="LBP", amount=Decimal("1000000"), value_date=date(2025, 3, 3))
    assert "No exchange rate for LBP" in str(excinfo.value.message_dict["currency"])
    assert not FundingFlow.objects.exists() and not ExchangeRate.objects.exists()


def test_a_dated_rate_and_its_source_given_with_the_flow_converts_it_and_serves_the_next():
    entered = EnteredRate(to_usd=Decimal("0.0000111732"), on=date(2025, 3, 1), source="Banque du Liban (test)")
    flow = FlowFactory(currency="LBP", amount=Decimal("89500000"), value_date=date(2025, 3, 3), entered_rate=entered)
    assert flow.usd_amount == Decimal("1000.00") and flow.rate_source == "Banque du Liban (test)"
    assert flow.rate_provisional  # the rate is older than the value date
    same_day = FlowFactory(currency="LBP", amount=Decimal("89500000"), value_date=date(2025, 3, 1))
    assert same_day.usd_amount == Decimal("1000.00") and not same_day.rate_provisional
    assert ExchangeRate.objects.get(currency="LBP").source == "Banque du Liban (test)"
    with pytest.raises(ValidationError) as excinfo:
        FlowFactory(currency="EUR", value_date=date(2025, 3, 3), entered_rate=entered)
    assert "has rates on file" in str(excinfo.value)


def test_the_flow_form_lists_currencies_and_asks_a_rate_for_one_without(client):
    client = persona("io_editor").client()
    page = client.get("/funding/flows/new/?state=LBN").content.decode()
    assert "<select" in page and 'value="LBP"' in page and "The State&#x27;s usual currency" in page
    assert page.index('value="LBP"') < page.index('value="EUR"')  # usual currency at the top
    assert page.index('value="EUR"') < page.index('value="AFN"')  # with rates before without
    from ccm.states.models import State

    lebanon = State.objects.get(iso3="LBN")
    form = {
        "funder": persona("io_editor").user.memberships.first().organisation_id,
        "recipient_state": lebanon.pk,
        "pillar": "clearance",
        "stage": "commitment",
        "amount": "1000000",
        "currency": "LBP",
        "value_date": "2025-03-03",
        "visibility": "public",
    }
    refused = client.post("/funding/flows/new/", form)
    assert refused.status_code == 200 and "No exchange rate for LBP" in refused.content.decode()
    assert not FundingFlow.objects.exists()
    free_text = client.post("/funding/flows/new/", {**form, "currency": "XYZ"})
    assert free_text.status_code == 200 and not FundingFlow.objects.exists()
    given = client.post(
        "/funding/flows/new/",
        {**form, "rate": "0.0000111732", "rate_date": "2025-03-03", "rate_source": "Banque du Liban (test)"},
    )
    assert given.status_code == 302
    assert FundingFlow.objects.get().usd_amount == Decimal("11.17")


def test_the_rates_page_and_api_say_how_recent_each_currencys_rates_are_and_where_from(
    client, django_assert_max_num_queries
):
    load_rates(path=SMALL_CSV, actor=None)
    ExchangeRate.objects.create(currency="LBP", on=date(2025, 3, 1), kind="daily", to_usd=Q * 111732, source="BdL")
    with django_assert_max_num_queries(8):
        page = client.get("/funding/rates/")
    text = page.content.decode()
    assert page.status_code == 200 and "<caption>" in text
    assert "LBP" in text and "BdL" in text and rates.ECB_SOURCE in text
    rows = {r["currency"]: r for r in client.get("/api/v1/rates/currencies/").json()}
    assert rows["LBP"]["last"] == "2025-03-01" and rows["LBP"]["sources"] == ["BdL"]
    assert rows["EUR"]["last"] == "2099-01-06" and rows["EUR"]["sources"] == [rates.ECB_SOURCE]
    assert rows["LBP"]["age_days"] == (today() - date(2025, 3, 1)).days
    answer = client.get(f"/api/v1/rates/?currency=LBP&date={today().isoformat()}").json()
    assert answer["provisional"] is True and answer["on"] == "2025-03-01"


def test_the_rate_table_is_built_once_while_the_loaded_rates_are_unchanged(django_assert_num_queries):
    ExchangeRate.objects.create(currency="LBP", on=date(2025, 3, 1), kind="daily", to_usd=Q * 111732, source="BdL")
    first = rate_table()
    with django_assert_num_queries(1):
        assert rate_table() is first
    ExchangeRate.objects.create(currency="LBP", on=date(2025, 3, 2), kind="daily", to_usd=Q * 111733, source="BdL")
    assert rate_table().rate("LBP", date(2025, 3, 2)).to_usd == Q * 111733
