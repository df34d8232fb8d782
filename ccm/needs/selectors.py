"""Reads for needs: the board, a need with its thread, silence metrics, donor profiles."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, overload

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccm.analytics.needs import DonorFacts, NeedFacts, Responsiveness, Thread, by_donor, by_state, matches
from ccm.core import cache as aggregate_cache
from ccm.core import money
from ccm.core.policies import EDITOR_ROLES, Action, Visibility, organisation_ids, shared_audience
from ccm.core.templatetags.ccm import number
from ccm.needs import policies
from ccm.needs.models import DonorProfile, Need, NeedStatus, Response, ResponseKind, need_status
from ccm.states.models import ExtensionRequest, Obligation

DONOR_KINDS = ~Q(responses__kind=ResponseKind.ANSWER)


@dataclass
class NeedRow:
    need: Need
    pledged: Decimal
    pledges: int
    donor_responses: int
    first_response_at: datetime | None
    status: str
    deadline: date | None
    matching: list[MatchingDonor] = field(default_factory=list)
    matches_you: bool = False

    @property
    def status_label(self) -> str:
        return str(NeedStatus(self.status).label)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.need.amount is None else max(self.need.amount - self.pledged, Decimal(0))

    @property
    def days_published(self) -> int | None:
        if self.need.published_at is None:
            return None
        return (timezone.now() - self.need.published_at).days

    @property
    def silent(self) -> bool:
        return self.status in ("open", "partly_met") and self.donor_responses == 0

    @property
    def silence_note(self) -> str:
        """How long nobody has answered, in words ("published today" rather than "0 days")."""
        return silence_note(self.need.published_at)

    def urgency(self, today: date) -> tuple[int, int, int]:
        """Open needs first; then the nearest of the need's end and its obligation's deadline; then priority."""
        closing = [d for d in (self.need.ends_on, self.deadline) if d]
        days = (min(closing) - today).days if closing else 10**6
        return (0 if self.status in ("open", "partly_met") else 1, days, self.need.priority)


def silence_note(published_at: datetime | None) -> str:
    """For a need nobody has answered: "no answer yet, published today" or "no answer in 12 days"."""
    if published_at is None:
        return ""
    days = (timezone.now() - published_at).days
    if days <= 0:
        return _("no answer yet, published today")
    return ngettext("no answer in %(n)s day", "no answer in %(n)s days", days) % {"n": number(days)}


def _annotated(queryset: QuerySet[Need]) -> QuerySet[Need]:
    return (
        queryset.select_related("state", "obligation")
        .prefetch_related(
            Prefetch("obligation__extensions", queryset=ExtensionRequest.objects.order_by("sequence")), "chosen_donors"
        )
        .annotate(
            pledge_count=Count("responses", filter=Q(responses__kind=ResponseKind.PLEDGE)),
            donor_responses=Count("responses", filter=DONOR_KINDS),
            first_response_at=Min("responses__created_at", filter=DONOR_KINDS),
        )
    )


def pledged_on(need_ids: list[int]) -> dict[int, Decimal]:
    """Per need, the total of its pledge flows. The pledges are kept in the funding ledger (``ccm.funding``,
    which declares the ``Need.flows`` relation and writes every pledge); a need's status follows from them,
    so needs reads their total here, through that relation (one query, no import of funding code)."""
    rows = (
        Need.objects.filter(pk__in=need_ids, flows__stage="pledge")
        .values("pk")
        .annotate(**money.sum_parts("flows__amount", name="pledged"))
    )
    return {row["pk"]: money.from_parts(row["pledged_high"], row["pledged_low"]) or Decimal(0) for row in rows}


@dataclass(frozen=True)
class DonorOrganisation:
    pk: int
    name: str
    slug: str


@dataclass(frozen=True)
class MatchingDonor:
    """A published donor profile as matching and the pages use it: plain values, so that the list is kept in
    the shared cache (every page of needs reads it; building it read every profile and its States)."""

    organisation_id: int
    organisation: DonorOrganisation


# Published donor profiles are public: the list is the same for every reader, kept until a profile (needs)
# or an organisation (accounts) changes.
DONOR_TOPICS = ("needs", "accounts")


def donor_profiles_for_matching() -> list[tuple[MatchingDonor, DonorFacts]]:
    return aggregate_cache.cached("donors-for-matching", topics=DONOR_TOPICS, build=_donors_for_matching)


def _donors_for_matching() -> list[tuple[MatchingDonor, DonorFacts]]:
    profiles = (
        DonorProfile.objects.filter(is_published=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("priority_states")
        .order_by("pk")
    )
    return [(_matching_donor(p), _facts(p)) for p in profiles]


def _matching_donor(profile: DonorProfile) -> MatchingDonor:
    organisation = profile.organisation
    return MatchingDonor(
        profile.organisation_id, DonorOrganisation(organisation.pk, organisation.name, organisation.slug)
    )


def has_donor_profile(user: Any) -> bool:
    """Whether one of the user's organisations has a donor profile (no query when signed out)."""
    mine = organisation_ids(user)
    return bool(mine) and DonorProfile.objects.filter(organisation_id__in=mine).exists()


