"""Keeping the search index current: what each kind of object contributes, one object at a time (after
each write, see ``search_signals``) or all at once (``ccm rebuild_search_index``, the daily job, the demo).

Only what the object's own page shows to those who may see it is indexed; who sees an entry is decided
at query time by the object's policy (``ccm.library.search``). A meeting summary is indexed only once
published.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ccm.coalitions.models import Coalition
from ccm.core import cache as aggregate_cache
from ccm.library.models import Offer, Practice
from ccm.library.search import SEARCH_TOPIC
from ccm.library.search_models import SearchEntry, SearchKind
from ccm.meetings.publish_models import Summary, SummaryStatus
from ccm.needs.models import DonorProfile, Need
from ccm.states.models import State

logger = logging.getLogger(__name__)

MAX_TEXT = 60_000  # characters of an object's text kept in the index
BATCH = 500

_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(^|\s)[#>]+\s|[*_`~|]+|^\s*[-+]\s", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def plain(*parts: Any) -> str:
    """Parts joined as one line of plain text (Markdown marks and link targets dropped), capped."""
    text = " ".join(str(p) for p in parts if p)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_MARKS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()[:MAX_TEXT]


def codes(values: Iterable[Any]) -> str:
    """Codes or ids between spaces (" a b "), so that ``contains=" a "`` finds one of them."""
    items = [str(v) for v in values if v not in (None, "")]
    return f" {' '.join(items)} " if items else ""


def _labels(choices: Any, values: Iterable[Any]) -> list[str]:
    known = dict(choices)
    return [str(known.get(v, v)) for v in values]


def _entry(kind: str, obj: Any, **fields: Any) -> SearchEntry:
    fields.setdefault("updated", getattr(obj, "updated_at", None) or timezone.now())
    fields["title"] = (fields.get("title") or "")[:300]
    return SearchEntry(kind=kind, object_id=obj.pk, **fields)


# What each kind contributes: the objects (a queryset, with what the entry needs fetched in bulk) and
# the entry of one object.


def _practices() -> QuerySet[Practice]:
    return Practice.objects.select_related("organisation").prefetch_related("countries")


def _practice(p: Practice) -> SearchEntry:
    countries = list(p.countries.all())
    return _entry(
        SearchKind.PRACTICE,
        p,
        title=p.title,
        text=plain(
            p.summary,
            p.body,
            " ".join(str(t) for t in p.tags or []),
            p.source_organisation,
            p.organisation.name,
            *(c.name for c in countries),
        ),
        language=p.language,
        pillars=codes([p.pillar]),
        states=codes(c.pk for c in countries),
    )


def _offers() -> QuerySet[Offer]:
    return Offer.objects.select_related("organisation").prefetch_related("countries")


def _offer(o: Offer) -> SearchEntry:
    countries = list(o.countries.all())
    return _entry(
        SearchKind.OFFER,
        o,
        title=o.title,
        text=plain(
            o.get_kind_display(),
            o.description,
            o.expert_name,
            " ".join(str(s) for s in o.skills or []),
            " ".join(str(s) for s in o.languages or []),
            o.availability,
            o.location,
            o.organisation.name,
            *(c.name for c in countries),
        ),
        pillars=codes([o.pillar]),
        states=codes(c.pk for c in countries),
    )


def _needs() -> QuerySet[Need]:
    return Need.objects.select_related("state")


def _need(n: Need) -> SearchEntry:
    return _entry(
        SearchKind.NEED,
        n,
        title=n.title,
        text=plain(n.description, n.in_kind, n.state.name),
        pillars=codes([n.pillar]),
        states=codes([n.state_id]),
    )


def _states() -> QuerySet[State]:
    return State.objects.states()


def _state(s: State) -> SearchEntry:
    return _entry(
        SearchKind.STATE,
        s,
        ref=s.iso3,
        title=s.name,
        text=plain(s.official_name, s.iso3, s.get_region_display(), s.subregion, s.get_ccm_status_display(), s.note),
        states=codes([s.pk]),
    )


def _donors() -> QuerySet[DonorProfile]:
    return DonorProfile.objects.select_related("organisation").prefetch_related("priority_states")


def _donor(d: DonorProfile) -> SearchEntry:
    countries = list(d.priority_states.all())
    return _entry(
        SearchKind.DONOR,
        d,
        ref=d.organisation.slug,
        title=d.organisation.name,
        text=plain(
            d.get_pillars_display(),
            d.get_modalities_display(),
            d.get_channels_display(),
            d.get_priority_regions_display(),
            d.funding_cycle,
            d.how_to_apply,
            d.requirements,
            *(c.name for c in countries),
        ),
        pillars=codes(d.pillars if isinstance(d.pillars, list) else []),
        states=codes(c.pk for c in countries),
    )


def _summaries() -> QuerySet[Summary]:
    return Summary.objects.filter(status=SummaryStatus.PUBLISHED)


def _summary(s: Summary) -> SearchEntry:
    return _entry(SearchKind.SUMMARY, s, ref=str(s.meeting_id), title=s.title, text=plain(s.text))


def _coalitions() -> QuerySet[Coalition]:
    return Coalition.objects.select_related("state").prefetch_related("objectives")


def _coalition(c: Coalition) -> SearchEntry:
    return _entry(
        SearchKind.COALITION,
        c,
        title=c.name,
        text=plain(c.state.name, c.terms_of_reference, *(o.text for o in c.objectives.all()), c.conclusion_reason),
        states=codes([c.state_id]),
        updated=timezone.now(),
    )


@dataclass(frozen=True)
class Source:
    objects: Callable[[], QuerySet[Any]]
    entry: Callable[[Any], SearchEntry]


SOURCES: dict[str, Source] = {
    SearchKind.PRACTICE: Source(_practices, _practice),
    SearchKind.OFFER: Source(_offers, _offer),
    SearchKind.NEED: Source(_needs, _need),
    SearchKind.STATE: Source(_states, _state),
    SearchKind.DONOR: Source(_donors, _donor),
    SearchKind.SUMMARY: Source(_summaries, _summary),
    SearchKind.COALITION: Source(_coalitions, _coalition),
}

_FIELDS = ["ref", "title", "text", "language", "pillars", "states", "updated"]


def index_objects(kind: str, ids: Iterable[int]) -> int:
    """Bring the entries of these objects up to date (removed when the object is gone or not indexed,
    e.g. a summary taken back to draft). Returns the number of entries written."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return 0
    source = SOURCES[kind]
    entries = [source.entry(obj) for obj in source.objects().filter(pk__in=wanted)]
    with transaction.atomic():
        found = {e.object_id for e in entries}
        SearchEntry.objects.filter(kind=kind, object_id__in=[i for i in wanted if i not in found]).delete()
        _upsert(entries)
        aggregate_cache.bump_on_commit([SEARCH_TOPIC])  # the index is written after the write it follows
    return len(entries)


