"""Reads from the States registry: lists, a State's timeline, the deadlines board, headline figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from ccm import treaty
from ccm.core import cache as aggregate_cache
from ccm.core.deidentify import Term
from ccm.core.templatetags.ccm import date_filter
from ccm.states import wording
from ccm.states.identifiers import state_words
from ccm.states.models import (
    Confidence,
    DatePrecision,
    ExtensionRequest,
    Obligation,
    ObligationKind,
    Region,
    Source,
    State,
    TreatyStatus,
)
from ccm.states.names import sort_key

OBLIGATION_FILTERS = {
    "stockpile_destruction": ObligationKind.STOCKPILE_DESTRUCTION,
    "clearance": ObligationKind.CLEARANCE,
}
OPEN_OBLIGATIONS = "open"
NO_STATUS = "none"
SORTS = ("name", "-name", "region", "entry_into_force", "-entry_into_force", "next_deadline")


def _with_obligations(queryset: QuerySet[State]) -> QuerySet[State]:
    return queryset.select_related("treaty_source").prefetch_related(
        Prefetch(
            "obligations",
            queryset=Obligation.objects.select_related("source", "completion_source").prefetch_related(
                Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("source"))
            ),
        )
    )


@dataclass
class ObligationRow:
    obligation: Obligation
    current_deadline: date | None
    status: treaty.ObligationStatus
    description: treaty.ObligationDescription | None = None

    @property
    def state(self) -> State:
        return self.obligation.state

    @property
    def status_label(self) -> str:
        return wording.status_label(self.status)

    @property
    def sentence(self) -> str:
        """The one sentence every surface shows for this obligation (``ccm.states.wording``)."""
        return wording.obligation_sentence(self.description) if self.description else ""


@dataclass
class StateRow:
    state: State
    obligations: list[ObligationRow] = field(default_factory=list)

    @property
    def open_obligations(self) -> list[ObligationRow]:
        closed = (treaty.ObligationStatus.COMPLETED, treaty.ObligationStatus.ENDED)
        return [row for row in self.obligations if row.status not in closed]

    @property
    def next_deadline(self) -> date | None:
        dates = [row.current_deadline for row in self.open_obligations if row.current_deadline]
        return min(dates) if dates else None


def _obligation_row(obligation: Obligation, today: date) -> ObligationRow:
    description = obligation.describe(today)
    return ObligationRow(obligation, description.deadline, description.status, description)


def obligation_row(*, obligation: Obligation, today: date) -> ObligationRow:
    """One obligation with its status and sentence on ``today`` (for the profile, charts and brief)."""
    return _obligation_row(obligation, today)


def _state_row(state: State, today: date) -> StateRow:
    return StateRow(state, [_obligation_row(o, today) for o in state.obligations.all()])


def state_list(
    *,
    today: date,
    status: str = "",
    obligation: str = "",
    region: str = "",
    sort: str = "name",
) -> list[StateRow]:
    """States with their obligations' current deadlines and status, filtered and sorted (the same for every
    reader: kept in the shared cache until a State, obligation or extension changes).

    ``status`` is a treaty status (or ``none`` for countries with no record), ``obligation`` an
    obligation kind (or ``open`` for any obligation not yet completed), ``region`` a region code.
    """
    return aggregate_cache.cached(
        "states-list",
        topics=("states",),
        parts=(today, status, obligation, region, sort),
        build=lambda: _state_list(today=today, status=status, obligation=obligation, region=region, sort=sort),
    )


def _state_list(*, today: date, status: str, obligation: str, region: str, sort: str) -> list[StateRow]:
    queryset = State.objects.states()
    if status == NO_STATUS:
        queryset = queryset.filter(ccm_status="")
    elif status:
        queryset = queryset.filter(ccm_status=status)
    if region:
        queryset = queryset.filter(region=region)
    if obligation in OBLIGATION_FILTERS:
        queryset = queryset.filter(obligations__kind=OBLIGATION_FILTERS[obligation]).distinct()
    elif obligation == OPEN_OBLIGATIONS:
        queryset = queryset.filter(obligations__isnull=False).distinct()
    rows = [_state_row(state, today) for state in _with_obligations(queryset)]
    if obligation == OPEN_OBLIGATIONS:
        rows = [row for row in rows if row.open_obligations]
    return _sorted(rows, sort)


def _sorted(rows: list[StateRow], sort: str) -> list[StateRow]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    rows = sorted(rows, key=lambda r: sort_key(r.state.display_name))
    if key == "region":
        return sorted(rows, key=lambda r: (r.state.region == "", r.state.get_region_display(), r.state.subregion))
    if key in ("entry_into_force", "next_deadline"):
        known = [r for r in rows if _date_key(r, key)]
        unknown = [r for r in rows if not _date_key(r, key)]
        return sorted(known, key=lambda r: _date_key(r, key) or date.min, reverse=descending) + unknown
    return list(reversed(rows)) if descending else rows


def _date_key(row: StateRow, key: str) -> date | None:
    return row.state.entry_into_force if key == "entry_into_force" else row.next_deadline


def state_get(*, iso3: str) -> State | None:
    """One State with its obligations and extensions, or None when the code is unknown."""
    return _with_obligations(State.objects.filter(iso3=iso3.upper())).first()


def state_row(*, state: State, today: date) -> StateRow:
    return _state_row(state, today)


@dataclass(frozen=True)
class TimelineEvent:
    when: date | None
    title: str
    source: Source | None
    confidence: str = ""
    precision: str = DatePrecision.DAY
    detail: str = ""
    kind: str = "treaty"  # treaty | deadline | extension | completion
    # Where an undated event belongs in the order (e.g. an undated grant, at the deadline it replaced).
    placed_on: date | None = None

    @property
    def confidence_label(self) -> str:
        return str(Confidence(self.confidence).label) if self.confidence else ""


def state_timeline(*, state: State) -> list[TimelineEvent]:
    """The State's treaty timeline in date order; facts whose date (and place) is not on record come last."""
    src, conf = state.treaty_source, state.treaty_confidence
    events: list[TimelineEvent] = []
    if state.signature_date:
        events.append(TimelineEvent(state.signature_date, _("Signed the Convention"), src, conf))
    if state.deposit_date:
        instrument = state.get_instrument_display() if state.instrument else _("Instrument")
        events.append(
            TimelineEvent(state.deposit_date, _("%(instrument)s deposited") % {"instrument": instrument}, src, conf)
        )
    if state.entry_into_force:
        derived = state.deposit_date is not None and state.entry_into_force == state.entry_into_force_by_rule
        events.append(
            TimelineEvent(
                state.entry_into_force,
                _("Entry into force for %(state)s") % {"state": state.display_name},
                src,
                conf,
                detail=_("Follows from the deposit date under Article 17.") if derived else "",
            )
        )
    if state.withdrawal_notified:
        events.append(TimelineEvent(state.withdrawal_notified, _("Withdrawal notified to the depositary"), src, conf))
    if state.withdrawal_effective:
        events.append(
            TimelineEvent(
                state.withdrawal_effective,
                _("Withdrawal took effect"),
                src,
                conf,
                detail=_("The State's obligations under the Convention ended on this date."),
            )
        )
    for obligation in state.obligations.all():
        events.extend(_obligation_events(obligation))
    placed = sorted((e for e in events if e.when or e.placed_on), key=lambda e: e.when or e.placed_on or date.min)
    return placed + [e for e in events if not (e.when or e.placed_on)]


