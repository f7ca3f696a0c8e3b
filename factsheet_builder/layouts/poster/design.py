"""The poster's design, shared by its PDF, DOCX and page: paper, type sizes and floors, the fit's ladder, measures.

Names and numbers are never set smaller than 24 pt on A3; on A4 everything is scaled down by the ratio of the
sheets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from factsheet_builder.fonts import FontFamily
from factsheet_builder.model import FactSheet, Person, PosterList
from factsheet_builder.render import nobreak
from factsheet_builder.render.units import MM

KIND = "staffroom poster"  # what the document titles call it
PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0)}
MARGIN_MM = 14  # at A3; scaled with the paper
PHOTO_RATIO = 0.8  # width to height of the box a photo is fitted into (passport proportions)
FOOTER_LEADING = 1.18  # the footer's line spacing, as a multiple of its size
DOCX_SHRINK = 0.05  # off the PDF's type scale: Word and LibreOffice set lines and cells a little looser than ReportLab

# Type sizes in points on A3 at type scale 1, and the floor no fit may go below (on A3).
# Names, numbers and emails keep their floors (24 and 14 pt); the rest may go smaller for the largest teams.
SIZES = {
    "kicker": (28, 12),
    "heading": (96, 24),
    "school": (34, 12),
    "section": (40, 16),
    "intro": (24, 12),
    "role": (20, 12),
    "name": (36, 24),
    "phone": (36, 24),
    "email": (22, 14),
    "step": (24, 12),
    "label": (22, 12),
    "number": (40, 24),
    "caption": (22, 12),
    "sign": (24, 12),
    "footer": (12, 10),
}
TYPE_SCALES = tuple(round(1.25 - 0.05 * i, 2) for i in range(22))  # 1.25 down to 0.2: the fit's ladder


LISTS = ("steps", "signs")  # the poster's lists under the team and the numbers, as the topic gives them
# A team of up to this many (the DSL, five deputies and one more) always gets the lists; a bigger one that does not fit
# beside them gets the poster without the signs, then without the steps too (the leaflet has them)
LISTS_KEPT_FOR = 7


@dataclass(frozen=True)
class Scale:
    """One candidate design of the poster: a type scale on a paper size, how many people and agencies a row, and
    which of the topic's lists it prints (the biggest teams leave the signs out, then the steps too)."""

    type_scale: float
    paper: str
    columns: int
    agency_columns: int = 2
    lists: tuple[str, ...] = LISTS

    @property
    def paper_factor(self) -> float:
        """How much smaller this paper is than A3 (1 on A3, 1/sqrt(2) on A4)."""
        return PAPER_MM[self.paper][0] / PAPER_MM["A3"][0]

    def pt(self, key: str) -> float:
        """The type size for ``key``: scaled, never below its floor, then fitted to the paper."""
        base, floor = SIZES[key]
        return max(base * self.type_scale, floor) * self.paper_factor

    def mm(self, length: float) -> float:
        """A length given in mm on A3 at scale 1, in points for this design (spacing shrinks no further than 0.25)."""
        return length * 72 / 25.4 * max(self.type_scale, 0.25) * self.paper_factor

    def shrunk(self, by: float) -> Scale:
        """The same design with its type scale ``by`` smaller."""
        return Scale(round(self.type_scale - by, 2), self.paper, self.columns, self.agency_columns, self.lists)


def arrangements(people: int) -> list[tuple[int, int]]:
    """(cards, agencies) a row worth trying, best first: two cards (one for a team of one) before three, two
    agencies before four; last, one card a row, whose long names and addresses take the fewest lines."""
    columns = (1,) if people == 1 else (2, 3, 1) if people >= 5 else (2, 1)
    return [(c, a) for c in columns for a in (2, 4)]


def one_line_size(width_pt: float, text_width_at_1pt: float, wanted: float, floor: float) -> float:
    """The largest size up to ``wanted`` at which text fits one line of ``width_pt`` (never below ``floor``)."""
    return max(floor, min(wanted, math.floor(width_pt / text_width_at_1pt * 2) / 2))


