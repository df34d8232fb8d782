"""Demo data for ``ccm seed_demo``: each app adds a step to DEMO_STEPS.

Demo accounts have published passwords: they exist for trying the platform on a laptop and must
never reach a real deployment. ``seed_demo`` refuses to run with DEBUG off unless forced.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

# A demo step returns lines to print (credentials, what was created).
DemoStep = Callable[[], list[str]]

DEMO_ADMIN_USERNAME = "demo-admin"
DEMO_ADMIN_PASSWORD = "demo-admin-password"  # noqa: S105 - demo only, printed by `make demo`


def seed_admin() -> list[str]:
    """A staff superuser for the Django admin (demo only)."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_ADMIN_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "email": "demo-admin@example.org"},
    )
    if created:
        user.set_password(DEMO_ADMIN_PASSWORD)
        user.save(update_fields=["password"])
    return [f"Django admin (/admin/): {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}"]


DEMO_STEPS: list[DemoStep] = [seed_admin]
