"""Writes to the States registry. Every write goes through a function here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import models, transaction

from ccm import treaty
from ccm.core import audit
from ccm.states.models import ExtensionRequest, Obligation, Source, State
from ccm.states.reference_data import ReferenceData


@dataclass
class LoadResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()))

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "; ".join(
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, {self.unchanged[kind]} unchanged"
            for kind in kinds
        )


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    result: LoadResult,
    label: str,
    actor: Any,
    existing: models.Model | None = None,
) -> Any:
    """Create or update one row so that it holds ``values``; count what happened and audit it."""
    obj = existing if existing is not None else model._default_manager.filter(**lookup).first()
    action = f"{audit.object_name(model)}.load_reference"
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        result.created[label] += 1
        audit.record(actor=actor, action=action, obj=obj, new=audit.snapshot(obj, values.keys()))
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        old = audit.snapshot(obj, changed)
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
        result.updated[label] += 1
        audit.record(actor=actor, action=action, obj=obj, old=old, new=audit.snapshot(obj, changed))
    else:
        result.unchanged[label] += 1
    return obj


@transaction.atomic
def reference_load(*, data: ReferenceData, actor: Any = None) -> LoadResult:
    """Bring the registry in line with ``data``: every ISO 3166 country as a State, and the sourced facts.

    Idempotent: loading the same data twice changes nothing the second time. All or nothing. Each
    created or changed row gets an audit entry (``actor`` None means the system, e.g. a command).
    """
    result = LoadResult()
    sources = {
        key: _upsert(
            Source,
            {"key": key},
            {"citation": row["citation"], "url": row["url"] or "", "as_of": row["as_of"], "note": row["note"] or ""},
            result,
            "sources",
            actor,
        )
        for key, row in data.sources.items()
    }

    existing_states = {state.iso3: state for state in State.objects.all()}
    states: dict[str, State] = {}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        country_row = data.countries.get(iso3, {})
        fact = data.states.get(iso3, {})
        deposit = fact.get("deposit_date")
        values: dict[str, Any] = {
            "iso2": country.alpha_2,
            "numeric": country.numeric,
            "name": country_row.get("name") or country.name,
            "official_name": getattr(country, "official_name", ""),
            "region": country_row.get("region") or "",
            "subregion": country_row.get("subregion") or "",
            "is_state": bool(country_row.get("is_state")),
            "ccm_status": fact.get("ccm_status") or "",
            "signature_date": fact.get("signature_date"),
            "deposit_date": deposit,
            "instrument": fact.get("instrument") or "",
            "entry_into_force": fact.get("entry_into_force") or (treaty.entry_into_force(deposit) if deposit else None),
            "withdrawal_notified": fact.get("withdrawal_notified"),
            "withdrawal_effective": fact.get("withdrawal_effective"),
            "treaty_source": sources[fact["source"]] if fact else None,
            "treaty_confidence": fact.get("confidence") or "",
            "note": fact.get("note") or "",
        }
        states[iso3] = _upsert(State, {"iso3": iso3}, values, result, "states", actor, existing_states.get(iso3))

    obligations: dict[tuple[str, str], Obligation] = {}
    for (iso3, kind), row in data.obligations.items():
        obligations[(iso3, kind)] = _upsert(
            Obligation,
            {"state": states[iso3], "kind": kind},
            {
                "original_deadline": row["original_deadline"],
                "hostilities_ended": row["hostilities_ended"],
                "source": sources[row["source"]],
                "confidence": row["confidence"],
                "completed": row["completed"],
                "completed_on": row["completed_on"],
                "completed_on_precision": row["completed_on_precision"] or "day",
                "completion_declaration": row["completion_declaration"] or "",
                "completion_source": sources[row["completion_source"]] if row["completion_source"] else None,
                "completion_confidence": row["completion_confidence"] or "",
                "note": row["note"] or "",
            },
            result,
            "obligations",
            actor,
        )

    for (iso3, kind, sequence), row in data.extensions.items():
        _upsert(
            ExtensionRequest,
            {"obligation": obligations[(iso3, kind)], "sequence": sequence},
            {
                "is_interim": row["is_interim"],
                "submitted_on": row["submitted_on"],
                "meeting": row["meeting"] or "",
                "meeting_on": row["meeting_on"],
                "requested_until": row["requested_until"],
                "decision": row["decision"],
                "decided_on": row["decided_on"],
                "granted_until": row["granted_until"],
                "exceptional_circumstances": row["exceptional_circumstances"],
                "benchmarks": row["benchmarks"] or "",
                "source": sources[row["source"]],
                "confidence": row["confidence"],
                "note": row["note"] or "",
            },
            result,
            "extension requests",
            actor,
        )
    return result
