"""Attaching and withdrawing documents: atomic, audited. Callers check the parent's policy first."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.documents import registry, storage
from ccm.core.models import Document
from ccm.core.uploads import validate_upload

# The audit actions of documents, declared once. Downloads are not audited: a download changes
# nothing, and who may download follows from the parent's policy, which is itself audited.
ATTACH = "document.attach"
WITHDRAW = "document.withdraw"
ACTIONS = (ATTACH, WITHDRAW)

# What may be attached: the upload validator recognises these by content, never by name.
ALLOWED_KINDS = frozenset({"pdf", "docx", "xlsx", "csv", "png"})
TITLE_MAX_LENGTH = 200


def _user_or_none(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _default_title(original_name: str) -> str:
    base = os.path.basename(original_name.replace("\\", "/"))
    return (os.path.splitext(base)[0] or base)[:200]


@transaction.atomic
def document_attach(
    *,
    parent: models.Model,
    upload: Any,
    actor: Any,
    title: str = "",
    description: str = "",
    max_bytes: int | None = None,
) -> Document:
    """Attach ``upload`` to ``parent`` (a registered model). The file goes through the upload validator
    (size, type by content); a bad file raises ``ValidationError`` and nothing is stored. The same
    content attached twice to the same object is refused; attached elsewhere, it is stored once."""
    entry = registry.for_model(type(parent))
    clean = validate_upload(upload, allowed=set(ALLOWED_KINDS), max_bytes=max_bytes)
    content_type = ContentType.objects.get_for_model(parent)
    original_name = os.path.basename(clean.original_name.replace("\\", "/"))[:255] or "upload"
    title = (title or "").strip() or _default_title(original_name)
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(_("The title is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH})
    sha256, _new = storage.store(clean.file)
    duplicate = Document.objects.filter(
        content_type=content_type, object_id=parent.pk, sha256=sha256, withdrawn_at__isnull=True
    ).first()
    if duplicate is not None:
        raise ValidationError(_("This file is already attached here, as “%(title)s”.") % {"title": duplicate.title})
    document = Document(
        content_type=content_type,
        object_id=parent.pk,
        title=title,
        description=(description or "").strip(),
        original_name=original_name,
        kind=clean.kind,
        size=clean.size,
        sha256=sha256,
        uploaded_by=_user_or_none(actor),
    )
    document.save()
    audit.record(
        actor=actor,
        action=ATTACH,
        obj=document,
        new={
            "attached_to": f"{entry.key}:{parent.pk}",
            "title": document.title,
            "original_name": document.original_name,
            "kind": document.kind,
            "size": document.size,
            "sha256": document.sha256,
        },
        organisation_id=entry.organisation_id(parent),
    )
    return document


@transaction.atomic
def document_withdraw(*, document: Document, actor: Any) -> Document:
    """Withdraw a document: it is no longer listed or served; the row and the bytes stay."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is not None:
        raise ValidationError(_("This document was already withdrawn."))
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = _user_or_none(actor)
    document.save(update_fields=["withdrawn_at", "withdrawn_by"])
    parent = document.parent
    entry = registry.for_model(type(parent)) if parent is not None else None
    audit.record(
        actor=actor,
        action=WITHDRAW,
        obj=document,
        old={"withdrawn_at": None},
        new={"withdrawn_at": document.withdrawn_at},
        organisation_id=entry.organisation_id(parent) if entry is not None else None,
    )
    return document
