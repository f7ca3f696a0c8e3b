"""The two-page A4 fact sheet: title band, two columns of content, the "Who to talk to" panel, a footer.

Its design is in ``design``, its PDF in ``pdf``, its DOCX in ``docx`` and its web page in ``html``; the DOCX is
set at the body size the PDF was fitted to. The drawing modules are imported when first used, so that listing
layouts or building others costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factsheet_builder.config.fields import Colour
from factsheet_builder.layouts import DEFAULT_ACCENT, Layout, Rendered
from factsheet_builder.layouts.leaflet.design import DOCX_FLOOR, DOCX_SHRINK
from factsheet_builder.model import FactSheet

if TYPE_CHECKING:
    from factsheet_builder.layouts.leaflet.pdf import Fit


class LeafletLayout(Layout):
    """Two A4 pages: content in two columns, this school's contacts prominent on page 1."""

    name = "leaflet"
    description = "Two-page A4 fact sheet for staff (the canonical leaflet)"
    page_size = "A4"
    formats = ("pdf", "docx", "html")
    pages = 2
    tagged = True
    options = {
        "accent_colour": Colour("Colour of the title band, headings and rules.", default=DEFAULT_ACCENT),
    }

    # the last sheet fitted or drawn as a PDF, and its fit (with the parts measured for it until a PDF draws them)
    _fitted: tuple[FactSheet, Fit] | None = None

    def check_fit(self, sheet: FactSheet) -> None:
        from factsheet_builder.layouts.leaflet import pdf

        self._fitted = (sheet, pdf.fit(sheet, self.palette, self.fonts))

    def render_pdf(self, sheet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import pdf

        rendered, fitted = pdf.render(sheet, self.palette, self.fonts, self._fit_of(sheet))
        self._fitted = (sheet, fitted)
        return rendered

    def render_docx(self, sheet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import docx, pdf

        fitted = self._fit_of(sheet) or pdf.fit(sheet, self.palette, self.fonts)
        size = max(DOCX_FLOOR, fitted.size - DOCX_SHRINK)
        return docx.render(sheet, self.palette, size, self.fonts, fitted.form, fitted.spacing)

    def render_html(self, sheet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import html

        return html.render(sheet, self.palette)

    def _fit_of(self, sheet: FactSheet) -> Fit | None:
        """The fit of ``sheet`` if it was just checked or drawn (the build checks each school's fit first)."""
        return self._fitted[1] if self._fitted and self._fitted[0] is sheet else None
