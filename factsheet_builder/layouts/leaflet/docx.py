"""The leaflet as a DOCX (python-docx): the same text with real Word styles, at the size the PDF was fitted to."""

from __future__ import annotations

from docx.shared import Mm, Pt

from factsheet_builder.cache import Cache
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.leaflet.design import CLOSE, DOCX_LINE_SPACING, INNER_W, KIND
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.render import docx as word
from factsheet_builder.render import docx_a11y as a11y
from factsheet_builder.render import nobreak
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.units import MM

# The team's table: one person a row (role, name, phone, email), or, for the panels whose names are set above the
# phone and email (long names and addresses), each name across the table with the role, phone and email under it.
PEOPLE_HEADERS, PEOPLE_COLUMNS = ("Role", "Name", "Phone", "Email"), (0.19, 0.27, 0.16, 0.38)
WIDE_HEADERS = ("Name, then role, phone and email",)
PANEL_FLOOR = 9.0  # points: names, numbers and emails of the wide table are never smaller
GAP = "\u2003"  # an em space between the role, the phone and the email on one line
CELL_PAD = 2 * 5.4  # points: Word's default cell margins, left and right
AGENCY_COLUMNS = (0.19, 0.21, 0.21, 0.39)  # the third must hold "Non-emergency 101", the fourth a long email
BAND_PAD = 4  # points of accent colour round the text of the "Who to talk to" band, as in a table cell


def render(
    sheet: FactSheet, palette: Palette, size: float, fonts: FontFamily, form: str, spacing: float, cache: Cache
) -> Rendered:
    """The leaflet as an editable DOCX with body text of ``size`` points, which Word and LibreOffice lay out on two
    pages; its team's table in the PDF panel's ``form`` and its body's space between paragraphs ``spacing`` times
    the usual, as the PDF's."""
    accent = palette.accent.hex
    doc = word.new_document(sheet, fonts, size, accent, KIND, cache=cache)
    doc.styles["Normal"].paragraph_format.line_spacing = DOCX_LINE_SPACING
    for name in ("Normal", "Heading 2", "List Bullet"):
        style = doc.styles[name].paragraph_format
        for side in ("space_before", "space_after"):
            if getattr(style, side) is not None:
                setattr(style, side, Pt(getattr(style, side).pt * spacing))
    title = word.add_paragraph(doc, sheet.title, "Heading 1")
    if sheet.logo:
        word.floating_picture(title, sheet.logo, 20, f"{sheet.school_name} logo")
    word.add_paragraph(doc, sheet.subtitle, "Subtitle")
    school = doc.add_paragraph()
    word.add_run(school, sheet.school_name, bold=True, size=size * 1.3, colour=accent)
    attribution = doc.add_paragraph()
    word.add_run(attribution, sheet.attribution, italic=True, size=size * 0.8)
    _contacts(doc, sheet, size, palette, form)
    body = word.continuous_section(doc, 2)
    word.add_sections(doc, sheet.sections, size, accent, fonts, cache=cache)
    doc.sections[0].footer.is_linked_to_previous = False
    body.footer.is_linked_to_previous = True
    word.footer(doc.sections[0], sheet.footer)
    return Rendered(word.save(doc))


