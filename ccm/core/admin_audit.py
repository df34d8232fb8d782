"""Django admin changes go into the audit trail too (the admin saves inside its own transaction).

Their actions are ``<object>.admin_add``, ``.admin_change`` and ``.admin_delete``, registered for each
model (and each inline's model) when its admin class is registered with the admin site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from ccm.core import audit


def _fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "password")]


_ADMIN_VERBS = {
    "add": _("added in the admin"),
    "change": _("changed in the admin"),
    "delete": _("deleted in the admin"),
}


def admin_action(model: type[models.Model], verb: str) -> str:
    """``state.admin_change``, ``extension_request.admin_add``."""
    return f"{audit.object_name(model)}.admin_{verb}"


def register_admin_actions(model: type[models.Model]) -> None:
    audit.register_actions(
        *(
            audit.AuditAction(
                admin_action(model, verb), format_lazy("{}: {}", capfirst(model._meta.verbose_name), label)
            )
            for verb, label in _ADMIN_VERBS.items()
        )
    )


class AuditedModelAdmin(admin.ModelAdmin):
    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)
        register_admin_actions(model)
        for inline in self.inlines:
            register_admin_actions(inline.model)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            fields = _fields(obj)
            old = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk), fields) if change else {}
            super().save_model(request, obj, form, change)
            before, after = audit.changes(old, audit.snapshot(obj, fields))
            if after or not change:
                audit.record(
                    actor=request.user,
                    action=admin_action(type(obj), "change" if change else "add"),
                    obj=obj,
                    old=before,
                    new=after,
                )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. memberships on a user's page) are audited one by one."""
        with transaction.atomic():
            for inline_form in formset.forms:
                obj = inline_form.instance
                if inline_form in formset.deleted_forms and obj.pk:
                    _record_delete(request, obj)
            instances = formset.save(commit=False)
            for obj in instances:
                fields = _fields(obj)
                old = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk), fields) if obj.pk else {}
                obj.save()
                before, after = audit.changes(old, audit.snapshot(obj, fields))
                audit.record(
                    actor=request.user,
                    action=admin_action(type(obj), "change" if old else "add"),
                    obj=obj,
                    old=before,
                    new=after,
                    organisation_id=getattr(obj, "organisation_id", None),
                )
            for obj in formset.deleted_objects:
                obj.delete()
            formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _record_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                _record_delete(request, obj)
            super().delete_queryset(request, queryset)


def _record_delete(request: HttpRequest, obj: Any) -> None:
    audit.record(
        actor=request.user,
        action=admin_action(type(obj), "delete"),
        obj=obj,
        old=audit.snapshot(obj, _fields(obj)),
    )
