"""Writes for follow-up actions: creating one from its source, changing its status.

The callers (the source's app: meetings, coalitions; the action pages) have already checked that the
actor may do this through the policies; these functions check that the change itself makes sense.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.actions import sources
from ccm.actions.models import Action, ActionStatus
from ccm.core import audit, clock
from ccm.core.text import clean_text

FIELDS = ("title", "description", "owner", "state", "due_date", "status", "completed_on", "need", "obligation", "flow")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


@transaction.atomic
def action_create(
    *,
    source: Any,
    title: str,
    owner: Organisation,
    due_date: date | None,
    actor: Any,
    state: Any = None,
    need: Any = None,
    obligation: Any = None,
    flow: Any = None,
    follows: Action | None = None,
    description: str = "",
    allowed_owners: Collection[Organisation] | None = None,
) -> Action:
    """Record that ``owner`` will do ``title`` by ``due_date``, decided in ``source`` (a registered
    meeting or coalition). ``allowed_owners``: when given, an owner outside it is refused (a
    coalition's members, a meeting's invited organisations). The State concerned is taken from the
    need or the obligation when not given; a need or obligation of another State is refused."""
    errors: dict[str, list[str]] = {}
    registered = sources.for_object(source)
    if registered is None or getattr(source, "pk", None) is None:
        raise ValidationError(_("Actions can only be created from a saved meeting or coalition."))
    title = clean_text(title or "", multiline=False).strip()
    description = clean_text(description or "", multiline=True).strip()
    if not title:
        _add(errors, "title", _("Say what is to be done."))
    if due_date is None:
        _add(errors, "due_date", _("Give the date by which it is to be done."))
    if owner is None or getattr(owner, "pk", None) is None:
        _add(errors, "owner", _("Choose the organisation that will do it."))
    elif not owner.is_active:
        _add(errors, "owner", _("%(org)s is no longer active on the platform.") % {"org": owner})
    elif allowed_owners is not None and owner.pk not in {org.pk for org in allowed_owners}:
        _add(
            errors,
            "owner",
            _("%(org)s cannot own this action: choose one of the organisations taking part.") % {"org": owner},
        )
    for field, linked in (("need", need), ("obligation", obligation)):
        if linked is None:
            continue
        if state is None:
            state = linked.state
        elif linked.state_id != state.pk:
            _add(errors, field, _("This belongs to another State than the one the action concerns."))
    if flow is not None and state is not None and flow.recipient_state_id not in (None, state.pk):
        _add(errors, "flow", _("This funding flow goes to another State than the one the action concerns."))
    if errors or due_date is None:
        raise ValidationError(errors)
    action = Action(
        title=title,
        description=description,
        owner=owner,
        state=state,
        due_date=due_date,
        source_type=registered.content_type(),
        source_id=source.pk,
        need=need,
        obligation=obligation,
        flow=flow,
        follows=follows,
        created_by=_actor(actor),
    )
    action.full_clean()
    action.save()
    audit.record(
        actor=actor,
        action="action.create",
        obj=action,
        new=audit.snapshot(action, FIELDS),
        organisation_id=owner.pk,
        extra={"source": registered.key, "source_id": source.pk},
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    actor: Any,
    status: str | None = None,
    completed_on: date | None = None,
    due_date: date | None = None,
    note: str = "",
    today: date | None = None,
) -> Action:
    """Change an action's status (and, when done, the day it was completed), move its due date, or
    add a note. Marking it done without a date takes today's; a completion date in the future, or a
    completion date on an action that is not done, is refused."""
    today = today or clock.today()
    note = clean_text(note or "", multiline=True).strip()
    errors: dict[str, list[str]] = {}
    new_status = status if status is not None else action.status
    if new_status not in ActionStatus.values:
        _add(errors, "status", _("Choose one of the statuses offered."))
    if new_status == ActionStatus.DONE:
        completed_on = completed_on or action.completed_on or today
        if completed_on > today:
            _add(errors, "completed_on", _("The completion date cannot be in the future."))
    elif completed_on is not None:
        _add(errors, "completed_on", _("Give a completion date only when the action is done."))
    if new_status == ActionStatus.CANCELLED and action.status != ActionStatus.CANCELLED and not note:
        _add(errors, "note", _("Say why the action is cancelled."))
    new_due = due_date or action.due_date
    unchanged = (
        new_status == action.status
        and (completed_on if new_status == ActionStatus.DONE else None) == action.completed_on
        and new_due == action.due_date
    )
    if unchanged and not note and not errors:
        _add(errors, "__all__", _("Nothing to change: choose another status, a date or write a note."))
    if errors:
        raise ValidationError(errors)
    old = audit.snapshot(action, ("status", "completed_on", "due_date"))
    action.status = new_status
    action.completed_on = completed_on if new_status == ActionStatus.DONE else None
    action.due_date = new_due
    action.full_clean()
    action.save(update_fields=["status", "completed_on", "due_date", "updated_at"])
    old, new = audit.changes(old, audit.snapshot(action, ("status", "completed_on", "due_date")))
    audit.record(
        actor=actor,
        action="action.update",
        obj=action,
        old=old,
        new=new,
        organisation_id=action.owner_id,
        extra={"note": note} if note else None,
    )
    return action
