"""The leaflet's "Who to talk to" panel, arranged for the school's team: it grows with the team, never refuses it.

Every arrangement breaks names at spaces and hyphens and addresses after '@' or before a '.', so nothing
overflows its cell. The panel tries a row per person (role, name, phone and email side by side), a row per person
with the name above the phone and email (for long names and addresses: two full-width lines rather than three
narrow ones) and two people to a row (each a card: role, name, then phone and email), each at full size and at
the smaller sizes whose names, numbers and emails stay at 9 pt or more, and keeps the shortest, preferring
larger type. A panel still so tall that it leaves the body near its floor (80-character names in capitals) is
also tried with each name across the whole panel and the role, phone and email beneath it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cached_property

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from factsheet_builder.cache import Cache
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts.leaflet.design import (
    CLOSE,
    FORMS,
    PANEL_COMFORT,
    PANEL_DENSE,
    PANEL_STEP,
    on_one_line,
)
from factsheet_builder.layouts.leaflet.panel_parts import (
    NAME_SHARES,
    PAD,
    ROLE_SHARES,
    SCALES,
    Arrangement,
    Beneath,
    PanelType,
    agencies,
    head,
    splits,
)
from factsheet_builder.model import FactSheet, Person
from factsheet_builder.render import breaks, nobreak
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.pdf import colour, esc
from factsheet_builder.render.tagging import Tag, cell, tag


class Panel(PanelType):
    """The panel's table for one arrangement, and its height at ``width``."""

    def __init__(
        self,
        sheet: FactSheet,
        arrangement: Arrangement,
        fonts: FontFamily,
        palette: Palette,
        width: float,
        cache: Cache | None = None,
    ) -> None:
        super().__init__(sheet, arrangement, fonts, palette, width, cache)
        self.wraps = False  # the row form: whether a name or an address of someone with details takes two lines
        self.people = self._people_rows()
        self.notes = [
            tag(self.text("role", note, width), cell(Tag("TR", self.contacts), span=2)) for note in sheet.notes
        ]
        self.height = self._height()

    def _height(self) -> float:
        """The table's height, as ReportLab works it out (the sum of its rows'), from its rows measured on their own:
        the head's and the agencies', the same for every school of an authority, are measured once (in the cache)."""
        s, width = self.arrangement.scale, self.width
        shared = repr(("leaflet panel head and agencies", self.sheet.panel_heading, self.sheet.panel_intro))
        head_h, agencies_h = self.cache.remembered_for_now(
            repr((shared, self.sheet.agencies, self.arrangement, self.fonts, width)),
            lambda: (
                head(self).wrap(width, 1e6)[1] + 2 * self.edge,
                sum(table.wrap(width, 1e6)[1] for table in agencies(self)),
            ),
        )
        people_h = sum(row.wrap(width, 1e6)[1] for row in self.people)
        notes_h = sum(note.wrap(width - PAD * s - 1, 1e6)[1] + 4 * s for note in self.notes)
        return head_h + people_h + notes_h + agencies_h

    @cached_property
    def table(self) -> Table:
        """The panel as drawn: one table of the head, the people, the notes and the agencies."""
        s, palette, width, people = self.arrangement.scale, self.palette, self.width, self.people
        rows: list[list] = [[head(self)], *[[row] for row in people]]
        # a note is a row of the contacts table, read where it is drawn: between the people and the agencies
        rows += [[note] for note in self.notes]
        rows.append([agencies(self)])
        table = Table(rows, colWidths=[width])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font("intro")),
                    ("BACKGROUND", (0, 0), (-1, 0), colour(palette.accent)),
                    ("BACKGROUND", (0, 1), (-1, -2), colour(palette.tint)),
                    ("BOX", (0, 0), (-1, -1), 1.2, colour(palette.accent)),
                    ("LINEABOVE", (0, -1), (-1, -1), 1.2, colour(palette.accent)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (0, 0), self.edge),
                    ("BOTTOMPADDING", (0, 0), (0, 0), self.edge),
                    *(
                        (side, (0, len(people) + 1), (0, len(people) + len(self.sheet.notes)), space)
                        for side, space in (
                            ("LEFTPADDING", PAD * s + 1),
                            ("TOPPADDING", 2 * s),
                            ("BOTTOMPADDING", 2 * s),
                        )
                        if self.sheet.notes
                    ),
                    *(
                        [("LINEBELOW", (0, 1), (0, len(people) - 1), 0.8, colour(WHITE))]
                        if self.arrangement.form in CLOSE
                        else []
                    ),  # two lines a person: a rule keeps them apart
                ]
            )
        )
        return table

    def _people_rows(self) -> list[Table]:
        people = self.sheet.panel_people
        if self.arrangement.form == "row":
            widths = self._row_widths(people)
            pad = 2 * PAD * self.arrangement.scale
            self.wraps = any(
                len(breaks.wrap(value, self.font(key), self.size(key), width - pad)) > 1
                for p in people
                if p.phone or p.email
                for key, value, width in (("name", p.name, widths[1]), ("email", p.email, widths[3]))
                if value
            )
            return [self._row(person, widths) for person in people]
        if self.arrangement.form == "stacked":
            role_w = self._stacked_role_width(people)
            return [self._stacked(person, role_w) for person in people]
        if self.arrangement.form == "wide":
            widths = self._wide_widths(people)
            return [self._wide(person, widths) for person in people]
        half = self.width / 2
        cards = [self._card(person, half) for person in people]
        return [
            self._cells([cards[i], cards[i + 1] if i + 1 < len(cards) else Spacer(0, 0)], [half, half])
            for i in range(0, len(cards), 2)
        ]

    def _row_widths(self, people: tuple[Person, ...]) -> list[float]:
        """Role, name, phone and email columns: the phone as wide as the widest number, the rest shared between
        roles, names and emails where the rows come out shortest (then most even)."""
        pad = 2 * PAD * self.arrangement.scale
        phone_w = self._phone_width(people)
        narrowest = max(breaks.widest(p.role, self.font("role"), self.size("role")) for p in people) + pad
        best: tuple[float, float, list[float]] | None = None
        for role_share in ROLE_SHARES:
            role_w = max(narrowest, self.width * role_share)
            roles = [self._lines("role", p.role, role_w - pad) for p in people]  # the same for every name share
            rest = self.width - role_w - phone_w
            for name_share in NAME_SHARES:
                name_w = rest * name_share
                height = self._rows_height(people, roles, name_w, rest - name_w)
                key = (round(height, 1), abs(name_share - 0.5) + abs(role_share - ROLE_SHARES[-1]))
                if best is None or key < best[:2]:
                    best = (*key, [role_w, name_w, phone_w, rest - name_w])
        assert best is not None  # ROLE_SHARES and NAME_SHARES are not empty
        return best[2]

    def _phone_width(self, people: tuple[Person, ...]) -> float:
        """The phone column: as wide as the widest number (no phones: a gap between its neighbours)."""
        phones = [stringWidth(nobreak(p.phone), self.font("phone"), self.size("phone")) for p in people if p.phone]
        return max(phones, default=0) + 2 * PAD * self.arrangement.scale

    def _rows_height(self, people: tuple[Person, ...], roles: list[float], name_w: float, email_w: float) -> float:
        """The height of the people's rows with names ``name_w`` and emails ``email_w`` wide, beside roles of the
        heights ``roles``."""
        pad = 2 * PAD * self.arrangement.scale
        total = 0.0
        for p, role in zip(people, roles):
            lines = [role, self._lines("name", p.name, name_w - pad)]
            if p.email:
                lines.append(self._lines("email", p.email, email_w - pad))
            total += max(lines)
        return total

    def _stacked_role_width(self, people: tuple[Person, ...]) -> float:
        """The role column's width where the rows of name above phone and email come out shortest (then widest)."""
        pad = 2 * PAD * self.arrangement.scale
        return self._role_width(people, lambda p, role_w: self._details_height(p, self.width - role_w - pad))

    def _wide_widths(self, people: tuple[Person, ...]) -> list[float]:
        """Role, phone and email columns under the names: the phone as wide as the widest number, the role where
        the lines under the names come out shortest (then widest), the email the rest."""
        pad, phone_w = 2 * PAD * self.arrangement.scale, self._phone_width(people)
        role_w = self._role_width(
            people,
            lambda p, role_w: max(
                self.size("phone") * self.leading if p.phone else 0,
                self._lines("email", p.email, self.width - role_w - phone_w - pad) if p.email else 0,
            ),
        )
        return [role_w, phone_w, self.width - role_w - phone_w]

    def _role_width(self, people: tuple[Person, ...], beside: Callable[[Person, float], float]) -> float:
        """The role column's width at which the rows come out shortest (then widest), ``beside(person, width)``
        being the height of what a role column ``width`` wide leaves the rest of the person's row."""
        pad = 2 * PAD * self.arrangement.scale
        narrowest = max(breaks.widest(p.role, self.font("role"), self.size("role")) for p in people) + pad
        # the usual shares, and the widths at which a role just takes one line or two even ones
        fitted = {w + pad for p in people for w in splits(p.role, self.font("role"), self.size("role"))}
        widths = sorted(
            {
                max(narrowest, w)
                for w in fitted | {self.width * share for share in ROLE_SHARES}
                if w <= self.width * ROLE_SHARES[-1]
            },
            reverse=True,
        )
        return min(
            widths,
            key=lambda role_w: round(
                sum(max(self._lines("role", p.role, role_w - pad), beside(p, role_w)) for p in people), 1
            ),
        )

    def _details_height(self, person: Person, width: float) -> float:
        """The height of a person's name, phone and email set by ``_details`` in ``width``."""
        height = self._lines("name", person.name, width)
        if person.phone and person.email and self._together(person, width):
            return height + self.size("phone") * self.leading
        if person.phone:
            height += self.size("phone") * self.leading
        return height + (self._lines("email", person.email, width) if person.email else 0)

    def _lines(self, key: str, value: str, width: float) -> float:
        lines = len(breaks.wrap(value, self.font(key), self.size(key), width))
        return lines * self.size(key) * self.line_spacing(key, value)

    def _row(self, person: Person, widths: list[float]) -> Table:
        """Role, name, phone and email side by side (a name alone takes the width of all three); the role heads
        the row, the rest is its one data cell."""
        role_w, name_w, phone_w, email_w = widths
        row = Tag("TR", self.contacts)
        role, data = tag(self.text("role", person.role, role_w), cell(row, "Row")), cell(row)
        if not (person.phone or person.email):
            return self._cells(
                [role, tag(self.text("name", person.name, name_w + phone_w + email_w), data)],
                [role_w, name_w + phone_w + email_w],
            )
        cells = [
            role,
            tag(self.text("name", person.name, name_w), data),
            *(
                tag(self.text(key, value, width), data) if value else Spacer(0, 0)
                for key, value, width in (("phone", person.phone, phone_w), ("email", person.email, email_w))
            ),
        ]
        return self._cells(cells, widths, valign="MIDDLE")

    def _card(self, person: Person, width: float) -> list[Paragraph]:
        """Role, then the person's details."""
        row = Tag("TR", self.contacts)
        return [
            tag(self.text("role", person.role, width, self.palette.accent), cell(row, "Row")),
            *self._details(person, width, cell(row)),
        ]

    def _stacked(self, person: Person, role_w: float) -> Table:
        """The role beside the person's details."""
        row = Tag("TR", self.contacts)
        role = tag(self.text("role", person.role, role_w), cell(row, "Row"))
        return self._cells([role, self._details(person, self.width - role_w, cell(row))], [role_w, self.width - role_w])

    def _wide(self, person: Person, widths: list[float]) -> Beneath:
        """The name across the panel, then the role, phone and email beneath it in aligned columns."""
        role_w, phone_w, email_w = widths
        row = Tag("TR", self.contacts)
        role, data = cell(row, "Row"), cell(row)
        return Beneath(
            self._cells([tag(self.text("name", person.name, self.width), data)], [self.width], below=False),
            self._cells(
                [tag(self.text("role", person.role, role_w, self.palette.accent), role)], [role_w], above=False
            ),
            self._cells(
                [
                    tag(self.text(key, value, width), data) if value else Spacer(0, 0)
                    for key, value, width in (("phone", person.phone, phone_w), ("email", person.email, email_w))
                ],
                [phone_w, email_w],
                above=False,
            ),
            role_w,
        )

    def _together(self, person: Person, width: float) -> bool:
        """True when the person's phone and email fit one line of a cell ``width`` wide."""
        return on_one_line(
            person, self.size("phone"), self.size("email"), width - 2 * PAD * self.arrangement.scale, self.fonts
        )

    def _details(self, person: Person, width: float, data: Tag) -> list[Paragraph]:
        """Name, then phone and email: on one line when both fit it."""
        details = [tag(self.text("name", person.name, width), data)]
        if person.phone and person.email and self._together(person, width):
            address = self.address(person.email, "email", width)
            email = f'<font name="{self.font("email")}" size="{self.size("email"):g}">{address}</font>'
            details.append(
                tag(Paragraph(f"{esc(nobreak(person.phone))}&nbsp;&nbsp;{email}", self.style("phone")), data)
            )
            return details
        if person.phone:
            details.append(tag(self.text("phone", person.phone, width), data))
        if person.email:
            details.append(tag(self.text("email", person.email, width), data))
        return details

    def _cells(
        self, cells: list, widths: list[float], valign: str = "TOP", above: bool = True, below: bool = True
    ) -> Table:
        """A row of ``cells`` with the padding of a person's row: without that above or below it when it is one of
        the lines of the wide form."""
        s = self.arrangement.scale
        top, bottom = self.row_pad
        table = Table([cells], colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font("role")),
                    ("VALIGN", (0, 0), (-1, -1), valign),
                    ("LEFTPADDING", (0, 0), (-1, -1), PAD * s + 1),
                    ("RIGHTPADDING", (0, 0), (-1, -1), PAD * s - 1),
                    ("TOPPADDING", (0, 0), (-1, -1), top if above else 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), bottom if below else 0),
                ]
            )
        )
        return table


