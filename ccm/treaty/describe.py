"""One obligation's status and the facts of the sentence that describes it, for every surface.

``describe_obligation`` is the single place that decides which status an obligation has on a day
and which facts its sentence states (deadline, completion date, the meeting that considered a
request, the end by withdrawal). Pages, the Country Brief, charts, the API and exports all word it
from this description (see ``ccm.states.wording``), so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ccm.treaty.deadlines import ObligationKind
from ccm.treaty.extensions import Decision, ExtensionRequest, current_deadline
from ccm.treaty.status import ObligationStatus, obligation_status

ORDINALS = [
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
    "Twentieth",
]


@dataclass(frozen=True)
class Meeting:
    name: str
    opened_on: date | None = None
    closed_on: date | None = None
    number: int | None = None  # of a Meeting of States Parties: pages name it in the reader's language


# Meetings whose dates are on record beyond the opening day in the reference data.
MEETING_DATES = {
    13: (date(2025, 9, 16), date(2025, 9, 19)),  # Thirteenth Meeting of States Parties, Geneva
}


def meeting(label: str, opened_on: date | None = None) -> Meeting:
    """A meeting named in full ("13MSP" → "Thirteenth Meeting of States Parties"), with its dates if known."""
    found = re.fullmatch(r"(\d{1,2})MSP", label.strip())
    if not found or not 1 <= int(found.group(1)) <= len(ORDINALS):
        return Meeting(label.strip(), opened_on)
    number = int(found.group(1))
    opened, closed = MEETING_DATES.get(number, (opened_on, None))
    return Meeting(f"{ORDINALS[number - 1]} Meeting of States Parties", opened_on or opened, closed, number)


@dataclass(frozen=True)
class ObligationDescription:
    """What a sentence about one obligation states; ``status`` decides which sentence."""

    status: ObligationStatus
    kind: ObligationKind
    deadline: date | None  # the deadline in force (after granted extensions)
    original_deadline: date | None = None
    completed_on: date | None = None
    completed_on_precision: str = "day"  # day | month | year
    request_meeting: Meeting | None = None  # the meeting that considered (or will consider) the open request
    requested_until: date | None = None
    ended_on: date | None = None  # withdrawal took (or takes) effect


def describe_obligation(
    *,
    today: date,
    kind: ObligationKind | str,
    original_deadline: date | None,
    extensions: Sequence[ExtensionRequest] = (),
    completed: bool = False,
    completed_on: date | None = None,
    completed_on_precision: str = "day",
    withdrawal_effective: date | None = None,
) -> ObligationDescription:
    """The status of one obligation on ``today`` and the facts its sentence needs.

    The latest open request decides between "awaiting a decision" (pending, or its meeting has not
    opened yet) and "considered, decision not on record"; the obligation of a State that withdrew
    ends on the day the withdrawal takes effect.
    """
    deadline = current_deadline(original_deadline, extensions)
    open_requests = [e for e in extensions if e.decision.is_open]
    latest = open_requests[-1] if open_requests else None
    # A request whose outcome is not on record was considered only once its meeting has opened;
    # before that day it is still awaiting a decision.
    considered = (
        latest is not None
        and latest.decision is Decision.UNKNOWN
        and (latest.meeting_on is None or latest.meeting_on <= today)
    )
    status = obligation_status(
        today=today,
        deadline=deadline,
        completed=completed,
        completed_on=completed_on,
        extension_pending=latest is not None and not considered,
        decision_not_on_record=considered,
        ended_on=withdrawal_effective,
    )
    return ObligationDescription(
        status=status,
        kind=ObligationKind(kind),
        deadline=deadline,
        original_deadline=original_deadline,
        completed_on=completed_on if completed else None,
        completed_on_precision=completed_on_precision or "day",
        request_meeting=meeting(latest.meeting, latest.meeting_on) if latest and latest.meeting else None,
        requested_until=latest.requested_until if latest else None,
        ended_on=withdrawal_effective,
    )
