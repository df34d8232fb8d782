"""Panels that apps above ``needs`` add to a need's page (``needs`` imports none of them).

An app registers a function from its ``AppConfig.ready()``::

    panels.register("library.suggestions", provider, order=50)

``provider(request, need)`` returns a ``Panel`` (a template and its context) or ``None`` to show nothing.
It reads through its own selectors and policies, and costs a bounded number of queries whatever the data:
the need's page renders every registered panel, in ``order``, after the need's own sections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[HttpRequest, Any], "Panel | None"]

_providers: dict[str, tuple[int, Provider]] = {}


def register(key: str, provider: Provider, *, order: int = 100) -> None:
    """Add (or replace, by ``key``) a panel of the need page."""
    _providers[key] = (order, provider)


def panels_for(request: HttpRequest, need: Any) -> list[Panel]:
    """The panels to render on ``need``'s page for this request, in order."""
    shown: list[Panel] = []
    for _order, provider in sorted(_providers.values(), key=lambda item: item[0]):
        panel = provider(request, need)
        if panel is not None:
            shown.append(panel)
    return shown
