"""What waits for a signed-in person: the worklist on their home page (``/me/``) and in the API.

Core knows no domain: each app registers its providers from its own ``worklist`` module, imported by
its ``AppConfig.ready()`` (like the demo steps and the audit actions). A provider is
``provider(user, today) -> list[WorkItem]``; it reads through its app's selectors and policies, returns
nothing (and asks the database nothing) for people it does not concern, and uses a fixed number of
queries whatever the amount of data, so the home page's cost does not grow with the platform.

    from ccm.core import worklist

    def reports_to_submit(user, today):
        return [worklist.WorkItem(title=..., url=..., kind="reporting.drafts") for report in ...]

    worklist.register("reporting.drafts", _("Progress reports to submit"), reports_to_submit, order=10)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ccm.core import cache as aggregate_cache
from ccm.core.policies import person_key

# How many items of one group the page and the API show (the count says how many there are).
ITEMS_PER_GROUP = 25


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what (``title``), where it is done (``url``), and optionally a line of
    context (``detail``) and the date by which it should be done (``due``). ``kind`` is the key of the
    group that listed it."""

    title: str
    url: str
    kind: str
    detail: str = ""
    due: date | None = None


@dataclass(frozen=True)
class Bounded:
    """A provider's answer when the database counted and cut: ``count`` items in all, ``items`` the first
    ``ITEMS_PER_GROUP`` of them, already in the order to show. A group that can hold thousands of rows
    answers this way (:func:`bounded`), so the home page builds 25 items, not all of them."""

    count: int
    items: list[WorkItem]


def bounded(rows: Any, build: Callable[[Any], WorkItem], *, limit: int = ITEMS_PER_GROUP) -> Bounded:
    """Count ``rows`` (an ordered queryset) and build the items of the first ``limit`` only (two queries)."""
    count = rows.count()
    return Bounded(count, [build(row) for row in rows[:limit]] if count else [])


Provider = Callable[[Any, date], "list[WorkItem] | Bounded"]


@dataclass(frozen=True)
class _Registration:
    key: str
    label: Any
    provider: Provider
    order: int


@dataclass
class WorkGroup:
    """The items under one heading: the first ``ITEMS_PER_GROUP`` of them, and how many there are."""

    key: str
    label: str
    count: int
    items: list[WorkItem] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


_registry: dict[str, _Registration] = {}


def register(key: str, label: Any, provider: Provider, *, order: int = 100) -> Provider:
    """Add a group of work items under the heading ``label`` (marked for translation). Groups are shown
    by ``order``, then key. Registering the same provider again under its key is harmless."""
    existing = _registry.get(key)
    if existing is not None and existing.provider is not provider:
        raise ValueError(f"The worklist group {key!r} is registered twice.")
    _registry[key] = _Registration(key, label, provider, order)
    return provider


def registered_keys() -> list[str]:
    return [r.key for r in sorted(_registry.values(), key=lambda r: (r.order, r.key))]


def for_user(user: Any, *, today: date, limit: int = ITEMS_PER_GROUP) -> list[WorkGroup]:
    """The groups with something in them for ``user``, in order; each item list sorted by due date
    (undated last) and cut at ``limit``. Nothing for anyone not signed in.

    Kept in the shared cache for that one person (``person_key``) and the day, until any audited write:
    the groups read a dozen apps between them, and a reload of the home page is far more common than a
    write that changes it."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return []
    return aggregate_cache.cached(
        "worklist",
        topics=(aggregate_cache.EVERY_WRITE,),
        parts=(*person_key(user), today, limit),
        build=lambda: _groups(user, today=today, limit=limit),
    )


def _plain(item: WorkItem) -> WorkItem:
    """The item with its texts in the current language, so that it keeps as plain text."""
    return replace(item, title=str(item.title), detail=str(item.detail))


def _groups(user: Any, *, today: date, limit: int) -> list[WorkGroup]:
    groups = []
    for registration in sorted(_registry.values(), key=lambda r: (r.order, r.key)):
        found = registration.provider(user, today)
        if isinstance(found, Bounded):
            if found.count:
                label = str(registration.label)
                items = [_plain(item) for item in found.items[:limit]]
                groups.append(WorkGroup(key=registration.key, label=label, count=found.count, items=items))
            continue
        if not found:
            continue
        ordered = sorted(found, key=lambda item: (item.due is None, item.due or date.max))
        groups.append(
            WorkGroup(
                key=registration.key,
                label=str(registration.label),
                count=len(ordered),
                items=[_plain(item) for item in ordered[:limit]],
            )
        )
    return groups