def _contacts(doc, sheet: FactSheet, size: float, palette: Palette, form: str) -> None:
    """'Who to talk to' as a heading on an accent band, then the team and the agencies as two data tables, each
    with a header row and no merged cells, so a screen reader can name each cell's column."""
    accent, tint = palette.accent.hex, palette.tint.hex
    heading = word.add_paragraph(doc, "", "Heading 2")
    word.add_run(heading, sheet.panel_heading, size=size * 1.35, colour=WHITE.hex)
    intro = doc.add_paragraph()
    word.add_run(intro, sheet.panel_intro, size=size * 0.95, colour=WHITE.hex)
    for para in (heading, intro):
        para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(0)
        word.band(para, accent, BAND_PAD)
    heading.paragraph_format.space_before = Pt(size * 0.4)
    wide = form in CLOSE
    headers, shares = (WIDE_HEADERS, (1.0,)) if wide else (PEOPLE_HEADERS, PEOPLE_COLUMNS)
    people = doc.add_table(rows=1 + len(sheet.panel_people), cols=len(headers))
    cells = _grid(people, shares, accent)
    for cell, label in zip(cells[0], headers):
        word.shade(cell, tint)
        word.add_run(cell.paragraphs[0], label, bold=True, size=size * 0.8, colour=accent)
    for row, person in zip(cells[1:], sheet.panel_people):
        for cell in row:
            word.shade(cell, tint)
        (_wide if wide else _row)(row, person, size)
    a11y.header_row(people)
    tables = [people]
    for first in range(0, len(sheet.agencies), len(AGENCY_COLUMNS)):
        between = doc.add_paragraph()  # Word joins two tables that touch; this keeps them two
        if sheet.notes and not first:
            word.add_run(between, " ".join(sheet.notes), size=size * 0.9)
            between.paragraph_format.space_before = Pt(0)
            word.band(between, tint, BAND_PAD)
        else:
            between.paragraph_format.line_spacing = Pt(2)
        between.paragraph_format.space_after = Pt(0)
        tables.append(_agencies(doc, sheet.agencies[first : first + len(AGENCY_COLUMNS)], size, accent))
    for table in tables:
        for paragraph in word.paragraphs_in(table):
            paragraph.paragraph_format.space_after = Pt(1)


def _agencies(doc, agencies: tuple[Agency, ...], size: float, accent: str):
    """A table of up to four agencies: their names the header row, their numbers the row under it."""
    table = doc.add_table(rows=2, cols=len(AGENCY_COLUMNS))
    cells = _grid(table, AGENCY_COLUMNS, accent)
    for head, cell, agency in zip(cells[0], cells[1], agencies):
        word.add_run(head.paragraphs[0], agency.label, bold=True, size=size * 0.9, colour=accent)
        for i, (caption, value) in enumerate(agency.lines):
            line = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            a11y.add_linked_text(
                line,
                f"{caption} {value}".strip(),
                lambda para, text: word.add_run(para, text, bold=True, size=size * 1.05),
            )
    a11y.header_row(table)
    return table


def _row(row: list, person: Person, size: float) -> None:
    """A person's row: role, name, phone and email in their columns."""
    word.add_run(row[0].paragraphs[0], person.role, size=size * 0.9)
    word.add_run(row[1].paragraphs[0], person.name, bold=True)
    if person.phone:
        word.add_run(row[2].paragraphs[0], person.phone, bold=True)
    if person.email:
        a11y.link(word.add_run(row[3].paragraphs[0], person.email, size=size * 0.95), person.email)


def _wide(row: list, person: Person, size: float) -> None:
    """A person's row of the wide table: the name, then the role, phone and email on the line under it (set at
    the panel's floor, as the PDF's closer forms)."""
    detail = max(PANEL_FLOOR, size * 0.95)
    cell = row[0]
    word.add_run(cell.paragraphs[0], person.name, bold=True, size=detail)
    line = cell.add_paragraph()
    word.add_run(line, person.role, size=size * 0.9)
    if person.phone:
        word.add_run(line, f"{GAP}{nobreak(person.phone)}", bold=True, size=detail)
    if person.email:
        word.add_run(line, GAP, size=detail)
        a11y.link(word.add_run(line, person.email, size=detail), person.email)


def _grid(table, shares: tuple[float, ...], accent: str) -> list[list]:
    """Fix a table's columns to these shares of the text width and draw its lines; its cells, row by row."""
    word.borders(table, accent, 6)
    widths = [Mm(INNER_W * share / MM) for share in shares]
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid, which LibreOffice lays out by
    grid = [row.cells for row in table.rows]  # python-docx works a row's cells out again on every call
    for cells in grid:
        for cell, width in zip(cells, widths):
            cell.width = width  # each cell's own width, which Word lays out by
    return grid
