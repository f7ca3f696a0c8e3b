"""The large-print copy as a PDF (ReportLab): the shared blocks made large, one column, "Page N of M"."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Frame, HRFlowable, KeepTogether, PageTemplate, Paragraph, Table, TableStyle

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.large_print.design import (
    FOOTER_H, H, HEADING, KIND, LEADING, LOGO, MARGIN, MIN_SIZE, PANEL_ONE_COLUMN, TITLE, W,
)
from factsheet_builder.model import FactSheet
from factsheet_builder.render import breaks, pdf
from factsheet_builder.render.palette import Palette
from factsheet_builder.render.pdf import colour, esc
from factsheet_builder.render.tagging import Tag, tag
from factsheet_builder.render.units import A4, MM


def _styles(fonts: FontFamily, size: float, palette: Palette) -> pdf.Styles:
    """The shared styles made large print: nothing smaller than the body, no italics, a blank line between paragraphs."""
    base = pdf.styles(fonts, size, palette, italic_quotes=False, leading=LEADING)
    body = ParagraphStyle("lp-body", parent=base.body, spaceAfter=size, allowWidows=0, allowOrphans=0)
    return replace(
        base,
        body=body,
        bullet=ParagraphStyle("lp-bullet", parent=base.bullet, spaceAfter=size * 0.45, bulletFontSize=size,
                              allowWidows=0, allowOrphans=0),
        heading=ParagraphStyle("lp-heading", parent=base.heading, fontSize=size * HEADING, leading=size * HEADING * 1.2,
                               spaceBefore=size * 0.6, spaceAfter=size * 0.5),
        quote=ParagraphStyle("lp-quote", parent=base.quote, allowWidows=0, allowOrphans=0),
        quote_source=ParagraphStyle("lp-source", parent=base.quote_source, fontSize=size, leading=size * LEADING),
        small=ParagraphStyle("lp-small", parent=body, textColor=colour(palette.ink)),
    )


def _title_block(sheet: FactSheet, styles: pdf.Styles, palette: Palette) -> list[Flowable]:
    """Title, subtitle and school, with the logo beside them, and a rule under them."""
    size = styles.size
    title = ParagraphStyle("lp-title", parent=styles.heading, fontSize=size * TITLE, leading=size * 2.3,
                           spaceBefore=0, spaceAfter=size * 0.3, textColor=colour(palette.ink))
    subtitle = ParagraphStyle("lp-tagline", parent=styles.body, fontName=styles.heading.fontName, spaceAfter=size * 0.3)
    school = ParagraphStyle("lp-school", parent=styles.heading, spaceBefore=0, spaceAfter=0, keepWithNext=0)
    text = [tag(Paragraph(esc(sheet.title), title), Tag("H1")), tag(Paragraph(esc(sheet.subtitle), subtitle), Tag("P")),
            tag(Paragraph(esc(sheet.school_name), school), Tag("P"))]
    head: Flowable
    if sheet.logo:
        head = Table([[text, pdf.logo(sheet.logo, LOGO, LOGO, alt=f"{sheet.school_name} logo")]],
                     colWidths=[W - 2 * MARGIN - LOGO - 5 * MM, LOGO + 5 * MM])
        head.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                  *((side, (0, 0), (-1, -1), 0) for side in
                                    ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"))]))
        story = [head]
    else:
        story = text
    return [*story, HRFlowable(width="100%", thickness=2, color=colour(palette.accent), spaceBefore=size * 0.6,
                               spaceAfter=size * 0.8)]


def _facts(sheet: FactSheet, styles: pdf.Styles) -> list[Flowable]:
    """The attribution and the footer's facts, one a line."""
    return [tag(Paragraph(esc(sheet.attribution), styles.body), Tag("P")),
            tag(Paragraph("<br/>".join(esc(part) for part in sheet.footer.split(" · ")), styles.body), Tag("P"))]


