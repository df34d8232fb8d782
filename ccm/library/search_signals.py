"""Keeping the search index current on writes: after each save or delete of an indexed object (or of
what its entry shows: a coalition's objectives, a donor's organisation, the countries of a practice or
an offer), its entry is updated once the transaction commits (``search_index.index_later``).

Staleness: none after a committed write through the ORM; bulk writes that send no signals
(``QuerySet.update``, ``bulk_create``) and a failed update are repaired by the daily rebuild
(``library.rebuild_search_index``), so an entry is at most a day behind. Who may see an entry is never
stale: it is decided by the object's policy at query time.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from ccm.accounts.models import Organisation
from ccm.coalitions.models import Coalition, Objective
from ccm.library.models import Offer, Practice
from ccm.library.search_index import index_later
from ccm.library.search_models import SearchKind
from ccm.meetings.publish_models import Summary
from ccm.needs.models import DonorProfile, Need
from ccm.states.models import State

_DIRECT: dict[type[Any], str] = {
    Practice: SearchKind.PRACTICE,
    Offer: SearchKind.OFFER,
    Need: SearchKind.NEED,
    State: SearchKind.STATE,
    DonorProfile: SearchKind.DONOR,
    Summary: SearchKind.SUMMARY,
    Coalition: SearchKind.COALITION,
}
_COUNTRIES: dict[type[Any], str] = {
    Practice.countries.through: SearchKind.PRACTICE,
    Offer.countries.through: SearchKind.OFFER,
    DonorProfile.priority_states.through: SearchKind.DONOR,
}


def _object_changed(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_later(_DIRECT[sender], instance.pk)


def _objective_changed(sender: type[Any], instance: Objective, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_later(SearchKind.COALITION, instance.coalition_id)


def _organisation_changed(sender: type[Any], instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    """A donor's name is its profile's title: its entry follows (looked up after the commit, so a save
    costs no query here)."""
    if not raw:
        index_later(SearchKind.DONOR, instance.pk, by="organisation_id")


def _countries_changed(sender: type[Any], instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    kind = _COUNTRIES[sender]
    if not reverse:
        index_later(kind, instance.pk)
    else:  # a State's side of the relation changed: every object named in pk_set
        for pk in kwargs.get("pk_set") or ():
            index_later(kind, pk)


def connect() -> None:
    for model in _DIRECT:
        post_save.connect(_object_changed, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_object_changed, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    post_save.connect(_objective_changed, sender=Objective, dispatch_uid="search-save-objective")
    post_delete.connect(_objective_changed, sender=Objective, dispatch_uid="search-delete-objective")
    post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="search-save-organisation")
    for through in _COUNTRIES:
        m2m_changed.connect(_countries_changed, sender=through, dispatch_uid=f"search-countries-{through.__name__}")
