"""DOCX drawing of the large-print layout (python-docx)."""

from __future__ import annotations

from reportlab.lib.units import mm

from factsheet_builder.layouts import Layout, Rendered
from factsheet_builder.layouts.large_print.pdf import KIND, LEADING, LOGO, MARGIN
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as wd


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
    tagline = doc.add_paragraph()
    wd.add_run(tagline, leaflet.tagline, bold=True)
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
