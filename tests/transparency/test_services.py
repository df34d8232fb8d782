"""Recording a report's status: what is written, what is refused (and then nothing is written)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ccm.core.models import AuditEntry
from ccm.states.models import State
from ccm.transparency import services
from ccm.transparency.models import TransparencyReport
from tests.personas import persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)


def _record(state, actor=None, **overrides):
    fields = {
        "kind": "annual",
        "year": 2023,
        "status": "submitted",
        "submitted_on": date(2024, 4, 2),
        "source": "UN Article 7 database, consulted 2026-11-01",
    }
    fields.update(overrides)
    return services.report_record(state=state, actor=actor, today=TODAY, **fields)


def _refused(state, field, **overrides):
    before = (TransparencyReport.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as raised:
        _record(state, actor=persona("coordinator").user, **overrides)
    assert field in raised.value.message_dict, raised.value.message_dict
    assert (TransparencyReport.objects.count(), AuditEntry.objects.count()) == before
    return raised.value.message_dict[field]


def test_a_coordinator_records_a_submission_audited_and_not_self_reported(lebanon):
    done = _record(lebanon, actor=persona("coordinator").user)
    assert done.created and done.changed
    report = done.report
    assert (report.kind, report.year, report.submitted_on, report.self_reported) == (
        "annual",
        2023,
        date(2024, 4, 2),
        False,
    )
    entry = AuditEntry.objects.get(action="transparency_report.record", object_id=str(report.pk))
    assert entry.data["new"]["submitted_on"] == "2024-04-02"


def test_recording_again_updates_the_one_record_and_the_same_values_change_nothing(lebanon):
    coordinator = persona("coordinator").user
    first = _record(lebanon, actor=coordinator).report
    again = _record(lebanon, actor=coordinator)
    assert not again.changed
    changed = _record(lebanon, actor=coordinator, status="not_received", submitted_on=None, checked_on=date(2024, 6, 1))
    assert changed.report.pk == first.pk and not changed.created
    first.refresh_from_db()
    assert (first.status, first.submitted_on, first.checked_on) == ("not_received", None, date(2024, 6, 1))
    assert TransparencyReport.objects.filter(state=lebanon).count() == 1


def test_a_state_manager_records_its_own_report_marked_as_self_reported(lebanon):
    report = _record(lebanon, actor=persona("state_manager").user).report
    assert report.self_reported
    # a coordinator's later change clears the mark
    report = _record(lebanon, actor=persona("coordinator").user, source="Checked with the UN").report
    assert not report.self_reported


def test_the_initial_report_has_no_year(lebanon):
    assert _refused(lebanon, "year", kind="initial", year=2023, submitted_on=date(2011, 10, 1))
    report = _record(lebanon, kind="initial", year=None, submitted_on=date(2011, 10, 1)).report
    assert report.year is None


def test_an_initial_report_before_entry_into_force_is_refused(lebanon):
    assert _refused(lebanon, "submitted_on", kind="initial", year=None, submitted_on=date(2011, 4, 30))


def test_an_annual_report_submitted_before_the_year_is_over_is_refused(lebanon):
    messages = _refused(lebanon, "submitted_on", submitted_on=date(2023, 12, 31))
    assert "1 January 2024" in messages[0]


def test_a_submission_date_in_the_future_is_refused(lebanon):
    assert _refused(lebanon, "submitted_on", submitted_on=date(2026, 11, 30))


def test_a_year_in_the_future_is_refused(lebanon):
    assert _refused(lebanon, "year", year=2027, submitted_on=None, status="not_received", checked_on=TODAY)


def test_a_year_before_the_state_was_bound_is_refused(lebanon):
    assert "2009" in _refused(lebanon, "year", year=2009, submitted_on=date(2010, 2, 1))[0]


def test_a_year_before_the_first_annual_report_is_refused():
    # bound on 1 December 2010: its initial report (due 30 May 2011) covers 2010; the first annual is 2011
    state = State.objects.filter(entry_into_force__month__in=[11, 12], ccm_status="state_party").first()
    assert state is not None
    year = state.entry_into_force.year
    with pytest.raises(ValidationError) as raised:
        services.report_record(
            state=state,
            kind="annual",
            year=year,
            status="submitted",
            submitted_on=date(year + 1, 3, 1),
            source="s",
            actor=None,
            today=TODAY,
        )
    assert str(year + 1) in raised.value.message_dict["year"][0]


def test_a_state_not_bound_is_refused():
    signatory = State.objects.filter(entry_into_force__isnull=True).first()
    with pytest.raises(ValidationError) as raised:
        services.report_record(
            state=signatory,
            kind="initial",
            year=None,
            status="submitted",
            submitted_on=date(2020, 1, 1),
            source="s",
            actor=None,
            today=TODAY,
        )
    assert "state" in raised.value.message_dict


def test_not_received_needs_the_date_of_the_check_and_no_submission_date(lebanon):
    assert _refused(lebanon, "checked_on", status="not_received", submitted_on=None)
    assert _refused(lebanon, "submitted_on", status="not_received", checked_on=date(2024, 6, 1))


def test_a_check_in_the_future_is_refused(lebanon):
    assert _refused(lebanon, "checked_on", status="not_received", submitted_on=None, checked_on=date(2027, 1, 1))


def test_a_source_is_required_and_bounded(lebanon):
    assert _refused(lebanon, "source", source="   ")
    assert _refused(lebanon, "source", source="x" * 301)


def test_bad_codes_are_refused(lebanon):
    assert _refused(lebanon, "kind", kind="final")
    assert _refused(lebanon, "status", status="lost")


def test_a_bad_link_is_refused_by_the_model_and_nothing_is_written(lebanon):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        _record(lebanon, source_url="javascript:alert(1)")
    assert not TransparencyReport.objects.exists() and AuditEntry.objects.count() == before


def test_delete_makes_the_report_unknown_again_and_is_audited(lebanon):
    report = _record(lebanon).report
    pk = report.pk
    services.report_delete(report=report, actor=persona("coordinator").user)
    assert not TransparencyReport.objects.exists()
    assert AuditEntry.objects.filter(action="transparency_report.delete", object_id=str(pk)).exists()
