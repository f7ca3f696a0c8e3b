"""The leaflet as a DOCX (python-docx): the same text with real Word styles, at the size the PDF was fitted to."""

from __future__ import annotations

from docx.shared import Mm, Pt

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.leaflet.design import DOCX_PANEL_COLUMNS, INNER_W, KIND
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as word
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.units import MM


def render(sheet: FactSheet, palette: Palette, size: float, fonts: FontFamily) -> Rendered:
    """The leaflet as an editable DOCX with body text of ``size`` points, which Word and LibreOffice lay out on two
    pages."""
    accent = palette.accent.hex
    doc = word.new_document(sheet, fonts, size, accent, KIND)
    title = word.add_paragraph(doc, sheet.title, "Title")
    if sheet.logo:
        word.floating_picture(title, sheet.logo, 20, f"{sheet.school_name} logo")
    word.add_paragraph(doc, sheet.tagline, "Subtitle")
    school = doc.add_paragraph()
    word.add_run(school, sheet.school_name, bold=True, size=size * 1.3, colour=accent)
    attribution = doc.add_paragraph()
    word.add_run(attribution, sheet.attribution, italic=True, size=size * 0.8)
    _contacts_table(doc, sheet, size, palette)
    body = word.continuous_section(doc, 2)
    word.add_sections(doc, sheet.sections, size, accent)
    doc.sections[0].footer.is_linked_to_previous = False
    body.footer.is_linked_to_previous = True
    word.footer(doc.sections[0], sheet.footer)
    return Rendered(word.save(doc))


def _contacts_table(doc, sheet: FactSheet, size: float, palette: Palette) -> None:
    accent, tint = palette.accent.hex, palette.tint.hex
    people = list(sheet.panel_people)
    agencies = list(sheet.agencies)
    rows = 1 + len(people) + (1 if sheet.cse_note else 0) + 1
    table = doc.add_table(rows=rows, cols=4)
    word.borders(table, accent, 6)
    widths = [Mm(INNER_W * share / MM) for share in DOCX_PANEL_COLUMNS]
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid, which LibreOffice lays out by
    grid = [row.cells for row in table.rows]  # python-docx works a row's cells out again on every call
    for cells in grid:
        for cell, width in zip(cells, widths):
            cell.width = width  # each cell's own width, which Word lays out by
    head = word.span(grid[0])
    word.shade(head, accent)
    para = head.paragraphs[0]
    word.add_run(para, sheet.panel_heading, bold=True, size=size * 1.35, colour=WHITE.hex)
    para = head.add_paragraph()
    word.add_run(para, sheet.panel_intro, size=size * 0.95, colour=WHITE.hex)
    for cells, person in zip(grid[1:], people):
        for cell in cells:
            word.shade(cell, tint)
        word.add_run(cells[0].paragraphs[0], person.role, size=size * 0.9)
        name = cells[1] if person.phone or person.email else word.span(cells[1:])
        word.add_run(name.paragraphs[0], person.name, bold=True)
        if person.phone:
            word.add_run(cells[2].paragraphs[0], person.phone, bold=True)
        if person.email:
            word.add_run(cells[3].paragraphs[0], person.email, size=size * 0.95)
    if sheet.cse_note:
        note = word.span(grid[len(people) + 1])
        word.shade(note, tint)
        word.add_run(note.paragraphs[0], sheet.cse_note, size=size * 0.9)
    for cell, agency in zip(grid[-1], agencies):
        word.add_run(cell.paragraphs[0], agency.label, bold=True, size=size * 0.9, colour=accent)
        for caption, value in agency.lines:
            line = cell.add_paragraph()
            word.add_run(line, f"{caption} {value}".strip(), bold=True, size=size * 1.05)
    for paragraph in word.paragraphs_in(table):
        paragraph.paragraph_format.space_after = Pt(1)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
