"""The type of the leaflet's "Who to talk to" panel (sizes, faces, styles), and the head and the agencies' row of the leaflet's "Who to talk to" panel, for one arrangement of it."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from factsheet_builder.cache import Cache
from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts.leaflet.design import CLOSE
from factsheet_builder.model import Agency, FactSheet
from factsheet_builder.render import breaks, leading_for, nobreak
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
ROW_PAD = (2.2, 2.2)  # the padding above and below each person's row at scale 1
# The forms of two lines a person (a rule between people) are set a little closer: their leading, and the padding
# above and below each row (below, room for the descenders of the email line above the rule)
STACKED_LEADING, STACKED_PAD = 1.12, (0.8, 2.0)
# ...and for the biggest teams, whose panel leaves the text near its floor, closer still
TIGHT_LEADING, TIGHT_PAD = 1.08, (0.5, 2.0)
EDGE_PAD, TIGHT_EDGE_PAD = 3.5, 2.5  # above and below the heading and the agencies, at scale 1
RANK = -1  # the panel is read after the title band and before the columns, whenever it is drawn
PAD = 4.0  # points of padding on each side of a cell, at scale 1
ROLE_SHARES = (0.12, 0.15, 0.18, 0.21)  # of the width, for the role column when people are one to a row
NAME_SHARES = tuple(share / 20 for share in range(6, 15))  # of what roles and phones leave, for the names


@dataclass(frozen=True)
class Arrangement:
    """How the team is set: its form (one of FORMS), the type scale, and whether it is set tight (the closer forms
    for the biggest teams)."""

    form: str
    scale: float
    tight: bool = False


class PanelType:
    """The type of one arrangement of the panel: sizes, faces, styles and broken text, for a panel ``width`` wide."""

    def __init__(
        self,
        sheet: FactSheet,
        arrangement: Arrangement,
        fonts: FontFamily,
        palette: Palette,
        width: float,
        cache: Cache | None = None,
    ) -> None:
        self.sheet, self.arrangement, self.fonts, self.palette, self.width = sheet, arrangement, fonts, palette, width
        self.cache = cache if cache is not None else Cache()  # what is the same for every school: the agencies' rows
        self.contacts = Tag(
            "Table", rank=RANK
        )  # one table of the team and the agencies, each row headed by role or agency
        # asked for thousands of times while the panel is measured: worked out once
        faces = fonts.faces
        self.sizes = {key: max(size * arrangement.scale, floor) for key, (_, size, floor) in TYPE.items()}
        self.faces = {key: faces[face] for key, (face, _, _) in TYPE.items()}
        self.name_spacing: dict[str, float] = {}  # of each name of this team

    def size(self, key: str) -> float:
        """The type size of ``key`` in this arrangement."""
        return self.sizes[key]

    def font(self, key: str) -> str:
        """The face of ``key``."""
        return self.faces[key]

    def style(self, key: str, ink: Colour | None = None, value: str = "") -> ParagraphStyle:
        """The paragraph style of ``key``, in ``ink`` (the palette's ink by default), for ``value`` (a name holding
        an accented capital has its lines further apart)."""
        return _style(self.font(key), self.size(key), colour(ink or self.palette.ink), self.line_spacing(key, value))

    def line_spacing(self, key: str, value: str) -> float:
        """The line spacing of ``value`` set as ``key``, as a multiple of its size."""
        if key != "name":
            return self.leading
        if value not in self.name_spacing:
            self.name_spacing[value] = leading_for(value, self.leading)
        return self.name_spacing[value]

    @property
    def edge(self) -> float:
        """The padding above and below the heading and the agencies in this arrangement, in points."""
        return (TIGHT_EDGE_PAD if self.arrangement.tight else EDGE_PAD) * self.arrangement.scale

    @property
    def leading(self) -> float:
        """The line spacing of this arrangement, as a multiple of the type size."""
        if self.arrangement.form not in CLOSE:
            return LEADING
        return TIGHT_LEADING if self.arrangement.tight else STACKED_LEADING

    @property
    def row_pad(self) -> tuple[float, float]:
        """The padding above and below each person's row in this arrangement, in points."""
        top, bottom = (
            ROW_PAD if self.arrangement.form not in CLOSE else TIGHT_PAD if self.arrangement.tight else STACKED_PAD
        )
        return top * self.arrangement.scale, bottom * self.arrangement.scale

    def text(self, key: str, value: str, width: float, ink: Colour | None = None) -> Paragraph:
        """``value`` broken at its natural points to fit a cell ``width`` wide (a phone number is never broken)."""
        pad, style = 2 * PAD * self.arrangement.scale, self.style(key, ink, value)
        if key == "phone":
            return Paragraph(esc(nobreak(value)), style)
        if key == "email":
            return Paragraph(self.address(value, key, width), style)
        return Paragraph(breaks.markup(value, self.font(key), self.size(key), width - pad), style)

    def address(self, value: str, key: str, width: float) -> str:
        """An email (or web) address as paragraph markup in the face and size of ``key``, broken at its natural
        points to fit a cell ``width`` wide, and a link to it: every address the panel prints is made here."""
        markup = breaks.markup(value, self.font(key), self.size(key), width - 2 * PAD * self.arrangement.scale)
        return address_link(value, markup)


