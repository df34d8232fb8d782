"""Demo data for ``ccm seed_demo``: each app adds a step to DEMO_STEPS.

Demo accounts have published passwords: they exist for trying the platform on a laptop and must
never reach a real deployment. ``seed_demo`` refuses to run with DEBUG off unless forced.
"""

from __future__ import annotations

from collections.abc import Callable

# A demo step creates what is missing (idempotent) and returns lines to print.
DemoStep = Callable[[], list[str]]


def demo_steps() -> list[DemoStep]:
    from ccm.accounts import demo as accounts_demo
    from ccm.funding import demo as funding_demo
    from ccm.needs import demo as needs_demo
    from ccm.reporting import demo as reporting_demo

    return [accounts_demo.seed, reporting_demo.seed, needs_demo.seed, funding_demo.seed]
