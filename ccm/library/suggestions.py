"""Practices and offers suggested on a need's page, each with the reasons it is suggested.

Candidates are what the viewer may see (through the policies), of the need's pillar — and, for offers,
of its pillar or its modality — and offers still offered only (an expired or withdrawn offer is never
suggested, whoever looks). They are ranked by a score: same pillar, same modality, the need's country
among theirs, and the TF-IDF cosine of their words with the need's (``ccm.analytics.similarity``).
The queries are bounded: at most ``CANDIDATES`` rows of each kind are read, whatever the library holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ccm.analytics.similarity import similar
from ccm.core.markdown import plain
from ccm.library import policies, selectors
from ccm.library.models import Offer
from ccm.needs.models import Need

CANDIDATES = 200  # rows of each kind considered
SHOWN = 3  # suggestions of each kind shown
OWN_SHOWN = 10  # the viewer's own matching offers shown beyond those (to be proposed)
MIN_SCORE = 2.0  # the same pillar alone is enough; a modality alone needs shared words too


@dataclass
class Suggestion:
    item: Any  # a Practice or an Offer
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def _need_text(need: Need) -> str:
    return f"{need.title} {need.title} {need.description} {need.in_kind}"


def _rank(need: Need, rows: list[Any], texts: list[str], *, modality: bool) -> list[Suggestion]:
    matches = similar(_need_text(need), texts)
    ranked: list[Suggestion] = []
    for row, match in zip(rows, matches, strict=True):
        score = 0.0
        reasons: list[str] = []
        if row.pillar == need.pillar:
            score += 2.0
            reasons.append(_("same pillar: %(p)s") % {"p": need.get_pillar_display().lower()})
        if modality and row.modality == need.modality:
            score += 1.0
            reasons.append(_("same modality: %(m)s") % {"m": need.get_modality_display().lower()})
        if any(country.pk == need.state_id for country in row.countries.all()):
            score += 0.5
            reasons.append(_("concerns %(state)s") % {"state": need.state.display_name})
        if match.shared and match.score >= 0.05:
            score += 3.0 * match.score + 0.5
            reasons.append(_("shares words: %(words)s") % {"words": ", ".join(match.shared)})
        if score >= MIN_SCORE:
            ranked.append(Suggestion(item=row, score=score, reasons=reasons))
    ranked.sort(key=lambda s: (-s.score, s.item.title))
    return ranked


def practices_for(need: Need, *, user: Any) -> list[Suggestion]:
    rows = list(
        policies.practices.visible_to(user)
        .filter(pillar=need.pillar)
        .prefetch_related("countries")
        .select_related("organisation")
        .order_by("-published_on", "pk")[:CANDIDATES]
    )
    texts = [f"{p.title} {p.summary} {' '.join(p.tags)} {plain(p.body, limit=3000)}" for p in rows]
    return _rank(need, rows, texts, modality=False)[:SHOWN]


def offers_for(need: Need, *, user: Any, today: date, own: set[int] | None = None) -> list[Suggestion]:
    """The best offers for ``need``; the offers of ``own`` organisations that match are all kept (so that
    their editors can propose them), after the best ones."""
    rows: list[Offer] = list(
        policies.offers.visible_to(user)
        .filter(selectors.current_q(today))
        .filter(Q(pillar=need.pillar) | Q(modality=need.modality))
        .prefetch_related("countries")
        .select_related("organisation")
        .order_by("expires_on", "pk")[:CANDIDATES]
    )
    texts = [f"{o.title} {o.description} {' '.join(o.skills)} {o.expert_name}" for o in rows]
    ranked = _rank(need, rows, texts, modality=True)
    shown = ranked[:SHOWN]
    if own:
        shown += [s for s in ranked[SHOWN:] if s.item.organisation_id in own][:OWN_SHOWN]
    return shown


def suggested_practice_ids(need: Need, *, user: Any) -> list[int]:
    return [s.item.pk for s in practices_for(need, user=user)]


def suggested_offer_ids(need: Need, *, user: Any, today: date) -> list[int]:
    return [s.item.pk for s in offers_for(need, user=user, today=today)]
