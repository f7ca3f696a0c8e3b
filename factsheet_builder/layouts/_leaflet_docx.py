"""DOCX drawing of the leaflet layout (python-docx): the same text with real Word styles."""

from __future__ import annotations

from docx.shared import Mm, Pt
from reportlab.lib.units import mm

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts._leaflet_pdf import INNER_W, body_size
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as wd
from factsheet_builder.render.pdf import Palette

# Unlike the PDF's, the agencies row shares the people's columns: the third must hold "Non-emergency 101",
# the fourth a long email address.
PANEL_COLUMNS = (0.19, 0.21, 0.21, 0.39)
DOCX_SHRINK = 0.5  # Word and LibreOffice set lines a little looser than ReportLab


def render(leaflet: FactSheet, accent: str, fonts: FontFamily) -> Rendered:
    """The leaflet as an editable DOCX that Word and LibreOffice lay out on two pages."""
    size = body_size(leaflet.sections, Palette.from_accent(accent), fonts) - DOCX_SHRINK
    doc = wd.new_document(leaflet, fonts, size, accent, "staff fact sheet")
    title = wd.add_paragraph(doc, leaflet.title, "Title")
    if leaflet.logo:
        wd.floating_picture(title, leaflet.logo, 20, f"{leaflet.school_name} logo")
    wd.add_paragraph(doc, leaflet.subtitle, "Subtitle")
    school = doc.add_paragraph()
    wd.add_run(school, leaflet.school_name, bold=True, size=size * 1.3, colour=accent)
    attribution = doc.add_paragraph()
    wd.add_run(attribution, leaflet.attribution, italic=True, size=size * 0.8)
    _contacts_table(doc, leaflet, size, accent)
    body = wd.continuous_section(doc, 2)
    wd.add_sections(doc, leaflet.sections, size, accent)
    for sect in (doc.sections[0], body):
        sect.footer.is_linked_to_previous = sect is body
    wd.footer(doc.sections[0], leaflet.footer)
    return Rendered(wd.save(doc))


def _contacts_table(doc, leaflet: FactSheet, size: float, accent: str) -> None:
    tint = Palette.from_accent(accent).tint.hexval()[2:]
    people = list(leaflet.panel_people)
    agencies = list(leaflet.agencies)
    rows = 1 + len(people) + len(leaflet.notes) + 1
    table = doc.add_table(rows=rows, cols=4)
    wd.borders(table, accent, 6)
    widths = [Mm(INNER_W * share / mm) for share in PANEL_COLUMNS]
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid, which LibreOffice lays out by
    grid = [row.cells for row in table.rows]  # python-docx works a row's cells out again on every call
    for cells in grid:
        for cell, width in zip(cells, widths):
            cell.width = width  # each cell's own width, which Word lays out by
    head = wd.span(grid[0])
    wd.shade(head, accent)
    para = head.paragraphs[0]
    wd.add_run(para, leaflet.panel_heading, bold=True, size=size * 1.35, colour="#ffffff")
    para = head.add_paragraph()
    wd.add_run(para, leaflet.panel_intro, size=size * 0.95, colour="#ffffff")
    for cells, person in zip(grid[1:], people):
        for cell in cells:
            wd.shade(cell, tint)
        wd.add_run(cells[0].paragraphs[0], person.role, size=size * 0.9)
        name = cells[1] if person.phone or person.email else wd.span(cells[1:])
        wd.add_run(name.paragraphs[0], person.name, bold=True)
        if person.phone:
            wd.add_run(cells[2].paragraphs[0], person.phone, bold=True)
        if person.email:
            wd.add_run(cells[3].paragraphs[0], person.email, size=size * 0.95)
    for cells, text in zip(grid[len(people) + 1:], leaflet.notes):
        note = wd.span(cells)
        wd.shade(note, tint)
        wd.add_run(note.paragraphs[0], text, size=size * 0.9)
    for cell, agency in zip(grid[-1], agencies):
        wd.add_run(cell.paragraphs[0], agency.label, bold=True, size=size * 0.9, colour=accent)
        for caption, value in agency.lines:
            line = cell.add_paragraph()
            wd.add_run(line, f"{caption} {value}".strip(), bold=True, size=size * 1.05)
    for paragraph in wd.paragraphs_in(table):
        paragraph.paragraph_format.space_after = Pt(1)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
