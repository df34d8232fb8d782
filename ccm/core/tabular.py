"""Reading tabular files (CSV) into typed rows, collecting every error with its row and column.

A reader never writes anything: it returns the parsed rows and the list of problems, so callers can
refuse the whole file when one cell is wrong.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ccm.core.money import CENT, MAX_AMOUNT, MAX_AMOUNT_TEXT
from ccm.core.spreadsheets import CellProblem

Parser = Callable[[str], Any]


@dataclass(frozen=True, init=False)
class CellError(CellProblem):
    """A problem in one of our CSV files: the one problem type (``CellProblem``) with the file as its sheet,
    and its column named by its heading (reference files are read by column name)."""

    def __init__(self, file: str, row: int, column: str, message: str) -> None:
        # row: 1-based line number in the file, the header being line 1
        super().__init__(sheet=file, row=row, column=column, header=column, message=message)

    @property
    def file(self) -> str:
        return self.sheet

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser = str
    required: bool = False


@dataclass
class Table:
    file: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    # Rows with at least one bad cell (their good cells only), so callers can avoid follow-on errors.
    partial_rows: list[dict[str, Any]] = field(default_factory=list)
    # True when the file could not be read row by row at all (missing, empty, wrong header).
    broken: bool = False


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def parse_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"yes", "true", "1"}:
        return True
    if lowered in {"no", "false", "0"}:
        return False
    raise ValueError(f"{value!r} is not yes or no")


def parse_positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise ValueError(f"{value!r} must be 1 or more")
    return number


def parse_amount(text: str) -> Decimal:
    """A positive money amount from a cell ("1,250.5" → 1250.50, to the cent); NaN, infinities and amounts
    above the one bound (``MAX_AMOUNT``) are refused."""
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("'%(v)s' is not an amount") % {"v": text[:40]}) from None
    if amount.is_finite() and amount > MAX_AMOUNT:
        raise ValueError(_("an amount can be at most %(max)s") % {"max": MAX_AMOUNT_TEXT})
    if not amount.is_finite() or amount <= 0:
        raise ValueError(_("an amount must be more than zero (and less than 10^15)"))
    amount = amount.quantize(CENT)
    if amount <= 0 or amount > MAX_AMOUNT:  # rounded to zero, or up past the bound
        raise ValueError(_("an amount must be more than zero (and less than 10^15)"))
    return amount


def choice(*allowed: str) -> Parser:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of: {', '.join(a for a in allowed if a)}")
        return value

    return parse


def read_csv(path: Path, columns: Sequence[Column]) -> Table:
    """Read ``path`` with the given columns; empty cells become ``None`` (or an error when required)."""
    table = Table(file=path.name)
    expected = [c.name for c in columns]
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                table.errors.append(CellError(path.name, 1, "", "the file is empty"))
                table.broken = True
                return table
            header = [h.strip() for h in header]
            missing = [name for name in expected if name not in header]
            unknown = [name for name in header if name not in expected]
            for name in missing:
                table.errors.append(CellError(path.name, 1, name, "this column is missing from the header"))
            for name in unknown:
                table.errors.append(CellError(path.name, 1, name, "this column is not expected"))
            if missing or unknown:
                table.broken = True
                return table
            for cells in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    table.errors.append(
                        CellError(path.name, line, "", f"expected {len(header)} cells, found {len(cells)}")
                    )
                    continue
                row: dict[str, Any] = {}
                errors_before = len(table.errors)
                for column in columns:
                    raw = cells[header.index(column.name)].strip()
                    if raw == "":
                        if column.required:
                            table.errors.append(CellError(path.name, line, column.name, "a value is required"))
                        row[column.name] = None
                        continue
                    try:
                        row[column.name] = column.parse(raw)
                    except ValueError as exc:
                        table.errors.append(CellError(path.name, line, column.name, str(exc)))
                if len(table.errors) == errors_before:  # only rows whose every cell parsed
                    table.rows.append(row)
                    table.line_numbers.append(line)
                else:
                    table.partial_rows.append(row)
    except UnicodeDecodeError:
        table.errors.append(CellError(path.name, 1, "", "the file is not UTF-8 text"))
        table.broken = True
    except csv.Error as exc:
        table.errors.append(CellError(path.name, 1, "", f"not a readable CSV file: {exc}"))
        table.broken = True
    return table