def heading_size(sheet: FactSheet, scale: Scale, fonts: FontFamily, width: float) -> float:
    """The headline's size: as large as the scale allows while it stays on one line of ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # the fonts' metrics; loaded when first measured

    one_point = stringWidth(sheet.poster.heading, fonts.faces["bold"], 1)
    return one_line_size(width, one_point, scale.pt("heading"), scale.pt("section"))


def photo_height(scale: Scale) -> float:
    """The height in points of a person's photo: their role, name and phone beside it."""
    return scale.pt("role") * 1.18 + scale.mm(1) + scale.pt("name") * 1.1 + scale.pt("phone") * 1.15


def page_size(paper: str) -> tuple[float, float]:
    """The sheet's width and height in points."""
    width, height = PAPER_MM[paper]
    return width * MM, height * MM


def content_width(scale: Scale) -> float:
    """The width in points between the margins."""
    width, _ = page_size(scale.paper)
    return width - 2 * MARGIN_MM * MM * scale.paper_factor


def frame_height(scale: Scale, footer_lines: int = 1) -> float:
    """The height in points the blocks share: the page between the margins, less the footer of ``footer_lines``."""
    _, height = page_size(scale.paper)
    return height - 2 * MARGIN_MM * MM * scale.paper_factor - footer_height(scale, footer_lines)


def footer_height(scale: Scale, lines: int = 1) -> float:
    """The strip under the text for the footer's ``lines`` and the rule above them, with room above the rule."""
    return scale.pt("footer") * (FOOTER_LEADING * lines + 0.82) + scale.mm(5)


def footer_rule(scale: Scale, lines: int = 1) -> float:
    """How far above the bottom margin the rule over the footer's ``lines`` runs."""
    return scale.pt("footer") * (FOOTER_LEADING * lines + 0.42)


def gap(scale: Scale) -> float:
    """The least space between two blocks."""
    return scale.mm(7)


def on_one_line(person: Person, scale: Scale, fonts: FontFamily, width: float) -> bool:
    """True when the person's phone and email fit one line of ``width`` points (cards one a row set them so)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # the fonts' metrics; loaded when first measured

    return bool(
        person.phone
        and person.email
        and stringWidth(f"{nobreak(person.phone)}   ", fonts.faces["bold"], scale.pt("phone"))
        + stringWidth(person.email, fonts.faces["regular"], scale.pt("email"))
        <= width
    )


def compact(people: int, scale: Scale) -> bool:
    """True for a big team set one card a row: names closer, phone and email on one line when they fit it, and
    neighbours of one role on one card."""
    return scale.columns == 1 and people > 1


def cards(people: tuple[Person, ...], scale: Scale) -> list[tuple[Person, ...]]:
    """The people of each card: one each, but in a big team's one card a row (``compact``) neighbours of one role
    share a card, which prints the role once."""
    if not compact(len(people), scale):
        return [(person,) for person in people]
    found: list[tuple[Person, ...]] = []
    for person in people:
        if found and found[-1][0].role == person.role:
            found[-1] = (*found[-1], person)
        else:
            found.append((person,))
    return found


def shown_lists(sheet: FactSheet, scale: Scale) -> tuple[PosterList | None, PosterList | None]:
    """The steps and the signs the poster prints at ``scale`` (None: left out, or not given by the topic)."""
    steps, signs = sheet.poster.steps, sheet.poster.signs
    return (steps if "steps" in scale.lists else None), (signs if "signs" in scale.lists else None)


def lists_to_try(sheet: FactSheet) -> list[tuple[str, ...]]:
    """The lists a poster may print, most first: all the topic gives, then without the signs, then without the
    steps too (a team too big for them still gets its poster; the leaflet has them)."""
    given = tuple(name for name in LISTS if getattr(sheet.poster, name) is not None)
    return list(dict.fromkeys([given, tuple(name for name in given if name != "signs"), ()]))
