"""Where an obligation stands on a given day."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from ccm.treaty.deadlines import add_months

DUE_SOON_MONTHS = 12


class ObligationStatus(StrEnum):
    COMPLETED = "completed"
    ON_TRACK = "on_track"  # deadline more than twelve months away
    DUE_SOON = "due_soon"  # deadline within the next twelve months
    OVERDUE = "overdue"  # deadline passed, not completed, no request open
    EXTENSION_PENDING = "extension_pending"  # a request awaits a decision (or its outcome is unknown)
    UNKNOWN = "unknown"  # the deadline is not on record


def obligation_status(
    *,
    today: date,
    deadline: date | None,
    completed: bool = False,
    completed_on: date | None = None,
    extension_pending: bool = False,
) -> ObligationStatus:
    """The status of one obligation on ``today``.

    Completion wins (a completion dated in the future does not count yet); then an open extension
    request; then the deadline: unknown, passed (overdue), within twelve months (due soon) or later
    (on track). The deadline day itself is still in time.
    """
    if completed_on is not None:
        if completed_on <= today:
            return ObligationStatus.COMPLETED
    elif completed:
        return ObligationStatus.COMPLETED
    if extension_pending:
        return ObligationStatus.EXTENSION_PENDING
    if deadline is None:
        return ObligationStatus.UNKNOWN
    if today > deadline:
        return ObligationStatus.OVERDUE
    if today >= add_months(deadline, -DUE_SOON_MONTHS):
        return ObligationStatus.DUE_SOON
    return ObligationStatus.ON_TRACK
