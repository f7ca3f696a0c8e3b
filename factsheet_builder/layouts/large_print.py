"""The large-print copy: all the content and contacts in one column of large type, to the UKAAF standard.

UK Association for Accessible Formats minimum standards for large print: text at least 16 pt (ideally 18),
page numbers and labels as large as the body text, a sans serif face, no italics, underlining or blocks of
capitals, bold headings, left-aligned text in one column, a blank line between paragraphs and numbers
never split across lines. As many A4 pages as the text needs.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, HRFlowable, PageTemplate, Paragraph, Table, TableStyle

from factsheet_builder.config.fields import Number
from factsheet_builder.layouts import AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as wd
from factsheet_builder.render import pdf
from factsheet_builder.render.pdf import esc

W, H = A4
MARGIN = 20 * mm
FOOTER_H = 14 * mm  # room under the text frame for the page number
LOGO = 30 * mm
LEADING = 1.3
KIND = "large-print staff fact sheet"


class LargePrintLayout(Layout):
    """All of the leaflet in large print on as many A4 pages as it needs."""

    name = "large-print"
    description = "Large-print A4 copy of the whole leaflet (UKAAF standard: 18 pt, one column)"
    page_size = "A4"
    formats = ("pdf", "docx")
    pages = None
    options = {
        "body_size": Number("Body text size in points (UKAAF large print: at least 16, ideally 18).", 16, 28,
                            default=18),
        "accent_colour": AccentColour("Colour of the headings, labels and rules.", default="#1d4f91"),
    }

    def render_pdf(self, leaflet: FactSheet) -> Rendered:
        return _pdf(leaflet, float(self.options["body_size"]), self.options["accent_colour"], self)

    def render_docx(self, leaflet: FactSheet) -> Rendered:
        return _docx(leaflet, float(self.options["body_size"]), self.options["accent_colour"], self)


def _styles(layout: Layout, size: float, palette: pdf.Palette) -> pdf.Styles:
    """The shared styles made large print: nothing smaller than the body, no italics, a blank line between paragraphs."""
    base = pdf.styles(layout.fonts, size, palette, italic_quotes=False, leading=LEADING)
    body = ParagraphStyle("lp-body", parent=base.body, spaceAfter=size, allowWidows=0, allowOrphans=0)
    return replace(
        base,
        body=body,
        bullet=ParagraphStyle("lp-bullet", parent=base.bullet, spaceAfter=size * 0.45, bulletFontSize=size,
                              allowWidows=0, allowOrphans=0),
        heading=ParagraphStyle("lp-heading", parent=base.heading, fontSize=size * 1.4, leading=size * 1.4 * 1.2,
                               spaceBefore=size * 0.6, spaceAfter=size * 0.5),
        quote=ParagraphStyle("lp-quote", parent=base.quote, allowWidows=0, allowOrphans=0),
        quote_source=ParagraphStyle("lp-source", parent=base.quote_source, fontSize=size, leading=size * LEADING),
        small=ParagraphStyle("lp-small", parent=body, textColor=palette.ink),
    )


def _title_block(leaflet: FactSheet, st: pdf.Styles, palette: pdf.Palette) -> list[Flowable]:
    """Title, subtitle and school, with the logo beside them; then the attribution and the footer facts."""
    size = st.size
    title = ParagraphStyle("lp-title", parent=st.heading, fontSize=size * 2, leading=size * 2.3, spaceBefore=0,
                           spaceAfter=size * 0.3, textColor=palette.ink)
    subtitle = ParagraphStyle("lp-tagline", parent=st.body, fontName=st.heading.fontName, spaceAfter=size * 0.3)
    school = ParagraphStyle("lp-school", parent=st.heading, spaceBefore=0, spaceAfter=0, keepWithNext=0)
    text = [Paragraph(esc(leaflet.title), title), Paragraph(esc(leaflet.subtitle), subtitle),
            Paragraph(esc(leaflet.school_name), school)]
    head: Flowable
    if leaflet.logo:
        head = Table([[text, pdf.logo(leaflet.logo, LOGO, LOGO)]], colWidths=[W - 2 * MARGIN - LOGO - 5 * mm, LOGO + 5 * mm])
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                  *((side, (0, 0), (-1, -1), 0) for side in
                                    ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"))]))
        story = [head]
    else:
        story = text
    return [
        *story,
        HRFlowable(width="100%", thickness=2, color=palette.accent, spaceBefore=size * 0.6, spaceAfter=size * 0.8),
        Paragraph(esc(leaflet.attribution), st.body),
        Paragraph("<br/>".join(esc(part) for part in leaflet.footer.split(" · ")), st.body),  # one fact a line
    ]


def _story(leaflet: FactSheet, st: pdf.Styles, palette: pdf.Palette, width: float) -> list[Flowable]:
    story = _title_block(leaflet, st, palette)
    story += [Paragraph(esc(leaflet.panel_heading), st.heading), Paragraph(esc(leaflet.panel_intro), st.body)]
    story += pdf.contact_flowables(leaflet, st, palette)
    for section in leaflet.sections:
        story += pdf.section_flowables(section, st, width, palette)
    return story


def _pdf(leaflet: FactSheet, size: float, accent: str, layout: Layout) -> Rendered:
    palette = pdf.Palette.from_accent(accent)
    layout.fonts.register()
    st = _styles(layout, size, palette)
    bold = layout.fonts.faces["bold"]

    def page_number(canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(bold, size)
        canvas.setFillColor(palette.ink)
        canvas.drawRightString(W - MARGIN, MARGIN, f"Page {page} of {total}")
        canvas.restoreState()

    width = W - 2 * MARGIN
    frame = Frame(MARGIN, MARGIN + FOOTER_H, width, H - 2 * MARGIN - FOOTER_H, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="text")
    doc = pdf.PageCountDocTemplate(None, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                   bottomMargin=MARGIN, invariant=1, draw_page_count=page_number)
    doc.addPageTemplates([PageTemplate("page", frames=[frame])])
    pdf.metadata(doc, leaflet, KIND)
    data, pages = pdf.build(doc, _story(leaflet, st, palette, width))
    return Rendered(data, pages)


def _docx(leaflet: FactSheet, size: float, accent: str, layout: Layout) -> Rendered:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = wd.new_document(leaflet, layout.fonts, size, accent, KIND, margin_mm=MARGIN / mm)
    styles = doc.styles
    normal = styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(size), LEADING * 0.9  # Word's single spacing is already ~1.15 lines
    styles["Heading 1"].font.size = Pt(size * 1.4)
    styles["Heading 1"].paragraph_format.space_before = Pt(size * 0.6)
    styles["Heading 1"].paragraph_format.space_after = Pt(size * 0.5)
    styles["Title"].font.size = Pt(size * 2)
    styles["List Bullet"].paragraph_format.space_after = Pt(size * 0.45)
    title = doc.add_paragraph(leaflet.title, style="Title")
    if leaflet.logo:
        wd.floating_picture(title, leaflet.logo, LOGO / mm, f"{leaflet.school_name} logo")
    subtitle = doc.add_paragraph()
    wd.add_run(subtitle, leaflet.subtitle, bold=True)
    school = doc.add_paragraph()
    wd.add_run(school, leaflet.school_name, bold=True, size=size * 1.4, colour=accent)
    doc.add_paragraph(leaflet.attribution)
    facts = doc.add_paragraph()
    for i, part in enumerate(leaflet.footer.split(" · ")):
        if i:
            facts.add_run().add_break()
        wd.add_run(facts, part)
    doc.add_paragraph(leaflet.panel_heading, style="Heading 1")
    doc.add_paragraph(leaflet.panel_intro)
    wd.add_contacts(doc, leaflet, accent)
    for section in leaflet.sections:
        wd.add_section(doc, section, size, accent, italic_quotes=False)
    wd.footer(doc.sections[0], "")
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _large_print_floor(doc, size)
    return Rendered(wd.save(doc))


def _large_print_floor(doc, size: float) -> None:
    """Hold every style and run to the standard: no italics, nothing set smaller than the body text."""
    from docx.shared import Pt

    for style in doc.styles:
        font = getattr(style, "font", None)
        if font is None:
            continue
        if font.italic:
            font.italic = False
        if font.size is not None and font.size < Pt(size):
            font.size = Pt(size)
    parts = [doc, *(section.footer for section in doc.sections)]
    for part in parts:
        for para in _paragraphs(part):
            for run in para.runs:
                if run.italic:
                    run.italic = False
                if run.font.size is not None and run.font.size < Pt(size):
                    run.font.size = Pt(size)


def _paragraphs(part):
    yield from part.paragraphs
    for table in part.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)
