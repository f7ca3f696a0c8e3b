"""The staffroom poster: one A3 (or A4) page that can be read from two metres.

"Worried about a child?", the school's safeguarding team in large type (with a photo each where the config
gives one), the agencies' numbers, what to do and the key warning signs. Its design is in ``design``, its PDF in
``pdf``, its DOCX in ``docx`` and its web page in ``html``; the DOCX is set at the type scale the PDF was fitted
to. The drawing modules are imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factsheet_builder.config.fields import Choice
from factsheet_builder.layouts import DEFAULT_ACCENT, AccentColour, Layout, Rendered
from factsheet_builder.layouts.poster.design import DOCX_SHRINK
from factsheet_builder.model import FactSheet

if TYPE_CHECKING:
    from factsheet_builder.layouts.poster.blocks import Poster

PosterFit = tuple["Poster", list[float]]  # the poster at the scale that fits, and the heights of its blocks


class PosterLayout(Layout[PosterFit]):
    """One page for the staffroom noticeboard."""

    name = "poster"
    description = "One-page staffroom poster: who to talk to, with photos, numbers, steps and warning signs"
    page_size = "A3"
    formats = ("pdf", "docx", "html")
    pages = 1
    tagged = True
    options = {
        "paper": Choice("Paper size: A3 for the noticeboard, or A4.", ("A3", "A4"), default="A3"),
        "accent_colour": AccentColour("Colour of the title band, headings and rules.", default=DEFAULT_ACCENT),
    }

    @classmethod
    def describe_page_size(cls) -> str:
        return "A3 (or A4)"

    def fit(self, sheet: FactSheet) -> PosterFit:
        from factsheet_builder.layouts.poster import pdf

        return pdf.fit(sheet, self.options["paper"], self.fonts, self.palette)

    def render_pdf(self, sheet: FactSheet, fit: PosterFit) -> Rendered:
        from factsheet_builder.layouts.poster import pdf

        return pdf.render(sheet, self.options["paper"], self.palette, self.fonts, fit)

    def render_docx(self, sheet: FactSheet, fit: PosterFit) -> Rendered:
        from factsheet_builder.layouts.poster import docx

        return docx.render(sheet, fit[0].scale.shrunk(DOCX_SHRINK), self.palette, self.fonts, self.cache)

    def render_html(self, sheet: FactSheet, fit: PosterFit) -> Rendered:
        from factsheet_builder.layouts.poster import html

        return html.render(sheet, self.options["paper"], self.palette, fit[0].scale)
