"""The two-page A4 fact sheet: title band, two columns of content, the "Who to talk to" panel, a footer.

Its design is in ``design``, its PDF in ``pdf`` and its DOCX in ``docx``; the DOCX is set at the body size the PDF
was fitted to. The drawing modules are imported when first used, so that listing layouts or building others costs
nothing.
"""

from __future__ import annotations

from factsheet_builder.config.fields import Colour
from factsheet_builder.layouts import DEFAULT_ACCENT, Layout, Rendered
from factsheet_builder.layouts.leaflet.design import DOCX_FLOOR, DOCX_SHRINK
from factsheet_builder.model import FactSheet


class LeafletLayout(Layout):
    """Two A4 pages: content in two columns, this school's contacts prominent on page 1."""

    name = "leaflet"
    description = "Two-page A4 fact sheet for staff (the canonical leaflet)"
    page_size = "A4"
    formats = ("pdf", "docx")
    pages = 2
    tagged = True
    options = {
        "accent_colour": Colour("Colour of the title band, headings and rules.", default=DEFAULT_ACCENT),
    }

    # the last sheet fitted or drawn as a PDF, its body size and whether its panel is stacked
    _fitted: tuple[FactSheet, tuple[float, bool]] | None = None

    def check_fit(self, sheet: FactSheet) -> None:
        from factsheet_builder.layouts.leaflet import pdf

        self._fitted = (sheet, pdf.docx_fit(sheet, self.palette, self.fonts))

    def render_pdf(self, sheet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import pdf

        rendered, fit = pdf.render(sheet, self.palette, self.fonts)
        self._fitted = (sheet, fit)
        return rendered

    def render_docx(self, sheet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.leaflet import docx, pdf

        # the fit of the same sheet, checked or drawn as a PDF just before, has measured the school's parts
        fitted = self._fitted[1] if self._fitted and self._fitted[0] is sheet else None
        size, stacked = fitted if fitted is not None else pdf.docx_fit(sheet, self.palette, self.fonts)
        return docx.render(sheet, self.palette, max(DOCX_FLOOR, size - DOCX_SHRINK), self.fonts, stacked)
