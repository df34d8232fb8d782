"""Site search: one interface, two backends (PostgreSQL full-text search, SQLite FTS5), chosen from the
database vendor.

- **The query** is parsed here into at most ``MAX_TERMS`` words of at most ``MAX_TERM_LENGTH`` characters
  (letters and digits only; everything else separates words). User text never reaches the database as
  search syntax: each word is a bound parameter, quoted as a phrase for FTS5 and given to
  ``plainto_tsquery`` on PostgreSQL. Every word must match (AND).
- **Who sees what**: for each kind, the index is searched only among the objects that kind's policy shows
  the user (``<app>.policies.<x>.visible_to(user)`` as a subquery), so ranks, caps and counts are computed
  after filtering and never reveal a hidden object.
- **Bounded work**: at most ``MAX_PER_KIND`` results per kind; when a kind has more, the result says
  "more than" (``SearchResults.more``). One query per kind searched, plus one for the page's texts.
- **Ranking**: PostgreSQL ``ts_rank`` (title weighted A, text B) in the entry's language configuration;
  SQLite ``bm25`` with the title weighted 10 to 1. A hit in the title ranks before a hit in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ccm.coalitions import policies as coalition_policies
from ccm.core.policies import Action
from ccm.library import policies as library_policies
from ccm.library.models import Language
from ccm.library.search_models import SearchEntry, SearchKind
from ccm.library.search_sql import FTS_TABLE, PG_CONFIGS, PG_SIMPLE, TABLE
from ccm.meetings.publish_models import SummaryStatus
from ccm.meetings.publish_policies import summaries as summary_policy
from ccm.needs import policies as need_policies
from ccm.needs.models import Pillar
from ccm.states import policies as state_policies

MAX_QUERY_CHARS = 1_000  # of the query, read before splitting it into words
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
MAX_PER_KIND = 200
# The shared cache's topic of the index: bumped when its entries are written (after the write they follow).
SEARCH_TOPIC = "search"
SNIPPET_CHARS = 240

_WORD = re.compile(r"[^\W_]+")


def parse_query(text: object) -> list[str]:
    """The words of a query, lower-cased, in order, each once: letters and digits only, at most
    ``MAX_TERMS`` words of at most ``MAX_TERM_LENGTH`` characters. Anything else is a separator."""
    raw = str(text or "")[:MAX_QUERY_CHARS]
    terms: list[str] = []
    for word in _WORD.findall(raw.casefold()):
        term = word[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return terms


# Each kind: the objects the user may see (a queryset whose primary keys filter the index).
def _visible_summaries(user: Any) -> QuerySet[Any]:
    return summary_policy.visible_to(user).filter(status=SummaryStatus.PUBLISHED)


VISIBLE: dict[str, Callable[[Any], QuerySet[Any]]] = {
    SearchKind.PRACTICE: lambda user: library_policies.practices.visible_to(user),
    SearchKind.OFFER: lambda user: library_policies.offers.visible_to(user),
    SearchKind.NEED: lambda user: need_policies.needs.visible_to(user),
    SearchKind.STATE: lambda user: state_policies.states.visible_to(user, Action.VIEW),
    SearchKind.DONOR: lambda user: need_policies.donor_profiles.visible_to(user),
    SearchKind.SUMMARY: _visible_summaries,
    SearchKind.COALITION: lambda user: coalition_policies.coalitions.visible_to(user),
}


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    pillar: str = ""
    state_id: int | None = None
    language: str = ""


@dataclass(frozen=True)
class Hit:
    entry_id: int
    kind: str
    object_id: int
    score: float


@dataclass
class Result:
    kind: str
    object_id: int
    title: str
    snippet: SafeString
    snippet_text: str
    url: str
    pillars: list[str]
    language: str

    @property
    def kind_label(self) -> str:
        return str(SearchKind(self.kind).label)

    @property
    def pillar_labels(self) -> list[str]:
        known = dict(Pillar.choices)
        return [str(known[p]) for p in self.pillars if p in known]

    @property
    def language_label(self) -> str:
        return str(dict(Language.choices).get(self.language, ""))


@dataclass
class SearchResults:
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # at least one kind had more than MAX_PER_KIND results (the count is a lower bound)

    @property
    def count(self) -> int:
        return len(self.hits)


# The backends: the same question (the best entries of one kind, among the given entries), two dialects.


class _Backend:
    def hits(self, terms: list[str], entries: QuerySet[SearchEntry], limit: int) -> list[Hit]:
        raise NotImplementedError


class SqliteBackend(_Backend):
    """FTS5: every word a quoted phrase (``"word"``, quotes doubled), all of them required; bm25."""

    def match(self, terms: list[str]) -> str:
        return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)

    def hits(self, terms: list[str], entries: QuerySet[SearchEntry], limit: int) -> list[Hit]:
        inner, params = entries.values("id").query.sql_with_params()
        sql = (
            f"SELECT e.id, e.kind, e.object_id, bm25({FTS_TABLE}, 10.0, 1.0) AS score "  # noqa: S608 (names are ours)
            f"FROM {FTS_TABLE} JOIN {TABLE} e ON e.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND e.id IN ({inner}) "
            f"ORDER BY score, e.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match(terms), *params, limit])
            # bm25 is lower for better matches: turn it round so that higher is better, as on PostgreSQL
            return [Hit(row[0], row[1], row[2], -float(row[3])) for row in cursor.fetchall()]


class PostgresBackend(_Backend):
    """A generated tsvector per entry in its language's configuration; the query parsed with the same
    configuration (``plainto_tsquery``: the words as plain text, no operators); ``ts_rank``."""

    def hits(self, terms: list[str], entries: QuerySet[SearchEntry], limit: int) -> list[Hit]:
        inner, params = entries.values("id").query.sql_with_params()
        words = " ".join(terms)
        known = list(PG_CONFIGS)
        branches = [
            f"(e.language = %s AND e.search_vector @@ plainto_tsquery('{config}', %s))"
            for config in PG_CONFIGS.values()
        ]
        branches.append(
            f"(e.language NOT IN ({', '.join(['%s'] * len(known))}) "
            f"AND e.search_vector @@ plainto_tsquery('{PG_SIMPLE}', %s))"
        )
        match_params: list[Any] = []
        for code in PG_CONFIGS:
            match_params += [code, words]
        match_params += [*known, words]
        case = (
            "CASE e.language "
            + " ".join(f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in PG_CONFIGS.items())
            + f" ELSE '{PG_SIMPLE}'::regconfig END"
        )
        sql = (
            f"SELECT e.id, e.kind, e.object_id, ts_rank(e.search_vector, plainto_tsquery({case}, %s)) AS score "  # noqa: S608
            f"FROM {TABLE} e WHERE e.id IN ({inner}) AND ({' OR '.join(branches)}) "
            f"ORDER BY score DESC, e.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [words, *params, *match_params, limit])
            return [Hit(row[0], row[1], row[2], float(row[3])) for row in cursor.fetchall()]


def backend() -> _Backend:
    """The backend of the database in use (PostgreSQL, else SQLite)."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def _entries(kind: str, user: Any, filters: Filters) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.filter(kind=kind, object_id__in=VISIBLE[kind](user).values("pk"))
    if filters.pillar:
        entries = entries.filter(pillars__contains=f" {filters.pillar} ")
    if filters.state_id is not None:
        entries = entries.filter(states__contains=f" {filters.state_id} ")
    if filters.language:
        entries = entries.filter(language=filters.language)
    return entries


