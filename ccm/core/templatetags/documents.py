"""Documents attached to an object, for any page that shows the object.

{% load documents %}
{% documents_panel need %}                         {# list, and the upload form for who may attach #}
{% documents_by_parent thread as thread_documents %} {# one query for all responses of a thread #}
{% documents_panel r thread_documents heading=False %}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models
from django.urls import reverse

from ccm.core.documents import registry
from ccm.core.documents.forms import DocumentForm
from ccm.core.documents.policies import documents
from ccm.core.models import Document

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def documents_by_parent(context: template.Context, parents: Iterable[models.Model]) -> dict[int, list[Document]]:
    """The visible documents of every object in ``parents`` (all of one model), in one query."""
    objects = list(parents)
    if not objects:
        return {}
    grouped: dict[int, list[Document]] = defaultdict(list)
    rows = documents.attached_to(_user(context), type(objects[0])).filter(object_id__in=[o.pk for o in objects])
    for document in rows:
        grouped[document.object_id].append(document)
    return dict(grouped)


@register.inclusion_tag("core/documents.html", takes_context=True)
def documents_panel(
    context: template.Context,
    parent: models.Model,
    prefetched: dict[int, list[Document]] | None = None,
    heading: bool = True,
) -> dict[str, Any]:
    """The documents of ``parent`` and, for those who may attach, a form to add one."""
    user = _user(context)
    entry = registry.for_model(type(parent))
    if prefetched is not None:
        items = prefetched.get(parent.pk, [])
    else:
        items = list(documents.attached_to(user, type(parent)).filter(object_id=parent.pk))
    can_attach = bool(user is not None and user.is_authenticated and entry.may_attach(user, parent))
    anchor = f"documents-{entry.key.replace('.', '-')}-{parent.pk}"
    return {
        "documents": items,
        "can_attach": can_attach,
        "form": DocumentForm(auto_id=f"id_{anchor}_%s") if can_attach else None,
        "attach_url": reverse("documents:attach", args=[entry.key, parent.pk]) if can_attach else "",
        "anchor": anchor,
        "heading": heading,
        "csrf_token": context.get("csrf_token"),
    }
