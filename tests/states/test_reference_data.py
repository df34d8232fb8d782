import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ccm.states.models import Obligation, Source, State
from ccm.states.reference_data import REFERENCE_DIR, ReferenceDataError, read_reference


@pytest.fixture
def reference_copy(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_project_reference_data_is_valid():
    data = read_reference()
    assert data.states["LBN"]["entry_into_force"].isoformat() == "2011-05-01"
    assert len(data.countries) == 249
    assert data.countries["KOR"]["name"] == "Republic of Korea"


def test_a_malformed_date_is_reported_with_file_row_and_column(reference_copy):
    _replace(
        reference_copy / "states.csv", "LBN,state_party,2008-12-03,2010-11-05", "LBN,state_party,2008-12-03,05/11/2010"
    )
    with pytest.raises(ReferenceDataError) as excinfo:
        read_reference(reference_copy)
    [error] = excinfo.value.errors
    assert (error.file, error.column) == ("states.csv", "deposit_date")
    lines = (reference_copy / "states.csv").read_text().splitlines()
    assert lines[error.row - 1].startswith("LBN,")
    assert "not a date" in error.message


def test_an_entry_into_force_contradicting_article_17_is_refused(reference_copy):
    _replace(reference_copy / "states.csv", "2010-11-05,ratification,2011-05-01", "2010-11-05,ratification,2011-06-01")
    with pytest.raises(ReferenceDataError) as excinfo:
        read_reference(reference_copy)
    assert [e.column for e in excinfo.value.errors] == ["entry_into_force"]
    assert "2011-05-01" in excinfo.value.errors[0].message


def test_unknown_source_unknown_state_and_duplicate_rows_are_all_reported(reference_copy):
    _replace(
        reference_copy / "obligations.csv",
        "LBN,clearance,2021-05-01,,lbn-mon2016",
        "LBN,clearance,2021-05-01,,no-such-source",
    )
    with (reference_copy / "extensions.csv").open("a") as handle:
        handle.write("XYZ,clearance,1,no,,,,,pending,,,no,,ccm13msp,partial,\n")
        handle.write("LBN,clearance,2,no,,13MSP,2025-09-16,,unknown,,,no,,ccm13msp,partial,\n")
    with pytest.raises(ReferenceDataError) as excinfo:
        read_reference(reference_copy)
    messages = [str(e) for e in excinfo.value.errors]
    assert any("obligations.csv" in m and "'source'" in m and "no-such-source" in m for m in messages)
    assert any("extensions.csv" in m and "'iso3'" in m and "XYZ" in m for m in messages)
    # the unknown ISO code stops that row; the duplicate is still reported
    assert any("extensions.csv" in m and "duplicate" in m for m in messages)


def test_a_missing_column_is_reported(reference_copy):
    path = reference_copy / "sources.csv"
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace(",as_of", ",asof")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReferenceDataError) as excinfo:
        read_reference(reference_copy)
    assert {(e.column, e.row) for e in excinfo.value.errors} == {("as_of", 1), ("asof", 1)}


@pytest.mark.django_db
def test_the_command_names_the_bad_cell_and_writes_nothing(reference_copy):
    Source.objects.filter(key="lbn-mon2021").update(citation="before")
    _replace(reference_copy / "sources.csv", "Cluster Munition Monitor 2021, Lebanon: impact", "changed")
    _replace(
        reference_copy / "obligations.csv",
        "HRV,clearance,2020-08-01,,hrv-isu-2020,confirmed,yes",
        "HRV,clearance,2020-08-01,,hrv-isu-2020,confirmed,maybe",
    )
    counts = (State.objects.count(), Obligation.objects.count())
    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference", path=reference_copy, stdout=StringIO())
    assert "obligations.csv, row" in str(excinfo.value)
    assert "column 'completed'" in str(excinfo.value)
    assert "nothing was loaded" in str(excinfo.value)
    assert Source.objects.get(key="lbn-mon2021").citation == "before"
    assert (State.objects.count(), Obligation.objects.count()) == counts
