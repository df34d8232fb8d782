"""The shape of a year's figures, shared by services (validation) and selectors (protection)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.analytics.suppression import two_way_relations
from ccm.states.models import State
from ccm.victims.models import AgeGroup, Measure, Sex

FIRST_YEAR = 1940  # cluster munitions were first used in the Second World War
MAX_COUNT = 10_000_000  # far above any national figure; guards the column and the reader
BREAKDOWN_SEXES: tuple[str, ...] = (Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)
BREAKDOWN_AGES: tuple[str, ...] = (AgeGroup.CHILD, AgeGroup.ADULT, AgeGroup.UNKNOWN)
# Keys (sex, age group): each sex's row and each age group's column add up to at most their margin,
# and the margins and the breakdown to at most the total ("all", "all"). Sex.ALL == AgeGroup.ALL == "all".
RELATIONS = two_way_relations(BREAKDOWN_SEXES, BREAKDOWN_AGES, Sex.ALL)

# How a measure is titled on pages, exports and forms (the model's labels read "Casualties: killed")
TITLES: dict[str, Any] = {
    Measure.KILLED: _("People killed"),
    Measure.INJURED: _("People injured"),
    Measure.MEDICAL: _("People reached by medical care"),
    Measure.REHABILITATION: _("People reached by rehabilitation"),
    Measure.PSYCHOLOGICAL: _("People reached by psychological support"),
    Measure.INCLUSION: _("People reached by social and economic inclusion"),
}


def cell_name(measure: str, sex: str, age: str) -> str:
    """The form field (and error key) of a cell: ``killed-female-child``."""
    return f"{measure}-{sex}-{age}"


def before_entry_into_force(state: State, year: int) -> bool:
    """Whether ``year`` is before the Convention bound the State (the year of entry into force counts as
    bound). Such figures are accepted: victims of earlier use are covered by Article 5."""
    return state.entry_into_force is None or year < state.entry_into_force.year
