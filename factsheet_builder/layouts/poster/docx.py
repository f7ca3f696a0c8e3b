"""The poster as a DOCX (python-docx): the same page as editable Word tables, at the scale the PDF was fitted to."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt

from factsheet_builder.cache import Cache
from factsheet_builder.fonts import FontFamily
from factsheet_builder.images import docx_picture
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.poster.design import (
    KIND,
    MARGIN_MM,
    PAPER_MM,
    PHOTO_RATIO,
    Scale,
    cards,
    compact,
    heading_size,
    on_one_line,
    photo_height,
    shown_lists,
)
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.render import docx as word
from factsheet_builder.render import docx_a11y as a11y
from factsheet_builder.render import nobreak
from factsheet_builder.render.breaks import is_address
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.units import MM


def render(sheet: FactSheet, scale: Scale, palette: Palette, fonts: FontFamily, cache: Cache) -> Rendered:
    """The poster at ``scale`` as an editable DOCX that Word and LibreOffice lay out on one page."""
    accent, tint = palette.accent.hex, palette.tint.hex
    page_w, page_h = PAPER_MM[scale.paper]
    margin = MARGIN_MM * scale.paper_factor
    width = page_w - 2 * margin
    doc = word.new_document(
        sheet, fonts, scale.pt("intro"), accent, KIND, page=(page_w, page_h), margin_mm=margin, cache=cache
    )
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(0), 1.0
    _band(doc, sheet, scale, fonts, palette, width)
    _heading(doc, sheet.panel_heading, scale, accent, before=scale.mm(6))
    _para(doc, sheet.panel_intro, scale.pt("intro"), after=scale.mm(3))
    tight = compact(len(sheet.people), scale)
    found = _grid(
        doc,
        [
            lambda cell, text_w, people=people: _card(cell, people, scale, accent, text_w, fonts, tight)
            for people in cards(sheet.panel_people, scale)
        ],
        scale.columns,
        width,
        scale,
        "The safeguarding team",
        "One card for each person: role, name, phone, email.",
    )
    for cell in found:
        word.shade(cell, tint)
        word.cell_borders(cell, accent, 36, ("left",))
    for note in sheet.notes:
        _para(doc, note, scale.pt("intro"), before=scale.mm(2), after=scale.mm(6))
    if not sheet.notes:
        _gap(doc.add_paragraph(), scale)
    for cell in _grid(
        doc,
        [lambda cell, text_w, agency=agency: _agency(cell, agency, scale, accent, text_w) for agency in sheet.agencies],
        scale.agency_columns,
        width,
        scale,
        "Numbers to call",
        "One card for each service and its numbers.",
    ):
        word.cell_borders(cell, accent, 12)
    _steps_and_signs(doc, sheet, scale, accent, width)
    footer = doc.sections[0].footer.paragraphs[0]
    word.add_run(footer, sheet.footer, size=scale.pt("footer"), colour=palette.muted.hex)
    return Rendered(word.save(doc))


def _para(
    container,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: str | None = None,
    before: float = 0,
    after: float = 0,
):
    para = container.add_paragraph()
    para.paragraph_format.space_before, para.paragraph_format.space_after = Pt(before), Pt(after)
    word.add_run(para, text, bold=bold, size=size, colour=colour)
    return para


def _heading(container, text: str, scale: Scale, accent: str, before: float = 0, para=None):
    """A section heading in Word's Heading 2 style, sized and spaced as the PDF draws it."""
    para = para if para is not None else container.add_paragraph()
    word.set_style(para, "Heading 2")
    _plain(para, before)
    word.add_run(para, text, bold=True, size=scale.pt("section"), colour=accent)
    return para


def _plain(para, before: float = 0, after: float = 0) -> None:
    """Spacing as the poster's Normal text has it, whatever the paragraph's style says."""
    fmt = para.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), 1.0


def _first(cell, text: str, size: float, **kw):
    """Fill a new cell's empty first paragraph rather than leave it blank above the text."""
    para = cell.paragraphs[0]
    word.add_run(para, text, size=size, **kw)
    return para


def _gap(para, scale: Scale) -> None:
    """Make the empty ``para`` the space between two blocks."""
    para.paragraph_format.line_spacing = Pt(scale.mm(6))
    para.paragraph_format.space_after = Pt(0)


