"""The bytes of documents: stored once per content, under their SHA-256, in private storage.

``CCM_PRIVATE_STORAGE_DIR/documents/ab/cd/<sha256>``: never under STATIC_ROOT or MEDIA_ROOT, never
behind a URL of its own. Files are written to a temporary name first and moved into place, so a reader
never sees half a file and two uploads of the same content leave one copy. Nothing is ever deleted:
withdrawing a document hides it, the bytes stay for the audit trail.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings

_CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


def root() -> Path:
    """The private storage folder (read from settings on every call, so tests can point it elsewhere)."""
    return Path(settings.CCM_PRIVATE_STORAGE_DIR)


def blob_path(sha256: str) -> Path:
    if not _SHA256.fullmatch(sha256):
        raise ValueError("Not a SHA-256 hex digest.")
    return root() / "documents" / sha256[:2] / sha256[2:4] / sha256


def _chunks(upload: Any) -> Any:
    upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks(_CHUNK)
        return
    while chunk := upload.read(_CHUNK):
        yield chunk


def store(upload: Any) -> tuple[str, bool]:
    """Store the content of ``upload`` (a file object); returns its SHA-256 and whether it was new."""
    incoming = root() / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(dir=incoming)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(upload):
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        target = blob_path(sha256)
        if target.exists():
            return sha256, False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
        return sha256, True
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
        upload.seek(0)


def open_blob(sha256: str) -> IO[bytes]:
    return blob_path(sha256).open("rb")


def exists(sha256: str) -> bool:
    return blob_path(sha256).is_file()
