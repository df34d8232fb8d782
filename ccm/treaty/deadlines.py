"""Entry into force (Art 17) and original deadlines (Art 3(2), Art 4(1))."""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

# Art 17(1): the Convention entered into force on 1 August 2010, the first day of the sixth month
# after the month in which the thirtieth instrument was deposited (16 February 2010).
THIRTIETH_DEPOSIT = date(2010, 2, 16)
FIRST_ENTRY_INTO_FORCE = date(2010, 8, 1)


class ObligationKind(StrEnum):
    STOCKPILE_DESTRUCTION = "stockpile_destruction"  # Article 3
    CLEARANCE = "clearance"  # Article 4

    @property
    def article(self) -> int:
        return 3 if self is ObligationKind.STOCKPILE_DESTRUCTION else 4

    @property
    def base_years(self) -> int:
        """Years from entry into force to the original deadline."""
        return 8 if self is ObligationKind.STOCKPILE_DESTRUCTION else 10

    @property
    def max_extension_years(self) -> int:
        """Longest extension one request may ask for."""
        return 4 if self is ObligationKind.STOCKPILE_DESTRUCTION else 5


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in common years."""
    target_year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(target_year):
        return date(target_year, 2, 28)
    return day.replace(year=target_year)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def entry_into_force(deposit_date: date) -> date:
    """Art 17: when the Convention enters into force for a State depositing on ``deposit_date``.

    Up to and including the thirtieth deposit (16 February 2010): 1 August 2010. After it: the first
    day of the sixth month after the month of deposit (deposit in March 2011 → 1 September 2011).
    """
    if deposit_date <= THIRTIETH_DEPOSIT:
        return FIRST_ENTRY_INTO_FORCE
    return add_months(deposit_date.replace(day=1), 6)


def original_deadline(
    kind: ObligationKind | str,
    entry_into_force: date,
    hostilities_ended: date | None = None,
) -> date:
    """The deadline before any extension.

    Art 3(2): stockpiles destroyed within 8 years of entry into force.
    Art 4(1)(a): remnants present at entry into force cleared within 10 years of it.
    Art 4(1)(b): remnants arising after entry into force cleared within 10 years of the end of the
    active hostilities that produced them (``hostilities_ended``).
    """
    kind = ObligationKind(kind)
    if hostilities_ended is not None:
        if kind is not ObligationKind.CLEARANCE:
            raise ValueError("Only Article 4 clearance deadlines run from the end of hostilities.")
        if hostilities_ended < entry_into_force:
            raise ValueError(
                "Article 4(1)(b) applies to contamination arising after entry into force; "
                "the end of hostilities cannot precede it."
            )
        return add_years(hostilities_ended, kind.base_years)
    return add_years(entry_into_force, kind.base_years)
