"""The complete registry of participants (ccm/states/reference/participants.csv) and the States flag."""

import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ccm.states.models import State
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


@pytest.mark.django_db
def test_the_registry_holds_every_participant():
    counts = {
        status: State.objects.states().filter(ccm_status=status).count()
        for status in ("state_party", "signatory", "withdrawn")
    }
    assert counts == {"state_party": 112, "signatory": 12, "withdrawn": 1}
    vanuatu = State.objects.get(iso3="VUT")
    assert (vanuatu.deposit_date, vanuatu.instrument, vanuatu.entry_into_force) == (
        date(2025, 9, 5),
        "accession",
        date(2026, 3, 1),
    )
    lithuania = State.objects.get(iso3="LTU")
    assert (lithuania.withdrawal_notified, lithuania.withdrawal_effective) == (date(2024, 9, 6), date(2025, 3, 6))
    assert lithuania.treaty_source is not None and lithuania.treaty_source.as_of == date(2026, 2, 3)


@pytest.mark.django_db
def test_states_are_un_member_and_observer_states_and_the_cook_islands_and_niue():
    states = set(State.objects.states().values_list("iso3", flat=True))
    assert len(states) == 197
    assert {"AUT", "BEL", "VAT", "PSE", "COK", "NIU"} <= states
    assert not {"ATA", "ABW", "ESH", "GUM"} & states
    assert State.objects.filter(iso3="ATA").exists()  # still in the registry, as a funding recipient


def test_an_entry_into_force_in_participants_contradicting_article_17_is_refused(reference_copy):
    _replace(reference_copy / "participants.csv", "2025-09-05,accession,2026-03-01", "2025-09-05,accession,2026-04-01")
    with pytest.raises(ReferenceDataError) as excinfo:
        read_reference(reference_copy)
    [error] = excinfo.value.errors
    assert (error.file, error.column) == ("participants.csv", "entry_into_force")
    assert "2026-03-01" in error.message


def test_a_participant_marked_as_not_a_state_is_refused(reference_copy):
    _replace(reference_copy / "countries.csv", "COK,,oceania,Polynesia,yes", "COK,,oceania,Polynesia,no")
    with pytest.raises(ReferenceDataError) as excinfo:
        read_reference(reference_copy)
    assert [(e.file, e.column) for e in excinfo.value.errors] == [("participants.csv", "iso3")]


@pytest.mark.django_db
def test_a_date_on_which_the_files_differ_is_reported_not_chosen_silently(reference_copy):
    _replace(
        reference_copy / "states.csv", "LBN,state_party,2008-12-03,2010-11-05", "LBN,state_party,2008-12-02,2010-11-05"
    )
    data = read_reference(reference_copy)
    assert [(c.iso3, c.column) for c in data.conflicts] == [("GNB", "signature_date"), ("LBN", "signature_date")]
    out = StringIO()
    call_command("load_reference", path=reference_copy, stdout=out)
    assert "Sources differ: LBN signature_date" in out.getvalue()
    lebanon = State.objects.get(iso3="LBN")
    assert lebanon.signature_date == date(2008, 12, 3)  # the depositary record
    assert "Sources differ on the signature date" in lebanon.note


def test_a_malformed_participants_row_loads_nothing(reference_copy):
    with (reference_copy / "participants.csv").open("a") as handle:
        handle.write("XKX,Kosovo,state_party,,,,,,,https://example.org,t,2026-02-03,confirmed,,\n")
    with pytest.raises(CommandError, match="participants.csv"):
        call_command("load_reference", path=reference_copy, stdout=StringIO())
