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
    EXTENSION_PENDING = "extension_pending"  # a request awaits a decision
    DECISION_NOT_ON_RECORD = "decision_not_on_record"  # a meeting considered a request; its decision is not on record
    ENDED = "ended"  # the State withdrew: the obligation ended when the withdrawal took effect
    UNKNOWN = "unknown"  # the deadline is not on record


def obligation_status(
    *,
    today: date,
    deadline: date | None,
    completed: bool = False,
    completed_on: date | None = None,
    extension_pending: bool = False,
    decision_not_on_record: bool = False,
    ended_on: date | None = None,
) -> ObligationStatus:
    """The status of one obligation on ``today``.

    Completion wins (a completion dated in the future does not count yet); then the end of the
    obligation by withdrawal (``ended_on``, from the day the withdrawal takes effect); then an open
    extension request (a decision not on record, or awaited); then the deadline: unknown, passed
    (overdue), within twelve months (due soon) or later (on track). The deadline day itself is still
    in time.
    """
    if completed_on is not None:
        if completed_on <= today:
            return ObligationStatus.COMPLETED
    elif completed:
        return ObligationStatus.COMPLETED
    if ended_on is not None and ended_on <= today:
        return ObligationStatus.ENDED
    if decision_not_on_record:
        return ObligationStatus.DECISION_NOT_ON_RECORD
    if extension_pending:
        return ObligationStatus.EXTENSION_PENDING
    if deadline is None:
        return ObligationStatus.UNKNOWN
    if today > deadline:
        return ObligationStatus.OVERDUE
    if today >= add_months(deadline, -DUE_SOON_MONTHS):
        return ObligationStatus.DUE_SOON
    return ObligationStatus.ON_TRACK
