"""Demo: the search index built over the demo data (registered from ``LibraryConfig.ready``, so it runs
after the steps of every app below the library; the library's own demo objects are indexed as they are
saved, by the per-write updates)."""

from __future__ import annotations

from ccm.core.demo import register
from ccm.library.search_index import rebuild


def seed() -> list[str]:
    counts = rebuild()
    return [f"Search index built: {sum(counts.values())} entries (try /search/?q=clearance)."]


register(seed)
