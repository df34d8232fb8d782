"""What the synthesis takes from other parts: who sees attribution (consultations policies) and the
de-identification check (``ccm.core.deidentify``) with the terms naming a campaign's participants.

Until those parts are in the tree, the fallbacks below keep the same interfaces (a plain rule and a
plain word search); they go when the parts arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ccm.consultations.models import Campaign

try:  # cons-core's policy
    from ccm.consultations.policies import sees_attribution as _sees_attribution
except ImportError:  # pragma: no cover - replaced on merge
    _sees_attribution = None

try:  # deid's check
    from ccm.core.deidentify import Hit, Term, find_identities
except ImportError:  # pragma: no cover - replaced on merge

    @dataclass(frozen=True)
    class Term:  # type: ignore[no-redef]
        text: str
        kind: str
        participant: str

    @dataclass(frozen=True)
    class Hit:  # type: ignore[no-redef]
        start: int
        end: int
        matched: str
        term: Term

        def context(self, text: str, width: int = 40) -> tuple[str, str, str]:
            return text[max(0, self.start - width) : self.start], text[self.start : self.end], text[self.end : self.end + width]

    def find_identities(text: str, terms: Iterable[Term]) -> list[Hit]:  # type: ignore[misc]
        hits: list[Hit] = []
        for term in sorted(terms, key=lambda t: -len(t.text)):
            if not term.text.strip():
                continue
            pattern = re.compile(r"(?<!\w)" + re.escape(term.text) + r"(?:'s|’s|s)?(?!\w)", re.IGNORECASE)
            for m in pattern.finditer(text):
                if all(m.end() <= h.start or m.start() >= h.end for h in hits):
                    hits.append(Hit(m.start(), m.end(), m.group(0), term))
        return sorted(hits, key=lambda h: h.start)


def sees_attribution(user: Any, campaign: Campaign, *, today: date) -> bool:
    if _sees_attribution is not None:
        return bool(_sees_attribution(user, campaign, today=today))
    from ccm.core.policies import is_signed_in, memberships  # pragma: no cover - replaced on merge

    if not is_signed_in(user):
        return False
    if any(kind == "coordinators_office" for _o, _r, kind, _s in memberships(user)):
        return True
    return campaign.conveners.filter(user=user).exclude(mandate_ends__lt=today).exists()


def identity_terms(campaign: Campaign, *, today: date) -> list[Term]:
    """Every term that names one of the campaign's participants: their States (names, adjectives,
    capitals, codes), the organisations and their people, and the States' published figures."""
    from ccm.accounts.models import Membership, Organisation
    from ccm.states.models import State

    organisations = list(Organisation.objects.filter(pk__in=campaign.recipient_rows.values("organisation_id")))
    states = list(State.objects.filter(pk__in=[o.state_id for o in organisations if o.state_id]))
    users = [m.user for m in Membership.objects.filter(organisation__in=organisations).select_related("user")]
    terms: list[Term] = []
    try:
        from ccm.accounts.selectors import identity_terms_for
        from ccm.reporting.selectors import figure_terms
        from ccm.states.selectors import identity_terms as state_terms
    except ImportError:  # pragma: no cover - replaced on merge
        for state in states:
            for text in {state.name, getattr(state, "iso3", ""), getattr(state, "iso2", "")}:
                if text:
                    terms.append(Term(text, "name", state.name))
        for organisation in organisations:
            terms.append(Term(organisation.name, "organisation", organisation.name))
        for user in users:
            name = user.get_full_name() if hasattr(user, "get_full_name") else ""
            if name:
                terms.append(Term(name, "person", name))
        return terms
    terms.extend(state_terms(states))
    terms.extend(identity_terms_for(organisations=organisations, users=users))
    terms.extend(figure_terms(states, today=today))
    return terms
