"""Demo Article 7 reporting status (``ccm seed_demo``): illustrative records for a few States, labelled as
such — some reports on time, some late, some checked and not received (overdue), the rest left unknown.
These are not the UN's record: the source of every row says so."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from ccm.accounts.models import User
from ccm.core import demo
from ccm.core.clock import today
from ccm.transparency import services
from ccm.transparency.models import SubmissionStatus, TransparencyReport
from ccm.transparency.selectors import state_for_reports
from ccm.treaty import reporting as rules

SOURCE = "Illustrative demo data (not the UN Article 7 record)"
# Per State, a pattern for its reports, oldest first: days after the due date it was submitted (negative:
# before; 0: on the day), "missing" (checked after the due date, not received) or None (nothing on record).
PATTERNS: dict[str, list[int | str | None]] = {
    "NOR": [-30, -10, -5, 0, -20, -12, -3, -1, -8, -15, -2, -4, -6, -9, -11, -7, -3],
    "LBN": [40, -5, 12, -3, None, -1, 95, -10, -2, 30, -8, None, -4, 15, "missing"],
    "LAO": [-20, -15, 60, -2, -5, -9, None, 3, -1, -6, -4, -3, -2, -1, -7],
    "HRV": [-3, 10, None, None, -6, -2, 18, -1, -4, -5, -2, -3, -8, -1, -9],
    "TCD": [210, None, 400, "missing", None, 120, "missing", None, None, None, "missing", "missing", "missing"],
    "IRQ": [90, 35, -2, None, 14, -8, "missing", 22, -3],
    "MNE": [-1, -4, None, 7, -2, -6, -3, None, -5, -1, "missing", -2, -4, -3],
}


@demo.register
def seed() -> list[str]:
    if TransparencyReport.objects.filter(illustrative=True).exists():
        return ["Article 7 demo: already present."]
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    day = today()
    written = 0
    with transaction.atomic():
        for iso3, pattern in PATTERNS.items():
            state = state_for_reports(iso3)
            if state is None or state.entry_into_force is None:
                continue
            expected = rules.expected_reports(
                entry_into_force=state.entry_into_force, today=day, withdrawal_effective=state.withdrawal_effective
            )
            for report, outcome in zip(expected, pattern, strict=False):
                if outcome is None or report.due >= day:
                    continue
                status, submitted, checked = SubmissionStatus.SUBMITTED.value, None, None
                if outcome == "missing":
                    status, checked = SubmissionStatus.NOT_RECEIVED.value, min(day, report.due + timedelta(days=45))
                else:
                    submitted = report.due + timedelta(days=int(outcome))
                    earliest = rules.earliest_submission(
                        report.kind, entry_into_force=state.entry_into_force, year=report.year
                    )
                    if submitted > day or submitted < earliest:
                        continue
                try:
                    services.report_record(
                        state=state,
                        kind=report.kind.value,
                        year=report.year,
                        status=status,
                        submitted_on=submitted,
                        checked_on=checked,
                        source=SOURCE,
                        illustrative=True,
                        actor=coordinator,
                        today=day,
                    )
                except ValidationError:
                    continue
                written += 1
    return [f"Article 7 demo: {written} illustrative report records for {len(PATTERNS)} States (others unknown)."]


from ccm.transparency import draft_demo  # noqa: E402, F401 - registers the Article 7 drafts' demo step
