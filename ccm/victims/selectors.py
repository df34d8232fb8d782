"""Reading victim-assistance figures.

``exact_year`` returns the stored figures unprotected: call it only for a reader who may see a State's
exact figures (its government's members and the coordinators: ``ccm.victims.policies``). Public surfaces
read the protected tables instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from ccm.analytics.suppression import Status, protect
from ccm.core.templatetags.ccm import number
from ccm.states.models import State
from ccm.victims import policies
from ccm.victims.models import (
    AgeGroup,
    HasVictims,
    Measure,
    Sex,
    VictimAssistanceProfile,
    VictimAssistanceYear,
    VictimFigure,
)
from ccm.victims.rules import RELATIONS, TITLES, before_entry_into_force


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


# --- Reading for pages, API, exports and the Country Brief (protected or exact, decided here) ---------


class FigureStatus(models.TextChoices):
    """How a cell is published (the values of ``ccm.analytics.suppression.Status``)."""

    SHOWN = Status.SHOWN.value, _("shown")
    SMALL = Status.SMALL.value, _("fewer than 5")
    WITHHELD = Status.WITHHELD.value, _("withheld")


@dataclass(frozen=True)
class Cell:
    """One published cell: ``value`` when shown, else None with ``status`` "small" (1 to 4) or
    "withheld" (withheld so that a small number cannot be worked out)."""

    status: str
    value: int | None

    @property
    def text(self) -> str:
        if self.status == Status.SMALL:
            return str(_("fewer than 5"))
        if self.status == Status.WITHHELD:
            return str(_("withheld"))
        return number(self.value)


@dataclass(frozen=True)
class MeasureTable:
    measure: str
    label: str
    cells: dict[tuple[str, str], Cell]

    @property
    def total(self) -> Cell | None:
        return self.cells.get((Sex.ALL, AgeGroup.ALL))

    @property
    def has_breakdown(self) -> bool:
        return any(key != (Sex.ALL, AgeGroup.ALL) for key in self.cells)

    @property
    def rows(self) -> list[tuple[str, list[Cell | None]]]:
        """Rows by sex (then "All"), each with its cells by age group (then "All ages")."""
        return [
            (str(Sex(sex).label), [self.cells.get((sex, age)) for age in GRID_AGES])
            for sex in GRID_SEXES
            if any((sex, age) in self.cells for age in GRID_AGES)
        ]


@dataclass(frozen=True)
class YearFigures:
    year: int
    source: str
    source_url: str
    note: str
    illustrative: bool
    exact: bool
    before_entry_into_force: bool
    measures: list[MeasureTable]

    @property
    def protected_cells(self) -> int:
        return sum(1 for m in self.measures for c in m.cells.values() if c.status != Status.SHOWN)

    def measure(self, measure: str) -> MeasureTable | None:
        return next((m for m in self.measures if m.measure == measure), None)


@dataclass(frozen=True)
class Reading:
    """What a reader gets for one State: its profile and its years, protected unless ``exact``."""

    state: State
    exact: bool
    profile: VictimAssistanceProfile | None
    years: list[YearFigures]


GRID_SEXES: tuple[str, ...] = (Sex.FEMALE, Sex.MALE, Sex.UNKNOWN, Sex.ALL)
GRID_AGES: tuple[str, ...] = (AgeGroup.CHILD, AgeGroup.ADULT, AgeGroup.UNKNOWN, AgeGroup.ALL)
AGE_LABELS = [AgeGroup(age).label for age in GRID_AGES]


def is_exact_for(viewer: Any, state_id: int) -> bool:
    """THE decision: whether ``viewer`` reads the State's figures exact (else protected)."""
    return policies.profiles.can(viewer, policies.EXACT, VictimAssistanceProfile(state_id=state_id))


