"""The leaflet as a web page: its title band, who to talk to (the team as the panel lists it) and every section."""

from __future__ import annotations

from factsheet_builder.layouts import Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import html
from factsheet_builder.render.palette import Palette

# Printed, its sections run in two columns at near the leaflet's body size
STYLE = html.Style(scale=100, measure="46rem", print_size=10)


def render(sheet: FactSheet, palette: Palette) -> Rendered:
    """The leaflet's page (templates/html/leaflet.html.j2)."""
    return Rendered(html.page("leaflet", sheet, palette, STYLE, sections=html.sections(sheet.sections)))
