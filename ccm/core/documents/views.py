"""Attach, withdraw and download documents: the only way to a document's bytes, through its parent's policy.

Hidden parent or document → 404; visible but not allowed → 403. Downloads are not audited (they change
nothing); attaching and withdrawing are, in the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ccm.core.documents import registry, services, storage
from ccm.core.documents.forms import DocumentForm
from ccm.core.documents.policies import WITHDRAW, documents
from ccm.core.models import Document
from ccm.core.policies import get_for_user

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
}


def file_response(document: Document) -> FileResponse:
    """The bytes as a download: never shown inline, never sniffed, never kept by a shared cache."""
    try:
        handle = storage.open_blob(document.sha256)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=CONTENT_TYPES.get(document.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def download(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """``name`` is only for the browser's address bar and "save as"; the file is found by ``pk``."""
    document = get_for_user(documents, request.user, pk=pk)
    return file_response(document)


@login_required
@require_POST
def attach(request: HttpRequest, parent_type: str, parent_id: int) -> HttpResponse:
    entry = registry.for_key(parent_type)
    if entry is None:
        raise Http404
    parent = entry.visible_parents(request.user).filter(pk=parent_id).first()
    if parent is None:
        raise Http404
    if not entry.may_attach(request.user, parent):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_attach(
                parent=parent,
                upload=data["file"],
                actor=request.user,
                title=data["title"],
                description=data["description"],
            )
        except ValidationError as exc:
            messages.error(request, _("The file was not attached: %(reason)s") % {"reason": " ".join(exc.messages)})
        else:
            messages.success(request, _("Attached: %(title)s.") % {"title": document.title})
    else:
        reasons = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("The file was not attached: %(reason)s") % {"reason": reasons})
    return redirect(entry.page_url(parent))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_for_user(documents, request.user, pk=pk)
    if not documents.can(request.user, WITHDRAW, document):
        raise PermissionDenied
    parent = document.parent
    if parent is None:
        raise Http404
    services.document_withdraw(document=document, actor=request.user)
    messages.success(request, _("Withdrawn: %(title)s. It is no longer shown or served.") % {"title": document.title})
    return redirect(registry.for_model(type(parent)).page_url(parent))
