"""Reading a roster's rows from a CSV or XLSX file, each cell as the text a person sees."""

from __future__ import annotations

import csv
from dataclasses import dataclass
import datetime as dt
import io
from pathlib import Path
from typing import Any

from factsheet_builder.exceptions import FactsheetError

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Table:
    """The rows of a roster: the heading row and each later row's cells as text, with spreadsheet row numbers."""

    name: str
    header_row: int
    headings: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(path: Path, known: set[str]) -> Table:
    """A CSV or XLSX roster's rows; the heading row is the first with a heading the import knows."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    else:
        raise FactsheetError(f"{name}: only .csv and .xlsx rosters can be read; save the spreadsheet in one of those")
    known_folded = {k.casefold() for k in known}
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        if any(cell.casefold() in known_folded for cell in cells):
            later = [(n, c) for n, c in rows if n > number]
            return Table(name, number, cells, later)
    first = next((cells for _, cells in rows if any(cells)), [])
    raise FactsheetError(
        f"{name}: no heading row found: expected headings such as school, dsl, dsl_phone"
        + (f" (the first row has: {', '.join(c for c in first if c)})" if first else " (the file is empty)")
        + "; rename the headings or use --map HEADING=FIELD"
    )


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FactsheetError(f"{path.name}: cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FactsheetError(
            f"{path.name}: is not UTF-8 text; in Excel use Save As > 'CSV UTF-8 (Comma delimited)', or save as .xlsx"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, [cell.strip() for cell in cells]) for number, cells in enumerate(rows, start=1)]


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise FactsheetError(f"{path.name}: cannot be read: {exc.strerror}") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FactsheetError(
            f"{path.name}: is not a readable .xlsx workbook ({exc}); open it in Excel and save it again"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [(number, [_cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
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
    return str(value).strip()
