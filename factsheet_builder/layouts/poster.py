"""The staffroom poster: one A3 (or A4) page that can be read from two metres.

"Worried about a child?", the school's safeguarding team in large type (with a photo each where the config
gives one), the agencies' numbers, what to do and the key warning signs. Names and numbers are never set
smaller than 24 pt on A3; on A4 everything is scaled down by the ratio of the sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from factsheet_builder.config.fields import Choice
from factsheet_builder.layouts import AccentColour, Layout, Rendered
from factsheet_builder.model import FactSheet

PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0)}

# Type sizes in points on A3 at scale 1, and the floor no fit may go below (on A3).
SIZES = {
    "kicker": (28, 18), "heading": (96, 44), "school": (34, 22), "section": (40, 26), "intro": (24, 16),
    "role": (20, 16), "name": (36, 24), "phone": (36, 24), "email": (22, 14), "step": (24, 16),
    "label": (22, 16), "number": (40, 24), "caption": (22, 16), "sign": (24, 16), "footer": (12, 10),
}
SCALES = tuple(round(1.25 - 0.05 * i, 2) for i in range(16))  # 1.25 down to 0.5: the fit's ladder


@dataclass(frozen=True)
class Scale:
    """One candidate design of the poster: a type scale on a paper size, and how many people and agencies a row."""

    s: float
    paper: str
    columns: int
    agency_columns: int = 2

    @property
    def factor(self) -> float:
        """How much smaller this paper is than A3 (1 on A3, 1/sqrt(2) on A4)."""
        return PAPER_MM[self.paper][0] / PAPER_MM["A3"][0]

    def pt(self, key: str) -> float:
        """The type size for ``key``: scaled, never below its floor, then fitted to the paper."""
        base, floor = SIZES[key]
        return max(base * self.s, floor) * self.factor

    def mm(self, length: float) -> float:
        """A length given in mm on A3 at scale 1, in points for this design (spacing shrinks no further than 0.5)."""
        return length * 72 / 25.4 * max(self.s, 0.5) * self.factor


def arrangements(people: int) -> list[tuple[int, int]]:
    """(cards, agencies) a row worth trying, best first: two cards (one for a team of one) before three, two
    agencies before four."""
    columns = (1,) if people == 1 else (2, 3) if people >= 5 else (2,)
    return [(c, a) for c in columns for a in (2, 4)]


def one_line_size(width_pt: float, text_width_at_1pt: float, wanted: float, floor: float) -> float:
    """The largest size up to ``wanted`` at which text fits one line of ``width_pt`` (never below ``floor``)."""
    return max(floor, min(wanted, math.floor(width_pt / text_width_at_1pt * 2) / 2))


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
        from factsheet_builder.layouts import _poster_pdf

        return _poster_pdf.render(leaflet, self.options["paper"], self.options["accent_colour"], self.fonts)

    def render_docx(self, leaflet: FactSheet) -> Rendered:
        from factsheet_builder.layouts import _poster_docx

        return _poster_docx.render(leaflet, self.options["paper"], self.options["accent_colour"], self.fonts)
