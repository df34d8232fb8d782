import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ccm.funding.demo import SAMPLE
from ccm.funding.iati import IatiFileError, read_activities
from ccm.funding.iati_import import import_iati
from ccm.funding.models import FundingFlow
from ccm.funding.rates import ecb_table, load_rates

DATA = Path(__file__).resolve().parents[1] / "data" / "iati"


def activity(
    identifier="XM-TEST-1",
    *,
    sectors='<sector code="15250" vocabulary="1" percentage="100"/>',
    places='<recipient-country code="LB" percentage="100"/>',
    transactions="",
    attrs='default-currency="EUR"',
    funder='<participating-org ref="XM-DONOR" role="1"/>',
    reporter="XM-DONOR",
):
    return f"""<iati-activity {attrs} last-updated-datetime="2024-01-01T00:00:00">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="{reporter}" type="10"><narrative>Donor</narrative></reporting-org>
  {funder}{sectors}{places}{transactions}
</iati-activity>"""


def transaction(kind="3", value="1000", date_="2021-05-25", currency="", extra=""):
    currency_attr = f' currency="{currency}"' if currency else ""
    return f"""<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{date_}"/>
  <value{currency_attr} value-date="{date_}">{value}</value>{extra}</transaction>"""


def write(tmp_path, name, *activities, version="2.03", prolog=""):
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0"?>{prolog}<iati-activities version="{version}">{"".join(activities)}</iati-activities>',
        encoding="utf-8",
    )
    return str(path)


def flows(path):
    return [f for a in read_activities(path) for f in a.flows]


def test_the_real_sample_gives_the_hand_checked_flows():
    found = sorted((f.activity, f.stage, f.amount, f.currency, f.country, f.share) for f in flows(str(SAMPLE)))
    assert found == [
        ("XI-IATI-EC_FPI-2019/407-774", "disbursement", Decimal("6749958.66"), "EUR", "SY", Decimal("1.000000")),
        ("XI-IATI-EC_FPI-2019/42200/0", "commitment", Decimal("550000.00"), "EUR", "SY", Decimal("0.550000")),
        # 18,000,000 committed × 55 % of the activity in sector 15250
        ("XI-IATI-EC_FPI-2019/42200/0", "commitment", Decimal("9900000.00"), "EUR", "SY", Decimal("0.550000")),
        ("XI-IATI-EC_FPI-2019/42303/0", "commitment", Decimal("2550000.00"), "EUR", "LK", Decimal("0.300000")),
    ]


def test_shares_split_by_sector_and_country_percentages(tmp_path):
    path = write(
        tmp_path,
        "a.xml",
        activity(
            sectors='<sector code="15250" percentage="30"/><sector code="15110" percentage="30"/>',  # sums to 60
            places='<recipient-country code="LB" percentage="75"/><recipient-region code="289" percentage="25"/>',
            transactions=transaction(value="1000"),
        ),
    )
    [result] = list(read_activities(path))
    assert {(f.country, f.region, f.amount) for f in result.flows} == {
        ("LB", "", Decimal("375.00")),
        ("", "289", Decimal("125.00")),
    }
    assert "sector percentages sum to 60, not 100: normalised" in result.warnings


def test_missing_percentages_are_split_evenly_with_a_warning(tmp_path):
    path = write(
        tmp_path,
        "a.xml",
        activity(sectors='<sector code="15250"/><sector code="15110"/>', transactions=transaction(value="1000")),
    )
    [result] = list(read_activities(path))
    assert result.flows[0].amount == Decimal("500.00")
    assert "sector percentages missing: split evenly over 2" in result.warnings


def test_transaction_sector_and_country_override_the_activitys(tmp_path):
    path = write(
        tmp_path,
        "a.xml",
        activity(
            sectors='<sector code="15110" percentage="100"/>',
            transactions=transaction(
                value="800", extra='<sector code="15250" vocabulary="1"/><recipient-country code="LA"/>'
            )
            + transaction(value="999"),
        ),
    )
    assert [(f.amount, f.country) for f in flows(path)] == [(Decimal("800.00"), "LA")]


