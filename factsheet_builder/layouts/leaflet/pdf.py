"""The leaflet as a PDF (ReportLab): two columns of content laid out once, drawn under each school's own parts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph, Table, TableStyle

from factsheet_builder import fitcache
from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.leaflet.design import (
    ATTRIB_H, BAND_H, BODY_BOTTOM, BODY_SIZES, COL_W, FOOTER_H, GAP, GUTTER, H, INNER_W, KIND, MARGIN, P1_BOTTOM,
    P1_TOP, P2_TOP, PANEL_COLUMNS, PANEL_H, PANEL_SCALES, W,
)
from factsheet_builder.model import FactSheet, Section
from factsheet_builder.render import pdf
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.pdf import colour, esc
from factsheet_builder.render.tagging import Tag, cell, tag, tag_rows
from factsheet_builder.render.units import A4, MM


def _frames(first: bool, frame=Frame) -> list[Frame]:
    top, bottom = (P1_TOP, P1_BOTTOM) if first else (P2_TOP, BODY_BOTTOM)
    return [
        frame(MARGIN + i * (COL_W + GUTTER), bottom, COL_W, top - bottom, leftPadding=0, rightPadding=0,
              topPadding=0, bottomPadding=0, id=f"{'p1' if first else 'p2'}c{i}")
        for i in range(2)
    ]


def _doc(on_first=None, on_later=None, frame=Frame) -> BaseDocTemplate:
    doc = BaseDocTemplate(None, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, invariant=1)
    doc.addPageTemplates([
        PageTemplate("first", frames=_frames(True, frame), onPage=on_first or (lambda c, d: None)),
        PageTemplate("later", frames=_frames(False, frame), onPage=on_later or (lambda c, d: None)),
    ])
    return doc


def _story(sections: tuple[Section, ...], size: float, palette: Palette, fonts: FontFamily) -> list:
    styles = pdf.styles(fonts, size, palette)
    story: list = [NextPageTemplate("later")]
    for section in sections:
        story.extend(pdf.section_flowables(section, styles, COL_W, palette))
    return story


def body_size(sections: tuple[Section, ...], palette: Palette, fonts: FontFamily) -> float:
    """The largest body size at which the content fills at most two pages; cached, since most schools share it."""
    return _fitted(sections, palette, fonts)[0]


@lru_cache(maxsize=32)
def _fitted(sections: tuple[Section, ...], palette: Palette, fonts: FontFamily) -> tuple[float, pdf.LaidOut]:
    """The body size, and the two columns of content laid out at it: every school's leaflet draws these pages."""
    laid_out: dict[float, pdf.LaidOut] = {}

    def fits(size: float) -> bool:
        try:
            laid_out[size] = pdf.lay_out(lambda frame: _doc(frame=frame), _story(sections, size, palette, fonts))
        except FitError:
            return False
        return len(laid_out[size].pages) <= 2

    size = fitcache.remembered(repr(("leaflet body", sections, palette, fonts)),
                               lambda: pdf.largest_fitting(BODY_SIZES, fits))
    if size is None:
        raise FitError(f"the content does not fit two pages even with body text at {BODY_SIZES[-1]:g} pt")
    if size not in laid_out:  # remembered from an earlier build: lay the content out at that size only
        fits(size)
    return size, laid_out[size]


