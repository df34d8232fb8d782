"""Matching's reasons in the platform's words: State names and pillar labels rather than codes, amounts
through the money filter, every sentence marked for translation. The points come from
``ccm.analytics.matching``; the sentence is rebuilt here from the same facts."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccm.analytics import matching
from ccm.core.templatetags.ccm import money as money_filter
from ccm.core.templatetags.ccm import share as share_filter
from ccm.needs.models import Modality, Pillar


def _money(amount: float) -> str:
    return str(money_filter(round(amount), "USD"))


def explain(
    reason: matching.Reason,
    need: matching.MatchNeed,
    donor: matching.MatchDonor,
    names: Mapping[str, str],
    *,
    month: int,
) -> str:
    state = names.get(need.iso3, need.iso3)
    pillar = str(Pillar(need.pillar).label) if need.pillar in Pillar.values else need.pillar
    modality = str(Modality(need.modality).label) if need.modality in Modality.values else need.modality
    factor = reason.factor
    if factor == "country":
        if not donor.countries:
            return _("Open to any country")
        if need.iso3 in donor.countries:
            return _("Lists %(state)s among its priority countries") % {"state": state}
        return _("%(state)s is not among its priority countries") % {"state": state}
    if factor == "pillar":
        if not donor.pillars:
            return _("Open to any pillar")
        if need.pillar in donor.pillars:
            return _("Funds %(pillar)s") % {"pillar": pillar.lower()}
        return _("Does not fund %(pillar)s") % {"pillar": pillar.lower()}
    if factor == "modality":
        if not donor.modalities:
            return _("Open to any modality")
        if need.modality in donor.modalities:
            return _("Offers %(modality)s") % {"modality": modality.lower()}
        return _("Does not offer %(modality)s") % {"modality": modality.lower()}
    if factor == "history":
        funded = float(donor.funded_states.get(need.iso3, 0.0))
        if funded <= 0:
            return _("Has not funded %(state)s before") % {"state": state}
        return _("Has funded %(state)s before (%(amount)s)") % {"state": state, "amount": _money(funded)}
    if factor == "envelope":
        if donor.envelope_left is None:
            return _("Envelope left not known (counted as half)")
        left = max(float(donor.envelope_left), 0.0)
        if left <= 0:
            return _("No envelope left")
        if need.gap <= 0 or left >= need.gap:
            return _("Envelope left (%(amount)s) covers the gap") % {"amount": _money(left)}
        return _("Envelope left (%(amount)s) covers %(share)s of the gap") % {
            "amount": _money(left),
            "share": share_filter(left / need.gap),
        }
    if factor == "timing":
        if donor.cycle_month is None:
            return _("Funding cycle not stated (counted as half)")
        wait = matching.months_until(donor.cycle_month, month)
        if wait == 0:
            return _("Its funding cycle opens this month")
        return ngettext("Its funding cycle opens in %(n)s month", "Its funding cycle opens in %(n)s months", wait) % {
            "n": wait
        }
    if factor == "response":
        if donor.response_rate is None:
            return _("No record of answering needs yet (counted as half)")
        return _("Answered %(share)s of the needs that matched it") % {"share": share_filter(donor.response_rate)}
    return reason.text
