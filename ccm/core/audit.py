"""Writing the audit trail. Only services call ``record``, inside their own transaction.

Two registries live here, filled by each app from its own ``audit_actions`` module (found by
``autodiscover`` when ``core`` is ready, as the admin finds ``admin`` modules), so ``core`` imports
no domain app:

- **Actions.** Every action name is declared once with ``register_actions(AuditAction(...))``, with a
  label for people. One style: ``<object>.<verb>`` in snake_case — the object is the model's name in
  snake_case (``need``, ``funding_flow``) or, for a spreadsheet or file import, ``<kind>_import``;
  the verb is imperative (``create``, ``publish``, ``add_pledge``, ``admin_change``). ``record``
  refuses a name that is not registered, so a typo fails the tests.
- **Confidential fields.** A model declares ``audit_confidential = {"field": "changed" | "hmac"}``
  (field names, plus the keys its services write in ``extra`` or under another name). Their values
  are never stored: ``"changed"`` stores the marker ``[confidential]``; ``"hmac"`` stores
  ``hmac-sha256:<hex>``, an HMAC keyed with a secret derived from ``SECRET_KEY``, so equal values
  can be matched (was the amount set back to what it was?) but a guessed amount cannot be checked
  without the server's key — a plain hash of a short value or an amount is reversed by trying
  values. Redaction is applied at write time for every entry of such a model, whatever the object's
  audience at that moment: an audience narrowed later must not expose older entries. A model whose
  ``str()`` shows confidential values sets ``audit_neutral_label = True`` and is labelled
  "Need #12". Models the project does not own are declared with ``register_model``.
- **Audiences.** ``register_model(Model, policy=...)`` names the policy that decides who sees an
  object; an organisation's managers then see its entries only about objects they may see.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import json
import re
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst

from ccm.core import cache as aggregate_cache
from ccm.core.models import AuditEntry
from ccm.core.text import clean_text

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("ccm_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


# --- Registry of action names --------------------------------------------------------------------

ACTION_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*\.[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class AuditAction:
    """One kind of audited change: ``name`` as stored, ``label`` as shown (marked for translation)."""

    name: str
    label: str | Promise


class UnregisteredAuditAction(LookupError):
    """``record`` was called with an action name no app registered."""


_actions: dict[str, AuditAction] = {}


_action_topics: dict[str, str] = {}


def _declaring_app(module: str) -> str:
    """``ccm.funding.audit_actions`` → ``funding``: the app that declared an action."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "ccm" else ""


def register_actions(*actions: AuditAction) -> None:
    """Declare action names (each app, from its ``audit_actions`` module). A name is declared once."""
    app = _declaring_app(sys._getframe(1).f_globals.get("__name__", ""))
    for action in actions:
        if app:
            _action_topics.setdefault(action.name, app)
        if not ACTION_NAME.match(action.name):
            raise ImproperlyConfigured(f"Audit action {action.name!r} is not <object>.<verb> in snake_case.")
        known = _actions.get(action.name)
        if known is not None and known is not action and known.label != action.label:
            raise ImproperlyConfigured(f"Audit action {action.name!r} is declared twice.")
        _actions.setdefault(action.name, action)


def registered_actions() -> list[AuditAction]:
    """Every declared action, by name (so an object's actions stay together)."""
    return sorted(_actions.values(), key=lambda a: a.name)


def is_registered(name: str) -> bool:
    return name in _actions


def action_label(name: str) -> str:
    """The label of a registered action, or the name itself (an entry older than its declaration)."""
    action = _actions.get(name)
    return str(action.label) if action is not None else name


def object_name(model: type[models.Model]) -> str:
    """A model's name as the object of an action: ``FundingFlow`` → ``funding_flow``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", model.__name__).lower()


def autodiscover() -> None:
    """Import every installed app's ``audit_actions`` module (called once, when ``core`` is ready)."""
    autodiscover_modules("audit_actions")


