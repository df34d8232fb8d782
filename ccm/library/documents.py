"""Practices take attachments (a report, a guideline): seen by whoever sees the practice, attached by
its organisation's editors and managers. Imported by ``LibraryConfig.ready``."""

from __future__ import annotations

from django.urls import reverse

from ccm.core.documents import registry
from ccm.library import policies
from ccm.library.models import Practice


def _practice_url(practice: Practice) -> str:
    return reverse("library:practice", args=[practice.pk]) + f"#documents-library-practice-{practice.pk}"


registry.register(
    Practice,
    policy=policies.practices,
    page_url=_practice_url,
    organisation_id=lambda practice: practice.organisation_id,
)