def _panel(sheet: FactSheet, scale: float, fonts: FontFamily, palette: Palette) -> Table:
    face = fonts.faces
    accent, white = colour(palette.accent), colour(WHITE)

    def style(name: str, font: str, size: float, ink=colour(palette.ink)) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=face[font], fontSize=size * scale, leading=size * scale * 1.18,
                              textColor=ink, splitLongWords=0)

    heading, intro = style("ph", "bold", 14, white), style("pi", "regular", 9.5, white)
    role, name, phone = style("r", "regular", 9), style("n", "bold", 10.5), style("p", "bold", 10)
    email, label, number = style("e", "regular", 9.5), style("l", "bold", 9, accent), style("num", "bold", 11)
    rows: list[list] = [[[Paragraph(esc(sheet.panel_heading), heading), Paragraph(esc(sheet.panel_intro), intro)],
                         "", "", ""]]
    for person in sheet.panel_people:
        rows.append([Paragraph(esc(person.role), role), Paragraph(esc(person.name), name),
                     Paragraph(esc(person.phone or ""), phone), Paragraph(esc(person.email or ""), email)])
    notes_start = len(rows)
    rows += [[Paragraph(esc(note), role), "", "", ""] for note in sheet.notes]
    agency_cells = []
    for agency in sheet.agencies:
        lines = [f"{esc(caption)} {esc(value)}" if caption else esc(value) for caption, value in agency.lines]
        agency_cells.append([Paragraph(esc(agency.label), label), Paragraph("<br/>".join(lines), number)])
    inner_w = INNER_W - 2
    agencies = Table([agency_cells], colWidths=[inner_w / len(agency_cells)] * len(agency_cells))
    agencies.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), face["regular"]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.6, accent),
        ("LEFTPADDING", (0, 0), (-1, -1), 5 * scale),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * scale),
        ("TOPPADDING", (0, 0), (-1, -1), 4 * scale),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * scale),
    ]))
    rows.append([agencies, "", "", ""])
    people_end = len(rows) - 2
    table = Table(rows, colWidths=[INNER_W * w for w in PANEL_COLUMNS])
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), face["regular"]),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), accent),
        ("BACKGROUND", (0, 1), (-1, people_end), colour(palette.tint)),
        ("BOX", (0, 0), (-1, -1), 1.2, accent),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, accent),
        ("SPAN", (0, -1), (-1, -1)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 1), (-1, people_end), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5 * scale),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * scale),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * scale),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * scale),
        ("TOPPADDING", (0, 0), (-1, 0), 4 * scale),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4 * scale),
        ("LEFTPADDING", (0, -1), (-1, -1), 0),
        ("RIGHTPADDING", (0, -1), (-1, -1), 0),
        ("TOPPADDING", (0, -1), (-1, -1), 0),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 0),
    ]
    commands += [("SPAN", (1, row), (-1, row)) for row, person in enumerate(sheet.panel_people, start=1)
                 if not (person.phone or person.email)]  # names only: let them use the contact columns too
    commands += [("SPAN", (0, row), (-1, row)) for row in range(notes_start, people_end + 1)]
    table.setStyle(TableStyle(commands))
    return table


def panel(sheet: FactSheet, fonts: FontFamily, palette: Palette) -> Table:
    """The "Who to talk to" panel at the largest scale that fits its box; FitError naming what overflowed."""
    for scale in PANEL_SCALES:
        table = _panel(sheet, scale, fonts, palette)
        _, height = table.wrap(INNER_W, PANEL_H)
        too_wide = next(iter(pdf.too_wide(table)), None)  # panel styles never split a word
        if height <= PANEL_H and too_wide is None:
            return table
    if too_wide is not None:
        raise FitError(f"'{too_wide}' is too long for its column in the 'Who to talk to' panel, even with the panel "
                       f"at {PANEL_SCALES[-1]:.0%} size; shorten it")
    deputies = sheet.deputies
    raise FitError(
        f"the 'Who to talk to' panel is too tall for its box with {len(sheet.people)} people "
        f"({deputies} {'deputy' if deputies == 1 else 'deputies'}), even at {PANEL_SCALES[-1]:.0%} size; "
        "list fewer deputies or shorten long names and email addresses"
    )


@dataclass(frozen=True)
class SchoolParts:
    """The parts of the pages that carry the school's own values, each already fitted to its box."""

    contacts: Table
    title: Paragraph
    subtitle: Paragraph
    school: Paragraph
    footer: Paragraph
    attribution: Paragraph
    text_w: float
    logo_box: float


def school_parts(sheet: FactSheet, palette: Palette, fonts: FontFamily) -> SchoolParts:
    """Fit the school's values into the title band, the panel and the footer; FitError names what overflowed."""
    fonts.register()
    face = fonts.faces
    white, muted = colour(WHITE), colour(palette.muted)
    title = ParagraphStyle("title", fontName=face["bold"], fontSize=22, leading=25, textColor=white)
    subtitle = ParagraphStyle("tag", fontName=face["regular"], fontSize=11.5, leading=13.5, textColor=white)
    school = ParagraphStyle("school", fontName=face["bold"], fontSize=12.5, leading=14, textColor=white)
    footer = ParagraphStyle("footer", fontName=face["regular"], fontSize=8, leading=9.5, textColor=muted)
    attrib = ParagraphStyle("attrib", fontName=face["italic"], fontSize=8.5, leading=10, textColor=muted)
    logo_box = BAND_H - 5 * MM if sheet.logo else 0
    text_w = INNER_W - 10 * MM - (logo_box + 3 * MM if logo_box else 0)
    return SchoolParts(
        contacts=panel(sheet, fonts, palette),
        title=pdf.fit_paragraph(sheet.title, title, text_w, 25, 14, "the title"),
        subtitle=pdf.fit_paragraph(sheet.subtitle, subtitle, text_w, 13.5, 8, "the subtitle"),
        school=pdf.fit_paragraph(sheet.school_name, school, text_w, 14, 8.5, "the school name in the title band"),
        footer=pdf.fit_paragraph(sheet.footer, footer, INNER_W - 22 * MM, 9.5, 6,
                                 "the footer (it repeats the school name)"),
        attribution=pdf.fit_paragraph(sheet.attribution, attrib, INNER_W, 10, 6.5, "the attribution line"),
        text_w=text_w,
        logo_box=logo_box,
    )


