"""Demo data for ``ccm seed_demo``: each app registers its own step from its ``demo`` module.

Demo accounts have published passwords: they exist for trying the platform on a laptop and must
never reach a real deployment. ``seed_demo`` refuses to run with DEBUG off unless forced.

An app adds demo data by writing ``ccm/<app>/demo.py`` with a ``seed()`` function and calling
``register(seed)`` at import. Core imports no domain app: the modules are found with Django's
``autodiscover_modules``, and run in the order of ``INSTALLED_APPS`` (the layer order), so a step can rely
on the steps of the apps below it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

# A demo step creates what is missing (idempotent) and returns lines to print.
DemoStep = Callable[[], list[str]]

_steps: list[DemoStep] = []


def register(step: DemoStep) -> DemoStep:
    """Add ``step`` to the demo (once, however often its module is imported)."""
    if step not in _steps:
        _steps.append(step)
    return step


def _layer(step: DemoStep) -> int:
    """The position of the step's app in INSTALLED_APPS (modules may be imported in any order)."""
    names = [config.name for config in apps.get_app_configs()]
    module = step.__module__
    owners = [i for i, name in enumerate(names) if module == name or module.startswith(name + ".")]
    return owners[-1] if owners else len(names)


def demo_steps() -> list[DemoStep]:
    autodiscover_modules("demo")
    return sorted(_steps, key=_layer)
