"""The two-page A4 fact sheet: title band, two columns of content, the "Who to talk to" panel, a footer."""

from __future__ import annotations

from factsheet_builder.config.fields import Colour
from factsheet_builder.layouts import Layout, Rendered
from factsheet_builder.model import FactSheet


class LeafletLayout(Layout):
    """Two A4 pages: content in two columns, this school's contacts prominent on page 1."""

    name = "leaflet"
    description = "Two-page A4 fact sheet for staff (the canonical leaflet)"
    page_size = "A4"
    formats = ("pdf", "docx")
    pages = 2
    options = {
        "accent_colour": Colour("Colour of the title band, headings and rules.", default="#1d4f91"),
    }

    def check_fit(self, leaflet: FactSheet) -> None:
        from factsheet_builder.layouts.leaflet import pdf as leaflet_pdf
        from factsheet_builder.render.pdf import Palette

        leaflet_pdf.school_parts(leaflet, Palette.from_accent(self.options["accent_colour"]), self.fonts)

    def render_pdf(self, leaflet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import pdf as leaflet_pdf

        return leaflet_pdf.render(leaflet, self.options["accent_colour"], self.fonts)

    def render_docx(self, leaflet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import docx as leaflet_docx

        return leaflet_docx.render(leaflet, self.options["accent_colour"], self.fonts)