class Beneath(Flowable):
    """A line across a row (the wide form's name) above the row's header cell and the rest of its cells, drawn
    header first: a table's row is read in the order it is drawn, and its header comes first."""

    def __init__(self, line: Flowable, header: Flowable, rest: Flowable, header_w: float) -> None:
        super().__init__()
        self.line, self.header, self.rest, self.header_w = line, header, rest, header_w

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.line_h = self.line.wrap(avail_width, avail_height)[1]
        self.header_h = self.header.wrap(self.header_w, avail_height)[1]
        self.rest_h = self.rest.wrap(avail_width - self.header_w, avail_height)[1]
        self.height = self.line_h + max(self.header_h, self.rest_h)
        return self.width, self.height

    def draw(self) -> None:
        below = self.height - self.line_h  # the top of the cells under the line
        self.header.drawOn(self.canv, 0, below - self.header_h)
        self.line.drawOn(self.canv, 0, below)
        self.rest.drawOn(self.canv, self.header_w, below - self.rest_h)


@lru_cache(maxsize=128)
def _style(font: str, size: float, ink, leading: float) -> ParagraphStyle:
    return ParagraphStyle(
        f"panel-{font}-{size}", fontName=font, fontSize=size, leading=size * leading, textColor=ink, splitLongWords=0
    )


def head(panel: PanelType) -> Table:
    """The heading, with the intro beside it when both fit one line, else under it (each broken to fit)."""
    s, sheet = panel.arrangement.scale, panel.sheet
    heading_w = stringWidth(sheet.panel_heading, panel.font("heading"), panel.size("heading")) + 3 * PAD * s
    beside = (
        heading_w + stringWidth(sheet.panel_intro, panel.font("intro"), panel.size("intro"))
        <= panel.width - 2 * PAD * s - 2
    )
    heading_w = min(heading_w, panel.width)
    heading = tag(
        panel.text("heading", sheet.panel_heading, heading_w if beside else panel.width, WHITE), Tag("H2", rank=RANK)
    )
    intro_w = panel.width - heading_w if beside else panel.width
    intro = tag(panel.text("intro", sheet.panel_intro, intro_w, WHITE), Tag("P", rank=RANK))
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


def agencies(panel: PanelType) -> list[Table]:
    """The agencies' numbers, one agency a cell, in as few rows as give every agency room for its widest number or
    word (a number is never split): each row its own table, one TR of the contacts table per agency."""
    s = panel.arrangement.scale
    tables = []
    for number, row in enumerate(_agency_rows(panel)):
        cells = []
        for agency, cell_w in row:
            tr = Tag("TR", panel.contacts)
            lines = [
                f"{esc(caption)} {panel.address(value, 'number', cell_w) if breaks.is_address(value) else esc(nobreak(value))}".strip()
                for caption, value in agency.lines
            ]
            cells.append(
                [
                    tag(Paragraph(esc(agency.label), panel.style("label", panel.palette.accent)), cell(tr, "Row")),
                    tag(Paragraph("<br/>".join(lines), panel.style("number")), cell(tr)),
                ]
            )
        table = Table([cells], colWidths=[w for _, w in row])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), panel.font("label")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBEFORE", (1, 0), (-1, -1), 0.6, colour(panel.palette.accent)),
                    *([("LINEABOVE", (0, 0), (-1, 0), 0.6, colour(panel.palette.accent))] if number else []),
                    ("LEFTPADDING", (0, 0), (-1, -1), PAD * s + 1),
                    ("RIGHTPADDING", (0, 0), (-1, -1), PAD * s - 1),
                    ("TOPPADDING", (0, 0), (-1, -1), panel.edge),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), panel.edge),
                ]
            )
        )
        tables.append(table)
    return tables