def _measure_tables(figures: list[VictimFigure], exact: bool) -> list[MeasureTable]:
    tables = []
    for measure in Measure.values:
        grid = {(f.sex, f.age_group): f.count for f in figures if f.measure == measure}
        if not grid:
            continue
        status = dict.fromkeys(grid, Status.SHOWN) if exact else protect(grid, RELATIONS)
        cells = {
            key: Cell(status=str(status[key]), value=grid[key] if status[key] == Status.SHOWN else None) for key in grid
        }
        tables.append(MeasureTable(measure=measure, label=str(TITLES[measure]), cells=cells))
    return tables


def _year_figures(record: VictimAssistanceYear, state: State, exact: bool) -> YearFigures:
    return YearFigures(
        year=record.year,
        source=record.source,
        source_url=record.source_url,
        note=record.note,
        illustrative=record.illustrative,
        exact=exact,
        before_entry_into_force=before_entry_into_force(state, record.year),
        measures=_measure_tables(list(record.figures.all()), exact),
    )


def reading(viewer: Any, state: State, *, year: int | None = None) -> Reading:
    """The State's profile and figures as ``viewer`` may read them (three queries, whatever the number
    of years): exact for its government and the coordinators, protected for everyone else."""
    exact = is_exact_for(viewer, state.pk)
    profile = VictimAssistanceProfile.objects.filter(state=state).first()
    records = VictimAssistanceYear.objects.filter(state=state).prefetch_related("figures").order_by("-year")
    if year is not None:
        records = records.filter(year=year)
    return Reading(
        state=state,
        exact=exact,
        profile=profile,
        years=[_year_figures(r, state, exact) for r in records],
    )


# --- The list of States ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StateRow:
    state: State
    profile: VictimAssistanceProfile | None
    latest: YearFigures | None

    @property
    def latest_totals(self) -> list[Cell | None]:
        """The latest year's totals of the list's columns (killed, injured, rehabilitation)."""
        if self.latest is None:
            return [None] * len(LIST_MEASURES)
        tables = [self.latest.measure(m) for m in LIST_MEASURES]
        return [t.total if t else None for t in tables]


LIST_MEASURES: tuple[str, ...] = (Measure.KILLED, Measure.INJURED, Measure.REHABILITATION)
SORTS = {"name": ("name",), "-name": ("-name",)}


def states_with_victim_assistance(*, has_victims: str = "", region: str = "", q: str = "", sort: str = "name") -> Any:
    """States with a profile or figures, filtered (a QuerySet, for paging; no counts involved)."""
    rows = State.objects.filter(
        Q(victim_assistance__isnull=False) | Q(victim_assistance_years__isnull=False)
    ).distinct()
    if has_victims in HasVictims.values:
        if has_victims == HasVictims.UNKNOWN:
            rows = rows.filter(Q(victim_assistance__isnull=True) | Q(victim_assistance__has_victims=has_victims))
        else:
            rows = rows.filter(victim_assistance__has_victims=has_victims)
    if region:
        rows = rows.filter(region=region)
    if q:
        rows = rows.filter(name__icontains=q[:100])
    return rows.order_by(*SORTS.get(sort, SORTS["name"]), "pk")


def state_rows(viewer: Any, states: list[State]) -> list[StateRow]:
    """One row per State of a page, with its latest year's figures as ``viewer`` may read them
    (three queries for the page)."""
    ids = [s.pk for s in states]
    profiles_by_state = {p.state_id: p for p in VictimAssistanceProfile.objects.filter(state_id__in=ids)}
    # only each State's latest year is read, with its figures (not every year's)
    newest = VictimAssistanceYear.objects.filter(state_id=OuterRef("state_id")).order_by("-year").values("pk")[:1]
    latest_years = VictimAssistanceYear.objects.filter(state_id__in=ids, pk=Subquery(newest)).prefetch_related(
        "figures"
    )
    latest: dict[int, VictimAssistanceYear] = {found.state_id: found for found in latest_years}
    out = []
    for state in states:
        record = latest.get(state.pk)
        figures = _year_figures(record, state, is_exact_for(viewer, state.pk)) if record else None
        out.append(StateRow(state=state, profile=profiles_by_state.get(state.pk), latest=figures))
    return out


