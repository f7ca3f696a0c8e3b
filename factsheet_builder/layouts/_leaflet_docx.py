"""DOCX drawing of the leaflet layout (python-docx): the same text with real Word styles."""

from __future__ import annotations

from docx.shared import Mm, Pt
from reportlab.lib.units import mm

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts._leaflet_pdf import INNER_W, body_size
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as wd
from factsheet_builder.render import docx_a11y as a11y
from factsheet_builder.render.pdf import Palette

PEOPLE_HEADERS = ("Role", "Name", "Phone", "Email")
PEOPLE_COLUMNS = (0.19, 0.27, 0.16, 0.38)  # names of deputies without numbers share a row: room for two a line
AGENCY_COLUMNS = (0.19, 0.21, 0.21, 0.39)  # the third must hold "Non-emergency 101", the fourth a long email
BAND_PAD = 4  # points of accent colour round the text of the "Who to talk to" band, as in a table cell
WHITE = "#ffffff"
DOCX_SHRINK = 0.5  # Word and LibreOffice set lines a little looser than ReportLab


def render(leaflet: FactSheet, accent: str, fonts: FontFamily) -> Rendered:
    """The leaflet as an editable DOCX that Word and LibreOffice lay out on two pages."""
    size = body_size(leaflet.sections, Palette.from_accent(accent), fonts) - DOCX_SHRINK
    doc = wd.new_document(leaflet, fonts, size, accent, "staff fact sheet")
    title = wd.add_paragraph(doc, leaflet.title, "Title")
    if leaflet.logo:
        wd.floating_picture(title, leaflet.logo, 20, f"{leaflet.school_name} logo")
    wd.add_paragraph(doc, leaflet.tagline, "Subtitle")
    school = doc.add_paragraph()
    wd.add_run(school, leaflet.school_name, bold=True, size=size * 1.3, colour=accent)
    attribution = doc.add_paragraph()
    wd.add_run(attribution, leaflet.attribution, italic=True, size=size * 0.8)
    _contacts(doc, leaflet, size, accent)
    body = wd.continuous_section(doc, 2)
    wd.add_sections(doc, leaflet.sections, size, accent)
    for sect in (doc.sections[0], body):
        sect.footer.is_linked_to_previous = sect is body
    wd.footer(doc.sections[0], leaflet.footer)
    return Rendered(wd.save(doc))


def _contacts(doc, leaflet: FactSheet, size: float, accent: str) -> None:
    """'Who to talk to' as a heading on an accent band, then the team and the agencies as two data tables, each
    with a header row and no merged cells, so a screen reader can name each cell's column."""
    palette = Palette.from_accent(accent)
    tint = palette.tint.hexval()[2:]
    heading = wd.add_paragraph(doc, "", "Heading 1")
    wd.add_run(heading, leaflet.panel_heading, size=size * 1.35, colour=WHITE)
    intro = doc.add_paragraph()
    wd.add_run(intro, leaflet.panel_intro, size=size * 0.95, colour=WHITE)
    for para in (heading, intro):
        para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(0)
        wd.band(para, accent, BAND_PAD)
    heading.paragraph_format.space_before = Pt(size * 0.4)
    people = doc.add_table(rows=1 + len(leaflet.panel_people), cols=4)
    cells = _grid(people, PEOPLE_COLUMNS, accent)
    for cell, label in zip(cells[0], PEOPLE_HEADERS):
        wd.shade(cell, tint)
        wd.add_run(cell.paragraphs[0], label, bold=True, size=size * 0.8, colour=accent)
    for row, person in zip(cells[1:], leaflet.panel_people):
        for cell in row:
            wd.shade(cell, tint)
        wd.add_run(row[0].paragraphs[0], person.role, size=size * 0.9)
        wd.add_run(row[1].paragraphs[0], person.name, bold=True)
        if person.phone:
            wd.add_run(row[2].paragraphs[0], person.phone, bold=True)
        if person.email:
            a11y.link(wd.add_run(row[3].paragraphs[0], person.email, size=size * 0.95), person.email)
    a11y.header_row(people)
    between = doc.add_paragraph()  # Word joins two tables that touch; this keeps them two
    if leaflet.cse_note:
        wd.add_run(between, leaflet.cse_note, size=size * 0.9)
        between.paragraph_format.space_before = Pt(0)
        wd.band(between, tint, BAND_PAD)
    else:
        between.paragraph_format.line_spacing = Pt(2)
    between.paragraph_format.space_after = Pt(0)
    agencies = doc.add_table(rows=2, cols=len(AGENCY_COLUMNS))
    cells = _grid(agencies, AGENCY_COLUMNS, accent)
    for head, cell, agency in zip(cells[0], cells[1], leaflet.agencies):
        wd.add_run(head.paragraphs[0], agency.label, bold=True, size=size * 0.9, colour=accent)
        for i, (caption, value) in enumerate(agency.lines):
            line = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            a11y.add_linked_text(line, f"{caption} {value}".strip(),
                                 lambda para, text: wd.add_run(para, text, bold=True, size=size * 1.05))
    a11y.header_row(agencies)
    for table in (people, agencies):
        for paragraph in wd.paragraphs_in(table):
            paragraph.paragraph_format.space_after = Pt(1)


def _grid(table, shares: tuple[float, ...], accent: str) -> list[list]:
    """Fix a table's columns to these shares of the text width and draw its lines; its cells, row by row."""
    wd.borders(table, accent, 6)
    widths = [Mm(INNER_W * share / mm) for share in shares]
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid, which LibreOffice lays out by
    grid = [row.cells for row in table.rows]  # python-docx works a row's cells out again on every call
    for cells in grid:
        for cell, width in zip(cells, widths):
            cell.width = width  # each cell's own width, which Word lays out by
    return grid
