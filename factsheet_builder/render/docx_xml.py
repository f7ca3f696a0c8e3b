"""The WordprocessingML elements behind python-docx's objects, reached by public ways only.

python-docx (1.2) names the element of a run, a document and a style publicly (``.element``), and a paragraph's
through its ParagraphFormat (an ElementProxy of the ``w:p``); a table, a row and a cell have no public element, so
theirs are found from the paragraphs they hold (every cell holds one).
"""

from __future__ import annotations

from typing import Any


def of_paragraph(paragraph) -> Any:
    """The ``w:p`` element of a paragraph."""
    return paragraph.paragraph_format.element


def of_cell(cell) -> Any:
    """The ``w:tc`` element of a table cell."""
    return of_paragraph(cell.paragraphs[0]).getparent()


def of_row(row) -> Any:
    """The ``w:tr`` element of a table row (its first cell's, which no vertical merge spans into)."""
    return of_cell(row.cells[0]).getparent()


def of_table(table) -> Any:
    """The ``w:tbl`` element of a table."""
    return of_row(table.rows[0]).getparent()


def last_section(doc) -> Any:
    """The ``w:sectPr`` of the document's last section (the body's own)."""
    return doc.element.body.get_or_add_sectPr()


def remove(paragraph) -> None:
    """Take ``paragraph`` out of the document."""
    element = of_paragraph(paragraph)
    element.getparent().remove(element)
