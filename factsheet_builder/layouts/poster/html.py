"""The poster as a web page: what the poster shows (who to talk to, with photos, the numbers, the steps and the
signs) and nothing more."""

from __future__ import annotations

from factsheet_builder.layouts import Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import html
from factsheet_builder.render.palette import Palette

PRINT_SIZE = {"A3": 17, "A4": 10.5}  # points: the page read from a step or two away, on its paper


def render(sheet: FactSheet, paper: str, palette: Palette) -> Rendered:
    """The poster's page (templates/html/poster.html.j2), printed on ``paper``."""
    style = html.Style(scale=100, measure="64rem", print_size=PRINT_SIZE[paper], paper=paper)
    return Rendered(html.page("poster", sheet, palette, style))
