"""Answers take attachments (a report, a map, a letter backing the answer).

An answer's documents are seen by whoever sees the answer together with who gave it (its organisation;
once submitted, the implementation support unit and the conveners whose mandate runs) — a document
would give the organisation away to anyone else — and attached by its organisation's editors and
managers. Imported by
``ConsultationsConfig.ready``.
"""

from __future__ import annotations

from django.urls import reverse

from ccm.consultations import policies
from ccm.consultations.models import Answer
from ccm.core.documents import registry


def _answer_url(answer: Answer) -> str:
    return reverse("consultations:answer_detail", args=[answer.pk]) + "#documents"


registry.register(
    Answer,
    policy=policies.attributed_answers,
    page_url=_answer_url,
    organisation_id=lambda answer: answer.organisation_id,
)