def _facts(profile: DonorProfile) -> DonorFacts:
    return DonorFacts(
        organisation_id=profile.organisation_id,
        priority_states=frozenset(s.iso3 for s in profile.priority_states.all()),
        priority_regions=frozenset(profile.priority_regions),
        pillars=frozenset(profile.pillars),
        modalities=frozenset(profile.modalities),
        grant_min=profile.grant_min,
        grant_max=profile.grant_max,
        currency=profile.currency,
    )


def need_facts(need: Need) -> NeedFacts:
    return NeedFacts(
        need.pk, need.state.iso3, need.state.region, need.pillar, need.modality, need.amount, need.currency
    )


def _row(
    need: Any, today: date, donors: list[tuple[MatchingDonor, DonorFacts]], mine: set[int], pledged: Decimal
) -> NeedRow:
    obligation: Obligation | None = need.obligation
    facts = need_facts(need)
    matching = [profile for profile, donor in donors if matches(facts, donor)]
    if need.visibility == Visibility.CHOSEN:  # only the chosen donors can see it, so only they can answer
        chosen = {o.pk for o in need.chosen_donors.all()}
        matching = [profile for profile in matching if profile.organisation_id in chosen]
    return NeedRow(
        need=need,
        pledged=pledged,
        pledges=need.pledge_count,
        donor_responses=need.donor_responses,
        first_response_at=need.first_response_at,
        status=need_status(need, pledged, today, need.pledge_count),
        deadline=obligation.current_deadline if obligation else None,
        matching=matching,
        matches_you=any(p.organisation_id in mine for p in matching),
    )


@dataclass(frozen=True)
class BoardFilters:
    pillar: str = ""
    modality: str = ""
    state: str = ""
    status: str = ""
    min_age_days: int | None = None
    unanswered: bool = False
    matching_me: bool = False


def board(
    *, user: Any, today: date, filters: BoardFilters, donors: list[tuple[MatchingDonor, DonorFacts]] | None = None
) -> Board:
    """The needs ``user`` may see that pass ``filters``, most urgent first, as a lazy sequence: the status,
    order and filters are worked out for every need from a few columns (one query, plus the pledges and the
    chosen donors), and the full rows are built only for the slice a page or an export reads."""
    mine = set(organisation_ids(user))
    audience = shared_audience(user)
    if not filters.matching_me:
        # the same needs in the same order for every reader of this audience: kept in the shared cache
        # (filters.min_age_days counts from now: cached by the hour it was computed in)
        keys, pledged = aggregate_cache.cached(
            "needs-board",
            topics=BOARD_TOPICS,
            parts=(audience, dataclasses.astuple(filters), today, timezone.now().strftime("%Y%m%d%H")),
            build=lambda: _ordered(user=user, today=today, filters=filters, donors=donors, mine=mine),
        )
    else:
        keys, pledged = _ordered(user=user, today=today, filters=filters, donors=donors, mine=mine)
    return Board(keys, today=today, donors=donors, mine=mine, pledged=pledged)  # donors None: read when needed


# What the board's order is computed from: needs and donor profiles, pledges (funding), deadlines (States).
BOARD_TOPICS = ("needs", "funding", "states", "accounts")


