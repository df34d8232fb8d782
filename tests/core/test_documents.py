"""Documents attached to needs and responses: stored once under their hash, outside the web root,
seen and served only through the parent's policy, attached and withdrawn with an audit entry."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from ccm.core import audit
from ccm.core.documents import storage
from ccm.core.documents.checks import check_private_storage
from ccm.core.documents.services import ATTACH, WITHDRAW, document_attach, document_withdraw
from ccm.core.models import AuditEntry, Document
from ccm.needs.models import Response
from tests.factories import NeedFactory, ResponseFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(20)


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path) -> Path:
    """Each test gets its own private storage folder, so what is stored can be counted."""
    settings.CCM_PRIVATE_STORAGE_DIR = tmp_path / "private"
    return settings.CCM_PRIVATE_STORAGE_DIR


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(client, parent_type, parent_id, content, name="letter.pdf", **fields):
    data = {"file": ContentFile(content, name=name), **fields}
    return client.post(f"/documents/attach/{parent_type}/{parent_id}/", data)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_attach_list_and_download_on_a_need(private_dir):
    need = NeedFactory()
    editor = persona("state_editor")
    response = _upload(editor.client(), "needs.need", need.pk, PDF, name="Endorsement letter.pdf", title="Endorsement")
    assert response.status_code == 302 and response["Location"].startswith(f"/needs/{need.pk}/")
    document = Document.objects.get()
    assert (document.title, document.kind, document.size, document.original_name) == (
        "Endorsement",
        "pdf",
        len(PDF),
        "Endorsement letter.pdf",
    )
    assert document.uploaded_by == editor.user and document.parent == need
    entry = AuditEntry.objects.get(action=ATTACH)
    # The content hash is kept as a keyed hash (it could confirm a guessed document), the title redacted.
    assert entry.object_id == str(document.pk) and entry.new["sha256"] == audit.fingerprint(document.sha256)
    assert entry.new["title"] == audit.CONFIDENTIAL and "Endorsement" not in entry.object_label
    assert entry.actor == editor.user and entry.organisation_id == organisation("state").pk

    # Listed on the need page, for everyone who sees the need; the upload form only for its editors
    page = persona("anonymous").client().get(f"/needs/{need.pk}/")
    assert document.get_absolute_url() in page.content.decode() and "Endorsement" in page.content.decode()
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    own_page = editor.client().get(f"/needs/{need.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in own_page and f"/documents/attach/needs.need/{need.pk}/" in own_page

    download = persona("anonymous").client().get(document.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "Endorsement_letter.pdf" in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "private" in download["Cache-Control"]

    listing = persona("anonymous").client().get(f"/api/v1/documents/needs.need/{need.pk}/").json()
    assert listing["count"] == 1
    item = listing["results"][0]
    assert (item["id"], item["title"], item["kind"], item["sha256"]) == (
        document.pk,
        "Endorsement",
        "pdf",
        document.sha256,
    )
    api_download = persona("anonymous").client().get(item["download"])
    assert api_download.status_code == 200 and b"".join(api_download.streaming_content) == PDF
    assert api_download["Content-Disposition"].startswith("attachment;")


def test_the_author_organisation_attaches_to_its_response():
    need = NeedFactory()
    question = ResponseFactory(need=need, organisation=organisation("io"), message="A question?")
    response = _upload(persona("io_editor").client(), "needs.response", question.pk, PNG, name="map.png")
    assert response.status_code == 302 and response["Location"].endswith(f"#response-{question.pk}")
    document = Document.objects.get()
    assert document.parent == question and document.kind == "png"
    page = persona("outsider").client().get(f"/needs/{need.pk}/").content.decode()
    assert document.get_absolute_url() in page
    thread = persona("outsider").client().get(f"/api/v1/needs/{need.pk}/").json()["responses"]
    assert [r["id"] for r in thread] == [question.pk]
    api = persona("outsider").client().get(f"/api/v1/documents/needs.response/{question.pk}/").json()
    assert [d["id"] for d in api["results"]] == [document.pk]
    download = persona("outsider").client().get(document.get_absolute_url())
    assert download["Content-Type"] == "image/png" and b"".join(download.streaming_content) == PNG


def test_the_same_content_is_stored_once(private_dir):
    first, second = NeedFactory(), NeedFactory(title="Survey")
    answer = ResponseFactory(need=first, organisation=organisation("io"), message="A question?")
    documents = [
        document_attach(parent=first, upload=ContentFile(PDF, name="a.pdf"), actor=None),
        document_attach(parent=second, upload=ContentFile(PDF, name="b.pdf"), actor=None),
        document_attach(parent=answer, upload=ContentFile(PDF, name="c.pdf"), actor=None),
    ]
    assert len({d.sha256 for d in documents}) == 1
    files = _stored_files(private_dir)
    assert files == [storage.blob_path(documents[0].sha256)]
    sha = documents[0].sha256
    assert files[0].relative_to(private_dir).as_posix() == f"documents/{sha[:2]}/{sha[2:4]}/{sha}"
    assert files[0].read_bytes() == PDF
    # the same file twice on the same object: refused, nothing added
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already attached"):
        document_attach(parent=first, upload=ContentFile(PDF, name="again.pdf"), actor=None)
    assert Document.objects.count() == 3 and len(_stored_files(private_dir)) == 1


@pytest.mark.parametrize("visibility", ["draft", "chosen"])
def test_a_hidden_parent_hides_its_documents(visibility):
    if visibility == "draft":
        need = NeedFactory(published=False)
        hidden_from = ["anonymous", "outsider", "io_editor", "other_state_manager"]
    else:
        need = NeedFactory(visibility="chosen")
        need.chosen_donors.set([organisation("io")])
        hidden_from = ["anonymous", "outsider", "operator_editor", "other_state_manager"]
    document = document_attach(parent=need, upload=ContentFile(PDF, name="a.pdf"), actor=None)
    answer = (
        ResponseFactory(need=need, organisation=organisation("io"), message="A question?")
        if visibility == "chosen"
        else None
    )
    answer_document = (
        document_attach(parent=answer, upload=ContentFile(PNG, name="b.png"), actor=None) if answer else None
    )
    for name in hidden_from:
        client = persona(name).client()
        assert client.get(document.get_absolute_url()).status_code == 404, name
        assert client.get(f"/api/v1/documents/{document.pk}/download/").status_code == 404, name
        assert client.get(f"/api/v1/documents/needs.need/{need.pk}/").status_code == 404, name
        if answer_document is not None:
            assert client.get(answer_document.get_absolute_url()).status_code == 404, name
            assert client.get(f"/api/v1/documents/needs.response/{answer.pk}/").status_code == 404, name
        if name != "anonymous":
            assert _upload(client, "needs.need", need.pk, PNG).status_code == 404, name
            assert client.post(f"/documents/{document.pk}/withdraw/").status_code == 404, name
    for name in ["state_viewer", "coordinator", *(["io_viewer"] if answer else [])]:
        assert persona(name).client().get(document.get_absolute_url()).status_code == 200, name
        if answer_document is not None:
            assert persona(name).client().get(answer_document.get_absolute_url()).status_code == 200, name
    assert Document.objects.count() == (2 if answer else 1)


def test_an_unknown_parent_type_is_404():
    editor = persona("state_editor").client()
    assert _upload(editor, "accounts.user", persona("state_editor").user.pk, PDF).status_code == 404
    assert editor.get(f"/api/v1/documents/accounts.user/{persona('state_editor').user.pk}/").status_code == 404
    assert Document.objects.count() == 0


def test_read_only_on_the_parent_is_403_on_upload(private_dir):
    need = NeedFactory()
    draft = NeedFactory(published=False, title="Draft")
    question = ResponseFactory(need=need, organisation=organisation("io"), message="A question?")
    cases = [
        ("state_viewer", "needs.need", draft.pk),  # sees the draft, may not change it
        ("coordinator", "needs.need", need.pk),
        ("io_editor", "needs.need", need.pk),  # a donor sees the need, it is the State's
        ("io_viewer", "needs.response", question.pk),  # a viewer of the author organisation
        ("operator_editor", "needs.response", question.pk),  # another organisation's response
        ("state_editor", "needs.response", question.pk),
    ]
    for name, parent_type, parent_id in cases:
        response = _upload(persona(name).client(), parent_type, parent_id, PDF)
        assert response.status_code == 403, (name, parent_type)
    assert Document.objects.count() == 0 and _stored_files(private_dir) == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "report.pdf", "not of an accepted type"),
        (b"<?xml version='1.0'?><a/>", "data.pdf", "not of an accepted type"),
        (b"PK\x03\x04 not really a zip", "sheet.xlsx", "not of an accepted type"),
        (b"", "empty.pdf", "empty"),
        (PDF + b"x" * 2000, "big.pdf", "the limit is"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(private_dir, content, name, message):
    need = NeedFactory()
    client = persona("state_editor").client()
    with override_settings(CCM_MAX_UPLOAD_BYTES=1000):
        response = _upload(client, "needs.need", need.pk, content, name=name)
        assert response.status_code == 302
        page = client.get(response["Location"])
    text = _messages(page)
    assert "The file was not attached" in text and message in text, text
    assert Document.objects.count() == 0
    assert not AuditEntry.objects.filter(action=ATTACH).exists()
    assert _stored_files(private_dir) == []


def test_a_missing_file_is_a_clear_message():
    need = NeedFactory()
    client = persona("state_editor").client()
    response = client.post(f"/documents/attach/needs.need/{need.pk}/", {"title": "x"}, follow=True)
    assert "Choose a file to attach." in _messages(response)
    assert Document.objects.count() == 0


def test_storage_is_outside_every_public_folder_and_no_url_serves_it():
    import ccm.settings as production

    private = Path(production.CCM_PRIVATE_STORAGE_DIR).resolve()
    for public in [production.STATIC_ROOT, *production.STATICFILES_DIRS]:
        assert not private.is_relative_to(Path(public).resolve())
    if getattr(production, "MEDIA_ROOT", ""):
        assert not private.is_relative_to(Path(production.MEDIA_ROOT).resolve())
    assert check_private_storage(None) == []

    def callbacks(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from callbacks(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.callback

    from django.views.static import serve

    assert all(callback is not serve for callback in callbacks(get_resolver().url_patterns))
    document = document_attach(parent=NeedFactory(), upload=ContentFile(PDF, name="a.pdf"), actor=None)
    relative = storage.blob_path(document.sha256).relative_to(Path(settings.CCM_PRIVATE_STORAGE_DIR))
    for prefix in ["/media/", "/static/", "/documents/", "/"]:
        with pytest.raises(Resolver404):
            resolve(prefix + relative.as_posix())


def test_the_system_check_refuses_private_storage_under_a_public_folder(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, CCM_PRIVATE_STORAGE_DIR=tmp_path / "private"):
        assert [e.id for e in check_private_storage(None)] == ["ccm.documents.E001"]
    with override_settings(MEDIA_ROOT=str(tmp_path), CCM_PRIVATE_STORAGE_DIR=tmp_path / "x" / "private"):
        assert [e.id for e in check_private_storage(None)] == ["ccm.documents.E001"]


def test_a_withdrawn_document_is_no_longer_served(private_dir):
    need = NeedFactory()
    document = document_attach(parent=need, upload=ContentFile(PDF, name="a.pdf"), actor=None, title="Letter")
    url = document.get_absolute_url()
    assert persona("io_editor").client().post(f"/documents/{document.pk}/withdraw/").status_code == 403
    editor = persona("state_editor")
    response = editor.client().post(f"/documents/{document.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"].startswith(f"/needs/{need.pk}/")
    for name in ["anonymous", "state_editor", "coordinator"]:
        client = persona(name).client()
        assert client.get(url).status_code == 404, name
        assert client.get(f"/api/v1/documents/{document.pk}/download/").status_code == 404, name
        assert client.get(f"/api/v1/documents/needs.need/{need.pk}/").json()["count"] == 0, name
        assert url not in client.get(f"/needs/{need.pk}/").content.decode(), name
    document.refresh_from_db()
    assert document.withdrawn_at is not None and document.withdrawn_by == editor.user
    entry = AuditEntry.objects.get(action=WITHDRAW)
    assert entry.object_id == str(document.pk) and entry.actor == editor.user
    # the row and the bytes stay for the record; withdrawing twice is refused
    assert storage.blob_path(document.sha256).read_bytes() == PDF
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        document_withdraw(document=document, actor=None)
    assert editor.client().post(f"/documents/{document.pk}/withdraw/").status_code == 404


def test_the_author_organisation_withdraws_from_its_response():
    need = NeedFactory()
    question = ResponseFactory(need=need, organisation=organisation("io"), message="A question?")
    document = document_attach(parent=question, upload=ContentFile(PDF, name="a.pdf"), actor=None)
    assert persona("state_manager").client().post(f"/documents/{document.pk}/withdraw/").status_code == 403
    response = persona("io_manager").client().post(f"/documents/{document.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"].endswith(f"#response-{question.pk}")
    assert Document.objects.get().withdrawn_at is not None


def _thread_with_documents(need, responses: int) -> None:
    for i in range(responses):
        answer = ResponseFactory(
            need=need, organisation=organisation(["io", "operator", "isu"][i % 3]), message=f"Question {i}"
        )
        document_attach(parent=answer, upload=ContentFile(PDF + bytes([i]), name=f"r{i}.pdf"), actor=None)


@pytest.mark.parametrize("name", ["anonymous", "state_editor", "io_editor"])
def test_the_need_page_runs_a_fixed_number_of_queries_with_documents(name, django_assert_num_queries):
    need = NeedFactory()
    for i in range(2):
        document_attach(parent=need, upload=ContentFile(PDF + bytes([100 + i]), name=f"n{i}.pdf"), actor=None)
    _thread_with_documents(need, 2)
    client = persona(name).client()
    url = f"/needs/{need.pk}/"
    client.get(url)  # warm caches (content types, session)
    # Documents add two queries (the need's, the thread's) and, for an editor of another organisation,
    # one more (the organisations they edit for: may they attach to their responses?).
    # The pledges' total from the ledger is one more for everyone; the pledge form (a donor's editor) four.
    # The library's suggestions panel (ccm/library/panels.py) two (practices, offers), and for a donor's
    # editor one more (may they respond, to propose their offers?). The published donor profiles come from
    # the shared cache (two queries: the topics' versions, the list).
    expected = {"anonymous": 11, "state_editor": 16, "io_editor": 24}[name]
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert page.content.decode().count("/documents/") >= 4
    _thread_with_documents(need, 4)  # more responses, each with a document: the same number of queries
    client.get(url)  # the writes changed the needs topic: the shared values are computed again once
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert Document.objects.count() == 8
    assert sum(1 for d in Document.objects.all() if d.get_absolute_url() in page.content.decode()) == 8


@override_settings(DEBUG=True)
def test_the_demo_thread_carries_the_endorsement_it_mentions():
    call_command("seed_demo", stdout=io.StringIO())
    answer = Response.objects.get(message__contains="the endorsement is attached")
    document = Document.objects.get(object_id=answer.pk, content_type__model="response")
    assert document.kind == "pdf"
    download = persona("anonymous").client().get(document.get_absolute_url())
    assert download.status_code == 200
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(pdf.pages) == 1 and "Endorsement of the need" in pdf.pages[0].extract_text()


def test_the_openapi_schema_describes_the_document_endpoints(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    listing = schema["paths"]["/api/v1/documents/{parent_type}/{parent_id}/"]["get"]
    parent_type = next(p for p in listing["parameters"] if p["name"] == "parent_type")
    assert {"needs.need", "needs.response", "consultations.answer"} <= set(parent_type["schema"]["enum"])
    download = schema["paths"]["/api/v1/documents/{id}/download/"]["get"]
    assert "application/pdf" in download["responses"]["200"]["content"]
    assert set(download["responses"]) == {"200", "404"}
