"""Spreadsheets in and out: one problem type, bounded readers for uploads, and safe writers.

Reading (uploads). ``read_table`` streams the rows of an XLSX sheet or a CSV file and stops at the row
limit (``settings.CCM_IMPORT_MAX_ROWS``) *before* anything is materialised: an XLSX archive is refused
when a member would unpack beyond a bound (shared strings included) or compresses suspiciously well,
the sheet's declared dimensions are ignored (hostile or buggy files inflate them) and real rows are
counted while they are read; a CSV file is read line by line with a cap on every line's size.
``ProblemLog`` keeps a bounded number of problems and counts the rest.

Writing (downloads). Every cell of every spreadsheet the platform writes goes through
``safe_text``: XML-illegal control characters are removed, and text that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) is neutralised — in CSV with a leading
apostrophe (``csv_cell``), in XLSX as a string cell with Excel's "quote prefix" (``xlsx_append``), so it
reads back unchanged but never evaluates. Numbers stay numbers, negative ones included.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from ccm.core.templatetags.ccm import number
from ccm.core.text import writable_text

# --- Problems --------------------------------------------------------------------------------------

DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_PROBLEMS = 200


def max_rows() -> int:
    """The one row limit of every import (data rows, blank rows not counted)."""
    return int(getattr(settings, "CCM_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


@dataclass(frozen=True)
class CellProblem:
    """One problem in an uploaded file: where (sheet, row, column letter or name, heading) and what."""

    sheet: str
    row: int  # 1-based, the heading row being 1; 0 for the whole file or sheet
    column: str  # a letter ("D") for spreadsheets; "" for the whole row
    header: str
    message: str

    def text(self, *, with_sheet: bool = True) -> str:
        parts = []
        if with_sheet and self.sheet:
            parts.append(f"Sheet '{self.sheet}'")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        return f"{', '.join(parts)}: {self.message}" if parts else self.message

    def __str__(self) -> str:
        return self.text()

    def as_dict(self, *, with_sheet: bool = True) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
            "text": self.text(with_sheet=with_sheet),
        }


@dataclass
class ProblemLog:
    """Problems as they are found, the first ``limit`` kept and the others only counted."""

    limit: int = field(default_factory=lambda: int(getattr(settings, "CCM_IMPORT_MAX_PROBLEMS", DEFAULT_MAX_PROBLEMS)))
    kept: list[CellProblem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: CellProblem, *, first: bool = False) -> None:
        """Keep ``problem`` if there is room; with ``first``, always, ahead of the others (a problem with
        the whole file, such as too many rows, must not be lost among the cell problems)."""
        self.total += 1
        if first:
            self.kept.insert(0, problem)
            del self.kept[self.limit :]
        elif len(self.kept) < self.limit:
            self.kept.append(problem)

    def extend(self, problems: Iterable[CellProblem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def omitted(self) -> int:
        return self.total - len(self.kept)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total


def omitted_text(count: int) -> str:
    return ngettext("and %(n)s more problem", "and %(n)s more problems", count) % {"n": number(count)}


# --- Reading ---------------------------------------------------------------------------------------


class UnreadableFile(Exception):
    """The file is refused whole, before its rows are read; the message says why."""


EXCEL_MAX_ROWS = 1_048_576
DEFAULT_MAX_MEMBER_BYTES = 16 * 1024 * 1024  # any one part of the archive, unpacked
DEFAULT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all parts together, unpacked
MAX_RATIO = 100  # unpacked / packed, for parts above RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_CSV_LINE_BYTES = 1024 * 1024
_CHUNK = 64 * 1024


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_archive(stream: IO[bytes]) -> None:
    """Refuse an XLSX (ZIP) archive whose parts would unpack beyond the bounds, before anything parses it.
    The sizes come from the archive's directory; ``zipfile`` stops reading a part at its declared size and
    checks its CRC, so a part cannot unpack to more than it declares."""
    member_cap = _setting("CCM_IMPORT_MAX_MEMBER_BYTES", DEFAULT_MAX_MEMBER_BYTES)
    total_cap = _setting("CCM_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    stream.seek(0)
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(_("This file is not a readable XLSX workbook.")) from exc
    finally:
        stream.seek(0)
    total = 0
    for member in members:
        total += member.file_size
        too_big = member.file_size > member_cap
        too_packed = member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        if too_big or too_packed or total > total_cap:
            raise UnreadableFile(
                _(
                    "The workbook is refused: its part %(part)s unpacks to %(size).1f MB (parts may unpack to "
                    "%(cap).1f MB each, %(total).1f MB together, and compress at most %(ratio)s times). "
                    "Save the data in a new workbook, or split it."
                )
                % {
                    "part": member.filename[:80],
                    "size": member.file_size / 1e6,
                    "cap": member_cap / 1e6,
                    "total": total_cap / 1e6,
                    "ratio": MAX_RATIO,
                }
            )


_SHARED_STRINGS_PART = re.compile(rb'PartName="/?([^"]+)"[^>]*ContentType="[^"]*sharedStrings[^"]*"')
_STRING_ITEM = re.compile(rb"[<:]si[\s/>]")


def max_shared_strings() -> int:
    """Shared strings a workbook may hold: generous for the row limit (100 a row), never less than 10,000."""
    return max(max_rows() * 100, 10_000)


def count_shared_strings(stream: IO[bytes], *, stop_after: int) -> int:
    """The strings in the archive's shared-strings part (openpyxl loads them all when it opens a workbook),
    counted while the part streams, stopping past ``stop_after``."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
        names = {m.decode("utf-8", "replace") for m in _SHARED_STRINGS_PART.findall(types)}
        names |= {n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")}
        count = 0
        for name in names & set(archive.namelist()):
            tail = b""
            with archive.open(name) as part:
                while chunk := part.read(_CHUNK):
                    count += len(_STRING_ITEM.findall(tail + chunk))
                    tail = chunk[-3:]
                    if count > stop_after:
                        return count
        return count
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise UnreadableFile(_("This file is not a readable XLSX workbook.")) from exc
    finally:
        stream.seek(0)


def open_workbook(stream: IO[bytes]) -> Any:
    """An openpyxl workbook in read-only mode, after the archive passed ``check_archive`` and holds no more
    shared strings than a file within the row limit needs."""
    check_archive(stream)
    limit = max_shared_strings()
    if count_shared_strings(stream, stop_after=limit) > limit:
        raise UnreadableFile(
            _(
                "The workbook is refused: it holds more than %(n)s different texts, more than %(rows)s rows "
                "can need. Save the data in a new workbook, or split it."
            )
            % {"n": number(limit), "rows": number(max_rows())}
        )
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same message
        raise UnreadableFile(_("This file is not a readable XLSX workbook.")) from exc


def sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of every row actually in the sheet, its declared dimensions ignored."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - broken XML, a missing shared string…: one message
            raise UnreadableFile(_("This file is not a readable XLSX workbook.")) from exc
        number += 1
        if number > EXCEL_MAX_ROWS:
            raise UnreadableFile(_("The sheet has rows beyond the last row a spreadsheet can have."))
        if not values:  # a row missing from the file (openpyxl fills the gaps): skipped at once
            continue
        yield number, tuple(values)


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """Decoded lines (with their line ends) of a UTF-8 stream, read in chunks; a line is at most
    MAX_CSV_LINE_BYTES long."""
    pending = b""
    first = True
    while True:
        chunk = stream.read(_CHUNK)
        if chunk:
            pending += chunk
        parts = pending.splitlines(keepends=True)
        # the last part may continue in the next chunk (a lone CR may be the start of CRLF)
        pending = parts.pop() if chunk and parts and not parts[-1].endswith(b"\n") else b""
        for raw in parts:
            if first:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
                first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnreadableFile(_("The file is not UTF-8 text.")) from exc
        if len(pending) > MAX_CSV_LINE_BYTES:
            raise UnreadableFile(
                _("A line of the file is longer than %(n)s MB.") % {"n": f"{MAX_CSV_LINE_BYTES / 1e6:.0f}"}
            )
        if not chunk:
            return


def csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(record number, cells) of a CSV file read line by line; the heading is record 1."""
    stream.seek(0)
    reader = csv.reader(_lines(stream))
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, tuple(cells)
    except csv.Error as exc:
        raise UnreadableFile(_("The file cannot be read as CSV (%(error)s).") % {"error": exc}) from exc


def is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


# --- Writing ---------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> tuple[str, bool]:
    """The text without XML-illegal control characters (nor lone surrogates), and whether a spreadsheet
    would read it as a formula. The one function every spreadsheet writer goes through (``csv_cell``,
    ``xlsx_append``)."""
    text = writable_text(value)
    return text, text.startswith(FORMULA_START)


def csv_cell(value: Any) -> str:
    """A CSV cell: numbers as they are, text that could run as a formula behind a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    text, formula_like = safe_text(str(value))
    return f"'{text}" if formula_like else text


def csv_row(values: Iterable[Any]) -> list[str]:
    return [csv_cell(v) for v in values]


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(csv_row(row))
    return buffer.getvalue()


class _Echo:
    """A file that hands back what is written to it, so ``csv.writer`` can make lines to stream."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[Iterable[Any]], *, batch: int = 500) -> Iterator[str]:
    """CSV text for a ``StreamingHttpResponse``: ``batch`` rows at a time, every cell through ``csv_cell``,
    so memory stays flat however many rows ``rows`` yields (give it a queryset's ``.iterator()``)."""
    writer = csv.writer(_Echo())
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow(csv_row(row)))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def xlsx_file(title: str, rows: Iterable[Iterable[Any]]) -> IO[bytes]:
    """A one-sheet workbook of ``rows`` written row by row to a temporary file (openpyxl's write-only
    mode), rewound for a ``FileResponse``. Memory grows only with the distinct texts (the shared-strings
    table), not with the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        xlsx_append(sheet, row)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    book.save(out)
    out.seek(0)
    return out


def xlsx_append(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Append a row: text is cleaned and never stored as a formula (a formula-like text is a string cell
    with the quote prefix, as Excel stores text typed after an apostrophe); numbers stay numbers."""
    row: list[Any] = []
    quoted = False
    for value in values:
        if isinstance(value, str):
            text, formula_like = safe_text(value)
            if formula_like:
                cell = Cell(sheet, row=1, column=1, value=text)  # placed by append
                cell.data_type = "s"  # a string, whatever it starts with
                cell.quotePrefix = True
                row.append(cell)
                quoted = True
                continue
            value = text
        row.append(value)
    if quoted and isinstance(sheet, WriteOnlyWorksheet):
        # A write-only sheet reuses the last cell object it was given for the values after it, which would
        # carry the quote prefix along the row: there, every value of such a row is a cell of its own.
        row = [v if isinstance(v, Cell) or v is None else Cell(sheet, row=1, column=1, value=v) for v in row]
    sheet.append(row)


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_from_rows(title: str, rows: Iterable[Iterable[Any]]) -> bytes:
    """A one-sheet workbook of ``rows`` (the first being the headings), every cell through ``safe_text``."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        xlsx_append(sheet, row)
    return xlsx_bytes(book)
