"""The two-page A4 fact sheet: title band, two columns of content, the "Who to talk to" panel, a footer.

Its design is in ``design``, its PDF in ``pdf``, its DOCX in ``docx`` and its web page in ``html``; the DOCX is
set at the body size the PDF was fitted to. The drawing modules are imported when first used, so that listing
layouts or building others costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factsheet_builder.layouts import DEFAULT_ACCENT, AccentColour, Layout, Rendered
from factsheet_builder.layouts.leaflet.design import DOCX_FLOOR, DOCX_SHRINK
from factsheet_builder.model import FactSheet

if TYPE_CHECKING:
    from factsheet_builder.layouts.leaflet.pdf import Fit


class LeafletLayout(Layout["Fit"]):
    """Two A4 pages: content in two columns, this school's contacts prominent on page 1."""

    name = "leaflet"
    description = "Two-page A4 fact sheet for staff (the canonical leaflet)"
    page_size = "A4"
    formats = ("pdf", "docx", "html")
    pages = 2
    tagged = True
    options = {
        "accent_colour": AccentColour("Colour of the title band, headings and rules.", default=DEFAULT_ACCENT),
    }

    def fit(self, sheet: FactSheet) -> Fit:
        from factsheet_builder.layouts.leaflet import pdf

        return pdf.fit(sheet, self.palette, self.fonts, self.cache)

    def surely_fits(self, sheet: FactSheet) -> bool:
        """True only when ``fit(sheet)`` would pass, found more cheaply than fitting (``pdf.surely_fits``): for
        checking many schools, such as a long roster's. False when that is not known so, and for a layout made from
        this one, whose fit may differ."""
        from factsheet_builder.layouts.leaflet import pdf

        return type(self) is LeafletLayout and pdf.surely_fits(sheet, self.palette, self.fonts, self.cache)

    def render_pdf(self, sheet: FactSheet, fit: Fit) -> Rendered:
        from factsheet_builder.layouts.leaflet import pdf
        from factsheet_builder.render import qr

        qr.remember(self.cache, sheet.sections)
        return pdf.render(sheet, self.palette, self.fonts, fit)

    def render_docx(self, sheet: FactSheet, fit: Fit) -> Rendered:
        from factsheet_builder.layouts.leaflet import docx

        size = max(DOCX_FLOOR, fit.size - DOCX_SHRINK)
        return docx.render(sheet, self.palette, size, self.fonts, fit.form, fit.spacing, self.cache)

    def render_html(self, sheet: FactSheet, fit: Fit) -> Rendered:
        from factsheet_builder.layouts.leaflet import html

        return html.render(sheet, self.palette)
