"""A contact card: one A5 page of who to talk to, in PDF and DOCX. An example of a workspace layout."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from factsheet_builder.config.fields import Number
from factsheet_builder.layouts import AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as word
from factsheet_builder.render import pdf
from factsheet_builder.render.pdf import esc
from factsheet_builder.render.tagging import Tag, tag


class ContactCard(Layout):
    """The school's safeguarding team and the agencies' numbers on one A5 card."""

    name = "contact-card"
    description = "One A5 card: who to talk to and the agencies' numbers"
    page_size = "A5"
    formats = ("pdf", "docx")
    pages = 1  # the build refuses a longer PDF
    tagged = True  # everything it draws is a shared block or tagged below (docs/tagging.md)
    options = {
        "accent_colour": AccentColour("Colour of the headings and labels.", default="#0b6e4f"),
        "text_size": Number("Text size in points.", 8, 12, default=9),
    }

    def render_pdf(self, sheet: FactSheet, fit: None) -> Rendered:
        styles = pdf.styles(self.fonts, float(self.options["text_size"]), self.palette)
        doc = SimpleDocTemplate(None, pagesize=A5, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                                bottomMargin=12 * mm)
        pdf.metadata(doc, sheet, "contact card")
        story = [
            tag(Paragraph(esc(sheet.school_name), styles.heading), Tag("H1")),
            tag(Paragraph(esc(f"{sheet.panel_heading}: {sheet.panel_intro}"), styles.body), Tag("P")),
            *pdf.contact_flowables(sheet, styles, self.palette),
        ]
        data, pages = pdf.build(doc, story)
        return Rendered(data, pages)

    def render_docx(self, sheet: FactSheet, fit: None) -> Rendered:
        accent, size = self.palette.accent.hex, float(self.options["text_size"])
        doc = word.new_document(
            sheet, self.fonts, size, accent, "contact card", page=(148, 210), margin_mm=12, cache=self.cache
        )
        doc.add_paragraph(sheet.school_name, style="Heading 1")
        doc.add_paragraph(f"{sheet.panel_heading}: {sheet.panel_intro}")
        word.add_contacts(doc, sheet, accent)
        return Rendered(word.save(doc))
