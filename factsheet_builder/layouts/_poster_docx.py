"""DOCX drawing of the poster layout (python-docx): the same page as editable Word tables, at the PDF's fitted scale."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Mm, Pt

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts._poster_pdf import KIND, MARGIN_MM, PHOTO_RATIO, fit, heading_size
from factsheet_builder.layouts.poster import PAPER_MM, Scale
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.render import docx as wd
from factsheet_builder.render import nobreak
from factsheet_builder.render.pdf import Palette

PT_PER_MM = 72 / 25.4
DOCX_SHRINK = 0.05  # Word and LibreOffice set lines and cells a little looser than ReportLab; floors still hold
WHITE = "#ffffff"


def render(leaflet: FactSheet, paper: str, accent: str, fonts: FontFamily) -> Rendered:
    """The poster as an editable DOCX that Word and LibreOffice lay out on one page."""
    palette = Palette.from_accent(accent)
    fitted = fit(leaflet, paper, fonts, palette)[0].scale
    sc = Scale(round(fitted.s - DOCX_SHRINK, 2), paper, fitted.columns, fitted.agency_columns)
    page_w, page_h = PAPER_MM[paper]
    margin = MARGIN_MM * sc.factor
    width = page_w - 2 * margin
    doc = wd.new_document(leaflet, fonts, sc.pt("intro"), accent, KIND, page=(page_w, page_h), margin_mm=margin)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(0), 1.0
    tint = palette.tint.hexval()[2:]
    _band(doc, leaflet, sc, fonts, accent, width)
    _gap(doc, sc)
    _para(doc, leaflet.panel_heading, sc.pt("section"), bold=True, colour=accent)
    _para(doc, leaflet.panel_intro, sc.pt("intro"), after=sc.mm(3))
    cards = _grid(doc, [lambda cell, w, p=p: _card(cell, p, sc, accent, w) for p in leaflet.people],
                  sc.columns, width, sc)
    for cell in cards:
        wd.shade(cell, tint)
        wd.cell_borders(cell, accent, 36, ("left",))
    for note in leaflet.notes:
        _para(doc, note, sc.pt("intro"), before=sc.mm(2))
    _gap(doc, sc)
    for cell in _grid(doc, [lambda cell, w, a=a: _agency(cell, a, sc, accent, w) for a in leaflet.agencies],
                      sc.agency_columns, width, sc):
        wd.cell_borders(cell, accent, 12)
    _gap(doc, sc)
    _steps_and_signs(doc, leaflet, sc, accent, width)
    footer = doc.sections[0].footer.paragraphs[0]
    wd.add_run(footer, leaflet.footer, size=sc.pt("footer"), colour=_hex(palette.muted))
    return Rendered(wd.save(doc))


def _para(container, text: str, size: float, *, bold: bool = False, colour: str | None = None, before: float = 0,
          after: float = 0):
    para = container.add_paragraph()
    para.paragraph_format.space_before, para.paragraph_format.space_after = Pt(before), Pt(after)
    wd.add_run(para, text, bold=bold, size=size, colour=colour)
    return para


def _first(cell, text: str, size: float, **kw):
    """Fill a new cell's empty first paragraph rather than leave it blank above the text."""
    para = cell.paragraphs[0]
    wd.add_run(para, text, size=size, **kw)
    return para


def _gap(doc, sc: Scale) -> None:
    para = doc.add_paragraph()
    para.paragraph_format.line_spacing = Pt(sc.mm(6))
    para.paragraph_format.space_after = Pt(0)


def _band(doc, leaflet: FactSheet, sc: Scale, fonts: FontFamily, accent: str, width: float) -> None:
    """Title band: the title, the headline on one line and the school, with the logo beside the school."""
    pad = sc.mm(8) / PT_PER_MM
    logo = sc.mm(30) / PT_PER_MM if leaflet.logo else 0
    table = doc.add_table(rows=3, cols=2)
    wd.column_widths(table, [width - logo - pad, logo + pad])
    wd.cell_margins(table, pad / 4, pad, pad / 4, pad)
    for row in table.rows:
        for cell in row.cells:
            wd.shade(cell, accent)
    kicker, heading = table.cell(0, 0).merge(table.cell(0, 1)), table.cell(1, 0).merge(table.cell(1, 1))
    kicker.paragraphs[0].paragraph_format.space_before = Pt(pad * PT_PER_MM * 0.75)
    _first(kicker, leaflet.title, sc.pt("kicker"), bold=True, colour=_hex(Palette.from_accent(accent).tint))
    size = heading_size(leaflet, sc, fonts, (width - 2 * pad) * PT_PER_MM)
    _first(heading, leaflet.poster.heading, size, bold=True, colour=WHITE)
    school = _first(table.cell(2, 0), leaflet.school_name, sc.pt("school"), bold=True, colour=WHITE)
    school.paragraph_format.space_after = Pt(pad * PT_PER_MM * 0.75)
    table.cell(2, 0).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if logo:
        right = table.cell(2, 1)
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        picture = right.paragraphs[0].add_run().add_picture(str(leaflet.logo), width=Mm(logo - 4))
        _fit_picture(picture, logo - 4, logo - 4)
        picture._inline.docPr.set("descr", f"{leaflet.school_name} logo")


