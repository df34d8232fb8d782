import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core.uploads import validate_upload


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def test_an_xlsx_is_recognised_by_content_and_renamed_safely():
    upload = SimpleUploadedFile("../../etc/Plan 2026;rm -rf.xlsx", _zip(["[Content_Types].xml", "xl/workbook.xml"]))
    clean = validate_upload(upload, allowed={"xlsx"})
    assert clean.kind == "xlsx"
    assert clean.safe_name.endswith("-Plan_2026rm_-rf.xlsx")
    assert "/" not in clean.safe_name and ".." not in clean.safe_name


def test_a_renamed_executable_is_refused():
    upload = SimpleUploadedFile("report.xlsx", b"MZ\x90\x00" + bytes(200))
    with pytest.raises(ValidationError, match="not of an accepted type"):
        validate_upload(upload, allowed={"xlsx", "csv"})


def test_a_docx_is_not_an_xlsx():
    upload = SimpleUploadedFile("plan.xlsx", _zip(["[Content_Types].xml", "word/document.xml"]))
    with pytest.raises(ValidationError, match="XLSX"):
        validate_upload(upload, allowed={"xlsx"})


def test_size_limit_and_empty_files():
    with pytest.raises(ValidationError, match="limit is 0.0 MB"):
        validate_upload(SimpleUploadedFile("a.csv", b"a,b\n" * 100), allowed={"csv"}, max_bytes=10)
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(SimpleUploadedFile("a.csv", b""), allowed={"csv"})


def test_csv_xml_and_pdf_are_recognised():
    assert validate_upload(SimpleUploadedFile("a.txt", "État,m²\n1,2\n".encode()), allowed={"csv"}).kind == "csv"
    assert validate_upload(SimpleUploadedFile("a", b'<?xml version="1.0"?><x/>'), allowed={"xml"}).kind == "xml"
    assert validate_upload(SimpleUploadedFile("a", b"%PDF-1.7\n"), allowed={"pdf"}).kind == "pdf"
