"""The leaflet's design, shared by its PDF and DOCX: page geometry, type-size ladders and the panel's columns."""

from __future__ import annotations

from factsheet_builder.fonts import FontFamily
from factsheet_builder.model import Person
from factsheet_builder.render.units import A4, MM

KIND = "staff fact sheet"  # what the document titles call it
BODY_LEADING = 1.12  # line spacing of the body, as a multiple of its size
# The fit's ladder of (body size, leading, space between paragraphs as a share of the usual), best first: 12 pt down to
# the floor of 9.5 pt, then tighter lines at it, then less space between paragraphs and around headings (the biggest
# teams' panels leave the body the least room).
BODY_LADDER = tuple((round(12 - 0.1 * i, 1), BODY_LEADING, 1.0) for i in range(26)) + (
    (9.5, 1.1, 1.0),
    (9.5, 1.08, 1.0),
    (9.5, 1.08, 0.75),
    (9.5, 1.08, 0.5),
)

W, H = A4
MARGIN = 12.7 * MM
GUTTER = 6 * MM
BAND_H = 27 * MM  # the title band with the school's name on one line; each further line adds its leading
SCHOOL_LINES = 3  # the most lines the school's name takes in the band before its type shrinks (to SCHOOL_FLOOR)
SCHOOL_SIZE, SCHOOL_FLOOR = 12.5, 10.0
ATTRIB_H = 5.5 * MM
FOOTER_H = 6.5 * MM  # the footer on one line; a long school name may take it to FOOTER_LINES
FOOTER_LINES = 3
FOOTER_SIZE = 8.0  # the floor of every text on the leaflet
GAP = 3 * MM  # between the body and the panel
INNER_W = W - 2 * MARGIN
COL_W = (INNER_W - GUTTER) / 2
P2_TOP = H - MARGIN
PANEL_STEP = 4 * MM  # the panel's box grows in steps, so that schools with near teams share one fitted body
PANEL_COMFORT = 60 * MM  # a panel this tall leaves the body its full size: larger teams get smaller panel type first
# The panel's forms: one person a row, two a row (cards), the name above the phone and email beside the role
# (stacked), each name across the panel above its role, phone and email (wide); between panels of one height, the
# first is preferred. The forms of two lines a person are set closer, with a rule between people; the DOCX sets its
# team's table from the form.
FORMS = ("row", "cards", "stacked", "wide")
CLOSE = ("stacked", "wide")
PANEL_DENSE = 80 * MM  # a panel taller than this leaves the body near its floor: a denser form is tried too

DOCX_LINE_SPACING = 0.97  # of a single line (1.15 of the size in Arial and Liberation Sans): close to the PDF's
DOCX_FLOOR = 9.5  # the DOCX's body is never smaller, whatever the PDF's
DOCX_SHRINK = 0.5  # points off the PDF's body size: Word and LibreOffice set lines a little looser than ReportLab


def on_one_line(person: Person, phone_size: float, email_size: float, width: float, fonts: FontFamily) -> bool:
    """True when the person's phone (bold) and email, two spaces apart, fit one line ``width`` points wide."""
    return bool(
        person.phone
        and person.email
        and fonts.width(f"{person.phone}  ", "bold", phone_size) + fonts.width(person.email, "regular", email_size)
        <= width
    )
