"""Typed readers for settings from environment variables (no Django imports).

Secrets may also come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when
``SECRET_KEY`` itself is not set.
"""

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment describes an unsafe or broken configuration."""


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    if value is None:
        file_name = os.environ.get(f"{name}_FILE")
        if file_name:
            return Path(file_name).read_text(encoding="utf-8").strip()
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer; got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]
