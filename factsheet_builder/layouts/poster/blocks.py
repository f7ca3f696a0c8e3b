"""The poster's blocks at one type scale (title band, people's cards, agencies, steps and signs), as ReportLab
flowables, tagged."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Table, TableStyle

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts.poster.design import (
    FOOTER_LEADING,
    PHOTO_RATIO,
    Scale,
    cards,
    compact,
    content_width,
    heading_size,
    on_one_line,
    photo_height,
    shown_lists,
)
from factsheet_builder.layouts.poster.pieces import Badge, broken, grid, padding, poster_style
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.render import breaks, leading_for, nobreak, pdf
from factsheet_builder.render.palette import INK, WHITE, Palette
from factsheet_builder.render.pdf import colour, esc
from factsheet_builder.render.tagging import Tag, cell, list_item, tag


@dataclass
class Poster:
    """The poster's blocks at one scale, top to bottom, and what each is called in a FitError; its footer and the
    lines the footer takes."""

    scale: Scale
    blocks: list[tuple[str, Flowable]]
    footer: Paragraph
    footer_lines: int


def _band(sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> Table:
    pad = scale.mm(8)
    size = heading_size(sheet, scale, fonts, width - 2 * pad)
    heading = ParagraphStyle(
        "poster-heading",
        parent=poster_style(scale, fonts, "heading", "bold", WHITE),
        fontSize=size,
        leading=size * 1.1,
        spaceAfter=scale.mm(2),
    )
    kicker = tag(
        Paragraph(esc(sheet.title), poster_style(scale, fonts, "kicker", "bold", palette.tint, spaceAfter=scale.mm(1))),
        Tag("P"),
    )
    school = tag(Paragraph(esc(sheet.school_name), poster_style(scale, fonts, "school", "bold", WHITE)), Tag("P"))
    rows: list[list] = [[kicker, ""], [tag(Paragraph(esc(sheet.poster.heading), heading), Tag("H1")), ""], [school, ""]]
    logo_w = 0.0
    if sheet.logo:
        logo_w = scale.mm(30)
        image = pdf.logo(sheet.logo, logo_w - scale.mm(4), logo_w - scale.mm(4), alt=f"{sheet.school_name} logo")
        box = pdf.Grid([[image]], colWidths=[logo_w], rowHeights=[logo_w], cornerRadii=[scale.mm(2)] * 4)
        box.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), fonts.faces["regular"]),
                    ("BACKGROUND", (0, 0), (-1, -1), colour(WHITE)),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        rows[2][1] = box
    table = pdf.Grid(rows, colWidths=[width - logo_w - pad, logo_w + pad], cornerRadii=[scale.mm(4)] * 4)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.faces["regular"]),
                ("BACKGROUND", (0, 0), (-1, -1), colour(palette.accent)),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (1, 1)),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (0, 0), (0, -1), pad),
                ("RIGHTPADDING", (-1, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, 0), pad),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
            ]
        )
    )
    return table


def _card(
    people: tuple[Person, ...], scale: Scale, fonts: FontFamily, palette: Palette, width: float, team: Tag, tight: bool
) -> list[Flowable]:
    """One card of the team: the role, then each person's name, phone and email (with their photo on the left when
    there is one), a row of the team's table each: the role heads the row (the rows of all the card's people), the
    person's details are its one data cell. ``tight`` (a big team one card a row): names of two lines a little
    closer, and the phone and the address on one line when they fit it."""
    first = Tag("TR", team)
    spans = {"RowSpan": len(people)} if len(people) > 1 else {}
    role = Tag("TH", first, attributes={"Scope": "/Row", **spans})
    heading = tag(
        Paragraph(
            esc(people[0].role), poster_style(scale, fonts, "role", "bold", palette.accent, spaceAfter=scale.mm(1))
        ),
        role,
    )
    if len(people) == 1:  # the photo, drawn first, is part of the row's header cell
        return _person(people[0], scale, fonts, palette, width, cell(first), tight, heading, role)
    out: list[Flowable] = [heading]
    for number, person in enumerate(people):
        if number:  # a rule between two people: below the descenders of a name set close when the name is last
            named_last = not (people[number - 1].phone or people[number - 1].email)
            out.append(
                HRFlowable(
                    width="100%",
                    thickness=scale.mm(0.8),
                    color=colour(WHITE),
                    spaceBefore=scale.pt("name") * 0.2 if named_last else scale.mm(1.5),
                    spaceAfter=0,  # a name's first line has room above its capitals' accents
                )
            )
        data = cell(first if number == 0 else Tag("TR", team))
        out += _person(person, scale, fonts, palette, width, data, tight, None, data)
    return out


def _person(
    person: Person,
    scale: Scale,
    fonts: FontFamily,
    palette: Palette,
    width: float,
    data: Tag,
    tight: bool,
    heading: Paragraph | None,
    photo_of: Tag,
) -> list[Flowable]:
    """A person's name, phone and email (the data cell ``data``), under the card's ``heading`` when given, with
    their photo on the left (a Figure in ``photo_of``) when there is one."""
    photo_h = photo_height(scale)
    text_w = width - (photo_h * PHOTO_RATIO + scale.mm(5) if person.photo else 0)
    email_style = poster_style(scale, fonts, "email")
    name_style = poster_style(scale, fonts, "name", "bold", leading=leading_for(person.name, 1.04 if tight else 1.1))
    text: list[Flowable] = [] if heading is None else [heading]
    text.append(tag(Paragraph(broken(person.name, name_style, text_w), name_style), data))
    phone_style = poster_style(scale, fonts, "phone", "bold", palette.accent, 1.1 if tight else 1.15)
    if tight and person.phone and person.email and on_one_line(person, scale, fonts, text_w):
        email = (
            f'<font name="{email_style.fontName}" size="{email_style.fontSize:g}" color="{INK.hex}">'
            f"{_address(person.email, email_style, text_w)}</font>"
        )
        text.append(tag(Paragraph(f"{esc(nobreak(person.phone))}&nbsp;&nbsp; {email}", phone_style), data))
    else:
        if person.phone:
            text.append(tag(Paragraph(esc(nobreak(person.phone)), phone_style), data))
        if person.email:  # straight under a name set close, clear of its descenders
            under = ParagraphStyle("poster-email-under", parent=email_style, spaceBefore=scale.pt("name") * 0.1)
            style = email_style if person.phone or not tight else under
            text.append(tag(Paragraph(_address(person.email, style, text_w), style), data))
    return text if not person.photo else _with_photo(person, scale, fonts, text, text_w, photo_of)


def _address(value: str, style: ParagraphStyle, width: float) -> str:
    """An email address as paragraph markup in ``style``, broken at its natural points to fit ``width``: every
    address the poster prints is made here, as a link to it."""
    return pdf.address_link(value, broken(value, style, width))


def _with_photo(
    person: Person, scale: Scale, fonts: FontFamily, text: list[Flowable], text_w: float, parent: Tag
) -> list[Flowable]:
    """A card's text with the person's photo on its left (a Figure in ``parent``)."""
    photo_h = photo_height(scale)
    photo_w = photo_h * PHOTO_RATIO
    assert person.photo is not None  # called for a person with a photo
    photo = pdf.logo(person.photo, photo_w, photo_h, alt=f"Photo of {person.name}", parent=parent)
    table = pdf.Grid([[photo, text]], colWidths=[photo_w + scale.mm(5), text_w])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.faces["regular"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (0, 0), "LEFT"),
                *(
                    (side, (0, 0), (-1, -1), 0)
                    for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                ),
            ]
        )
    )
    return [table]


def _people(sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> list[Flowable]:
    gutter = scale.mm(6)
    cell_w = (width - gutter * (scale.columns - 1)) / scale.columns
    team = Tag("Table")
    tight = compact(len(sheet.people), scale)
    found = [
        _card(people, scale, fonts, palette, cell_w - 2 * gutter * 0.6, team, tight)
        for people in cards(sheet.panel_people, scale)
    ]
    cards_grid = grid(
        found,
        scale.columns,
        width,
        gutter,
        lambda r, c: [
            ("BACKGROUND", (c, r), (c, r), colour(palette.tint)),
            ("LINEBEFORE", (c, r), (c, r), scale.mm(1.6), colour(palette.accent)),
        ],
        fonts.faces["regular"],
    )
    out: list[Flowable] = [
        tag(
            Paragraph(
                esc(sheet.panel_heading), poster_style(scale, fonts, "section", "bold", palette.accent, leading=1.1)
            ),
            Tag("H2"),
        ),
        tag(
            Paragraph(
                esc(sheet.panel_intro),
                poster_style(scale, fonts, "intro", spaceBefore=scale.mm(1), spaceAfter=scale.mm(4)),
            ),
            Tag("P"),
        ),
        cards_grid,
    ]
    out += [
        tag(Paragraph(esc(note), poster_style(scale, fonts, "intro", spaceBefore=scale.mm(3))), Tag("P"))
        for note in sheet.notes
    ]
    return out


def _agency(
    agency: Agency, scale: Scale, fonts: FontFamily, palette: Palette, width: float, row: Tag
) -> list[Flowable]:
    """One agency, a row of the agencies' table: its name heads the row, its numbers are the data cell."""
    number = poster_style(scale, fonts, "number", "bold", leading=1.12)
    caption_size = scale.pt("caption")
    out: list[Flowable] = [
        Paragraph(
            esc(agency.label), poster_style(scale, fonts, "label", "bold", palette.accent, spaceAfter=scale.mm(1))
        )
    ]
    for caption, value in agency.lines:
        if breaks.is_address(value):  # an email or web address: broken at its natural points, with its caption
            style = poster_style(scale, fonts, "email")
            out.append(Paragraph(f"{esc(caption)} {_address(value, style, width)}".strip(), style))
        elif caption:
            out.append(
                Paragraph(
                    f'<font name="{fonts.faces["regular"]}" size="{caption_size:g}">{esc(caption)}'
                    f"</font> {esc(nobreak(value))}",
                    number,
                )
            )
        else:
            out.append(Paragraph(esc(nobreak(value)), number))
    numbers = cell(row)
    return [tag(out[0], cell(row, "Row")), *(tag(line, numbers) for line in out[1:])]


