"""python-docx table helpers: cell fills, borders and padding, merged cells, fixed widths and heights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from factsheet_builder.render.docx_xml import of_cell, of_table


def shade(cell, hex_colour: str) -> None:
    """Fill a table cell with a colour."""
    of_cell(cell).get_or_add_tcPr().append(shading(hex_colour))


def shading(hex_colour: str):
    """A shading element (w:shd) of one solid colour, for a cell or a paragraph."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    return shd


def span(cells: Sequence[Any]) -> Any:
    """Merge a row's empty ``cells``, left to right, into the first and return it (python-docx's general
    ``merge`` does the same, far more slowly)."""
    first = cells[0]
    first.width = sum(cell.width for cell in cells)
    of_cell(first).grid_span = len(cells)
    for cell in cells[1:]:
        element = of_cell(cell)
        element.getparent().remove(element)
    return first


def paragraphs_in(table) -> list[Paragraph]:
    """Every paragraph in every cell of ``table``, each once (merged cells too)."""
    return [Paragraph(p, table) for p in of_table(table).iter(qn("w:p"))]


def borders(table, hex_colour: str, size_eighths: int = 8) -> None:
    """Give a table an outer box and inner lines in one colour."""
    of_table(table).tblPr.append(
        border_lines("w:tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV"), hex_colour, size_eighths)
    )
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def cell_borders(
    cell, hex_colour: str, size_eighths: int, edges: tuple[str, ...] = ("top", "left", "bottom", "right")
) -> None:
    """Draw some edges of one table cell in one colour (size in eighths of a point)."""
    of_cell(cell).get_or_add_tcPr().append(border_lines("w:tcBorders", edges, hex_colour, size_eighths))


def border_lines(tag: str, edges: tuple[str, ...], hex_colour: str, size_eighths: int):
    """A table or cell borders element: single lines of one colour on the given edges."""
    element = OxmlElement(tag)
    for edge in edges:
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size_eighths))
        line.set(qn("w:color"), hex_colour.lstrip("#").upper())
        element.append(line)
    return element


def cell_margins(table, top_mm: float, right_mm: float, bottom_mm: float, left_mm: float) -> None:
    """The padding inside every cell of a table; the table is indented by its left padding so its edge meets the margin."""
    margins = margins_element((("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)))
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(round(left_mm * 56.7)))
    indent.set(qn("w:type"), "dxa")
    tbl_pr = of_table(table).tblPr
    tbl_pr.append(indent)
    tbl_pr.append(margins)


def margins_element(sides: tuple[tuple[str, float], ...]):
    """A table's cell padding element (w:tblCellMar): each (side, millimetres), in the order given."""
    margins = OxmlElement("w:tblCellMar")
    for side, value in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(value * 56.7)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    return margins


def column_widths(table, widths_mm: list[float]) -> None:
    """Fix a table's column widths and total width, which Word and LibreOffice then keep."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    tbl_pr = of_table(table).tblPr
    for tag, attrs in (
        ("w:tblW", {"w:w": str(round(sum(widths_mm) * 56.7)), "w:type": "dxa"}),
        ("w:tblLayout", {"w:type": "fixed"}),
    ):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        tbl_pr.append(el)


def exact_height(row, height_mm: float) -> None:
    """Give a table row exactly this height (a spacer between rows of cards)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