def _upsert(entries: list[SearchEntry]) -> None:
    if entries:
        SearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=_FIELDS, batch_size=BATCH
        )


def _entries(kind: str) -> Iterator[SearchEntry]:
    source = SOURCES[kind]
    for obj in source.objects().order_by("pk").iterator(chunk_size=BATCH):
        yield source.entry(obj)


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Build the index again from the objects (per kind, in one transaction each: readers see the old
    entries until the new ones are complete). Returns the number of entries per kind."""
    counts: dict[str, int] = {}
    for kind in kinds or SearchKind.values:
        with transaction.atomic():
            SearchEntry.objects.filter(kind=kind).delete()
            batch: list[SearchEntry] = []
            count = 0
            for entry in _entries(kind):
                batch.append(entry)
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            SearchEntry.objects.bulk_create(batch)
            counts[kind] = count + len(batch)
            aggregate_cache.bump_on_commit([SEARCH_TOPIC])
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner starts from the GIN index (measured: a rare word over 20,000
        # entries 310 ms with stale statistics, 1 ms after ANALYZE)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
    return counts


def index_later(kind: str, value: Any, *, by: str = "pk") -> None:
    """After the current transaction commits, update the entry of the object whose ``by`` is ``value``
    (its primary key, or e.g. a donor profile's organisation). A failure is logged and never undoes or
    breaks the write that caused it (the daily rebuild repairs the entry)."""
    if value is None:
        return

    def run() -> None:
        try:
            if by == "pk":
                ids = [value]
            else:
                ids = list(SOURCES[kind].objects().model.objects.filter(**{by: value}).values_list("pk", flat=True))
            index_objects(kind, ids)
        except Exception:  # the write succeeded; a stale entry is repaired by the daily rebuild
            logger.exception("Search index: updating %s (%s=%s) failed", kind, by, value)

    transaction.on_commit(run)