def _grid(entries: list[list[Paragraph]], columns: int, width: float, gap: float, font: str) -> Table:
    """Entries ``columns`` to a row, each cell ``gap`` from the next."""
    cell_w = (width - gap * (columns - 1)) / columns
    rows = [entries[i:i + columns] + [""] * (columns - len(entries[i:i + columns]))
            for i in range(0, len(entries), columns)]
    table = Table(rows, colWidths=[cell_w + (gap if c < columns - 1 else 0) for c in range(columns)])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                               ("RIGHTPADDING", (-1, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), gap / 2)]))
    return table


def _panel(sheet: FactSheet, fonts: FontFamily, size: float, palette: Palette, width: float, height: float
           ) -> list[Flowable]:
    """The "Who to talk to" panel kept on one page: a team of more than three in two columns, and its type made
    smaller, down to the large-print floor, while it is taller than a page. A panel taller than a page even then
    (seven people with the longest names and addresses) follows the title and runs on, a row of people at a time,
    rather than leave page 1 blank."""
    while True:
        styles = _styles(fonts, size, palette)
        gap = size * 1.2
        # two columns for a big team, unless a name's or address's longest unbreakable run would not fit one
        columns = 2 if len(sheet.people) > PANEL_ONE_COLUMN and all(
            breaks.widest(value, fonts.faces["bold"], size) <= (width - gap) / 2
            for person in sheet.people for value in (person.name, person.email) if value) else 1
        entries = pdf.contact_entries(sheet, styles, palette, (width - gap * (columns - 1)) / columns)
        halves = pdf.contact_entries(sheet, styles, palette, (width - gap) / 2)  # the agencies, two to a row
        team, agencies = entries[:len(sheet.people)], halves[len(halves) - len(sheet.agencies):]
        panel: list[Flowable] = [tag(Paragraph(esc(sheet.panel_heading), styles.heading), Tag("H2")),
                                 tag(Paragraph(esc(sheet.panel_intro), styles.body), Tag("P")),
                                 _grid(team, columns, width, gap, styles.body.fontName)]
        for note in entries[len(sheet.people):len(sheet.people) + len(sheet.notes)]:
            panel += note
        panel.append(_grid(agencies, 2, width, gap, styles.body.fontName))
        tall = sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in panel)
        if tall <= height:
            return [KeepTogether(panel)]
        if size <= MIN_SIZE:
            return panel
        size = max(MIN_SIZE, size - 1)


def _story(sheet: FactSheet, styles: pdf.Styles, palette: Palette, fonts: FontFamily, width: float, height: float
           ) -> list[Flowable]:
    story = _title_block(sheet, styles, palette)
    story += _panel(sheet, fonts, styles.size, palette, width, height)  # first, so that it starts on page 1
    story += _facts(sheet, styles)
    for section in sheet.sections:
        story += pdf.section_flowables(section, styles, width, palette)
    return story


def render(sheet: FactSheet, size: float, palette: Palette, fonts: FontFamily) -> Rendered:
    """The large-print copy as a PDF of as many pages as it needs, body text ``size`` points."""
    fonts.register()
    styles = _styles(fonts, size, palette)
    bold = fonts.faces["bold"]

    def page_number(canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(bold, size)
        canvas.setFillColor(colour(palette.ink))
        canvas.drawRightString(W - MARGIN, MARGIN, f"Page {page} of {total}")
        canvas.restoreState()

    width, height = W - 2 * MARGIN, H - 2 * MARGIN - FOOTER_H
    frame = Frame(MARGIN, MARGIN + FOOTER_H, width, height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="text")
    doc = pdf.PageCountDocTemplate(None, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                   bottomMargin=MARGIN, invariant=1, draw_page_count=page_number)
    doc.addPageTemplates([PageTemplate("page", frames=[frame])])
    pdf.metadata(doc, sheet, KIND)
    data, pages = pdf.build(doc, _story(sheet, styles, palette, fonts, width, height))
    return Rendered(data, pages)