def _obligation_events(obligation: Obligation) -> list[TimelineEvent]:
    name = obligation.get_kind_display()
    events = [
        TimelineEvent(
            obligation.original_deadline,
            _("Original deadline: %(obligation)s") % {"obligation": name},
            obligation.source,
            obligation.confidence,
            kind="deadline",
        )
    ]
    previous_deadline = obligation.original_deadline
    for ext in obligation.extensions.all():
        when = ext.decided_on or ext.meeting_on or ext.submitted_on
        if ext.decision == treaty.Decision.GRANTED:
            title = _("Extension granted: %(obligation)s until %(until)s")
        elif treaty.Decision(ext.decision).is_open:
            title = _("Extension requested: %(obligation)s until %(until)s")
        else:
            title = _("Extension request %(decision)s: %(obligation)s")
        until = ext.granted_until or ext.requested_until
        detail_parts = [p for p in (ext.meeting, ext.get_decision_display(), ext.note) if p]
        events.append(
            TimelineEvent(
                when,
                title
                % {
                    "obligation": name,
                    "until": date_filter(until) if until else _("a date not on record"),
                    "decision": ext.get_decision_display().lower(),
                },
                ext.source,
                ext.confidence,
                detail=" · ".join(detail_parts),
                kind="extension",
                placed_on=previous_deadline,
            )
        )
        if ext.decision == treaty.Decision.GRANTED and ext.granted_until:
            previous_deadline = ext.granted_until
    if obligation.completed:
        events.append(
            TimelineEvent(
                obligation.completed_on,
                _("Completed: %(obligation)s") % {"obligation": name},
                obligation.completion_source,
                obligation.completion_confidence,
                precision=obligation.completed_on_precision,
                detail=obligation.completion_declaration,
                kind="completion",
            )
        )
    return events