def _ordered(
    *,
    user: Any,
    today: date,
    filters: BoardFilters,
    donors: list[tuple[MatchingDonor, DonorFacts]] | None,
    mine: set[int],
) -> tuple[list[int], dict[int, Decimal]]:
    queryset = policies.needs.visible_to(user)
    if filters.pillar:
        queryset = queryset.filter(pillar=filters.pillar)
    if filters.modality:
        queryset = queryset.filter(modality=filters.modality)
    if filters.state:
        queryset = queryset.filter(state__iso3=filters.state.upper())
    if filters.min_age_days is not None:
        queryset = queryset.filter(published_at__lte=timezone.now() - timedelta(days=filters.min_age_days))
    light = list(
        queryset.annotate(
            pledge_count=Count("responses", filter=Q(responses__kind=ResponseKind.PLEDGE)),
            donor_responses=Count("responses", filter=DONOR_KINDS),
        ).values_list(*_LIGHT_FIELDS)
    )
    pledged = pledged_on([row[0] for row in light])
    deadlines = _obligation_deadlines({row[8] for row in light if row[8] is not None})
    chosen = _chosen_donors([row[0] for row in light if row[13] == Visibility.CHOSEN]) if filters.matching_me else {}
    if filters.matching_me and donors is None:
        donors = donor_profiles_for_matching()
    keyed = []
    for position, row in enumerate(light):
        need = _LightNeed(*row)
        amount_pledged = pledged.get(need.pk, Decimal(0))
        status = need_status(need, amount_pledged, today, need.pledge_count)  # type: ignore[arg-type]
        if filters.status and status != filters.status:
            continue
        if filters.unanswered and not (status in ("open", "partly_met") and need.donor_responses == 0):
            continue
        if filters.matching_me:
            facts = NeedFacts(need.pk, need.iso3, need.region, need.pillar, need.modality, need.amount, need.currency)
            matching = [profile for profile, donor in donors or [] if matches(facts, donor)]
            if need.visibility == Visibility.CHOSEN:
                matching = [p for p in matching if p.organisation_id in chosen.get(need.pk, set())]
            if not any(p.organisation_id in mine for p in matching):
                continue
        deadline = deadlines.get(need.obligation_id) if need.obligation_id else None
        closing = [d for d in (need.ends_on, deadline) if d]
        days = (min(closing) - today).days if closing else 10**6
        urgency = (0 if status in ("open", "partly_met") else 1, days, need.priority)
        keyed.append((urgency, position, need.pk))  # ties keep the needs' own order
    keyed.sort()
    return [pk for _urgency, _position, pk in keyed], pledged


# The columns the board decides on; _LightNeed has the attributes need_status reads.
_LIGHT_FIELDS = (
    "pk",
    "withdrawn_at",
    "published_at",
    "met_at",
    "amount",
    "ends_on",
    "priority",
    "pillar",
    "obligation_id",
    "state__iso3",
    "state__region",
    "modality",
    "currency",
    "visibility",
    "pledge_count",
    "donor_responses",
)


@dataclass(frozen=True)
class _LightNeed:
    pk: int
    withdrawn_at: datetime | None
    published_at: datetime | None
    met_at: datetime | None
    amount: Decimal | None
    ends_on: date | None
    priority: int
    pillar: str
    obligation_id: int | None
    iso3: str
    region: str
    modality: str
    currency: str
    visibility: str
    pledge_count: int
    donor_responses: int


def _obligation_deadlines(obligation_ids: set[int]) -> dict[int, date | None]:
    obligations = Obligation.objects.filter(pk__in=obligation_ids).prefetch_related(
        Prefetch("extensions", queryset=ExtensionRequest.objects.order_by("sequence"))
    )
    return {o.pk: o.current_deadline for o in obligations}


def _chosen_donors(need_ids: list[int]) -> dict[int, set[int]]:
    chosen: dict[int, set[int]] = {}
    through = Need.chosen_donors.through.objects.filter(need_id__in=need_ids)
    for need_id, organisation_id in through.values_list("need_id", "organisation_id"):
        chosen.setdefault(need_id, set()).add(organisation_id)
    return chosen


class Board(Sequence[NeedRow]):
    """The board's needs in order; a slice (a page) builds its full rows in a few queries, whatever the
    number of needs; iterating (an export) builds them a chunk at a time."""

    CHUNK = 500

    def __init__(
        self,
        keys: list[int],
        *,
        today: date,
        donors: list[tuple[MatchingDonor, DonorFacts]] | None,
        mine: set[int],
        pledged: dict[int, Decimal],
    ):
        self.keys = keys
        self._today, self._donors, self._mine, self._pledged = today, donors, mine, pledged

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> NeedRow: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[NeedRow]: ...

    def __getitem__(self, index: int | slice) -> NeedRow | Sequence[NeedRow]:
        if isinstance(index, slice):
            return _Rows(self, self.keys[index])
        return self._rows([self.keys[index]])[0]

    def __iter__(self) -> Iterator[NeedRow]:
        for start in range(0, len(self.keys), self.CHUNK):
            yield from self._rows(self.keys[start : start + self.CHUNK])

    def rows(self, pks: list[int]) -> list[NeedRow]:
        return self._rows(pks)

    def _rows(self, pks: list[int]) -> list[NeedRow]:
        if self._donors is None:
            self._donors = donor_profiles_for_matching()
        needs = {n.pk: n for n in _annotated(Need.objects.filter(pk__in=pks))}
        return [
            _row(needs[pk], self._today, self._donors, self._mine, self._pledged.get(pk, Decimal(0)))
            for pk in pks
            if pk in needs
        ]


