"""The poster's small pieces: its paragraph styles, step badges, and grids of cards with gutters."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts.poster.design import (
    Scale,
)
from factsheet_builder.render import breaks
from factsheet_builder.render.palette import INK, WHITE, Colour
from factsheet_builder.render.pdf import Grid, colour


class Badge(Flowable):
    """A step number in a filled circle."""

    def __init__(self, text: str, diameter: float, font: str, fill) -> None:
        super().__init__()
        self.text, self.diameter, self.font, self.fill = text, diameter, font, fill

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.diameter, self.diameter

    def draw(self) -> None:
        radius = self.diameter / 2
        self.canv.setFillColor(self.fill)
        self.canv.circle(radius, radius, radius, stroke=0, fill=1)
        self.canv.setFillColor(colour(WHITE))
        self.canv.setFont(self.font, self.diameter * 0.55)
        self.canv.drawCentredString(radius, self.diameter * 0.3, self.text)


def poster_style(
    scale: Scale, fonts: FontFamily, key: str, face: str = "regular", ink: Colour = INK, leading: float = 1.18, **kw
) -> ParagraphStyle:
    size = scale.pt(key)
    return ParagraphStyle(
        f"poster-{key}-{face}",
        fontName=fonts.faces[face],
        fontSize=size,
        leading=size * leading,
        textColor=colour(ink),
        splitLongWords=0,
        **kw,
    )


def broken(text: str, style: ParagraphStyle, width: float) -> str:
    """A name or address as markup, broken at its natural points to fit ``width`` (never mid-word)."""
    return breaks.markup(text, style.fontName, style.fontSize, width)


def grid(cells: list[list[Flowable]], columns: int, width: float, gutter: float, commands, font: str) -> Table:
    """Cells laid out ``columns`` to a row with gutters between them; ``commands(row, col)`` styles each cell."""
    cell_w = (width - gutter * (columns - 1)) / columns
    rows: list[list] = []
    style: list = [("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i in range(0, len(cells), columns):
        if rows:
            rows.append([""] * (2 * columns - 1))
        row: list[Flowable | str] = []
        for j in range(columns):
            if j:
                row.append("")
            if i + j < len(cells):
                row.append(cells[i + j])
                style += commands(len(rows), 2 * j)
            else:
                row.append("")
        rows.append(row)
    widths = [cell_w if j % 2 == 0 else gutter for j in range(2 * columns - 1)]
    heights = [gutter if i % 2 else None for i in range(len(rows))]
    table = Grid(rows, colWidths=widths, rowHeights=heights)
    style += [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    style += [
        cmd
        for r in range(len(rows))
        for c in range(2 * columns - 1)
        if (r % 2 == 0 and c % 2 == 0 and rows[r][c] != "")
        for cmd in padding(r, c, gutter * 0.6)
    ]
    table.setStyle(TableStyle(style))
    return table


def padding(r: int, c: int, pad: float) -> list:
    return [(side, (c, r), (c, r), pad) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
