"""The staffroom poster: one A3 (or A4) page that can be read from two metres (design, PDF and DOCX modules)."""

from __future__ import annotations

from factsheet_builder.config.fields import Choice
from factsheet_builder.layouts import AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet


class PosterLayout(Layout):
    """One page for the staffroom noticeboard."""

    name = "poster"
    description = "One-page staffroom poster: who to talk to, with photos, numbers, steps and warning signs"
    page_size = "A3"
    formats = ("pdf", "docx")
    pages = 1
    options = {
        "paper": Choice("Paper size: A3 for the noticeboard, or A4.", ("A3", "A4"), default="A3"),
        "accent_colour": AccentColour("Colour of the title band, headings and rules.", default="#1d4f91"),
    }

    @classmethod
    def describe_page_size(cls) -> str:
        return "A3 (or A4)"

    def render_pdf(self, leaflet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.poster import pdf as poster_pdf

        return poster_pdf.render(leaflet, self.options["paper"], self.options["accent_colour"], self.fonts)

    def render_docx(self, leaflet: FactSheet) -> Rendered:
        from factsheet_builder.layouts.poster import docx as poster_docx

        return poster_docx.render(leaflet, self.options["paper"], self.options["accent_colour"], self.fonts)
