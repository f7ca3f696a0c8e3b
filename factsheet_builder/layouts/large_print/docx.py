"""The large-print copy as a DOCX (python-docx): the shared blocks in large type, held to the UKAAF floors."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from factsheet_builder.cache import Cache
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.large_print.design import HEADING, KIND, LEADING, LOGO, MARGIN, TITLE
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as word
from factsheet_builder.render.palette import Palette
from factsheet_builder.render.units import MM


def render(sheet: FactSheet, size: float, palette: Palette, fonts: FontFamily, cache: Cache) -> Rendered:
    """The large-print copy as an editable DOCX, body text ``size`` points."""
    accent = palette.accent.hex
    doc = word.new_document(sheet, fonts, size, accent, KIND, margin_mm=MARGIN / MM, cache=cache)
    styles = doc.styles
    normal = styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(size), LEADING * 0.9  # Word's single spacing is already ~1.15 lines
    styles["Heading 2"].font.size = Pt(size * HEADING)
    styles["Heading 2"].paragraph_format.space_before = Pt(size * 0.6)
    styles["Heading 2"].paragraph_format.space_after = Pt(size * 0.5)
    styles["Heading 1"].font.size = Pt(size * TITLE)
    styles["List Bullet"].paragraph_format.space_after = Pt(size * 0.45)
    title = word.add_paragraph(doc, sheet.title, "Heading 1")
    if sheet.logo:
        word.floating_picture(title, sheet.logo, LOGO / MM, f"{sheet.school_name} logo")
    subtitle = doc.add_paragraph()
    word.add_run(subtitle, sheet.subtitle, bold=True)
    school = doc.add_paragraph()
    word.add_run(school, sheet.school_name, bold=True, size=size * HEADING, colour=accent)
    doc.add_paragraph(sheet.attribution)
    word.add_paragraph(doc, sheet.panel_heading, "Heading 2")
    doc.add_paragraph(sheet.panel_intro)
    word.add_contacts(doc, sheet, accent)
    for section in sheet.sections:
        word.add_section(doc, section, size, accent, fonts, italic_quotes=False)
    facts = doc.add_paragraph()  # the school, review date and content version: the document's last paragraph
    for i, part in enumerate(sheet.footer.split(" · ")):
        if i:
            facts.add_run().add_break()
        word.add_run(facts, part)
    word.footer(doc.sections[0], "")
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _large_print_floor(doc, size)
    return Rendered(word.save(doc))


def _large_print_floor(doc, size: float) -> None:
    """Hold every style and run to the standard: no italics, nothing set smaller than the body text."""
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