def test_stages_and_who_counts(tmp_path):
    donor = activity(
        "XM-D-1",
        transactions=transaction("12", "100")
        + transaction("2", "200")
        + transaction("3", "300")
        + transaction("4", "400")
        + transaction("1", "999")
        + transaction("13", "999"),
    )
    implementer = activity(
        "XM-I-1",
        reporter="XM-NGO",
        funder='<participating-org ref="XM-DONOR" role="1"/>',
        transactions=transaction("4", "50"),
    )
    passthrough = activity(
        "XM-P-1",
        reporter="XM-UN",
        funder='<participating-org ref="XM-UN" role="1"/>',
        transactions=transaction("1", "500", extra='<provider-org ref="XM-DONOR" provider-activity-id="XM-D-1"/>')
        + transaction("3", "450"),
    )
    path = write(tmp_path, "a.xml", donor, implementer, passthrough)
    results = {a.identifier: a for a in read_activities(path)}
    assert [(f.stage, f.amount) for f in results["XM-D-1"].flows] == [
        ("pledge", Decimal("100.00")),
        ("commitment", Decimal("200.00")),
        ("disbursement", Decimal("300.00")),
        ("disbursement", Decimal("400.00")),  # expenditure by the funder itself
    ]
    assert results["XM-I-1"].flows == [] and "not a funder" in results["XM-I-1"].skips[0].reason
    assert results["XM-P-1"].flows == []
    assert [s.reason for s in results["XM-P-1"].skips] == [
        "incoming funds (type 1): money received is counted once, from the funder's side",
        "passes on money received from another organisation, counted at the funder's side",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '<?xml version="1.0"?><iati-activities version="2.03"><iati-activity><iati-identifier>X',
            "not well-formed XML",
        ),
        ('<?xml version="1.0"?><catalogue><book/></catalogue>', "no <iati-activities> root"),
        ('<?xml version="1.0"?><iati-activities version="3.01"></iati-activities>', "unsupported IATI version 3.01"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<iati-activities version="2.03"><iati-activity><iati-identifier>&lol2;</iati-identifier></iati-activity>'
            "</iati-activities>",
            "refused for safety",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity>'
            "</iati-activities>",
            "refused for safety",
        ),
    ],
)
def test_bad_files_are_refused_with_a_precise_message(tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IatiFileError, match=message):
        list(read_activities(str(path)))


def test_a_truncated_file_names_the_line_and_the_last_activity(tmp_path):
    path = write(tmp_path, "a.xml", activity("XM-OK-1", transactions=transaction()))
    text = Path(path).read_text()
    Path(path).write_text(text + "\n<iati-activity><iati-identifier>XM-CUT", encoding="utf-8")
    with pytest.raises(IatiFileError, match=r"line \d+: not well-formed XML \(after activity XM-OK-1\)"):
        list(read_activities(path))


@pytest.mark.django_db
def test_a_counted_transaction_without_currency_or_with_a_bad_date_refuses_the_file(tmp_path):
    no_currency = write(tmp_path, "a.xml", activity("XM-NC", attrs="", transactions=transaction()))
    bad_date = write(tmp_path, "b.xml", activity("XM-BD", transactions=transaction(date_="31-DEC-19")))
    good = write(tmp_path, "c.xml", activity("XM-GOOD", transactions=transaction(value="10")))
    report = import_iati(paths=[no_currency, bad_date, good], actor=None).as_dict()
    errors = [f["error"] for f in report["files"]]
    assert "activity XM-NC, transaction 1 (line 4): no currency on the value and no default currency" in errors[0]
    assert "activity XM-BD, transaction 1 (line 4): the date '31-DEC-19' is not in the form YYYY-MM-DD" in errors[1]
    assert errors[2] == ""
    assert list(FundingFlow.objects.values_list("iati_activity", flat=True)) == ["XM-GOOD"]


@pytest.mark.django_db
def test_importing_twice_changes_nothing_and_a_newer_version_replaces_its_flows(tmp_path):
    path = write(tmp_path, "a.xml", activity(transactions=transaction(value="1000") + transaction("2", "5000")))
    first = import_iati(paths=[path], actor=None).as_dict()["counts"]
    again = import_iati(paths=[path], actor=None).as_dict()["counts"]
    assert (first["flows_created"], again["flows_created"], again["flows_unchanged"]) == (2, 0, 2)
    newer = write(tmp_path, "a.xml", activity(transactions=transaction(value="1500")))
    third = import_iati(paths=[newer], actor=None).as_dict()["counts"]
    assert third["flows_updated"] == 1
    assert [f.amount for f in FundingFlow.objects.all()] == [Decimal("1500.00")]


