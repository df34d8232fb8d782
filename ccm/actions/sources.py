"""Which kinds of object create follow-up actions, and who may see and change their actions.

The apps above this one (meetings, coalitions) register their source models, from their
``AppConfig.ready`` or a module it imports::

    from ccm.actions import sources

    sources.register(
        Meeting,
        policy=meeting_policies.meetings,
        page_url=lambda meeting: reverse("meetings:detail", args=[meeting.pk]),
        label=_("Meeting"),
    )

An action's audience is whoever may *view* its source through the source's policy. Who may change
an action: among those who see it, the editors and managers of its owner organisation, and whoever
may *change* the source (a meeting's conveners, a coalition's coordinators).

``label`` names the kind of source ("Meeting"), shown in the tracker and used by its filter; it may
also be a callable ``label(obj) -> str`` naming one source, in which case the kind is the model's
verbose name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet, Subquery
from django.utils.text import capfirst

from ccm.core.policies import Action, Policy


@dataclass(frozen=True)
class Source:
    """A registered source model: its policy, the actions that decide an action's audience and its
    editors, where a source is shown, and how it is named."""

    model: type[models.Model]
    policy: Policy[Any]
    page_url: Callable[[Any], str]
    label: Any  # a (lazy) string naming the kind, or a callable naming one object
    view_action: str = Action.VIEW
    change_action: str = Action.CHANGE
    related: tuple[str, ...] = ()
    # the sources whose actions are still worked on (reminders go for these only); None: all of them
    live: Callable[[], Q] | None = None

    @property
    def key(self) -> str:
        """The kind in URLs, filters and the API, e.g. ``meetings.meeting``."""
        return key_of(self.model)

    @property
    def kind_label(self) -> str:
        if callable(self.label):
            return str(capfirst(self.model._meta.verbose_name))
        return str(self.label)

    def name(self, obj: Any) -> str:
        """How one source is named in a list: "Meeting: Closed meeting on cooperation"."""
        if callable(self.label):
            return str(self.label(obj))
        return f"{self.label}: {obj}"

    def in_bulk(self, ids: Iterable[int]) -> dict[int, Any]:
        """The sources with these ids, with what naming them needs (one query)."""
        rows = (
            self.model._default_manager.select_related(*self.related) if self.related else self.model._default_manager
        )
        return dict(rows.in_bulk(list(ids)))

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)

    def visible(self, user: Any) -> QuerySet[Any]:
        """The sources whose actions ``user`` may see."""
        return self.policy.visible_to(user, self.view_action)

    def changeable(self, user: Any) -> QuerySet[Any]:
        """The sources whose actions ``user`` may change whoever owns them."""
        return self.policy.visible_to(user, self.change_action)


_REGISTRY: dict[str, Source] = {}


def key_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register(
    model: type[models.Model],
    *,
    policy: Policy[Any],
    page_url: Callable[[Any], str],
    label: Any,
    view_action: str = Action.VIEW,
    change_action: str = Action.CHANGE,
    related: tuple[str, ...] = (),
    live: Callable[[], Q] | None = None,
) -> Source:
    """Let objects of ``model`` create follow-up actions (see the module's docstring). ``related``:
    the relations ``label`` or ``page_url`` read (``select_related``), so a list names its sources
    in one query per kind. ``live``: a filter on ``model`` naming the sources whose actions are still
    worked on (a concluded coalition's are not: no more reminders for them)."""
    entry = Source(
        model=model,
        policy=policy,
        page_url=page_url,
        label=label,
        view_action=view_action,
        change_action=change_action,
        related=related,
        live=live,
    )
    _REGISTRY[entry.key] = entry
    return entry


def unregister(model: type[models.Model]) -> None:
    """Forget a source (tests register a source of their own and remove it afterwards)."""
    _REGISTRY.pop(key_of(model), None)


def registered() -> list[Source]:
    return list(_REGISTRY.values())


def for_key(key: str) -> Source | None:
    return _REGISTRY.get(key)


def for_model(model: type[models.Model]) -> Source | None:
    return _REGISTRY.get(key_of(model))


def for_object(obj: Any) -> Source | None:
    return for_model(type(obj)) if obj is not None else None


def for_content_type_id(content_type_id: int) -> Source | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return for_model(model) if model is not None else None


def source_q(user: Any, sources: Iterable[Source], *, changeable: bool = False) -> Q:
    """A filter on actions: those whose source is among the ``sources`` ``user`` may see (or, with
    ``changeable``, change). One subquery per source kind; no rows are read here."""
    allowed = Q(pk__in=[])
    for source in sources:
        ids = (source.changeable(user) if changeable else source.visible(user)).values("pk")
        allowed |= Q(source_type=source.content_type(), source_id__in=Subquery(ids))
    return allowed


def not_live() -> Q:
    """A filter on actions: those whose source is no longer worked on (a registered ``live`` test)."""
    found = Q(pk__in=[])
    for entry in _REGISTRY.values():
        if entry.live is None:
            continue
        dead = entry.model._default_manager.exclude(entry.live()).values("pk")
        found |= Q(source_type=entry.content_type(), source_id__in=Subquery(dead))
    return found
