"""Reading a roster's rows from a CSV or XLSX file, each cell as the text a person sees, within fixed bounds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet_builder.config.fields import shown
from factsheet_builder.exceptions import FactsheetError, Problem, clip
from factsheet_builder.roster import visibility
from factsheet_builder.roster.encoding import decoded
from factsheet_builder.roster.report import at_cell

HEADER_SEARCH_ROWS = 20
# A roster has a row per school and a column per detail: these bounds are far above any real one, and keep a
# hostile or broken file from taking the machine's memory or time before it is refused.
MAX_FILE_BYTES = 20_000_000
MAX_PART_BYTES = 20_000_000  # what one part of an XLSX (a zip) may unpack to
MAX_UNPACKED_BYTES = 50_000_000  # and all its parts together
MAX_PARTS = 1_000
MAX_ROWS = 50_000  # a county has a few hundred schools; England has about 22,000
MAX_COLUMNS = 200
MAX_CELL = 1_000  # characters
MAX_CELLS = 500_000  # filled-in cells of an XLSX, in all its sheets: a spreadsheet reader spends time on each
MAX_STRINGS = 500_000  # different texts of an XLSX, all read before its first row
CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the container of .xls files, and of .xlsx files saved with a password


@dataclass(frozen=True)
class Table:
    """The rows of a roster: the heading row and each later row's cells as text, with spreadsheet row numbers.

    ``refused`` holds, by (row number, column index), why a cell's value cannot be imported whatever it fills.
    """

    name: str
    header_row: int
    headings: list[str]
    rows: list[tuple[int, list[str]]]
    refused: dict[tuple[int, int], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # what of the file was not read, and why


@dataclass
class _Cells:
    """Rows as they are read, and the cells refused on the way."""

    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    refused: dict[tuple[int, int], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, number: int, values: Iterable[str]) -> None:
        """Add a row, refusing the file when it has too many rows or columns, and a cell when it is too long."""
        cells = [unicodedata.normalize("NFC", value.strip()) for value in values]
        if not any(cells):
            return
        if number > MAX_ROWS:
            raise FactsheetError(
                f"{self.name}: has more than {MAX_ROWS:,} rows (row {number:,} is filled in); "
                "a roster has one row per school: remove the rows below the table"
            )
        if any(cells[MAX_COLUMNS:]):
            raise FactsheetError(
                f"{self.name}: row {number} has more than {MAX_COLUMNS} columns; a roster has one "
                "column per detail: remove the columns beyond the table"
            )
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL:
                self.refused[number, index] = (
                    f"is {len(cell):,} characters long; a roster cell may hold at most {MAX_CELL:,} ({shown(cell, 40)})"
                )
                cells[index] = cell[:MAX_CELL]
        self.rows.append((number, cells))


def read_table(path: Path, known: set[str]) -> Table:
    """A CSV or XLSX roster's rows; the heading row is the first with a heading the import knows."""
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        cells = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        cells = _read_xlsx(path)
    else:
        raise FactsheetError(
            f"{path.name}: only .csv and .xlsx rosters can be read; save the spreadsheet in one of those"
        )
    known_folded = {fold_heading(k) for k in known}
    for number, headings in cells.rows:
        if number > HEADER_SEARCH_ROWS:
            break
        if any(fold_heading(cell) in known_folded for cell in headings):
            later = [(n, c) for n, c in cells.rows if n > number]
            return Table(cells.name, number, headings, later, cells.refused, cells.problems)
    first = cells.rows[0][1] if cells.rows else []
    raise FactsheetError(
        f"{path.name}: no heading row found: expected headings such as school, dsl, dsl_phone"
        + (f" (the first row has: {clip(', '.join(c for c in first if c), 200)})" if first else " (the file is empty)")
        + "; rename the headings or use --map HEADING=FIELD"
    )


def fold_heading(text: str) -> str:
    """A heading as matched: case, spaces at either end, repeated spaces, '_' or '-' for a space and invisible
    characters (a zero-width space copied from a web page) do not count."""
    seen = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(seen.replace("_", " ").replace("-", " ").split()).casefold()