def _agency_rows(panel: PanelType) -> list[list[tuple[Agency, float]]]:
    """The agencies in rows of as many as fit, the rows as even as can be, each agency with its cell's width;
    FitError for an agency with a word or number wider than the panel. Every school of an authority has the same
    agencies, so the rows are remembered in the panel's cache (as each agency's place in the list, and its width)."""
    found = panel.sheet.agencies
    sizes = [panel.size(key) for key in ("label", "number")]
    key = repr(("leaflet agency rows", found, panel.fonts, sizes, panel.width, PAD * panel.arrangement.scale))

    def load(value: object) -> list[list[tuple[Agency, float]]]:
        """Rows remembered as each agency's place in the list (in order) and width; ValueError for another shape."""
        if type(value) is not list or not all(type(row) is list and row for row in value):
            raise ValueError("not rows of agencies")
        places = [place for row in value for place in row]
        if not all(type(p) is list and len(p) == 2 and type(p[1]) is float for p in places) or [
            p[0] for p in places
        ] != list(range(len(found))):
            raise ValueError("not each agency once, in order, with a width")
        return [[(found[index], width) for index, width in row] for row in value]

    def compute() -> list[list[list[int | float]]]:
        place = itertools.count()  # the rows hold the agencies in their order
        return [[[next(place), width] for _, width in row] for row in _agency_rows_of(panel)]

    return panel.cache.remembered_as(key, compute, load)


def _agency_rows_of(panel: PanelType) -> list[list[tuple[Agency, float]]]:
    found, pad = panel.sheet.agencies, 2 * PAD * panel.arrangement.scale
    for agency in found:
        if _agency_width(panel, agency, one_line=False) + pad > panel.width:
            raise FitError(
                f"the agency '{agency.label}' has a word or number wider than the 'Who to talk to' panel; "
                "shorten it in the topic's agencies",
                value=agency.label,
            )
    for count in range(1, len(found) + 1):
        per_row = math.ceil(len(found) / count)
        chunks = [found[i : i + per_row] for i in range(0, len(found), per_row)]
        rows = [_agency_widths(panel, chunk) for chunk in chunks]
        if all(row is not None for row in rows):
            return [list(zip(chunk, row)) for chunk, row in zip(chunks, rows) if row is not None]
    return []  # no agencies


def _agency_widths(panel: PanelType, row: tuple[Agency, ...]) -> list[float] | None:
    """Each agency's cell width across the panel: in proportion to its label and numbers on one line each when that
    leaves each its widest word or number, else that and a share of what is left (None when even those do not fit)."""
    pad = 2 * PAD * panel.arrangement.scale
    wanted = [_agency_width(panel, agency, one_line=True) + pad for agency in row]
    least = [_agency_width(panel, agency, one_line=False) + pad for agency in row]
    shares = [panel.width * w / sum(wanted) for w in wanted]
    if all(share >= m - 1e-6 for share, m in zip(shares, least)):
        return shares
    if sum(least) > panel.width:
        return None
    spare, extra = panel.width - sum(least), [w - m for w, m in zip(wanted, least)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra)]


def _agency_width(panel: PanelType, agency: Agency, one_line: bool) -> float:
    """The width an agency's label and numbers take on one line each (addresses aside, which break), or
    (``one_line`` False) the least it can take: its widest word, number or unbreakable part of an address."""
    label = (panel.font("label"), panel.size("label"))
    number = (panel.font("number"), panel.size("number"))
    if one_line:
        return max(
            stringWidth(agency.label, *label),
            *(
                stringWidth(nobreak(f"{caption} {value}".strip()), *number)
                for caption, value in agency.lines
                if not breaks.is_address(value)
            ),
        )
    widths = [_widest_word(agency.label, *label)]
    for caption, value in agency.lines:
        widths.append(
            breaks.widest(value, *number) if breaks.is_address(value) else stringWidth(nobreak(value), *number)
        )
        widths.append(_widest_word(caption, *number))
    return max(widths)


def _widest_word(text: str, font: str, size: float) -> float:
    """The width of the widest word of ``text`` (0 for none): the narrowest a paragraph of it can be."""
    return max((stringWidth(word, font, size) for word in text.split()), default=0.0)


def splits(text: str, font: str, size: float) -> list[float]:
    """The width of ``text`` on one line, and of the wider half of each split of it into two lines at a space."""
    words = text.split(" ")
    return [
        max(stringWidth(" ".join(words[:i]), font, size), stringWidth(" ".join(words[i:]), font, size))
        for i in range(len(words))
    ]
