"""A test-only source of actions: needs, seen through their own policy.

The product registers no such source (meetings and coalitions register theirs); tests use a need
because it already has an honest policy with a narrow audience (a draft need: its State's government
and the coordinators)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import reverse

from ccm.actions import sources
from ccm.needs import policies as need_policies
from ccm.needs.models import Need


@contextmanager
def need_as_source() -> Iterator[sources.Source]:
    already = sources.for_model(Need)
    entry = sources.register(
        Need,
        policy=need_policies.needs,
        page_url=lambda need: reverse("needs:detail", args=[need.pk]),
        label="Need (test source)",
    )
    try:
        yield entry
    finally:
        if already is None:
            sources.unregister(Need)