def search(user: Any, query: object, filters: Filters | None = None) -> SearchResults:
    """The entries matching every word of ``query`` among the objects ``user`` may see, best first."""
    filters = filters or Filters()
    terms = parse_query(query)
    results = SearchResults(terms=terms)
    if not terms:
        return results
    engine = backend()
    kinds = [filters.kind] if filters.kind else list(SearchKind.values)
    for kind in kinds:
        found = engine.hits(terms, _entries(kind, user, filters), MAX_PER_KIND + 1)
        if len(found) > MAX_PER_KIND:
            results.more = True
            found = found[:MAX_PER_KIND]
        results.hits.extend(found)
    results.hits.sort(key=lambda h: (-h.score, h.entry_id))
    return results


# Showing a page of results: titles, snippets and links (one query for the page's entries).

_LIBRARY_PAGES: dict[str, str] = {SearchKind.PRACTICE: "practices", SearchKind.OFFER: "offers"}


def _url(entry: SearchEntry) -> str:
    try:
        if entry.kind == SearchKind.NEED:
            return reverse("needs:detail", args=[entry.object_id])
        if entry.kind == SearchKind.STATE:
            return reverse("states:detail", args=[entry.ref])
        if entry.kind == SearchKind.DONOR:
            return reverse("needs:donor", args=[entry.ref])
        if entry.kind == SearchKind.SUMMARY:
            return reverse("meetings:summary", args=[entry.ref])
        if entry.kind == SearchKind.COALITION:
            return reverse("coalitions:detail", args=[entry.object_id])
        return reverse(f"library:{entry.kind}", args=[entry.object_id])
    except NoReverseMatch:
        # The library's pages (practices, offers) at their documented paths.
        return f"/library/{_LIBRARY_PAGES.get(entry.kind, entry.kind + 's')}/{entry.object_id}/"