# --- Registry of audited models: confidential fields and audiences -------------------------------

Redaction = Literal["changed", "hmac"]
CONFIDENTIAL = "[confidential]"
HMAC_PREFIX = "hmac-sha256:"
_HMAC_SALT = "ccm.audit.confidential"


@dataclass
class _ModelAudit:
    policy: Any = None
    confidential: Mapping[str, Redaction] | None = None
    neutral_label: bool = False
    strict: bool = False


_models: dict[type[models.Model], _ModelAudit] = {}


def register_model(
    model: type[models.Model],
    *,
    policy: Any = None,
    confidential: Mapping[str, Redaction] | None = None,
    neutral_label: bool = False,
    strict: bool = False,
) -> None:
    """Say who may see ``model``'s objects (``policy``: an object with ``visible_to(user)``), and, for a
    model the project does not own, which of its fields are confidential. ``strict``: the policy binds
    coordinators too (a closed meeting's notes: entries about them are listed only to whoever may read
    them)."""
    entry = _models.setdefault(model, _ModelAudit())
    if policy is not None:
        entry.policy = policy
    if confidential is not None:
        entry.confidential = dict(confidential)
    entry.neutral_label = entry.neutral_label or neutral_label
    entry.strict = entry.strict or strict


def confidential_fields(model: type[models.Model]) -> dict[str, Redaction]:
    """What ``model`` declares confidential (its ``audit_confidential``, or its registration)."""
    declared: dict[str, Redaction] = dict(getattr(model, "audit_confidential", None) or {})
    registered = _models.get(model)
    if registered is not None and registered.confidential:
        declared.update(registered.confidential)
    for name, how in declared.items():
        if how not in ("changed", "hmac"):
            raise ImproperlyConfigured(f"{model.__name__}.{name}: redaction {how!r} is neither 'changed' nor 'hmac'.")
    return declared


def has_neutral_label(model: type[models.Model]) -> bool:
    registered = _models.get(model)
    return bool(getattr(model, "audit_neutral_label", False) or (registered is not None and registered.neutral_label))


def audience_policies() -> list[tuple[type[models.Model], Any]]:
    """The registered (model, policy) pairs."""
    return [(model, entry.policy) for model, entry in _models.items() if entry.policy is not None]


def strict_audience_policies() -> list[tuple[type[models.Model], Any]]:
    """The registered (model, policy) pairs whose policy binds coordinators too."""
    return [(model, entry.policy) for model, entry in _models.items() if entry.policy is not None and entry.strict]


def fingerprint(value: Any) -> str:
    """``hmac-sha256:<hex>`` of a value, keyed with a secret derived from ``SECRET_KEY``. Numbers are
    written one way first (``250000``, ``250000.00`` and ``2.5E+5`` give the same fingerprint)."""
    digest = salted_hmac(_HMAC_SALT, _canonical(value), algorithm="sha256").hexdigest()
    return f"{HMAC_PREFIX}{digest}"


def _canonical(value: Any) -> str:
    plain = _plain(value)
    if isinstance(plain, bool) or plain is None:
        return json.dumps(plain)
    if isinstance(plain, int | float | str):
        try:
            number = decimal.Decimal(str(plain).strip())
        except (decimal.InvalidOperation, ValueError):
            number = None
        if number is not None and number.is_finite():
            return format(number.normalize(), "f")
    if isinstance(plain, str):
        return plain
    return json.dumps(plain, sort_keys=True, default=str)


def is_redacted(value: Any) -> bool:
    return isinstance(value, str) and (value == CONFIDENTIAL or value.startswith(HMAC_PREFIX))


def redact(value: Any, how: Redaction) -> Any:
    """The stored form of a confidential value. Empty values stay as they are (that a field was
    empty tells nothing); a value redacted already is kept."""
    if value is None or value == "" or is_redacted(value):
        return value
    return fingerprint(value) if how == "hmac" else CONFIDENTIAL


