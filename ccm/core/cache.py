"""Aggregates cached in the shared cache, and invalidated by exactly the writes that change their inputs.

Every write goes through a service that records an audit entry (``ccm.core.audit``); then, and again when
that transaction commits, the entry's *topics* get a new version: the app of the object written, and the
app that declared the action (an import names its app that way, even with no single object). A cached value
names the topics it is computed from, and its key holds their current versions, so a write makes the next read compute
afresh, in every process, while the values of untouched topics stay cached. Writes that bypass the services
(``seed_scale``'s bulk rows, ``load_reference``) call ``bump_all``.

Only values that are the same for everyone who may read them are cached: public aggregates, computed for the
anonymous reader. ``parts`` must name everything else the value depends on (filters, the day), and the
active language is always part of the key, as labels are translated. Losing a version (eviction) only
invalidates: a new version is drawn, never an old one reused.

The cache is shared by every process (``settings.CACHES``: a database table on the embedded default, Redis in
production), so the task worker's writes invalidate what the web workers cached.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

T = TypeVar("T")

_VERSION = "topic-version:{}"
ALL_TOPICS = "*"  # a version every key holds too: bump_all() changes it
EVERY_WRITE = "every-write"  # bumped by every audited write, whatever it changes
_MISSING = object()


def _new_version() -> str:
    return secrets.token_hex(8)


def versions(topics: Iterable[str]) -> tuple[str, ...]:
    """The current version of each topic (and of ``ALL_TOPICS``), drawing one where none is stored."""
    names = sorted({*topics, ALL_TOPICS})
    keys = [_VERSION.format(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _new_version(), timeout=None)  # another process may have drawn one first: keep it
            found[key] = cache.get(key) or _new_version()
    return tuple(f"{name}={found[key]}" for name, key in zip(names, keys, strict=True))


def bump(topics: Iterable[str]) -> None:
    """New versions for ``topics`` now: what was computed from them is no longer read."""
    names = sorted(set(topics))
    if names:
        cache.set_many({_VERSION.format(name): _new_version() for name in names}, timeout=None)


def bump_on_commit(topics: Iterable[str]) -> None:
    """New versions for ``topics`` now, and again once the current transaction commits: a value another
    process computed in between, from the rows before the commit, is not read after it. (A write rolled back
    costs a recomputation, never a stale figure.)"""
    connection = transaction.get_connection()
    # once per topic within one (save)point of a transaction: a service writing many rows bumps each topic once
    here = set(connection.savepoint_ids)
    waiting = {
        name
        for ids, callback, *_rest in connection.run_on_commit
        if ids == here
        for name in getattr(callback, "topics", ())
    }
    names = tuple(sorted(set(topics) - waiting))
    if names:
        bump(names)
        transaction.on_commit(_Bump(names))


class _Bump:
    def __init__(self, topics: tuple[str, ...]):
        self.topics = topics

    def __call__(self) -> None:
        bump(self.topics)


def bump_all() -> None:
    """Invalidate every cached aggregate (after writes that bypass the services)."""
    bump([ALL_TOPICS])


def key_for(name: str, topics: Iterable[str], parts: Iterable[Any] = ()) -> str:
    """The cache key: the value's name, its parts, the active language and its topics' versions."""
    text = repr((name, tuple(parts), translation.get_language() or "", versions(topics)))
    return f"aggregate:{name}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def cached(name: str, *, topics: Iterable[str], build: Callable[[], T], parts: Iterable[Any] = ()) -> T:
    """``build()``'s value, from the cache when its topics have not changed since it was stored.

    Only for values that are the same for every reader who gets them (see the module's docstring)."""
    key = key_for(name, topics, parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value)
    return value
