"""The large-print copy's design, shared by its PDF and DOCX: page, margins, logo and line spacing.

UK Association for Accessible Formats minimum standards for large print: text at least 16 pt (ideally 18),
page numbers and labels as large as the body text, a sans serif face, no italics, underlining or blocks of
capitals, bold headings, left-aligned text in one column, a blank line between paragraphs and numbers
never split across lines.
"""

from __future__ import annotations

from factsheet_builder.render.units import A4, MM

KIND = "large-print staff fact sheet"  # what the document titles call it
W, H = A4
MARGIN = 20 * MM
FOOTER_H = 14 * MM  # room under the text frame for the page number
LOGO = 30 * MM
LEADING = 1.3  # line spacing as a multiple of the type size
HEADING = 1.4  # heading size as a multiple of the body size
TITLE = 2.0  # title size as a multiple of the body size
MIN_SIZE = 16.0  # the UKAAF floor: the panel's type is made no smaller to keep it on one page
PANEL_ONE_COLUMN = 3  # a team of this many or fewer is listed in one column, a larger one in two
# The panel's arrangements, roomiest first: two people a row, one a row, and one a row with the role and phone on one
# line, its lines closer (PANEL_LEADING) and less space between people
PANEL_FORMS = ("two", "one", "dense")
PANEL_LEADING = 1.15