def _grid(doc, fillers, columns: int, width: float, sc: Scale) -> list:
    """A table of cards ``columns`` to a row, with empty gutter columns and rows between them; returns the cards.

    Each filler is called with a new card cell and the width of its text.
    """
    gutter = sc.mm(6) / PT_PER_MM
    card_w = (width - gutter * (columns - 1)) / columns
    rows = (len(fillers) + columns - 1) // columns
    table = doc.add_table(rows=2 * rows - 1, cols=2 * columns - 1)
    wd.column_widths(table, [card_w if j % 2 == 0 else gutter for j in range(2 * columns - 1)])
    pad = gutter * 0.5
    wd.cell_margins(table, pad, pad, pad, pad)
    for i in range(1, 2 * rows - 1, 2):
        wd.exact_height(table.rows[i], gutter)
    cards = []
    for k, fill in enumerate(fillers):
        cell = table.cell(2 * (k // columns), 2 * (k % columns))
        fill(cell, card_w - 2 * pad)
        cards.append(cell)
    return cards


def _hex(colour) -> str:
    return "#" + colour.hexval()[2:]


def _card(cell, person: Person, sc: Scale, accent: str, width: float) -> None:
    """One person: role, name, phone and email, with their photo on the left when there is one."""
    target = cell
    if person.photo:
        photo_h = (sc.pt("role") * 1.18 + sc.mm(1) + sc.pt("name") * 1.1 + sc.pt("phone") * 1.15) / PT_PER_MM
        photo_w = photo_h * PHOTO_RATIO
        inner = cell.add_table(rows=1, cols=2)
        wd.column_widths(inner, [photo_w + 4, width - photo_w - 4])
        wd.cell_margins(inner, 0, 0, 0, 0)
        picture = inner.cell(0, 0).paragraphs[0].add_run().add_picture(str(person.photo), height=Mm(photo_h))
        _fit_picture(picture, photo_w, photo_h)
        picture._inline.docPr.set("descr", f"Photo of {person.name}")
        target = inner.cell(0, 1)
        cell._tc.remove(cell.paragraphs[0]._p)  # the table is the cell's first content
        cell.paragraphs[-1].paragraph_format.line_spacing = Pt(1)  # Word ends a cell with a paragraph; keep it tiny
    _first(target, person.role, sc.pt("role"), bold=True, colour=accent)
    name = target.add_paragraph()
    wd.add_run(name, person.name, bold=True, size=sc.pt("name"))
    if person.phone:
        wd.add_run(target.add_paragraph(), nobreak(person.phone), bold=True, size=sc.pt("phone"), colour=accent)
    if person.email:
        wd.add_run(target.add_paragraph(), person.email, size=sc.pt("email"))


def _fit_picture(picture, max_w_mm: float, max_h_mm: float) -> None:
    """Shrink a picture to fit a box, keeping its proportions."""
    scale = min(1.0, Mm(max_w_mm) / picture.width, Mm(max_h_mm) / picture.height)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)


def _agency(cell, agency: Agency, sc: Scale, accent: str, width: float) -> None:
    _first(cell, agency.label, sc.pt("label"), bold=True, colour=accent)
    for caption, value in agency.lines:
        para = cell.add_paragraph()
        if "@" in value:
            wd.add_run(para, value, size=sc.pt("email"))
            continue
        if caption:
            wd.add_run(para, f"{caption} ", size=sc.pt("caption"))
        wd.add_run(para, nobreak(value), bold=True, size=sc.pt("number"))


def _steps_and_signs(doc, leaflet: FactSheet, sc: Scale, accent: str, width: float) -> None:
    """The steps beside the signs; either alone across the page when the topic gives the poster only one."""
    steps, signs = leaflet.poster.steps, leaflet.poster.signs
    if steps is None and signs is None:
        return
    gutter = sc.mm(8) / PT_PER_MM
    heading = sc.pt("section")
    if steps and signs:
        left_w = (width - gutter) * 0.52
        table = doc.add_table(rows=1, cols=3)
        wd.column_widths(table, [left_w, gutter, width - gutter - left_w])
        cells = [table.cell(0, 0), table.cell(0, 2)]
        wd.cell_borders(cells[1], accent, 4, ("left",))
    else:
        table = doc.add_table(rows=1, cols=1)
        wd.column_widths(table, [width])
        cells = [table.cell(0, 0)]
    wd.cell_margins(table, 0, 0, 0, 0)
    if steps:
        left = cells.pop(0)
        _first(left, steps.heading, heading, bold=True, colour=accent)
        step = sc.pt("step")
        for number, text in enumerate(steps.items, start=1):
            para = left.add_paragraph()
            _hanging(para, step * 1.6, sc.mm(2.5))
            wd.add_run(para, f"{number}\t", bold=True, size=step, colour=accent)
            wd.add_run(para, text, size=step)
    if signs:
        right = cells.pop(0)
        indent = Pt(gutter * PT_PER_MM / 2) if steps else Pt(0)
        para = right.paragraphs[0]
        para.paragraph_format.left_indent = indent
        wd.add_run(para, signs.heading, bold=True, size=heading, colour=accent)
        sign = sc.pt("sign")
        for text in signs.items:
            para = right.add_paragraph()
            _hanging(para, sign * 1.1, sc.mm(1.5), indent)
            wd.add_run(para, "•\t", bold=True, size=sign, colour=accent)
            wd.add_run(para, text, size=sign)


def _hanging(para, indent_pt: float, after_pt: float, left=None) -> None:
    """A paragraph whose first line starts with a marker and a tab, the rest aligned under the text."""
    fmt = para.paragraph_format
    base = left or Pt(0)
    fmt.left_indent = base + Pt(indent_pt)
    fmt.first_line_indent = Pt(-indent_pt)
    fmt.tab_stops.add_tab_stop(base + Pt(indent_pt))
    fmt.space_after = Pt(after_pt)
