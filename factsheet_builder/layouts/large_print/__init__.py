"""The large-print copy: all the content and contacts in one column of large type (design, PDF and DOCX modules)."""

from __future__ import annotations

from factsheet_builder.config.fields import Number
from factsheet_builder.layouts import AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet


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
        from factsheet_builder.layouts.large_print.pdf import _pdf

        return _pdf(leaflet, float(self.options["body_size"]), self.options["accent_colour"], self)

    def render_docx(self, leaflet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.large_print.docx import _docx

        return _docx(leaflet, float(self.options["body_size"]), self.options["accent_colour"], self)