def need_detail(*, user: Any, need_id: int, today: date) -> NeedRow | None:
    need = _annotated(policies.needs.visible_to(user).filter(pk=need_id)).first()
    if need is None:
        return None
    pledged = pledged_on([need.pk]).get(need.pk, Decimal(0))
    return _row(need, today, donor_profiles_for_matching(), set(organisation_ids(user)), pledged)


@dataclass
class Silence:
    unanswered: list[NeedRow]
    by_state: dict[str, Responsiveness]
    by_donor: list[tuple[MatchingDonor, Responsiveness]]


def silence(*, user: Any, today: date) -> Silence:
    """Needs nobody has answered, oldest first; response rate and time to first response per State and
    per donor. Computed over the needs ``user`` may see (coordinators: all)."""
    donors = donor_profiles_for_matching()
    rows = [r for r in board(user=user, today=today, filters=BoardFilters(), donors=donors) if r.need.published_at]
    firsts: dict[int, dict[int, datetime]] = {row.need.pk: {} for row in rows}
    answers = (
        Response.objects.filter(need_id__in=list(firsts))
        .exclude(kind=ResponseKind.ANSWER)
        .order_by("created_at")
        .values_list("need_id", "organisation_id", "created_at")
    )
    for need_id, organisation_id, created_at in answers:
        firsts[need_id].setdefault(organisation_id, created_at)
    threads = [
        Thread(row.need.pk, row.need.state.iso3, row.need.published_at, firsts[row.need.pk])  # type: ignore[arg-type]
        for row in rows
    ]
    matched = {profile.organisation_id: {r.need.pk for r in rows if profile in r.matching} for profile, _f in donors}
    donor_stats = by_donor(threads, matched)
    return Silence(
        unanswered=sorted((r for r in rows if r.silent), key=lambda r: r.need.published_at or timezone.now()),
        by_state=by_state(threads),
        by_donor=[(profile, donor_stats[profile.organisation_id]) for profile, _f in donors],
    )


# The worklist (ccm/needs/worklist.py) -----------------------------------------------------------------
# Each read below costs a fixed number of queries, whatever the number of needs and responses.

NEW_NEED_DAYS = 30  # a need is "new" for donors this many days after it is published
ENDING_WITHIN_DAYS = 30  # a State hears of its open needs whose end date is this close


def draft_needs(*, user: Any) -> QuerySet[Need]:
    """The drafts the user may publish (a State's editors and managers)."""
    return (
        policies.needs.visible_to(user, policies.PUBLISH)
        .filter(published_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("state")
        .order_by("-updated_at")
    )


def questions_to_answer(*, user: Any) -> QuerySet[Response]:
    """Donors' questions on the needs the user answers for (its State's), not answered since they were
    asked, on needs still open to responses; oldest first."""
    # "after" by id: responses are numbered in the order they are written (two may share a timestamp)
    answered = Response.objects.filter(need_id=OuterRef("need_id"), kind=ResponseKind.ANSWER, pk__gt=OuterRef("pk"))
    return (
        Response.objects.filter(
            kind=ResponseKind.QUESTION,
            need__in=policies.needs.visible_to(user, policies.ANSWER).filter(
                published_at__isnull=False, withdrawn_at__isnull=True
            ),
        )
        .exclude(Exists(answered))
        .select_related("need", "need__state", "organisation")
        .order_by("created_at")
    )


def needs_ending(*, user: Any, today: date, within_days: int = ENDING_WITHIN_DAYS) -> list[NeedRow]:
    """The user's State's published needs, not yet met, whose end date is within ``within_days``."""
    queryset = policies.needs.visible_to(user, Action.CHANGE).filter(
        published_at__isnull=False,
        withdrawn_at__isnull=True,
        met_at__isnull=True,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=within_days),
    )
    needs = list(_annotated(queryset))
    pledged = pledged_on([n.pk for n in needs])
    rows = [_row(n, today, [], set(), pledged.get(n.pk, Decimal(0))) for n in needs]
    return sorted((r for r in rows if r.status in ("open", "partly_met")), key=lambda r: r.need.ends_on or today)


