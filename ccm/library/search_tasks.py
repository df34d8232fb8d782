"""The daily rebuild of the search index (repairs what the per-write updates missed: bulk writes, a
failed update); ``ccm tick`` enqueues it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.core import periodic
from ccm.library.search_index import rebuild

REBUILD = "library.rebuild_search_index"


def rebuild_daily(period_start: datetime) -> dict[str, Any]:
    return {"entries": rebuild()}


periodic.register(REBUILD, period="daily", handler=rebuild_daily, label=_("Search index rebuilt"))