def _pattern(terms: list[str]) -> re.Pattern[str]:
    """Words starting like a query word (its stem, roughly: all but the last two letters of a long
    word), so "surveys" highlights "survey" and "surveyed"."""
    stems = sorted({t if len(t) <= 5 else t[: max(5, len(t) - 2)] for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def snippet(text: str, terms: list[str], *, size: int = SNIPPET_CHARS) -> tuple[str, SafeString]:
    """A window of ``text`` around its first matched word: as plain text, and as HTML with the matched
    words in ``<mark>`` (every piece escaped)."""
    if not text:
        return "", mark_safe("")  # noqa: S308 (empty)
    pattern = _pattern(terms) if terms else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > size // 3:
        start = text.rfind(" ", 0, first.start() - size // 3) + 1
    end = min(len(text), start + size)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    pieces: list[str] = [prefix]
    position = 0
    for match in pattern.finditer(window) if pattern else []:
        pieces.append(str(conditional_escape(window[position : match.start()])))
        pieces.append("<mark>" + str(conditional_escape(match.group(0))) + "</mark>")
        position = match.end()
    pieces.append(str(conditional_escape(window[position:])))
    pieces.append(suffix)
    return prefix + window + suffix, mark_safe("".join(pieces))  # noqa: S308 (every piece escaped above)


def _untitled(kind: str) -> str:
    if kind == SearchKind.SUMMARY:
        return gettext("Summary of a closed meeting")
    return str(SearchKind(kind).label)


def page_results(terms: list[str], hits: list[Hit]) -> list[Result]:
    """One page of hits as results: titles, snippets (``terms`` highlighted) and links."""
    entries: Mapping[int, SearchEntry] = SearchEntry.objects.in_bulk([h.entry_id for h in hits])
    shown: list[Result] = []
    for hit in hits:
        entry = entries.get(hit.entry_id)
        if entry is None:  # removed since the search (a concurrent write)
            continue
        text, html = snippet(entry.text, terms)
        shown.append(
            Result(
                kind=entry.kind,
                object_id=entry.object_id,
                title=entry.title or _untitled(entry.kind),
                snippet=html,
                snippet_text=text,
                url=_url(entry),
                pillars=entry.pillars.split(),
                language=entry.language,
            )
        )
    return shown
