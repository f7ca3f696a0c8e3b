"""A contact card: one A5 page of who to talk to, in PDF and DOCX. An example of a workspace layout."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from factsheet_builder.config.fields import Number
from factsheet_builder.layouts import AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx as wd
from factsheet_builder.render import pdf
from factsheet_builder.render.pdf import esc


class ContactCard(Layout):
    """The school's safeguarding team and the agencies' numbers on one A5 card."""

    name = "contact-card"
    description = "One A5 card: who to talk to and the agencies' numbers"
    page_size = "A5"
    formats = ("pdf", "docx")
    pages = 1  # the build refuses a PDF of any other length
    options = {
        "accent_colour": AccentColour("Colour of the headings and labels.", default="#0b6e4f"),
        "text_size": Number("Text size in points.", 8, 12, default=9),
    }

    def render_pdf(self, leaflet: FactSheet) -> Rendered:
        palette = pdf.Palette.from_accent(self.options["accent_colour"])
        st = pdf.styles(self.fonts, float(self.options["text_size"]), palette)
        doc = SimpleDocTemplate(None, pagesize=A5, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                                bottomMargin=12 * mm)
        pdf.metadata(doc, leaflet, "contact card")
        story = [
            Paragraph(esc(leaflet.school_name), st.heading),
            Paragraph(esc(f"{leaflet.panel_heading}: {leaflet.panel_intro}"), st.body),
            *pdf.contact_flowables(leaflet, st, palette),
        ]
        data, pages = pdf.build(doc, story)
        return Rendered(data, pages)

    def render_docx(self, leaflet: FactSheet) -> Rendered:
        accent, size = self.options["accent_colour"], float(self.options["text_size"])
        doc = wd.new_document(leaflet, self.fonts, size, accent, "contact card", page=(148, 210), margin_mm=12)
        doc.add_paragraph(leaflet.school_name, style="Heading 1")
        doc.add_paragraph(f"{leaflet.panel_heading}: {leaflet.panel_intro}")
        wd.add_contacts(doc, leaflet, accent)
        return Rendered(wd.save(doc))