@pytest.mark.django_db
def test_countries_map_to_states_and_user_codes_stay_unmapped(tmp_path):
    path = write(
        tmp_path,
        "a.xml",
        activity(places='<recipient-country code="XK"/>', transactions=transaction()),
        activity("XM-2", transactions=transaction()),
    )
    report = import_iati(paths=[path], actor=None).as_dict()
    by_activity = {f.iati_activity: f for f in FundingFlow.objects.select_related("recipient_state")}
    assert by_activity["XM-2"].recipient_state.iso3 == "LBN"
    assert by_activity["XM-TEST-1"].recipient_state is None and by_activity["XM-TEST-1"].recipient_label == "XK"
    assert any("XK is not an ISO 3166 country" in w["warning"] for w in report["warnings"])
    assert set(report["totals"]["by_recipient"]) == {"LBN", "XK"}


@pytest.mark.django_db
def test_the_rate_of_the_nearest_earlier_business_day_is_used_and_a_missing_rate_is_listed(tmp_path):
    saturday = date(2020, 3, 7)
    path = write(
        tmp_path,
        "a.xml",
        activity(transactions=transaction(value="1000", date_="2020-03-07")),
        activity("XM-2", attrs='default-currency="XAF"', transactions=transaction(value="1000")),
    )
    report = import_iati(paths=[path], actor=None).as_dict()
    eur = FundingFlow.objects.get(iati_activity="XM-TEST-1")
    friday_rate = ecb_table().rate("EUR", saturday)
    assert eur.rate_date == date(2020, 3, 6) == friday_rate.on
    assert eur.usd_amount == (Decimal(1000) * friday_rate.to_usd).quantize(Decimal("0.01"))
    xaf = FundingFlow.objects.get(iati_activity="XM-2")
    assert xaf.usd_amount is None and "no rate for XAF" in xaf.rate_problem
    assert report["rate_problems"][0]["currency"] == "XAF"


@pytest.mark.django_db
def test_loaded_rates_override_the_default(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text(
        "currency,date,to_usd,kind,source\nXAF,2021-01-01,0.0018,annual,OECD annual average\n"
        "XAF,2021-05-25,0.00185,daily,test\n"
    )
    assert load_rates(path=rates, actor=None).stored == 2
    path = write(tmp_path, "a.xml", activity(attrs='default-currency="XAF"', transactions=transaction(value="1000000")))
    import_iati(paths=[path], actor=None)
    assert FundingFlow.objects.get().usd_amount == Decimal("1850.00")
    bad = tmp_path / "bad.csv"
    bad.write_text("currency,date,to_usd\nXAF,2021-13-01,1\nEURO,2021-01-01,-1\n")
    with pytest.raises(ValueError, match="row 2") as excinfo:
        load_rates(path=bad, actor=None)
    assert "row 3" in str(excinfo.value)


@pytest.mark.django_db
def test_version_1_files_are_read(tmp_path):
    path = write(
        tmp_path,
        "v1.xml",
        activity(
            sectors='<sector code="15250" vocabulary="DAC" percentage="100"/>',
            funder='<participating-org ref="XM-DONOR" role="Funding"/>',
            transactions=transaction("D", "700") + transaction("E", "300"),
        ),
        version="1.05",
    )
    assert [(f.stage, f.amount) for f in flows(path)] == [
        ("disbursement", Decimal("700.00")),
        ("disbursement", Decimal("300.00")),
    ]


@pytest.mark.django_db
def test_the_command_writes_a_report_and_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, "a.xml", activity(transactions=transaction()))
    report_file = tmp_path / "report.json"
    out = StringIO()
    call_command("import_iati", path, "--dry-run", "--report", str(report_file), stdout=out)
    assert "dry run" in out.getvalue() and not FundingFlow.objects.exists()
    report = json.loads(report_file.read_text())
    assert report["dry_run"] and report["counts"]["flows_would_be_created"] == 1
    assert "flows_created" not in report["counts"]
    call_command("import_iati", path, stdout=StringIO())
    assert FundingFlow.objects.count() == 1


