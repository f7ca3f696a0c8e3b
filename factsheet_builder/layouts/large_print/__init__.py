"""The large-print copy: all the content and contacts in one column of large type, to the UKAAF standard.

As many A4 pages as the text needs. Its design is in ``design``, its PDF in ``pdf``, its DOCX in ``docx`` and its
web page in ``html``; the drawing modules are imported when first used.
"""

from __future__ import annotations

from factsheet_builder.config.fields import Number
from factsheet_builder.layouts import DEFAULT_ACCENT, AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet


class LargePrintLayout(Layout[None]):
    """All of the leaflet in large print on as many A4 pages as it needs."""

    name = "large-print"
    description = "Large-print A4 copy of the whole leaflet (UKAAF standard: 18 pt, one column)"
    page_size = "A4"
    formats = ("pdf", "docx", "html")
    pages = None
    tagged = True
    options = {
        "body_size": Number(
            "Body text size in points (UKAAF large print: at least 16, ideally 18).", 16, 28, default=18
        ),
        "accent_colour": AccentColour("Colour of the headings, labels and rules.", default=DEFAULT_ACCENT),
    }

    def render_pdf(self, sheet: FactSheet, fit: None) -> Rendered:
        from factsheet_builder.layouts.large_print import pdf
        from factsheet_builder.render import qr

        qr.remember(self.cache, sheet.sections)
        return pdf.render(sheet, float(self.options["body_size"]), self.palette, self.fonts)

    def render_docx(self, sheet: FactSheet, fit: None) -> Rendered:
        from factsheet_builder.layouts.large_print import docx

        return docx.render(sheet, float(self.options["body_size"]), self.palette, self.fonts, self.cache)

    def render_html(self, sheet: FactSheet, fit: None) -> Rendered:
        from factsheet_builder.layouts.large_print import html

        return html.render(sheet, float(self.options["body_size"]), self.palette)