@dataclass
class DeadlineBoard:
    overdue: list[ObligationRow]
    due_soon: list[ObligationRow]
    pending: list[ObligationRow]
    later: list[ObligationRow]
    unknown: list[ObligationRow]
    decision_not_on_record: list[ObligationRow] = field(default_factory=list)


def deadline_board(*, today: date) -> DeadlineBoard:
    """Open obligations grouped by status, soonest deadline first."""
    obligations = (
        Obligation.objects.filter(completed=False)
        .select_related("state", "source")
        .prefetch_related(Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("source")))
    )
    rows = [_obligation_row(o, today) for o in obligations]
    rows.sort(key=lambda r: (r.current_deadline or date.max, r.state.name))
    by_status: dict[treaty.ObligationStatus, list[ObligationRow]] = {s: [] for s in treaty.ObligationStatus}
    for row in rows:
        by_status[row.status].append(row)
    return DeadlineBoard(
        overdue=by_status[treaty.ObligationStatus.OVERDUE],
        due_soon=by_status[treaty.ObligationStatus.DUE_SOON],
        pending=by_status[treaty.ObligationStatus.EXTENSION_PENDING],
        later=by_status[treaty.ObligationStatus.ON_TRACK],
        unknown=by_status[treaty.ObligationStatus.UNKNOWN],
        decision_not_on_record=by_status[treaty.ObligationStatus.DECISION_NOT_ON_RECORD],
    )


@dataclass
class HeadlineFigures:
    states_parties: int
    signatories: int
    withdrawn: int
    obligations: int
    completed: int
    status_counts: Counter[str]
    next_deadline: ObligationRow | None
    # Where the treaty-status counts come from (the source most States Parties' facts cite).
    source: Source | None = None
    # States Parties for which the Convention has not yet entered into force on the day.
    not_yet_in_force: list[State] = field(default_factory=list)
    states: int = 0


def headline_figures(*, today: date) -> HeadlineFigures:
    """Figures for the home page, computed from the registry."""
    participants = State.objects.states().exclude(ccm_status="")
    status_counts = Counter(participants.values_list("ccm_status", flat=True))
    source_counts = Counter(
        participants.filter(ccm_status=TreatyStatus.STATE_PARTY)
        .exclude(treaty_source=None)
        .values_list("treaty_source", flat=True)
    )
    source = Source.objects.filter(pk=source_counts.most_common(1)[0][0]).first() if source_counts else None
    not_yet_in_force = list(
        participants.filter(ccm_status=TreatyStatus.STATE_PARTY, entry_into_force__gt=today).order_by(
            "entry_into_force"
        )
    )
    board = deadline_board(today=today)
    upcoming = [r for r in board.due_soon + board.later if r.current_deadline]
    completed = Obligation.objects.filter(completed=True).count()
    open_count = sum(
        len(group)
        for group in (
            board.overdue,
            board.due_soon,
            board.pending,
            board.decision_not_on_record,
            board.later,
            board.unknown,
        )
    )
    return HeadlineFigures(
        states_parties=status_counts[TreatyStatus.STATE_PARTY],
        signatories=status_counts[TreatyStatus.SIGNATORY],
        withdrawn=status_counts[TreatyStatus.WITHDRAWN],
        obligations=completed + open_count,
        completed=completed,
        status_counts=Counter(
            {
                treaty.ObligationStatus.OVERDUE: len(board.overdue),
                treaty.ObligationStatus.DUE_SOON: len(board.due_soon),
                treaty.ObligationStatus.EXTENSION_PENDING: len(board.pending),
                treaty.ObligationStatus.DECISION_NOT_ON_RECORD: len(board.decision_not_on_record),
                treaty.ObligationStatus.ON_TRACK: len(board.later),
                treaty.ObligationStatus.UNKNOWN: len(board.unknown),
            }
        ),
        next_deadline=min(upcoming, key=lambda r: r.current_deadline or date.max) if upcoming else None,
        source=source,
        not_yet_in_force=not_yet_in_force,
        states=State.objects.states().count(),
    )


def state_for_editor(*, iso3: str, user: Any) -> State:
    """The State, if ``user`` edits for its government; 403 for the others who see its workspace
    (its read-only members, coordinators); 404 for everyone else (who do not learn what the State's
    workspace holds)."""
    from ccm.core.policies import Action, get_for_action
    from ccm.states.policies import WORKSPACE, states

    return get_for_action(states, user, Action.CHANGE, states.visible_to(user, WORKSPACE), iso3=iso3.upper())


