"""Which models take attachments, and which policy decides about their documents.

Apps register their own models (core imports no domain app), from ``AppConfig.ready`` or a module it
imports::

    documents.register(Need, policy=policies.needs, page_url=lambda need: reverse(...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet

from ccm.core.policies import Action, Policy


def _no_organisation(parent: Any) -> int | None:
    return None


@dataclass(frozen=True)
class Attachable:
    """A registered parent model: its policy, the actions needed to see and to attach, where it is shown."""

    model: type[models.Model]
    policy: Policy[Any]
    page_url: Callable[[Any], str]
    organisation_id: Callable[[Any], int | None] = _no_organisation
    view_action: str = Action.VIEW
    attach_action: str = Action.CHANGE

    @property
    def key(self) -> str:
        """The name of the parent type in URLs and the API, e.g. ``needs.need``."""
        return key_of(self.model)

    def visible_parents(self, user: Any) -> QuerySet[Any]:
        """The parents whose documents ``user`` may see."""
        return self.policy.visible_to(user, self.view_action)

    def may_attach(self, user: Any, parent: Any) -> bool:
        """Whether ``user`` may attach documents to ``parent`` (and withdraw them); the caller has
        already found ``parent`` among the visible ones."""
        return bool(self.policy.can(user, self.attach_action, parent))


_REGISTRY: dict[str, Attachable] = {}


def key_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register(
    model: type[models.Model],
    *,
    policy: Policy[Any],
    page_url: Callable[[Any], str],
    organisation_id: Callable[[Any], int | None] = _no_organisation,
    view_action: str = Action.VIEW,
    attach_action: str = Action.CHANGE,
) -> Attachable:
    """Let ``model`` take attachments. ``page_url(parent)`` is where the parent (and its documents) is
    shown; ``organisation_id(parent)`` is the organisation concerned, for the audit trail."""
    entry = Attachable(
        model=model,
        policy=policy,
        page_url=page_url,
        organisation_id=organisation_id,
        view_action=view_action,
        attach_action=attach_action,
    )
    _REGISTRY[entry.key] = entry
    return entry


def for_key(key: str) -> Attachable | None:
    return _REGISTRY.get(key)


def for_model(model: type[models.Model]) -> Attachable:
    entry = _REGISTRY.get(key_of(model))
    if entry is None:
        raise LookupError(f"{key_of(model)} does not take attachments: register it in its app.")
    return entry


def registered() -> list[Attachable]:
    return list(_REGISTRY.values())