TITLE_BAND, PANEL = -2, -1  # read before the columns (rank 0), whenever they are drawn


def _tag_panel(table: Table) -> None:
    """The panel's structure: its heading and intro, then one table of the team and the agencies, each row
    headed by the role or the agency."""
    heading, intro = table._cellvalues[0][0]
    tag(heading, Tag("H2", rank=PANEL))
    tag(intro, Tag("P", rank=PANEL))
    contacts = Tag("Table", rank=PANEL)
    tag_rows(table, contacts, range(1, len(table._cellvalues) - 1), header_columns=1)
    (agencies,) = table._cellvalues[-1][0]  # a table in the last row: the agencies side by side
    for label, numbers in agencies._cellvalues[0]:
        row = Tag("TR", contacts)
        tag(label, cell(row, "Row"))
        tag(numbers, cell(row, span=len(table._colWidths) - 1))  # as wide as a person's name, phone and email


def render(sheet: FactSheet, palette: Palette, fonts: FontFamily) -> Rendered:
    """The leaflet as a two-page PDF."""
    face = fonts.faces
    parts = school_parts(sheet, palette, fonts)
    _, body = _fitted(sheet.sections, palette, fonts)
    accent, muted = colour(palette.accent), colour(palette.muted)
    logo_box = parts.logo_box
    image = tag(pdf.logo(sheet.logo, logo_box - 4 * MM, logo_box - 4 * MM),
                Tag("Figure", alt=f"{sheet.school_name} logo", rank=TITLE_BAND)) if sheet.logo else None
    for para, role in ((parts.title, "H1"), (parts.subtitle, "P"), (parts.school, "P"), (parts.attribution, "P")):
        tag(para, Tag(role, rank=TITLE_BAND))
    _tag_panel(parts.contacts)

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, MARGIN + FOOTER_H - 2 * MM, W - MARGIN, MARGIN + FOOTER_H - 2 * MM)
        parts.footer.wrapOn(canvas, INNER_W - 22 * MM, FOOTER_H)
        parts.footer.drawOn(canvas, MARGIN, MARGIN + 1 * MM)
        canvas.setFont(face["regular"], 8)
        canvas.setFillColor(muted)
        canvas.drawRightString(W - MARGIN, MARGIN + 1 * MM + 1.5, f"Page {doc.page} of {len(body.pages)}")
        canvas.restoreState()

    def first_page(canvas, doc) -> None:
        canvas.saveState()
        band_y = H - MARGIN - BAND_H
        canvas.setFillColor(accent)
        canvas.roundRect(MARGIN, band_y, INNER_W, BAND_H, 3 * MM, stroke=0, fill=1)
        x = MARGIN + 5 * MM
        y = H - MARGIN - 3 * MM
        for para, gap in ((parts.title, 0.5 * MM), (parts.subtitle, 1.8 * MM), (parts.school, 0)):
            _, height = para.wrapOn(canvas, parts.text_w, BAND_H)
            y -= height
            para.drawOn(canvas, x, y)
            y -= gap
        if image is not None:
            box_x = W - MARGIN - 2.5 * MM - logo_box
            box_y = band_y + (BAND_H - logo_box) / 2
            canvas.setFillColor(colour(WHITE))
            canvas.roundRect(box_x, box_y, logo_box, logo_box, 2 * MM, stroke=0, fill=1)
            image.drawOn(canvas, box_x + (logo_box - image.drawWidth) / 2, box_y + (logo_box - image.drawHeight) / 2)
        parts.attribution.wrapOn(canvas, INNER_W, ATTRIB_H)
        parts.attribution.drawOn(canvas, MARGIN, band_y - ATTRIB_H + 2 * MM)
        parts.contacts.wrapOn(canvas, INNER_W, PANEL_H)
        parts.contacts.drawOn(canvas, MARGIN, BODY_BOTTOM + PANEL_H - parts.contacts._height)
        canvas.restoreState()
        draw_footer(canvas, doc)

    doc = _doc(first_page, draw_footer)
    pdf.metadata(doc, sheet, KIND)
    data, pages = pdf.build(doc, [NextPageTemplate("later"), *body.story()])
    if pages > 2:  # a short topic may take one
        raise FitError(f"the leaflet came to {pages} pages; it must be at most 2")
    return Rendered(data, pages)
