"""What of an XLSX workbook a person sees: each sheet's state, and the rows and columns hidden in a sheet.

A spreadsheet reader gives every row of every sheet; a roster is what the officer sees, so a hidden sheet, row or
column (a filter hides rows too) is reported and never imported. The workbook's XML says what is hidden: the
state of each sheet in xl/workbook.xml, and a hidden attribute (or a height or width of nought) on a sheet's rows
and column ranges.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COLUMN = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook as its user sees it: its name, whether it is shown, and what in it is hidden
    (row numbers from 1, column indexes from 0)."""

    name: str
    visible: bool
    hidden_rows: frozenset[int]
    hidden_columns: frozenset[int]


def sheets(path: Path) -> list[Sheet]:
    """The workbook's sheets in order (as openpyxl lists them); a part it cannot find leaves nothing hidden."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        targets: dict[str | None, str] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for relation in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
                target = relation.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[relation.get("Id")] = part
        found = []
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            member = targets.get(sheet.get(_RELATIONSHIP))
            data = archive.read(member) if member is not None and member in names else b""
            found.append(
                Sheet(
                    sheet.get("name", ""),
                    sheet.get("state", "visible") == "visible",
                    frozenset(_hidden_rows(data)),
                    frozenset(_hidden_columns(data)),
                )
            )
    return found


def _attributes(text: bytes) -> dict[bytes, bytes]:
    return dict(_ATTRIBUTE.findall(text))


def _hidden(attributes: dict[bytes, bytes], size: bytes) -> bool:
    """True when a row or column is hidden, or its ``size`` (a row's height, a column's width) is nought, which
    Excel shows as hidden."""
    if attributes.get(b"hidden", b"0").lower() in (b"1", b"true"):
        return True
    try:
        return float(attributes.get(size, b"1")) == 0
    except ValueError:
        return False


def _hidden_rows(data: bytes) -> list[int]:
    rows = []
    for match in _ROW.finditer(data):
        attributes = _attributes(match.group(1))
        if _hidden(attributes, b"ht") and attributes.get(b"r", b"").isdigit():
            rows.append(int(attributes[b"r"]))
    return rows


def _hidden_columns(data: bytes) -> list[int]:
    columns: list[int] = []
    for match in _COLUMN.finditer(data):
        attributes = _attributes(match.group(1))
        low, high = attributes.get(b"min", b""), attributes.get(b"max", b"")
        if _hidden(attributes, b"width") and low.isdigit() and high.isdigit():
            columns.extend(range(int(low) - 1, min(int(high), 16_384)))
    return columns
