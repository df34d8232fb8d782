"""Hostile files, built on demand (nothing large is committed): used by tests/test_hostile_inputs.py and
bench/hostile_uploads.py, so the suite and the measurements exercise the same files."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

MB = 1024 * 1024

NEEDS_HEADER = ["title", "pillar", "modality", "description", "amount", "currency"]
FLOWS_HEADER = ["funder", "recipient", "pillar", "stage", "amount", "currency", "value_date"]


def _workbook(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, change(data) if item.filename == part else data)
    return out.getvalue()


def max_dimension_xlsx(header: list[str]) -> bytes:
    """About 5 KB: a sheet declaring A1:XFD1048576, with its heading and one cell at XFD1048576."""

    def inflate(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )

    return _rewrite(_workbook(header, []), "xl/worksheets/sheet1.xml", inflate)


STRING = b"<si><t>x</t></si>"


def shared_strings_bomb(base: bytes, strings: int) -> bytes:
    """``base`` with a shared-strings part of ``strings`` tiny strings (about 17 bytes each unpacked)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename == "xl/sharedStrings.xml":
                continue
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and b"sharedStrings" not in data:
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            target.writestr(item.filename, data)
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            piece = STRING * 65536
            for _ in range(max(1, strings // 65536)):
                part.write(piece)
            part.write(b"</sst>")
    return out.getvalue()


XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
ACTIVITY = b'<iati-activities version="2.03"><iati-activity><iati-identifier>XM-1</iati-identifier>'


def bad_rows_csv(header: list[str], row: bytes, rows: int) -> bytes:
    return (",".join(header) + "\n").encode() + row * rows


def billion_laughs(comment_bytes: int = 0) -> bytes:
    entities = b'<!ENTITY l0 "lol">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
    )
    comment = b"<!--" + b"x" * comment_bytes + b"-->\n" if comment_bytes else b""
    return (
        XML_HEAD + comment + b"<!DOCTYPE iati-activities [" + entities + b"]>\n"
        b'<iati-activities version="2.03"><iati-activity><iati-identifier>&l9;</iati-identifier>'
        b"</iati-activity></iati-activities>"
    )


def deeply_nested(depth: int) -> bytes:
    inner = b"<narrative>" * depth + b"x" + b"</narrative>" * depth
    return XML_HEAD + ACTIVITY + b"<description>" + inner + b"</description></iati-activity></iati-activities>"


def huge_text_node(megabytes: int) -> bytes:
    text = b"x" * (megabytes * MB)
    return (
        XML_HEAD + ACTIVITY + b"<title><narrative>" + text + b"</narrative></title></iati-activity></iati-activities>"
    )