SCHEMA_DIR = DATA / "schema"
CASES = DATA / "schema-tests" / "activity-tests"


def test_the_schema_conformance_cases_pass_and_fail_as_they_should():
    from ccm.funding.iati import validate_file

    schema = str(SCHEMA_DIR / "iati-activities-schema.xsd")
    passing = sorted(CASES.glob("should-pass/**/*.xml"))
    failing = sorted(CASES.glob("should-fail/**/*.xml"))
    assert len(passing) > 40 and len(failing) > 200
    assert [p.name for p in passing if validate_file(str(p), schema)] == []
    assert [p.name for p in failing if not validate_file(str(p), schema)] == []


@pytest.mark.django_db
def test_validation_refuses_an_invalid_file_before_import(tmp_path):
    path = write(tmp_path, "a.xml", activity(transactions=transaction()))  # no title, no activity-status...
    report = import_iati(paths=[path], actor=None, schema=str(SCHEMA_DIR / "iati-activities-schema.xsd")).as_dict()
    assert "not valid against the IATI schema" in report["files"][0]["error"]
    assert not FundingFlow.objects.exists()


def test_a_dtd_hidden_after_a_comment_is_refused(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text(
        '<?xml version="1.0"?><!-- <iati- --><!DOCTYPE x [<!ENTITY s "15250">]>'
        '<iati-activities version="2.03"><iati-activity><iati-identifier>A</iati-identifier>'
        '<sector code="&s;"/></iati-activity></iati-activities>'
    )
    with pytest.raises(IatiFileError, match="refused for safety"):
        list(read_activities(str(path)))


@pytest.mark.django_db
def test_a_nan_amount_fails_its_own_file_and_the_other_files_are_imported(tmp_path):
    iati = tmp_path / "a.xml"
    iati.write_text(
        '<?xml version="1.0"?><iati-activities version="2.03"><iati-activity default-currency="EUR">'
        '<iati-identifier>A</iati-identifier><reporting-org ref="R"/>'
        '<sector code="15250" percentage="100"/><recipient-country code="LB"/>'
        '<transaction><transaction-type code="3"/><value value-date="2021-01-05">NaN</value>'
        "</transaction></iati-activity></iati-activities>"
    )
    good = tmp_path / "b.xml"
    good.write_text(iati.read_text().replace("NaN", "10").replace("<iati-identifier>A<", "<iati-identifier>B<"))
    report = import_iati(paths=[str(iati), str(good)], actor=None).as_dict()
    assert "not a usable number" in report["files"][0]["error"] and report["files"][1]["error"] == ""
    assert FundingFlow.objects.count() == 1


def test_a_reversal_nets_against_the_same_funder_recipient_stage_and_currency(tmp_path):
    path = write(
        tmp_path,
        "a.xml",
        activity(
            places='<recipient-country code="LB" percentage="50"/><recipient-country code="LA" percentage="50"/>',
            transactions=transaction("3", "1000", "2021-01-10")  # 500 to each country
            + transaction("3", "400", "2021-03-10")  # 200 to each
            + transaction("2", "5000", "2021-01-05")  # a commitment: another stage, untouched
            + transaction("3", "-300", "2021-04-01")  # -150 to each: nets against the March disbursement
            + transaction("3", "700", "2021-02-01", currency="USD")  # another currency, untouched
            + transaction("3", "-2000", "2021-05-01", currency="USD"),  # more than was counted in USD
        ),
    )
    [result] = list(read_activities(path))
    ledger = sorted((f.country, f.stage, f.currency, f.value_date.month, f.amount) for f in result.flows)
    assert ledger == [
        ("LA", "commitment", "EUR", 1, Decimal("2500.00")),
        ("LA", "disbursement", "EUR", 1, Decimal("500.00")),
        ("LA", "disbursement", "EUR", 3, Decimal("50.00")),  # 200 - 150
        ("LB", "commitment", "EUR", 1, Decimal("2500.00")),
        ("LB", "disbursement", "EUR", 1, Decimal("500.00")),
        ("LB", "disbursement", "EUR", 3, Decimal("50.00")),
    ]
    assert all(f.amount > 0 for f in result.flows)
    eur = [r for r in result.reversals if r.currency == "EUR"]
    assert {(r.country, r.amount, r.netted_against, r.not_in_ledger) for r in eur} == {
        ("LA", Decimal("-150.00"), ("transaction 2 (line 5)",), Decimal(0)),
        ("LB", Decimal("-150.00"), ("transaction 2 (line 5)",), Decimal(0)),
    }
    usd = sorted((r.country, r.not_in_ledger) for r in result.reversals if r.currency == "USD")
    assert usd == [("LA", Decimal("650.00")), ("LB", Decimal("650.00"))]  # -1000 against 350 each
    assert sum("takes back 650.00 more than this activity counted" in w for w in result.warnings) == 2
    # the signed shares, for the report's totals: nothing dropped
    assert sum(f.amount for f in result.counted if f.currency == "EUR" and f.stage == "disbursement") == 1100
    assert sum(f.amount for f in result.counted if f.currency == "USD") == -1300


@pytest.mark.django_db
def test_the_report_nets_a_reversal_and_gives_totals_per_recipient_stage_and_currency(tmp_path):
    path = write(
        tmp_path,
        "a.xml",
        activity(
            "XM-A",
            transactions=transaction("3", "1000")
            + transaction("3", "-250", "2021-06-01")
            + transaction("2", "4000")
            + transaction("3", "90", currency="USD"),
        ),
        activity(
            "XM-B",
            places='<recipient-country code="LA"/>',
            transactions=transaction("3", "300") + transaction("12", "800"),
        ),
        activity("XM-C", places='<recipient-country code="XK"/>', transactions=transaction("3", "-40")),
    )
    report = import_iati(paths=[path], actor=None).as_dict()
    cells = {
        (row["recipient"], row["recipient_name"], row["stage"], row["currency"]): Decimal(row["amount"])
        for row in report["totals"]["by_recipient_stage_currency"]
    }
    assert cells == {
        ("LBN", "Lebanon", "disbursement", "EUR"): Decimal("750.00"),  # 1000 - 250
        ("LBN", "Lebanon", "commitment", "EUR"): Decimal("4000.00"),
        ("LBN", "Lebanon", "disbursement", "USD"): Decimal("90.00"),
        ("LAO", "Lao People's Democratic Republic", "disbursement", "EUR"): Decimal("300.00"),
        ("LAO", "Lao People's Democratic Republic", "pledge", "EUR"): Decimal("800.00"),
        ("XK", "XK", "disbursement", "EUR"): Decimal("-40.00"),  # a reversal with nothing to net against
    }
    usd_row = next(r for r in report["totals"]["by_recipient_stage_currency"] if r["currency"] == "USD")
    assert usd_row["usd"] == "90.00" and usd_row["shares_without_rate"] == 0
    ledger = {(f.iati_activity, f.stage, f.currency): f.amount for f in FundingFlow.objects.all()}
    assert ledger[("XM-A", "disbursement", "EUR")] == Decimal("750.00")
    assert ("XM-C", "disbursement", "EUR") not in ledger
    assert report["counts"]["reversals"] == 2
    reversal = next(r for r in report["reversals"] if r["activity"] == "XM-A")
    assert reversal["amount"] == "-250.00" and reversal["netted_against"] == ["transaction 1 (line 4)"]
    assert reversal["recipient"] == "LBN" and reversal["not_in_ledger"] == "0.00"
    xk = next(r for r in report["reversals"] if r["activity"] == "XM-C")
    assert xk["not_in_ledger"] == "40.00"
    # the one-dimension totals net too
    assert report["totals"]["by_stage"]["disbursement"]["EUR"] == "1010.00"  # 750 + 300 - 40


@pytest.mark.django_db
def test_every_transaction_not_counted_is_listed_with_its_reason(tmp_path):
    counted = activity(
        "XM-A",
        sectors='<sector code="15250" percentage="100"/>',
        transactions=transaction("3", "0")  # a zero value
        + transaction("3", "0.00")
        + transaction("1", "500")  # incoming
        + transaction("11", "500")  # incoming commitment
        + transaction("5", "20")  # interest payment
        + transaction("7", "20")  # reimbursement
        + transaction("3", "100", extra='<sector code="15110" vocabulary="1"/>')  # another sector
        + transaction("3", "100")  # counted
        + '<transaction><transaction-type code="3"/><transaction-date iso-date="2021-01-01"/></transaction>',
    )
    outside = activity("XM-OUT", sectors='<sector code="15110"/>', transactions=transaction() + transaction())
    nowhere = activity("XM-NOWHERE", places="", transactions=transaction())
    expenditure = activity("XM-NGO", reporter="XM-NGO", transactions=transaction("4", "50"))
    path = write(tmp_path, "a.xml", counted, outside, nowhere, expenditure)
    report = import_iati(paths=[path], actor=None, dry_run=True).as_dict()
    skips = {(s["activity"], s["transaction"].split(" (")[0], s["reason"]) for s in report["skips"]}
    assert skips == {
        ("XM-A", "transaction 1", "the value is zero"),
        ("XM-A", "transaction 2", "the value is zero"),
        ("XM-A", "transaction 3", "incoming funds (type 1): money received is counted once, from the funder's side"),
        (
            "XM-A",
            "transaction 4",
            "incoming commitment (type 11): money received is counted once, from the funder's side",
        ),
        ("XM-A", "transaction 5", "interest payment (type 5) is not a pledge, commitment or disbursement"),
        ("XM-A", "transaction 6", "reimbursement (type 7) is not a pledge, commitment or disbursement"),
        ("XM-A", "transaction 7", "its sectors do not include 15250"),
        ("XM-A", "transaction 9", "no value"),
        ("XM-NOWHERE", "transaction 1", "no recipient country or region"),
        ("XM-NGO", "transaction 1", "expenditure by an organisation that is not a funder of the activity"),
    }
    counts = report["counts"]
    assert (counts["transactions_read"], counts["transactions_counted"], counts["transactions_skipped"]) == (13, 1, 12)
    summary = {row["reason"]: row["transactions"] for row in report["skip_summary"]}
    assert summary["in an activity with no share in sector 15250"] == 2  # XM-OUT's, counted not listed
    assert summary["the value is zero"] == 2
    assert sum(summary.values()) + counts["transactions_counted"] == counts["transactions_read"]


@pytest.mark.django_db
def test_a_refused_file_counts_nothing_and_says_so_in_the_skips(tmp_path):
    bad = write(tmp_path, "a.xml", activity("XM-NC", attrs="", transactions=transaction() + transaction()))
    report = import_iati(paths=[bad], actor=None, dry_run=True).as_dict()
    assert report["counts"]["transactions_counted"] == 0
    assert report["skip_summary"] == [
        {
            "reason": "in a refused file: nothing from it is counted",
            "transactions": report["counts"]["transactions_read"],
        }
    ]


MEMORY_PROBE = """
import resource, sys
sys.path.insert(0, sys.argv[2])
from ccm.funding.iati import read_activities
found = [(a.identifier, len(a.flows)) for a in read_activities(sys.argv[1])]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(found), sum(n for _i, n in found))
"""


@pytest.mark.parametrize("layout", ["after the activities", "inside one element", "between activities"])
def test_memory_stays_flat_with_millions_of_elements_outside_any_activity(tmp_path, layout):
    """Peak resident memory of a child process reading the file (ru_maxrss, not timing): a tree kept
    whole would take several hundred MB for these three million elements."""
    import subprocess
    import sys

    repo = str(Path(__file__).resolve().parents[2])
    junk = "<x/>" * 1_000_000
    one = activity("XM-1", transactions=transaction())
    two = activity("XM-2", transactions=transaction())
    body = {
        "after the activities": one + two + junk * 3,
        "inside one element": one + "<extra>" + junk * 3 + "</extra>" + two,
        "between activities": one + junk + two + junk + junk,
    }[layout]
    big = write(tmp_path, "big.xml", body)
    small = write(tmp_path, "small.xml", one, two)

    def peak_mb(path):
        done = subprocess.run(  # noqa: S603 - our own probe script, on a file the test wrote
            [sys.executable, "-c", MEMORY_PROBE, path, repo], capture_output=True, text=True, check=True
        )
        kilobytes, activities, flows = (int(x) for x in done.stdout.split())
        assert (activities, flows) == (2, 2)
        return kilobytes / 1024

    assert Path(big).stat().st_size > 12_000_000
    assert peak_mb(big) - peak_mb(small) < 40