def government_organisation_id(state: State) -> int | None:
    """The State's government organisation on the platform (for filing audit entries), if any."""
    org = state.organisations.filter(kind="state_government").values_list("pk", flat=True).first()
    return int(org) if org is not None else None


def obligations_due(*, today: date, state_ids: list[int] | None = None) -> list[ObligationRow]:
    """Open obligations whose deadline has passed or falls within the next twelve months (with a
    request pending or not), soonest first: of the States ``state_ids``, or of every State when None.
    Three queries whatever the number of States."""
    obligations = Obligation.objects.filter(completed=False)
    if state_ids is not None:
        obligations = obligations.filter(state_id__in=state_ids)
    rows = [
        _obligation_row(o, today)
        for o in obligations.select_related("state").prefetch_related(
            Prefetch("extensions", queryset=ExtensionRequest.objects.order_by("sequence"))
        )
    ]
    soon = treaty.add_years(today, 1)
    rows = [
        r
        for r in rows
        if r.current_deadline is not None
        and r.current_deadline <= soon
        and r.status is not treaty.ObligationStatus.COMPLETED
    ]
    return sorted(rows, key=lambda r: (r.current_deadline or date.max, r.state.name))


def choosable_states() -> QuerySet[State]:
    """The States a person may choose in a form (the needs board's filter, a donor's priority countries):
    the States (not territories: see ``State.is_state``), by name, with their region for grouping. The one
    place that decides which rows are offered, so every chooser offers the same."""
    return State.objects.states().order_by("name").only("pk", "iso3", "iso2", "name", "region")


def grouped_by_region(states: Iterable[State], *, value: str = "iso3") -> list[tuple[str, list[tuple[Any, str]]]]:
    """Choices grouped by region, in the order of the regions (a State with no region last, under
    "Other"): ``[(region label, [(iso3 or pk, name), ...]), ...]``, for ``<optgroup>`` or fieldsets."""
    groups: dict[str, list[tuple[Any, str]]] = {}
    for state in states:
        groups.setdefault(state.region, []).append((getattr(state, value), state.display_name))
    for choices in groups.values():
        choices.sort(key=lambda choice: sort_key(choice[1]))
    ordered = [(str(label), groups[code]) for code, label in Region.choices if code in groups]
    other = [choice for code, choices in groups.items() if code not in Region.values for choice in choices]
    return ordered + ([(_("Other"), other)] if other else [])


def regions_with_states() -> list[tuple[str, str]]:
    """The region choices that hold at least one choosable State (no Antarctica as a priority region)."""
    present = set(choosable_states().exclude(region="").values_list("region", flat=True).distinct())
    present.discard(Region.ANTARCTICA)  # no State lies there, whatever rows the registry holds
    return [(code, str(label)) for code, label in Region.choices if code in present]


# --- Words and dates that identify a State (for ``ccm.core.deidentify``) ---------------------------


def identity_terms(states: Iterable[State]) -> list[Term]:
    """The words that identify each of ``states``: names, official names (English, French, Spanish),
    adjectives of nationality, capitals, other spellings and ISO codes (``reference/identifiers.csv``
    and its supplement), with the State's own name fields. No query beyond reading ``states``."""
    terms: list[Term] = []
    for state in states:
        participant = state.name
        short = state.name.split(" (")[0]  # "Bolivia (Plurinational State of)" is also "Bolivia"
        own = [
            ("name", state.name),
            ("name", short),
            ("official_name", state.official_name),
            ("code", state.iso3),
            ("code", state.iso2),
        ]
        words = state_words().get(state.iso3)
        for kind, text in [*own, *(words.words if words else ())]:
            if text:
                terms.append(Term(text=text, kind=kind, participant=participant))
    return list(dict.fromkeys(terms))


def deadline_terms(states: Iterable[State]) -> list[Term]:
    """The published deadlines of ``states`` as figure terms (ISO dates; the check finds them in every
    written form): the current deadline of each obligation not completed, and the date asked for in
    an extension request awaiting its decision. Two queries, whatever the number of States."""
    by_id = {state.pk: state for state in states}
    obligations = Obligation.objects.filter(state_id__in=by_id, completed=False).prefetch_related("extensions")
    terms: list[Term] = []
    for obligation in obligations:
        participant = by_id[obligation.state_id].name
        dates = [obligation.current_deadline]
        requested = obligation.open_extension
        if requested is not None:
            dates.append(requested.requested_until)
        for day in dates:
            if day is not None:
                terms.append(Term(text=day.isoformat(), kind="figure", participant=participant))
    return list(dict.fromkeys(terms))
