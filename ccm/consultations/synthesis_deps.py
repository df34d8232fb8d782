"""What the synthesis takes from other parts: who sees attribution (``policies.sees_attribution``)
and the de-identification check (``ccm.core.deidentify``) with the terms naming a campaign's
participants (their States, the organisations and their people, the States' published figures)."""

from __future__ import annotations

from datetime import date

from ccm.accounts.models import Membership, Organisation
from ccm.accounts.selectors import identity_terms_for
from ccm.consultations.models import Campaign
from ccm.consultations.policies import sees_attribution
from ccm.core.deidentify import Hit, Term, find_identities
from ccm.reporting.selectors import figure_terms
from ccm.states.models import State
from ccm.states.selectors import identity_terms as state_terms

__all__ = ["Hit", "Term", "find_identities", "identity_terms", "sees_attribution"]


def identity_terms(campaign: Campaign, *, today: date) -> list[Term]:
    """Every term that names one of the campaign's participants (its recipient organisations)."""
    organisations = list(Organisation.objects.filter(pk__in=campaign.recipient_rows.values("organisation_id")))
    states = list(State.objects.filter(pk__in=[o.state_id for o in organisations if o.state_id]))
    users = [m.user for m in Membership.objects.filter(organisation__in=organisations).select_related("user")]
    return [
        *state_terms(states),
        *identity_terms_for(organisations=organisations, users=users),
        *figure_terms(states, today=today),
    ]
