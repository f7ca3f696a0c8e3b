"""The poster as a web page: what the poster shows (who to talk to, with photos, the numbers, the steps and the
signs) and nothing more."""

from __future__ import annotations

from math import ceil

from factsheet_builder.layouts import Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.render import html
from factsheet_builder.render.palette import Palette

PRINT_SIZE = {"A3": 16, "A4": 10}  # points: the page read from a step or two away, on its paper
PRINT_COLUMNS = 3  # cards of the team to a row, printed
PRINT_SHRINK = 0.85  # the printed type for each row of the team past two, so that a large team keeps to one page


def render(sheet: FactSheet, paper: str, palette: Palette) -> Rendered:
    """The poster's page (templates/html/poster.html.j2), printed on ``paper``."""
    rows = ceil(len(sheet.people) / PRINT_COLUMNS)
    size = round(PRINT_SIZE[paper] * PRINT_SHRINK ** max(0, rows - 2), 1)
    style = html.Style(scale=100, measure="64rem", print_size=size, paper=paper)
    return Rendered(html.page("poster", sheet, palette, style, columns=PRINT_COLUMNS))
