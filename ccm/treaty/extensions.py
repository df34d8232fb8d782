"""Extension requests: Art 3(3)-(5) for stockpiles, Art 4(5)-(8) for clearance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ccm.treaty.deadlines import ObligationKind, add_months, add_years

# Art 3(5) and Art 4(6): a request is submitted at least nine months before the meeting deciding it.
SUBMISSION_LEAD_MONTHS = 9


class Decision(StrEnum):
    PENDING = "pending"  # submitted, not yet decided
    GRANTED = "granted"  # granted as requested or for a shorter period (Art 3(5), Art 4(7))
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"  # considered by a meeting, but the outcome is not on record

    @property
    def is_open(self) -> bool:
        """Whether the request may still change the deadline (pending, or outcome not known)."""
        return self in (Decision.PENDING, Decision.UNKNOWN)


@dataclass(frozen=True)
class ExtensionRequest:
    """One request to extend a deadline, with what is known of it."""

    decision: Decision = Decision.PENDING
    requested_until: date | None = None
    granted_until: date | None = None
    submitted_on: date | None = None
    meeting_on: date | None = None
    exceptional_circumstances: bool = False
    meeting: str = ""  # the meeting that considers the request, as on record (e.g. "13MSP")


@dataclass(frozen=True)
class Violation:
    """A way in which a request departs from the treaty; ``code`` is stable, ``message`` is for people."""

    code: str
    message: str
    article: str


def validate_extension_request(
    kind: ObligationKind | str,
    *,
    deadline: date,
    request: ExtensionRequest,
    previous_extensions: int = 0,
) -> list[Violation]:
    """Check ``request`` against the treaty, given the ``deadline`` it would extend.

    ``previous_extensions`` counts extensions already granted for this obligation (Art 3 allows
    further ones only in exceptional circumstances). Returns an empty list when the request conforms.
    """
    kind = ObligationKind(kind)
    art = f"Art {kind.article}"
    limit = add_years(deadline, kind.max_extension_years)
    problems: list[Violation] = []

    if request.requested_until is not None:
        if request.requested_until <= deadline:
            problems.append(
                Violation("not_later", f"The requested date must be after the current deadline, {deadline}.", art)
            )
        elif request.requested_until > limit:
            problems.append(
                Violation(
                    "too_long",
                    f"An extension under {art} may be of up to {kind.max_extension_years} years: "
                    f"until {limit} at the latest.",
                    f"{art}(3)" if kind is ObligationKind.STOCKPILE_DESTRUCTION else f"{art}(5)",
                )
            )

    if (
        kind is ObligationKind.STOCKPILE_DESTRUCTION
        and previous_extensions > 0
        and not request.exceptional_circumstances
    ):
        problems.append(
            Violation(
                "exceptional_circumstances_required",
                "A further Article 3 extension may be requested only in exceptional circumstances, "
                "which the request must set out.",
                "Art 3(3)",
            )
        )

    if request.submitted_on is not None and request.meeting_on is not None:
        latest = add_months(request.meeting_on, -SUBMISSION_LEAD_MONTHS)
        if request.submitted_on > latest:
            problems.append(
                Violation(
                    "late_submission",
                    f"A request must be submitted at least nine months before the meeting that "
                    f"considers it: by {latest} for a meeting on {request.meeting_on}.",
                    "Art 3(5)" if kind is ObligationKind.STOCKPILE_DESTRUCTION else "Art 4(6)",
                )
            )

    if kind is ObligationKind.CLEARANCE and request.submitted_on is not None and request.submitted_on >= deadline:
        problems.append(
            Violation(
                "after_deadline",
                f"An Article 4 request must be submitted before the deadline expires ({deadline}).",
                "Art 4(6)",
            )
        )

    if request.granted_until is not None:
        if request.decision is not Decision.GRANTED:
            problems.append(Violation("granted_date_without_grant", "Only a granted request has a granted date.", art))
        if request.granted_until <= deadline:
            problems.append(
                Violation("granted_not_later", f"The granted date must be after the deadline, {deadline}.", art)
            )
        if request.requested_until is not None and request.granted_until > request.requested_until:
            problems.append(
                Violation(
                    "granted_longer_than_requested",
                    "A meeting may grant a shorter extension than requested, never a longer one.",
                    f"{art}(5)" if kind is ObligationKind.STOCKPILE_DESTRUCTION else f"{art}(7)",
                )
            )
    return problems


def current_deadline(original: date | None, extensions: Iterable[ExtensionRequest]) -> date | None:
    """The deadline in force after the granted extensions, or ``None`` when it is not known.

    Requests are taken in the order given; a grant moves the deadline to its granted date (which may
    be shorter than requested). A grant whose date is not on record makes the deadline unknown, as
    does an unknown original deadline.
    """
    deadline = original
    for extension in extensions:
        if extension.decision is not Decision.GRANTED:
            continue
        if extension.granted_until is None:
            return None
        if deadline is None or extension.granted_until > deadline:
            deadline = extension.granted_until
    return deadline