# --- Export rows ----------------------------------------------------------------------------------


def export_rows(read: Reading) -> list[list[Any]]:
    """The figures of a reading as rows (a header first), as published to that reader."""
    rows: list[list[Any]] = [
        [
            str(_("State")),
            str(_("Year")),
            str(_("Measure")),
            str(_("Sex")),
            str(_("Age group")),
            str(_("Count")),
            str(_("Shown as")),
            str(_("Before the Convention bound the State")),
            str(_("Source")),
            str(_("Illustrative")),
        ]
    ]
    for year in read.years:
        for table in year.measures:
            for sex in GRID_SEXES:
                for age in GRID_AGES:
                    cell = table.cells.get((sex, age))
                    if cell is None:
                        continue
                    rows.append(
                        [
                            read.state.name,
                            year.year,
                            table.label,
                            str(Sex(sex).label),
                            str(AgeGroup(age).label),
                            cell.value if cell.value is not None else "",
                            cell.text,
                            str(_("yes")) if year.before_entry_into_force else str(_("no")),
                            year.source,
                            str(_("yes")) if year.illustrative else str(_("no")),
                        ]
                    )
    return rows


# --- The Country Brief and the country profile ---------------------------------------------------

SHORT_LABELS: dict[str, Any] = {
    Measure.KILLED: _("Killed"),
    Measure.INJURED: _("Injured"),
    Measure.MEDICAL: _("Medical care"),
    Measure.REHABILITATION: _("Rehabilitation"),
    Measure.PSYCHOLOGICAL: _("Psychological support"),
    Measure.INCLUSION: _("Social and economic inclusion"),
}


def totals_line(year: YearFigures) -> str:
    """ "2024: Killed: 9; Injured: fewer than 5; …" — the year's totals as this reading publishes them."""
    parts = [f"{SHORT_LABELS[m.measure]}: {m.total.text}" for m in year.measures if m.total is not None]
    return f"{year.year}: " + "; ".join(parts) if parts else f"{year.year}: " + str(_("no totals entered"))


def brief_lines(viewer: Any, state: State, *, years: int = 3) -> list[str]:
    """The victim-assistance section of the Country Brief, as ``viewer`` may read it: the declaration,
    focal point and plan, then the totals of the latest ``years`` years, with their sources."""
    read = reading(viewer, state)
    lines: list[str] = []
    profile = read.profile
    if profile is None and not read.years:
        return lines
    if profile is not None:
        declared = profile.get_has_victims_display()
        if profile.declaration_source:
            declared = f"{declared} ({profile.declaration_source})"
        lines.append(str(_("Cluster munition victims: %(declared)s")) % {"declared": declared})
        if profile.focal_point_name or profile.focal_point_institution:
            who = ", ".join(x for x in (profile.focal_point_name, profile.focal_point_institution) if x)
            lines.append(str(_("National focal point: %(who)s")) % {"who": who})
        if profile.plan_title:
            lines.append(str(_("National plan: %(title)s")) % {"title": profile.plan_title})
    for year in read.years[:years]:
        line = totals_line(year) + " — " + str(_("source: %(source)s")) % {"source": year.source}
        if year.before_entry_into_force:
            line += " — " + str(_("before the Convention bound this State (covered by Article 5)"))
        if year.illustrative:
            line += " — " + str(_("illustrative"))
        lines.append(line)
    if read.years:
        lines.append(
            str(_("Exact figures, as entered (for the State's government and coordinators)."))
            if read.exact
            else str(
                _("Small numbers protected: 1 to 4 shown as “fewer than 5”; figures that would reveal them withheld.")
            )
        )
    return lines