def _agencies(sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> Table:
    gutter = scale.mm(6)
    columns = scale.agency_columns
    cell_w = (width - gutter * (columns - 1)) / columns - 2 * gutter * 0.6
    table = Tag("Table")
    cells = [_agency(agency, scale, fonts, palette, cell_w, Tag("TR", table)) for agency in sheet.agencies]
    box = colour(palette.accent)
    return grid(
        cells,
        columns,
        width,
        gutter,
        lambda r, c: [("BOX", (c, r), (c, r), scale.mm(0.8), box)],
        fonts.faces["regular"],
    )


def _steps_and_signs(sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> Table | None:
    """The steps beside the signs; either alone across the page when the topic gives the poster only one."""
    steps, signs = shown_lists(sheet, scale)
    if steps is None and signs is None:
        return None
    gutter = scale.mm(8)
    left_w = (width - gutter) * 0.52 if signs else width
    right_w = width - gutter - left_w if steps else width
    heading = poster_style(scale, fonts, "section", "bold", palette.accent, leading=1.1, spaceAfter=scale.mm(3))
    columns = []
    if steps:
        columns.append(
            [tag(Paragraph(esc(steps.heading), heading), Tag("H2")), _steps(steps.items, scale, fonts, palette, left_w)]
        )
    if signs:
        sign = poster_style(
            scale,
            fonts,
            "sign",
            leading=1.2,
            leftIndent=scale.pt("sign") * 1.1,
            bulletIndent=0,
            spaceAfter=scale.mm(1.5),
            bulletFontName=fonts.faces["bold"],
            bulletFontSize=scale.pt("sign"),
            bulletColor=colour(palette.accent),
        )
        sign_list = Tag("L")
        columns.append(
            [
                tag(Paragraph(esc(signs.heading), heading), Tag("H2")),
                *(pdf.bullet(esc(text), sign, sign_list) for text in signs.items),
            ]
        )
    if len(columns) == 1:
        table = pdf.Grid([columns], colWidths=[width])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), fonts.faces["regular"]),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    *padding(0, 0, 0),
                ]
            )
        )
        return table
    table = pdf.Grid([[columns[0], "", columns[1]]], colWidths=[left_w, gutter, right_w])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.faces["regular"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (2, 0), (2, 0), scale.mm(0.5), colour(palette.accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (2, 0), (2, 0), gutter / 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _steps(items: tuple[str, ...], scale: Scale, fonts: FontFamily, palette: Palette, width: float) -> Table:
    step_style = poster_style(scale, fonts, "step", leading=1.22)
    badge = step_style.fontSize * 1.5
    step_list = Tag("L")
    tags = [list_item(step_list) for _ in items]  # each step's number is its label
    steps = pdf.Grid(
        [
            [
                tag(Badge(str(i), badge, fonts.faces["bold"], colour(palette.accent)), item.label),
                tag(Paragraph(esc(text), step_style), item),
            ]
            for (i, text), item in zip(enumerate(items, start=1), tags)
        ],
        colWidths=[badge + scale.mm(3), width - badge - scale.mm(3)],
    )
    steps.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.faces["regular"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), scale.mm(3)),
            ]
        )
    )
    return steps


def compose(sheet: FactSheet, scale: Scale, fonts: FontFamily, palette: Palette) -> Poster:
    """Every block of the poster at one scale."""
    width = content_width(scale)
    blocks = [
        ("the title band", _band(sheet, scale, fonts, palette, width)),
        (f"the cards of the {len(sheet.people)} people", _people(sheet, scale, fonts, palette, width)),
        ("the agencies' numbers", _agencies(sheet, scale, fonts, palette, width)),
    ]
    steps_and_signs = _steps_and_signs(sheet, scale, fonts, palette, width)
    if steps_and_signs is not None:
        blocks.append(("the steps and the warning signs", steps_and_signs))
    footer = Paragraph(
        esc(sheet.footer), poster_style(scale, fonts, "footer", ink=palette.muted, leading=FOOTER_LEADING)
    )
    footer.wrap(width, 1e6)
    return Poster(scale, blocks, footer, len(footer.blPara.lines))