def _band(doc, sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> None:
    """Title band: the title, the headline on one line and the school, with the logo beside the school."""
    pad = scale.mm(8) / MM
    logo = scale.mm(30) / MM if sheet.logo else 0
    table = doc.add_table(rows=3, cols=2)
    word.column_widths(table, [width - logo - pad, logo + pad])
    word.cell_margins(table, pad / 4, pad, pad / 4, pad)
    for row in table.rows:
        for cell in row.cells:
            word.shade(cell, palette.accent.hex)
    kicker, heading = table.cell(0, 0).merge(table.cell(0, 1)), table.cell(1, 0).merge(table.cell(1, 1))
    kicker.paragraphs[0].paragraph_format.space_before = Pt(pad * MM * 0.75)
    _first(kicker, sheet.title, scale.pt("kicker"), bold=True, colour=palette.tint.hex)
    size = heading_size(sheet, scale, fonts, (width - 2 * pad) * MM)
    word.set_style(heading.paragraphs[0], "Heading 1")
    _plain(heading.paragraphs[0])
    _first(heading, sheet.poster.heading, size, bold=True, colour=WHITE.hex)
    school = _first(table.cell(2, 0), sheet.school_name, scale.pt("school"), bold=True, colour=WHITE.hex)
    school.paragraph_format.space_after = Pt(pad * MM * 0.75)
    table.cell(2, 0).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if sheet.logo:
        right = table.cell(2, 1)
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        logo_run = right.paragraphs[0].add_run()
        picture = word.add_picture(logo_run, docx_picture(sheet.logo), f"{sheet.school_name} logo", width=Mm(logo - 4))
        _fit_picture(picture, logo - 4, logo - 4)
    a11y.layout_table(table, "Title", "The poster's title and school on a band of colour, with the school's logo.")


def _grid(doc, fillers, columns: int, width: float, scale: Scale, caption: str, description: str) -> list:
    """A layout table of cards ``columns`` to a row, with empty gutter columns and rows between them; returns the
    cards.

    Each filler is called with a new card cell and the width of its text.
    """
    gutter = scale.mm(6) / MM
    card_w = (width - gutter * (columns - 1)) / columns
    rows = (len(fillers) + columns - 1) // columns
    table = doc.add_table(rows=2 * rows - 1, cols=2 * columns - 1)
    word.column_widths(table, [card_w if j % 2 == 0 else gutter for j in range(2 * columns - 1)])
    pad = gutter * 0.5
    word.cell_margins(table, pad, pad, pad, pad)
    for i in range(1, 2 * rows - 1, 2):
        word.exact_height(table.rows[i], gutter)
    cards = []
    for k, fill in enumerate(fillers):
        cell = table.cell(2 * (k // columns), 2 * (k % columns))
        fill(cell, card_w - 2 * pad)
        cards.append(cell)
    a11y.layout_table(table, caption, description)
    return cards


def _card(
    cell, people: tuple[Person, ...], scale: Scale, accent: str, width: float, fonts: FontFamily, tight: bool
) -> None:
    """One card: the role, then each person's name, phone and email, with their photo on the left when there is
    one (a card of one person has its role beside the photo); ``tight``: as the PDF's cards one a row, names closer
    and the phone and email on one line when they fit."""
    alone = len(people) == 1
    if not alone:
        _first(cell, people[0].role, scale.pt("role"), bold=True, colour=accent)
    for person in people:
        _person(cell, person, scale, accent, width, fonts, tight, people[0].role if alone else None)


def _person(
    cell, person: Person, scale: Scale, accent: str, width: float, fonts: FontFamily, tight: bool, role: str | None
) -> None:
    """A person's name, phone and email in a card, under their ``role`` when given, beside their photo when there is
    one."""
    target = cell
    if person.photo:
        photo_h = photo_height(scale) / MM
        photo_w = photo_h * PHOTO_RATIO
        inner = cell.add_table(rows=1, cols=2)
        word.column_widths(inner, [photo_w + 4, width - photo_w - 4])
        word.cell_margins(inner, 0, 0, 0, 0)
        photo = inner.cell(0, 0).paragraphs[0].add_run()
        picture = word.add_picture(photo, docx_picture(person.photo), f"Photo of {person.name}", height=Mm(photo_h))
        _fit_picture(picture, photo_w, photo_h)
        a11y.layout_table(inner, "Photo and contact", "The person's photo beside their role, name and numbers.")
        target = inner.cell(0, 1)
        if role is not None:
            word.remove(cell.paragraphs[0])  # the table is the cell's first content
        cell.paragraphs[-1].paragraph_format.line_spacing = Pt(1)  # Word ends a cell with a paragraph; keep it tiny
    if role is not None:
        _first(target, role, scale.pt("role"), bold=True, colour=accent)
    name = target.paragraphs[0] if not target.paragraphs[0].runs else target.add_paragraph()
    word.add_run(name, person.name, bold=True, size=scale.pt("name"))
    if tight:
        name.paragraph_format.line_spacing = 0.95
    if person.phone:
        phone = target.add_paragraph()
        word.add_run(phone, nobreak(person.phone), bold=True, size=scale.pt("phone"), colour=accent)
    together = tight and on_one_line(person, scale, fonts, width * MM)
    if person.email:
        line = phone if together else target.add_paragraph()
        if together:
            word.add_run(line, "   ", size=scale.pt("email"))
        a11y.link(word.add_run(line, person.email, size=scale.pt("email")), person.email)


def _fit_picture(picture, max_w_mm: float, max_h_mm: float) -> None:
    """Shrink a picture to fit a box, keeping its proportions."""
    scale = min(1.0, Mm(max_w_mm) / picture.width, Mm(max_h_mm) / picture.height)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)


def _agency(cell, agency: Agency, scale: Scale, accent: str, width: float) -> None:
    _first(cell, agency.label, scale.pt("label"), bold=True, colour=accent)
    for caption, value in agency.lines:
        para = cell.add_paragraph()
        if is_address(value):
            if caption:
                word.add_run(para, f"{caption} ", size=scale.pt("email"))
            a11y.link(word.add_run(para, value, size=scale.pt("email")), value)
            continue
        if caption:
            word.add_run(para, f"{caption} ", size=scale.pt("caption"))
        word.add_run(para, nobreak(value), bold=True, size=scale.pt("number"))


def _steps_and_signs(doc, sheet: FactSheet, scale: Scale, accent: str, width: float) -> None:
    """The steps as a numbered Word list beside the warning signs as a bulleted one, each under a heading, in two
    text columns of a section of their own (lists in no layout table); either alone across the page when the topic
    gives the poster only one."""
    steps, signs = shown_lists(sheet, scale)
    if steps is None and signs is None:
        return
    gutter = scale.mm(8) / MM
    indent, before = Pt(0), scale.mm(6)
    if steps and signs:
        left_w = (width - gutter) * 0.52
        word.continuous_section(doc, 2, gutter, widths_mm=(left_w, width - gutter - left_w))
        _gap(doc.paragraphs[-1], scale)  # the paragraph that ends the section before: the space above the lists
        indent, before = Pt(gutter * MM / 2), 0
    if steps:
        _heading(doc, steps.heading, scale, accent, before)
        step = scale.pt("step")
        numbering = a11y.list_numbering(doc, False, step * 1.6, accent, True, step)
        for text in steps.items:
            para = doc.add_paragraph()
            _item(para, "List Number", numbering, step * 1.6, scale.mm(2.5))
            word.add_run(para, text, size=step)
    if signs:
        heading = doc.add_paragraph()
        if steps:  # the signs begin the second column (a break at a paragraph's end would leave its mark at the top)
            heading.add_run().add_break(WD_BREAK.COLUMN)
        _heading(doc, signs.heading, scale, accent, before, para=heading)
        sign = scale.pt("sign")
        bullets = a11y.list_numbering(doc, True, sign * 1.1, accent, True, sign)
        paragraphs = [heading]
        for text in signs.items:
            para = doc.add_paragraph()
            _item(para, "List Bullet", bullets, sign * 1.1, scale.mm(1.5), indent)
            word.add_run(para, text, size=sign)
            paragraphs.append(para)
        if steps:  # a rule in the accent colour between the two columns, on the signs' side
            heading.paragraph_format.left_indent = indent
            for para in paragraphs:
                word.rule_before(para, accent, 4, indent.pt)


def _item(para, style: str, num_id: int, indent_pt: float, after_pt: float, left=None) -> None:
    """A list item: its marker hanging in the margin of ``indent_pt``, the text aligned after it."""
    word.set_style(para, style)
    a11y.numbered(para, num_id)
    fmt = para.paragraph_format
    base = left or Pt(0)
    fmt.left_indent = base + Pt(indent_pt)
    fmt.first_line_indent = Pt(-indent_pt)
    fmt.tab_stops.add_tab_stop(fmt.left_indent)
    fmt.space_before, fmt.space_after = Pt(0), Pt(after_pt)
