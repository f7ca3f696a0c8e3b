"""The type of the leaflet's "Who to talk to" panel (sizes, faces, styles), and the head and the agencies' row of the leaflet's "Who to talk to" panel, for one arrangement of it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from factsheet_builder.fonts import FontFamily
from factsheet_builder.model import FactSheet
from factsheet_builder.render import breaks, nobreak
from factsheet_builder.render.palette import WHITE, Colour, Palette
from factsheet_builder.render.pdf import address_link, colour, esc
from factsheet_builder.render.tagging import Tag, cell, tag

# Type sizes at scale 1 and their floors: (face, size, floor). Names, numbers and emails never go below 9 pt.
TYPE = {
    "heading": ("bold", 14, 11),
    "intro": ("regular", 9.5, 8),
    "role": ("regular", 9, 8),
    "name": ("bold", 10.5, 9),
    "phone": ("bold", 10.5, 9),
    "email": ("regular", 10, 9),
    "label": ("bold", 9, 8),
    "number": ("bold", 11, 9),
}
SCALES = (1.0, 0.9, 0.8)
LEADING = 1.18
# The stacked form (two lines a person, a rule between people) is set a little closer: its leading, and the padding
# above and below each row at scale 1 (below, room for the descenders of the email line above the rule)
STACKED_LEADING, STACKED_PAD = 1.12, (0.8, 2.0)
RANK = -1  # the panel is read after the title band and before the columns, whenever it is drawn
PAD = 4.0  # points of padding on each side of a cell, at scale 1
ROLE_SHARES = (0.12, 0.15, 0.18, 0.21)  # of the width, for the role column when people are one to a row
NAME_SHARES = tuple(share / 20 for share in range(6, 15))  # of what roles and phones leave, for the names


FORMS = ("row", "cards", "stacked", "wide")  # between panels of one height, the first is preferred
CLOSE = ("stacked", "wide")  # the forms of two or more lines a person: set closer, with a rule between people


@dataclass(frozen=True)
class Arrangement:
    """How the team is set: its form (one of FORMS) and the type scale."""

    form: str
    scale: float


class PanelType:
    """The type of one arrangement of the panel: sizes, faces, styles and broken text, for a panel ``width`` wide."""

    def __init__(
        self, sheet: FactSheet, arrangement: Arrangement, fonts: FontFamily, palette: Palette, width: float
    ) -> None:
        self.sheet, self.arrangement, self.fonts, self.palette, self.width = sheet, arrangement, fonts, palette, width
        self.contacts = Tag(
            "Table", rank=RANK
        )  # one table of the team and the agencies, each row headed by role or agency

    def size(self, key: str) -> float:
        """The type size of ``key`` in this arrangement."""
        _, size, floor = TYPE[key]
        return max(size * self.arrangement.scale, floor)

    def font(self, key: str) -> str:
        """The face of ``key``."""
        return self.fonts.faces[TYPE[key][0]]

    def style(self, key: str, ink: Colour | None = None) -> ParagraphStyle:
        """The paragraph style of ``key``, in ``ink`` (the palette's ink by default)."""
        return _style(self.font(key), self.size(key), colour(ink or self.palette.ink), self.leading)

    @property
    def leading(self) -> float:
        """The line spacing of this arrangement, as a multiple of the type size."""
        return STACKED_LEADING if self.arrangement.form in CLOSE else LEADING

    def text(self, key: str, value: str, width: float, ink: Colour | None = None) -> Paragraph:
        """``value`` broken at its natural points to fit a cell ``width`` wide (a phone number is never broken)."""
        pad = 2 * PAD * self.arrangement.scale
        if key == "phone":
            return Paragraph(esc(nobreak(value)), self.style(key, ink))
        markup = breaks.markup(value, self.font(key), self.size(key), width - pad)
        return Paragraph(address_link(value, markup), self.style(key, ink))


@lru_cache(maxsize=128)
def _style(font: str, size: float, ink, leading: float) -> ParagraphStyle:
    return ParagraphStyle(
        f"panel-{font}-{size}", fontName=font, fontSize=size, leading=size * leading, textColor=ink, splitLongWords=0
    )


def head(panel: PanelType) -> Table:
    """The heading, with the intro beside it when both fit one line, else under it."""
    s = panel.arrangement.scale
    heading = tag(Paragraph(esc(panel.sheet.panel_heading), panel.style("heading", WHITE)), Tag("H2", rank=RANK))
    intro = tag(Paragraph(esc(panel.sheet.panel_intro), panel.style("intro", WHITE)), Tag("P", rank=RANK))
    heading_w = stringWidth(panel.sheet.panel_heading, panel.font("heading"), panel.size("heading")) + 3 * PAD * s
    beside = (
        heading_w + stringWidth(panel.sheet.panel_intro, panel.font("intro"), panel.size("intro"))
        <= panel.width - 2 * PAD * s - 2
    )
    head = Table(
        [[heading, intro]] if beside else [[heading], [intro]],
        colWidths=[heading_w, panel.width - heading_w] if beside else [panel.width],
    )
    head.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), panel.font("intro")),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD * s + 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return head


def agencies(panel: PanelType) -> Table:
    s = panel.arrangement.scale
    agencies = panel.sheet.agencies
    widths = _agency_widths(panel)
    cells = []
    for agency, cell_w in zip(agencies, widths):
        lines = []
        for caption, value in agency.lines:
            if breaks.is_address(value):
                markup = breaks.markup(value, panel.font("number"), panel.size("number"), cell_w - 2 * PAD * s)
                lines.append(address_link(value, markup))
            else:
                lines.append(f"{esc(caption)} {esc(nobreak(value))}".strip())
        row = Tag("TR", panel.contacts)
        span = 3 if panel.arrangement.form in ("row", "wide") else 1  # as wide as a person's row of the table
        cells.append(
            [
                tag(Paragraph(esc(agency.label), panel.style("label", panel.palette.accent)), cell(row, "Row")),
                tag(Paragraph("<br/>".join(lines), panel.style("number")), cell(row, span=span)),
            ]
        )
    table = Table([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), panel.font("label")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.6, colour(panel.palette.accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD * s + 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD * s - 1),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5 * s),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5 * s),
            ]
        )
    )
    return table


def _agency_widths(panel: PanelType) -> list[float]:
    """Each agency's share of the width, in proportion to its label and numbers on one line each."""
    pad = 2 * PAD * panel.arrangement.scale
    wanted = []
    for agency in panel.sheet.agencies:
        lines = [stringWidth(agency.label, panel.font("label"), panel.size("label"))]
        lines += [
            stringWidth(f"{caption} {value}".strip(), panel.font("number"), panel.size("number"))
            for caption, value in agency.lines
            if not breaks.is_address(value)
        ]
        wanted.append(max(lines) + pad)
    return [panel.width * share / sum(wanted) for share in wanted]