def box(height: float) -> float:
    """The height of the panel's box: the panel's own height rounded up to the next step."""
    return steps(height) * PANEL_STEP


def steps(height: float) -> int:
    """How many steps of the panel's box a panel ``height`` tall takes."""
    return math.ceil(height / PANEL_STEP - 1e-6)


def panel(sheet: FactSheet, fonts: FontFamily, palette: Palette, width: float, cache: Cache | None = None) -> Panel:
    """The team's panel: the largest type whose box stays comfortable (leaving the text its full size), else the
    smallest box; between equals, larger type, then the earlier form. Smaller type is only tried when needed. What
    is the same for every school (the agencies' rows) is remembered in ``cache``."""
    cache = cache if cache is not None else Cache()
    fonts.register()
    candidates: list[Panel] = []
    for scale in SCALES:
        row = Panel(sheet, Arrangement("row", scale), fonts, palette, width, cache)
        # a name above the phone and email is only worth trying when side by side they would not fit one line
        at_scale = [
            row,
            *(
                Panel(sheet, Arrangement(form, scale), fonts, palette, width, cache)
                for form in ("cards", "stacked")
                if form != "stacked" or row.wraps
            ),
        ]
        comfortable = [p for p in at_scale if box(p.height) <= PANEL_COMFORT]
        if comfortable:
            return min(comfortable, key=lambda p: (box(p.height), FORMS.index(p.arrangement.form)))
        candidates += at_scale
    best = min(candidates, key=_preferred)
    if box(best.height) <= PANEL_DENSE:
        return best
    # so tall a panel leaves the body near its floor (the biggest teams, names in capitals): also each name across
    # the panel, its role, phone and email beneath, which for the widest names saves a line a person, and the forms
    # of two lines a person set tight
    return min(
        [
            best,
            *(
                Panel(sheet, Arrangement(form, scale, tight), fonts, palette, width, cache)
                for form, tight in (("wide", False), ("stacked", True), ("wide", True))
                for scale in SCALES
            ),
        ],
        key=_preferred,
    )


def _preferred(found: Panel) -> tuple[float, float, int, bool]:
    """Between panels, the one of the smallest box, then of the larger type, then of the earlier form, set loosest."""
    arrangement = found.arrangement
    return box(found.height), -arrangement.scale, FORMS.index(arrangement.form), arrangement.tight
