"""Django set up in this process on the scale data set that bench/web.py builds, for the in-process benches
(bench/profile.py, bench/exports.py): ``var/bench/scale.sqlite3``, or ``DATABASE_URL`` when it points at
PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = f"sqlite:///{REPO / 'var' / 'bench' / 'scale.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_ROOT", str(REPO / "var" / "bench" / "static"))  # collected by bench/web.py
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.settings")
    import django

    django.setup()
