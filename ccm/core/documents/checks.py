"""A system check: attached documents must never be reachable without the view that checks the policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def _public_roots() -> list[Path]:
    roots = [getattr(settings, "STATIC_ROOT", None), getattr(settings, "MEDIA_ROOT", None)]
    roots += [d[1] if isinstance(d, tuple | list) else d for d in getattr(settings, "STATICFILES_DIRS", [])]
    return [Path(r).resolve() for r in roots if r]


@register(Tags.security)
def check_private_storage(app_configs: Any, **kwargs: Any) -> list[Error]:
    private = Path(settings.CCM_PRIVATE_STORAGE_DIR).resolve()
    for public in _public_roots():
        if private == public or private.is_relative_to(public) or public.is_relative_to(private):
            return [
                Error(
                    f"CCM_PRIVATE_STORAGE_DIR ({private}) overlaps a folder served to the public ({public}).",
                    hint="Point CCM_PRIVATE_STORAGE_DIR at a folder outside STATIC_ROOT, MEDIA_ROOT and "
                    "STATICFILES_DIRS: documents are served only through the view that checks who may see them.",
                    id="ccm.documents.E001",
                )
            ]
    return []
