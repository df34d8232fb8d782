"""Demo step of the States app: the reference data every other demo step stands on."""

from __future__ import annotations

import io

from django.core.management import call_command

from ccm.core import demo
from ccm.states.models import State


@demo.register
def seed() -> list[str]:
    if State.objects.exists():
        return []
    call_command("load_reference", stdout=io.StringIO())
    return ["Reference data loaded (States, treaty status, obligations)."]
