"""The large-print copy as a web page: the whole leaflet in one column, at the layout's body size."""

from __future__ import annotations

from factsheet_builder.layouts import Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import html
from factsheet_builder.render.palette import Palette

READERS_DEFAULT = 12  # points: a browser's default text size (16 px)


def render(sheet: FactSheet, body_size: float, palette: Palette) -> Rendered:
    """The large-print page (templates/html/large-print.html.j2), its text ``body_size`` points on screen (a share
    of the reader's own default) and in print."""
    style = html.Style(scale=round(100 * body_size / READERS_DEFAULT, 2), measure="38rem", print_size=body_size)
    return Rendered(html.page("large-print", sheet, palette, style, sections=html.sections(sheet.sections)))
