"""Demo coordination data (``ccm seed_demo``): the default attention-gap weights saved by the demo
coordinator, one stored forecast run, and one allocation run shared with the donors in it (each of
them sees its own lines on the run's page and can turn one into a pledge)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ccm.accounts.models import User
from ccm.analytics import attention as att
from ccm.coordination import services
from ccm.coordination.models import AllocationRun, AttentionWeights, ForecastRun
from ccm.core import demo

RUN_TITLE = "Coordinated proposal for the open needs (demo)"


@demo.register
def seed() -> list[str]:
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    lines = []
    with transaction.atomic():
        if not AttentionWeights.objects.exists():
            services.weights_save(
                weights=dict(att.DEFAULT_WEIGHTS),
                note="The method's default weights (docs/methods.md).",
                actor=coordinator,
            )
            lines.append("Coordination demo: default attention-gap weights saved.")
    if not ForecastRun.objects.exists():
        run = services.forecast_request(actor=coordinator)  # computed by the job (at once under seed_demo)
        lines.append(f"Coordination demo: forecast run #{run.pk} requested.")
    if not AllocationRun.objects.filter(title=RUN_TITLE).exists():
        try:
            allocation = services.allocation_create(title=RUN_TITLE, actor=coordinator)
        except ValidationError as error:
            lines.append("Coordination demo: no allocation run (" + " ".join(error.messages) + ").")
        else:
            services.allocation_share(run=allocation, actor=coordinator)
            lines.append(f"Coordination demo: allocation run #{allocation.pk} saved and shared with its donors.")
    return lines or ["Coordination demo: already present."]
