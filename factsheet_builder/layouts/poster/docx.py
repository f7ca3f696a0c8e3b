"""The poster as a DOCX (python-docx): the same page as editable Word tables, at the scale the PDF was fitted to."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Mm, Pt

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.poster.design import (
    KIND, MARGIN_MM, PAPER_MM, PHOTO_RATIO, SIGNS_SECTION, STEPS_SECTION, Scale, heading_size, photo_height,
    section_heading,
)
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.render import docx as word
from factsheet_builder.render import nobreak
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.units import MM


def render(sheet: FactSheet, scale: Scale, palette: Palette, fonts: FontFamily) -> Rendered:
    """The poster at ``scale`` as an editable DOCX that Word and LibreOffice lay out on one page."""
    accent, tint = palette.accent.hex, palette.tint.hex
    page_w, page_h = PAPER_MM[scale.paper]
    margin = MARGIN_MM * scale.paper_factor
    width = page_w - 2 * margin
    doc = word.new_document(sheet, fonts, scale.pt("intro"), accent, KIND, page=(page_w, page_h), margin_mm=margin)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(0), 1.0
    _band(doc, sheet, scale, fonts, palette, width)
    _gap(doc, scale)
    _para(doc, sheet.panel_heading, scale.pt("section"), bold=True, colour=accent)
    _para(doc, sheet.panel_intro, scale.pt("intro"), after=scale.mm(3))
    cards = _grid(doc, [lambda cell, text_w, person=person: _card(cell, person, scale, accent, text_w)
                        for person in sheet.people], scale.columns, width, scale)
    for cell in cards:
        word.shade(cell, tint)
        word.cell_borders(cell, accent, 36, ("left",))
    if sheet.cse_note:
        _para(doc, sheet.cse_note, scale.pt("intro"), before=scale.mm(2))
    _gap(doc, scale)
    for cell in _grid(doc, [lambda cell, text_w, agency=agency: _agency(cell, agency, scale, accent, text_w)
                            for agency in sheet.agencies], scale.agency_columns, width, scale):
        word.cell_borders(cell, accent, 12)
    _gap(doc, scale)
    _steps_and_signs(doc, sheet, scale, accent, width)
    footer = doc.sections[0].footer.paragraphs[0]
    word.add_run(footer, sheet.footer, size=scale.pt("footer"), colour=palette.muted.hex)
    return Rendered(word.save(doc))


def _para(container, text: str, size: float, *, bold: bool = False, colour: str | None = None, before: float = 0,
          after: float = 0):
    para = container.add_paragraph()
    para.paragraph_format.space_before, para.paragraph_format.space_after = Pt(before), Pt(after)
    word.add_run(para, text, bold=bold, size=size, colour=colour)
    return para


def _first(cell, text: str, size: float, **kw):
    """Fill a new cell's empty first paragraph rather than leave it blank above the text."""
    para = cell.paragraphs[0]
    word.add_run(para, text, size=size, **kw)
    return para


def _gap(doc, scale: Scale) -> None:
    para = doc.add_paragraph()
    para.paragraph_format.line_spacing = Pt(scale.mm(6))
    para.paragraph_format.space_after = Pt(0)


