"""Reading victim-assistance figures.

``exact_year`` returns the stored figures unprotected: call it only for a reader who may see a State's
exact figures (its government's members and the coordinators: ``ccm.victims.policies``). Public surfaces
read the protected tables instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccm.states.models import State
from ccm.victims.models import VictimAssistanceYear


@dataclass(frozen=True)
class ExactYear:
    """One State's figures for one year, exact. ``cells`` maps (measure, sex, age_group) to the count;
    a cell that is absent was not reported."""

    state_id: int
    year: int
    source: str
    source_url: str
    illustrative: bool
    cells: dict[tuple[str, str, str], int] = field(default_factory=dict)


def exact_year(state: State, year: int) -> ExactYear | None:
    """The State's exact figures for ``year``, or None when it entered none (two queries)."""
    record = VictimAssistanceYear.objects.filter(state=state, year=year).first()
    if record is None:
        return None
    cells = {(f.measure, f.sex, f.age_group): f.count for f in record.figures.all()}
    return ExactYear(
        state_id=state.pk,
        year=year,
        source=record.source,
        source_url=record.source_url,
        illustrative=record.illustrative,
        cells=cells,
    )
