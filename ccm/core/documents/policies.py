"""Who sees and who withdraws a document: whoever sees, and whoever may change, its parent.

A document is visible iff it is not withdrawn and its parent is among ``policy.visible_to(user)`` of
the parent's registered policy; it may be withdrawn iff the user may attach to the parent. Every
other action is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from ccm.core.documents import registry
from ccm.core.models import Document
from ccm.core.policies import Action, Permission, Policy

WITHDRAW = "withdraw"


class DocumentPolicy(Policy[Document]):
    model = Document
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, WITHDRAW: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Document]:
        return self.attached_to(user, action=action)

    def attached_to(
        self, user: Any, parent_model: type[models.Model] | None = None, *, action: str = Action.VIEW
    ) -> QuerySet[Document]:
        """Documents ``user`` may take ``action`` on (optionally only those attached to ``parent_model``
        objects): the parent must be visible, and for withdrawing also open to attaching."""
        if action not in self.actions:
            return Document.objects.none()
        allowed = Q()
        found = False
        for entry in registry.registered():
            if parent_model is not None and entry.model is not parent_model:
                continue
            content_type = ContentType.objects.get_for_model(entry.model)
            parents = entry.visible_parents(user)
            if action == WITHDRAW:
                parents = parents & entry.policy.visible_to(user, entry.attach_action)
            part = Q(content_type=content_type, object_id__in=parents.values("pk"))
            allowed = part if not found else allowed | part
            found = True
        if not found:
            return Document.objects.none()
        return Document.objects.filter(allowed, withdrawn_at__isnull=True)

    def allows(self, user: Any, action: str, obj: Document) -> bool:
        if action == Action.VIEW:
            return self.attached_to(user).filter(pk=obj.pk).exists()
        parent = obj.parent
        if parent is None or obj.withdrawn_at is not None:
            return False
        entry = registry.for_model(type(parent))
        return entry.may_attach(user, parent) and entry.visible_parents(user).filter(pk=parent.pk).exists()


documents = DocumentPolicy()
