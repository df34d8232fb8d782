"""The scale data set for ``ccm seed_scale``: a platform at realistic size, to measure speed on.

Each app registers a step from its ``scale`` module (found with ``autodiscover_modules``, run in the layer
order of ``INSTALLED_APPS``, like the demo steps). A step writes in bulk (``bulk_create``), not through the
services: this is volume to measure pages on, not a record of anyone's work, and every row is marked as
scale data where the model can say so (``illustrative`` flags, ``scale-`` slugs and e-mail addresses).

Reproducible: every random choice comes from ``ScaleContext.rng``, seeded by ``--seed``; the same seed,
factor and reference data give the same rows.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import models
from django.utils.module_loading import autodiscover_modules

# Sizes at factor 1, from the issue that asked for the data set (issue 19).
SIZES: dict[str, int] = {
    "organisations": 300,
    "users": 2_000,
    "progress_years": 20,
    "needs": 5_000,
    "responses": 50_000,
    "flows": 200_000,
    "audit_per_year": 20_000,
    "audit_years": 5,
    "victim_assistance_years": 10,
    "consultations": 150,
    "consultation_answers": 3_000,
    "meetings": 400,
    "coalitions": 60,
    "coalition_messages": 5_000,
    "practices": 500,
    "offers": 300,
}

# Below these, a tiny factor would leave no donors to answer needs or fund States.
MINIMUM: dict[str, int] = {"organisations": 10}

SCALE_PREFIX = "scale-"
BATCH = 2_000


@dataclass
class ScaleContext:
    factor: float
    seed: int
    today: date
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible made-up data, not secrets

    def size(self, name: str) -> int:
        """The count of ``name`` at this factor (at least 1, or its ``MINIMUM``). Years are not scaled."""
        base = SIZES[name]
        if name.endswith("years"):
            return base
        return max(MINIMUM.get(name, 1), round(base * self.factor))


ScaleStep = Callable[[ScaleContext], list[str]]

_steps: list[ScaleStep] = []
_order: dict[ScaleStep, int] = {}


def register(step: ScaleStep, order: int = 0) -> ScaleStep:
    """Add ``step``; ``order`` places it among its own app's steps (lower first)."""
    if step not in _steps:
        _steps.append(step)
    _order[step] = order
    return step


def _layer(step: ScaleStep) -> tuple[int, int]:
    names = [config.name for config in apps.get_app_configs()]
    module = step.__module__
    owners = [i for i, name in enumerate(names) if module == name or module.startswith(name + ".")]
    return (owners[-1] if owners else len(names), _order.get(step, 0))


def scale_steps() -> list[ScaleStep]:
    autodiscover_modules("scale")
    return sorted(_steps, key=_layer)


@contextlib.contextmanager
def times_as_given(model: type[models.Model], *names: str) -> Iterator[None]:
    """Let ``bulk_create`` keep the times a step sets on ``auto_now_add`` / ``auto_now`` fields (they would
    all be stamped now otherwise), so pages sort and date scale rows as they would real ones. Only for the
    scale data set, inside its command."""
    fields = [model._meta.get_field(name) for name in names]
    kept = [(f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[union-attr]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for f, (now, now_add) in zip(fields, kept, strict=True):
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[union-attr]