def _band(doc, sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> None:
    """Title band: the title, the headline on one line and the school, with the logo beside the school."""
    pad = scale.mm(8) / MM
    logo = scale.mm(30) / MM if sheet.logo else 0
    table = doc.add_table(rows=3, cols=2)
    word.column_widths(table, [width - logo - pad, logo + pad])
    word.cell_margins(table, pad / 4, pad, pad / 4, pad)
    for row in table.rows:
        for cell in row.cells:
            word.shade(cell, palette.accent.hex)
    kicker, heading = table.cell(0, 0).merge(table.cell(0, 1)), table.cell(1, 0).merge(table.cell(1, 1))
    kicker.paragraphs[0].paragraph_format.space_before = Pt(pad * MM * 0.75)
    _first(kicker, sheet.title, scale.pt("kicker"), bold=True, colour=palette.tint.hex)
    size = heading_size(sheet, scale, fonts, (width - 2 * pad) * MM)
    _first(heading, sheet.poster_heading, size, bold=True, colour=WHITE.hex)
    school = _first(table.cell(2, 0), sheet.school_name, scale.pt("school"), bold=True, colour=WHITE.hex)
    school.paragraph_format.space_after = Pt(pad * MM * 0.75)
    table.cell(2, 0).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if logo:
        right = table.cell(2, 1)
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        picture = right.paragraphs[0].add_run().add_picture(str(sheet.logo), width=Mm(logo - 4))
        _fit_picture(picture, logo - 4, logo - 4)
        picture._inline.docPr.set("descr", f"{sheet.school_name} logo")


def _grid(doc, fillers, columns: int, width: float, scale: Scale) -> list:
    """A table of cards ``columns`` to a row, with empty gutter columns and rows between them; returns the cards.

    Each filler is called with a new card cell and the width of its text.
    """
    gutter = scale.mm(6) / MM
    card_w = (width - gutter * (columns - 1)) / columns
    rows = (len(fillers) + columns - 1) // columns
    table = doc.add_table(rows=2 * rows - 1, cols=2 * columns - 1)
    word.column_widths(table, [card_w if j % 2 == 0 else gutter for j in range(2 * columns - 1)])
    pad = gutter * 0.5
    word.cell_margins(table, pad, pad, pad, pad)
    for i in range(1, 2 * rows - 1, 2):
        word.exact_height(table.rows[i], gutter)
    cards = []
    for k, fill in enumerate(fillers):
        cell = table.cell(2 * (k // columns), 2 * (k % columns))
        fill(cell, card_w - 2 * pad)
        cards.append(cell)
    return cards


def _card(cell, person: Person, scale: Scale, accent: str, width: float) -> None:
    """One person: role, name, phone and email, with their photo on the left when there is one."""
    target = cell
    if person.photo:
        photo_h = photo_height(scale) / MM
        photo_w = photo_h * PHOTO_RATIO
        inner = cell.add_table(rows=1, cols=2)
        word.column_widths(inner, [photo_w + 4, width - photo_w - 4])
        word.cell_margins(inner, 0, 0, 0, 0)
        picture = inner.cell(0, 0).paragraphs[0].add_run().add_picture(str(person.photo), height=Mm(photo_h))
        _fit_picture(picture, photo_w, photo_h)
        picture._inline.docPr.set("descr", f"Photo of {person.name}")
        target = inner.cell(0, 1)
        cell._tc.remove(cell.paragraphs[0]._p)  # the table is the cell's first content
        cell.paragraphs[-1].paragraph_format.line_spacing = Pt(1)  # Word ends a cell with a paragraph; keep it tiny
    _first(target, person.role, scale.pt("role"), bold=True, colour=accent)
    name = target.add_paragraph()
    word.add_run(name, person.name, bold=True, size=scale.pt("name"))
    if person.phone:
        word.add_run(target.add_paragraph(), nobreak(person.phone), bold=True, size=scale.pt("phone"), colour=accent)
    if person.email:
        word.add_run(target.add_paragraph(), person.email, size=scale.pt("email"))


def _fit_picture(picture, max_w_mm: float, max_h_mm: float) -> None:
    """Shrink a picture to fit a box, keeping its proportions."""
    scale = min(1.0, Mm(max_w_mm) / picture.width, Mm(max_h_mm) / picture.height)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)


def _agency(cell, agency: Agency, scale: Scale, accent: str, width: float) -> None:
    _first(cell, agency.label, scale.pt("label"), bold=True, colour=accent)
    for caption, value in agency.lines:
        para = cell.add_paragraph()
        if "@" in value:
            word.add_run(para, value, size=scale.pt("email"))
            continue
        if caption:
            word.add_run(para, f"{caption} ", size=scale.pt("caption"))
        word.add_run(para, nobreak(value), bold=True, size=scale.pt("number"))


def _steps_and_signs(doc, sheet: FactSheet, scale: Scale, accent: str, width: float) -> None:
    gutter = scale.mm(8) / MM
    left_w = (width - gutter) * 0.52
    table = doc.add_table(rows=1, cols=3)
    word.column_widths(table, [left_w, gutter, width - gutter - left_w])
    word.cell_margins(table, 0, 0, 0, 0)
    left, right = table.cell(0, 0), table.cell(0, 2)
    word.cell_borders(right, accent, 4, ("left",))
    heading = scale.pt("section")
    _first(left, section_heading(sheet, STEPS_SECTION), heading, bold=True, colour=accent)
    step = scale.pt("step")
    for number, text in enumerate(sheet.poster_steps, start=1):
        para = left.add_paragraph()
        _hanging(para, step * 1.6, scale.mm(2.5))
        word.add_run(para, f"{number}\t", bold=True, size=step, colour=accent)
        word.add_run(para, text, size=step)
    signs = right.paragraphs[0]
    signs.paragraph_format.left_indent = Pt(gutter * MM / 2)
    word.add_run(signs, section_heading(sheet, SIGNS_SECTION), bold=True, size=heading, colour=accent)
    sign = scale.pt("sign")
    for text in sheet.poster_signs:
        para = right.add_paragraph()
        _hanging(para, sign * 1.1, scale.mm(1.5), Pt(gutter * MM / 2))
        word.add_run(para, "•\t", bold=True, size=sign, colour=accent)
        word.add_run(para, text, size=sign)


def _hanging(para, indent_pt: float, after_pt: float, left=None) -> None:
    """A paragraph whose first line starts with a marker and a tab, the rest aligned under the text."""
    fmt = para.paragraph_format
    base = left or Pt(0)
    fmt.left_indent = base + Pt(indent_pt)
    fmt.first_line_indent = Pt(-indent_pt)
    fmt.tab_stops.add_tab_stop(base + Pt(indent_pt))
    fmt.space_after = Pt(after_pt)