def new_matching_needs(*, user: Any, today: date, days: int = NEW_NEED_DAYS) -> list[tuple[NeedRow, MatchingDonor]]:
    """For a donor: needs published in the last ``days`` days that match the donor profile of an
    organisation the user responds for, which that organisation has not responded to yet."""
    mine = organisation_ids(user, EDITOR_ROLES)
    if not mine:
        return []
    profiles = [
        (_matching_donor(p), _facts(p))
        for p in DonorProfile.objects.filter(organisation_id__in=mine, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("priority_states")
    ]
    if not profiles:
        return []
    responded = Response.objects.filter(
        need_id=OuterRef("pk"), organisation_id__in=[p.organisation_id for p, _f in profiles]
    )
    queryset = (
        policies.needs.visible_to(user, policies.RESPOND)
        .filter(published_at__gte=timezone.now() - timedelta(days=days), met_at__isnull=True)
        .exclude(Exists(responded))
    )
    found = []
    needs = list(_annotated(queryset))
    pledged = pledged_on([n.pk for n in needs])
    for row in (_row(n, today, profiles, set(mine), pledged.get(n.pk, Decimal(0))) for n in needs):
        if row.status in ("open", "partly_met") and row.matching:
            found.append((row, row.matching[0]))
    return sorted(found, key=lambda pair: pair[0].urgency(today))


def replies_to_read(*, user: Any) -> list[Response]:
    """For a donor: the State's latest answer in each thread where the user's organisation wrote and
    the State answered after the organisation's last message (the donor's turn)."""
    mine = organisation_ids(user, EDITOR_ROLES)
    if not mine:
        return []
    # the organisation's last message in each thread it wrote in (one grouped query over its own responses)
    last_own = dict(
        Response.objects.filter(organisation_id__in=mine)
        .order_by()
        .values("need_id")
        .annotate(last=Max("pk"))
        .values_list("need_id", "last")
    )
    if not last_own:
        return []
    # the State's latest answer in each of those threads (one grouped query), kept where it came after the
    # organisation's last message; the rows themselves are read only for those (at most 500, the newest)
    latest_answer = (
        Response.objects.filter(
            kind=ResponseKind.ANSWER,
            need_id__in=list(last_own),
            need__in=policies.needs.visible_to(user, policies.RESPOND),
        )
        .exclude(organisation_id__in=mine)
        .order_by()
        .values("need_id")
        .annotate(last=Max("pk"))
        .values_list("need_id", "last")
    )
    wanted = sorted((pk for need_id, pk in latest_answer if pk > last_own[need_id]), reverse=True)[:500]
    latest = {
        answer.need_id: answer
        for answer in Response.objects.filter(pk__in=wanted).select_related("need", "need__state", "organisation")
    }
    return sorted(latest.values(), key=lambda r: r.created_at)


def unanswered_needs(*, user: Any, today: date) -> QuerySet[Need]:
    """For coordinators: published needs still open that no donor has answered at all, oldest first."""
    donor_said = Response.objects.filter(need_id=OuterRef("pk")).exclude(kind=ResponseKind.ANSWER)
    return (
        policies.needs.visible_to(user)
        .filter(published_at__isnull=False, withdrawn_at__isnull=True, met_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(Exists(donor_said))
        .select_related("state")
        .order_by("published_at")
    )


class _Rows(Sequence[NeedRow]):
    """A slice of the board (a page): its length is known at once, its rows are built when first read, so a
    page whose table comes from the shared cache builds none."""

    def __init__(self, board: Board, pks: list[int]):
        self._board, self._pks = board, pks
        self._built: list[NeedRow] | None = None

    def _all(self) -> list[NeedRow]:
        if self._built is None:
            self._built = self._board.rows(self._pks)
        return self._built

    def __len__(self) -> int:
        return len(self._pks)

    @overload
    def __getitem__(self, index: int) -> NeedRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[NeedRow]: ...

    def __getitem__(self, index: int | slice) -> NeedRow | list[NeedRow]:
        return self._all()[index]

    def __iter__(self) -> Iterator[NeedRow]:
        return iter(self._all())