def _check_file(path: Path) -> None:
    """Refuse what is not a regular file of a roster's size before reading it (a pipe would wait for ever)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise FactsheetError(f"{path.name}: cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FactsheetError(f"{path.name}: is not a regular file; save the roster as a .csv or .xlsx file")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large(path)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, reading no more than the bound allows (the file may have grown since it was checked)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FactsheetError(f"{path.name}: cannot be read: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path)
    return data


def _too_large(path: Path) -> FactsheetError:
    return FactsheetError(
        f"{path.name}: is larger than {MAX_FILE_BYTES // 1_000_000} MB, far more than a roster "
        "needs; is it the right file?"
    )


def _read_csv(path: Path) -> _Cells:
    text = decoded(_read_bytes(path), path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    cells = _Cells(path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    with _field_limit(MAX_FILE_BYTES):  # a long cell is refused by its row and column, not by the csv module
        try:
            for number, row in enumerate(reader, start=1):
                cells.add(number, row)
        except csv.Error as exc:
            raise FactsheetError(
                f"{path.name}: line {reader.line_num}: cannot be read as CSV ({exc}); open it in a "
                "spreadsheet and save it again as 'CSV UTF-8'"
            ) from None
    return cells


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_xlsx(path: Path) -> _Cells:
    cells = _Cells(path.name)
    try:
        _check_parts(path)
        sheet = _choose_sheet(path, cells)
        with _open_sheet(path, sheet, True) as values, _open_sheet(path, sheet, False) as formulas:
            for number, (shown_row, formula_row) in enumerate(zip(values, formulas), start=1):
                if shown_row.count(None) == len(shown_row) == formula_row.count(None):
                    continue  # quickly past the empty rows a sheet may hold (its gaps are filled with them)
                if number in sheet.hidden_rows:
                    cells.problems.append(
                        at_cell(path.name, number, None, "not imported: the row is hidden (show it to import it)", True)
                    )
                    continue
                texts = []
                for index, (value, formula) in enumerate(zip(shown_row, formula_row)):
                    if index in sheet.hidden_columns:
                        value = formula = None  # reported with its heading, once the heading row is known
                    if value is None and formula is not None:
                        cells.refused[number, index] = (
                            "is a formula with no saved result, so its value is unknown; "
                            "open the workbook in Excel and save it, or type the value"
                        )
                    elif isinstance(value, bool):
                        cells.refused[number, index] = (
                            f"is the true/false value {str(value).upper()}, not text; type the value itself"
                        )
                    texts.append(_cell_text(value))
                cells.add(number, texts)
        if sheet.hidden_columns:
            letters = ", ".join(_letter(i) for i in sorted(sheet.hidden_columns)[:5])
            cells.problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    f"not imported: the hidden columns {letters} (show them to import them)",
                    True,
                )
                if len(sheet.hidden_columns) > 1
                else Problem(
                    path.name, None, None, f"not imported: the hidden column {letters} (show it to import it)", True
                )
            )
    except FactsheetError:
        raise
    except Exception as exc:  # a damaged workbook fails in openpyxl, zipfile or the XML parser, in many ways
        if _read_bytes(path).startswith(OLE_SIGNATURE):
            raise FactsheetError(
                f"{path.name}: is an Excel 97-2003 workbook or a password-protected one; in Excel, "
                "save it as an .xlsx workbook without a password"
            ) from None
        reason = shown(str(exc) or type(exc).__name__, 120)
        raise FactsheetError(
            f"{path.name}: is not a readable .xlsx workbook ({reason}); open it in Excel and save it again"
        ) from None
    return cells


def _choose_sheet(path: Path, cells: _Cells) -> _Shown:
    """The sheet the roster is on, the workbook's first visible one; every other sheet is reported as not read."""
    found = visibility.sheets(path)
    shown_at = next((i for i, sheet in enumerate(found) if sheet.visible), None)
    if shown_at is None:
        raise FactsheetError(f"{path.name}: has no visible worksheet; the roster must be on the first visible sheet")
    for index, sheet in enumerate(found):
        if index != shown_at:
            why = "it is hidden" if not sheet.visible else "the roster is the first visible sheet alone"
            cells.problems.append(
                Problem(path.name, None, None, f"sheet {shown(sheet.name, 40)} is not read: {why}", warning=True)
            )
    return _Shown(shown_at, found[shown_at].hidden_rows, found[shown_at].hidden_columns)


@dataclass(frozen=True)
class _Shown:
    """The sheet to read, by its place in the workbook, and what in it is hidden."""

    index: int
    hidden_rows: frozenset[int]
    hidden_columns: frozenset[int]


def _letter(index: int) -> str:
    """A column's letters as a spreadsheet names it (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_parts(path: Path) -> None:
    """Refuse, before parsing, a workbook that would take more memory or time than a roster can need: one that
    unpacks to too much (a zip bomb), holds too many cells or strings, or whose XML declares entities (which
    multiply a small file into gigabytes); a workbook saved by a spreadsheet program has no entities."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise FactsheetError(
                f"{path.name}: holds {len(parts):,} parts, far more than a workbook has; is it the right file?"
            )
        for part in parts:  # zipfile never unpacks more than a part's declared size, so checking that bounds it
            if part.file_size > MAX_PART_BYTES:
                raise FactsheetError(
                    f"{path.name}: its part {shown(part.filename, 60)} would unpack to "
                    f"{part.file_size:,} bytes, more than a roster can need "
                    f"({MAX_PART_BYTES // 1_000_000} MB); is it the right file?"
                )
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise FactsheetError(
                f"{path.name}: would unpack to more than {MAX_UNPACKED_BYTES // 1_000_000} MB, more "
                "than a roster can need; is it the right file?"
            )
        counts = {CELL: 0, SHARED_STRING: 0}
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                data = archive.read(part)
                root = re.search(rb"<[A-Za-z_]", data)
                if root is None or b"<!DOCTYPE" in data[: root.start()].upper():
                    raise FactsheetError(
                        f"{path.name}: its part {shown(part.filename, 60)} is not XML as a "
                        "spreadsheet program saves it; open the workbook in Excel and save it again"
                    )
                for element in counts:
                    counts[element] += len(element.findall(data))
    for element, limit, what in ((CELL, MAX_CELLS, "cells"), (SHARED_STRING, MAX_STRINGS, "different texts")):
        if counts[element] > limit:
            raise FactsheetError(
                f"{path.name}: holds {counts[element]:,} {what}, more than a roster can need (at "
                f"most {limit:,}); copy the roster's sheet alone into a new workbook"
            )


@contextmanager
def _open_sheet(path: Path, chosen: _Shown, data_only: bool) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The chosen sheet's rows of values (formulas' saved results with ``data_only``, else the formulas)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=data_only)
    try:
        sheet = workbook.worksheets[chosen.index]
        sheet.reset_dimensions()  # the size a sheet declares may be wrong: read every row it has
        yield sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (dates as YYYY-MM-DD, whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
