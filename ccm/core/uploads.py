"""The one gate every uploaded file goes through: size limit, type by content, safe name.

    cleaned = validate_upload(request.FILES["file"], allowed={"xlsx", "csv"})

Raises ``django.core.exceptions.ValidationError`` with a message a person can act on.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_SNIFF_BYTES = 8192

# Kinds we accept, recognised by content (never by the name or the browser's content type).
KIND_EXTENSIONS = {"xlsx": ".xlsx", "docx": ".docx", "pdf": ".pdf", "csv": ".csv", "xml": ".xml", "png": ".png"}


@dataclass(frozen=True)
class CleanUpload:
    kind: str
    safe_name: str  # a storage name: our own random prefix plus a sanitised original name
    original_name: str
    size: int
    file: Any


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        return exc.start >= len(head) - 3
    return True


def sniff(head: bytes, stream: IO[bytes] | None = None) -> str | None:
    """The kind of a file from its first bytes (and, for ZIP containers, its member names)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and stream is not None:
        try:
            stream.seek(0)
            names = set(zipfile.ZipFile(stream).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return "docx"
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or (stripped.startswith(b"<") and _is_text(head)):
        return "xml"
    if _is_text(head):
        return "csv"
    return None


def safe_storage_name(original: str, kind: str) -> str:
    base = os.path.basename(original.replace("\\", "/"))
    stem = os.path.splitext(base)[0]
    stem = get_valid_filename(stem)[:80].lstrip(".") or "upload"
    return f"{uuid.uuid4().hex[:12]}-{stem}{KIND_EXTENSIONS[kind]}"


def _size_of(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    upload.seek(0, io.SEEK_END)
    end = int(upload.tell())
    upload.seek(0)
    return end


def validate_upload(upload: Any, *, allowed: set[str], max_bytes: int | None = None) -> CleanUpload:
    limit = max_bytes if max_bytes is not None else int(getattr(settings, "CCM_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))
    size = _size_of(upload)
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > limit:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB.") % {"size": size / 1e6, "limit": limit / 1e6}
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind not in allowed:
        expected = ", ".join(sorted(k.upper() for k in allowed))
        raise ValidationError(
            _("This file is not of an accepted type (expected: %(expected)s).") % {"expected": expected}
        )
    original = getattr(upload, "name", "") or "upload"
    return CleanUpload(
        kind=kind, safe_name=safe_storage_name(original, kind), original_name=original, size=size, file=upload
    )