def redact_values(values: Mapping[str, Any], confidential: Mapping[str, Redaction]) -> dict[str, Any]:
    return {k: redact(v, confidential[k]) if k in confidential else v for k, v in values.items()}


def neutral_label(obj: models.Model) -> str:
    """ "Need #12": the kind of object and its id, in the project's source language."""
    with translation.override(None):
        return f"{capfirst(str(obj._meta.verbose_name))} #{obj.pk}"


# --- Writing entries -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        # As the platform keeps text (a service may describe input before the model cleans it);
        # PostgreSQL's JSON cannot hold U+0000 at all.
        return clean_text(value, multiline=True)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``obj``, JSON-safe (foreign keys as ids)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _plain(getattr(obj, attname))
    return result


def changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def build_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    label: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    organisation_id: int | None,
    extra: dict[str, Any] | None,
) -> AuditEntry:
    """An unsaved entry, its confidential values redacted; refuses an action nobody registered."""
    if action not in _actions:
        raise UnregisteredAuditAction(
            f"Audit action {action!r} is not registered: declare it in the app's audit_actions module."
        )
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    model = type(obj) if obj is not None else None
    confidential = confidential_fields(model) if model is not None else {}
    data: dict[str, Any] = {}
    for key, values in (("old", old), ("new", new), ("extra", extra)):
        if values:
            data[key] = redact_values({k: _plain(v) for k, v in values.items()}, confidential)
    if obj is not None and model is not None and has_neutral_label(model):
        object_label = neutral_label(obj)
    else:
        object_label = label or (str(obj) if obj is not None else "")
    return AuditEntry(
        actor=actor if is_user else None,
        actor_label=(getattr(actor, "email", "") or str(actor)) if is_user else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_label=object_label[:300],
        organisation_id=organisation_id,
        data=data,
        request_id=current_request_id(),
    )


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    label: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry. Must run inside the caller's transaction (services are atomic).

    ``action`` must be registered. Values of the fields ``obj``'s model declares confidential are
    stored redacted (see the module's docstring), in ``old``, ``new`` and ``extra`` alike."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries are written inside the service's transaction.")
    entry = build_entry(
        actor=actor, action=action, obj=obj, label=label, old=old, new=new, organisation_id=organisation_id, extra=extra
    )
    entry.save(force_insert=True)
    aggregate_cache.bump_on_commit(_topics(action, [obj]))
    return entry


def _topics(action: str, objs: Iterable[models.Model | None]) -> set[str]:
    """What a write changes, for the cached aggregates: the apps of the objects written and the app that
    declared the action (an import's action names its app when no single object is written), and
    ``EVERY_WRITE``, which values read from many apps name (a person's worklist, the audit log itself)."""
    topics = {aggregate_cache.EVERY_WRITE, *(obj._meta.app_label for obj in objs if obj is not None)}
    if action in _action_topics:
        topics.add(_action_topics[action])
    return topics


@dataclass(frozen=True)
class Change:
    """One object's entry for ``record_many``: the arguments ``record`` takes for it."""

    obj: models.Model | None = None
    label: str = ""
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    organisation_id: int | None = None
    extra: dict[str, Any] | None = None


def record_many(*, actor: Any, action: str, changes: Iterable[Change], batch_size: int = 500) -> list[AuditEntry]:
    """One entry per change, as ``record`` writes them (same checks, same redaction), inserted in batches:
    for a service that writes many objects at once (a large import)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries are written inside the service's transaction.")
    changes = list(changes)
    entries = [
        build_entry(
            actor=actor,
            action=action,
            obj=c.obj,
            label=c.label,
            old=c.old,
            new=c.new,
            organisation_id=c.organisation_id,
            extra=c.extra,
        )
        for c in changes
    ]
    written = AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    aggregate_cache.bump_on_commit(_topics(action, [c.obj for c in changes]))
    return written
