"""Secrets for invitation links and API keys: random, shown once, stored only as a SHA-256 hash."""

import hashlib
import secrets

API_KEY_PREFIX = "ccm_"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret (a slow hash is not needed for 256 random bits)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
