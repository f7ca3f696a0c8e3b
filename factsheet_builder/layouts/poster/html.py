"""The poster as a web page: what the poster shows (who to talk to, with photos, the numbers, the steps and the
signs) and nothing more."""

from __future__ import annotations

from math import ceil

from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.poster.design import Scale, cards, shown_lists
from factsheet_builder.model import FactSheet, Person
from factsheet_builder.render import html
from factsheet_builder.render.palette import Palette

PRINT_SIZE = {"A3": 16, "A4": 10}  # points: the page read from a step or two away, on its paper
PRINT_COLUMNS = 3  # cards of the team to a row, printed
PRINT_SHRINK = 0.85  # the printed type for each row of the team past two, so that a large team keeps to one page


def render(sheet: FactSheet, paper: str, palette: Palette, scale: Scale) -> Rendered:
    """The poster's page (templates/html/poster.html.j2), printed on ``paper``: the cards and the lists of the
    poster's PDF fitted at ``scale``, so that the page says what the poster says. Its printed type shrinks for each
    row of the team past two, the rows counted by person too: people without numbers joined on one card
    (``panel_people``) take about the lines they would on cards of their own."""
    team = cards(sheet.panel_people, scale)
    rows = max(ceil(len(sheet.people) / PRINT_COLUMNS), printed_rows(team))
    size = round(PRINT_SIZE[paper] * PRINT_SHRINK ** max(0, rows - 2), 1)
    style = html.Style(scale=100, measure="64rem", print_size=size, paper=paper)
    steps, signs = shown_lists(sheet, scale)
    return Rendered(
        html.page("poster", sheet, palette, style, columns=PRINT_COLUMNS, cards=team, steps=steps, signs=signs)
    )


def printed_rows(team: list[tuple[Person, ...]]) -> int:
    """The rows of people the printed page has: cards of one person ``PRINT_COLUMNS`` to a row, and a card that
    neighbours of one role share on rows of its own, as wide as the page, its people as many to a row."""
    rows, alone = 0, 0
    for card in team:
        if len(card) == 1:
            alone += 1
        else:
            rows += ceil(alone / PRINT_COLUMNS) + ceil(len(card) / PRINT_COLUMNS)
            alone = 0
    return rows + ceil(alone / PRINT_COLUMNS)
