"""The large-print copy as a PDF (ReportLab): the shared blocks made large, one column, "Page N of M"."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.large_print.design import (
    FOOTER_H,
    HEADING,
    KIND,
    LEADING,
    LOGO,
    MARGIN,
    MIN_SIZE,
    PANEL_FORMS,
    PANEL_LEADING,
    PANEL_ONE_COLUMN,
    TITLE,
    H,
    W,
)
from factsheet_builder.model import FactSheet, Person, Section
from factsheet_builder.render import breaks, pdf
from factsheet_builder.render.palette import Palette
from factsheet_builder.render.pdf import colour, esc
from factsheet_builder.render.tagging import Tag, tag
from factsheet_builder.render.units import A4, MM


def _styles(fonts: FontFamily, size: float, palette: Palette, leading: float = LEADING) -> pdf.Styles:
    """The shared styles made large print: nothing smaller than the body, no italics, a blank line between paragraphs."""
    base = pdf.styles(fonts, size, palette, italic_quotes=False, leading=leading)
    body = ParagraphStyle("lp-body", parent=base.body, spaceAfter=size, allowWidows=0, allowOrphans=0)
    return replace(
        base,
        body=body,
        bullet=ParagraphStyle(
            "lp-bullet", parent=base.bullet, spaceAfter=size * 0.45, bulletFontSize=size, allowWidows=0, allowOrphans=0
        ),
        heading=ParagraphStyle(
            "lp-heading",
            parent=base.heading,
            fontSize=size * HEADING,
            leading=size * HEADING * 1.2,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.5,
        ),
        quote=ParagraphStyle("lp-quote", parent=base.quote, allowWidows=0, allowOrphans=0),
        quote_source=ParagraphStyle("lp-source", parent=base.quote_source, fontSize=size, leading=size * LEADING),
        small=ParagraphStyle("lp-small", parent=body, textColor=colour(palette.ink)),
    )


def _title_block(sheet: FactSheet, styles: pdf.Styles, palette: Palette) -> list[Flowable]:
    """Title, subtitle and school, with the logo beside them, and a rule under them."""
    size = styles.size
    title = ParagraphStyle(
        "lp-title",
        parent=styles.heading,
        fontSize=size * TITLE,
        leading=size * 2.3,
        spaceBefore=0,
        spaceAfter=size * 0.3,
        textColor=colour(palette.ink),
    )
    subtitle = ParagraphStyle("lp-tagline", parent=styles.body, fontName=styles.heading.fontName, spaceAfter=size * 0.3)
    school = ParagraphStyle("lp-school", parent=styles.heading, spaceBefore=0, spaceAfter=0, keepWithNext=0)
    text = [
        tag(Paragraph(esc(sheet.title), title), Tag("H1")),
        tag(Paragraph(esc(sheet.subtitle), subtitle), Tag("P")),
        tag(Paragraph(esc(sheet.school_name), school), Tag("P")),
    ]
    head: Flowable
    if sheet.logo:
        head = Table(
            [[text, pdf.logo(sheet.logo, LOGO, LOGO, alt=f"{sheet.school_name} logo")]],
            colWidths=[W - 2 * MARGIN - LOGO - 5 * MM, LOGO + 5 * MM],
        )
        head.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    *(
                        (side, (0, 0), (-1, -1), 0)
                        for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                    ),
                ]
            )
        )
        story = [head]
    else:
        story = text
    return [
        *story,
        HRFlowable(
            width="100%", thickness=2, color=colour(palette.accent), spaceBefore=size * 0.6, spaceAfter=size * 0.8
        ),
    ]


def _colophon(sheet: FactSheet, styles: pdf.Styles) -> Flowable:
    """The footer's facts (school, review date, content version), one a line: the document's last paragraph."""
    return tag(Paragraph("<br/>".join(esc(part) for part in sheet.footer.split(" · ")), styles.body), Tag("P"))


def _grid(entries: list[list[Paragraph]], columns: int, width: float, gap: float, font: str) -> Table:
    """Entries ``columns`` to a row, each cell ``gap`` from the next."""
    cell_w = (width - gap * (columns - 1)) / columns
    rows = [
        entries[i : i + columns] + [""] * (columns - len(entries[i : i + columns]))
        for i in range(0, len(entries), columns)
    ]
    table = Table(rows, colWidths=[cell_w + (gap if c < columns - 1 else 0) for c in range(columns)])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), gap / 2),
            ]
        )
    )
    return table


def _panel(
    sheet: FactSheet, fonts: FontFamily, size: float, palette: Palette, width: float, height: float, room: float
) -> tuple[list[Flowable], bool, float]:
    """The "Who to talk to" panel kept together on one page, whether it needs a page of its own, and its height
    (infinite for a panel that runs on to another page): of its
    arrangements (two people a row, one a row, and one a row with the role and phone on one line and the lines
    closer), at the body size and then a point smaller at a time down to the large-print floor, the first that fits
    under the title (``room`` high), else the first that fits a page, which then starts page 2. Of a panel taller
    than a page even then, the team is kept on one page and the agencies follow it; a team taller than a page (seven
    of the longest names and addresses) runs on a person at a time, its heading kept with the first, and the
    agencies follow it together."""
    sizes = [size - step for step in range(int(size - MIN_SIZE) + 1)] + ([MIN_SIZE] if size % 1 else [])
    panels: dict[tuple[float, str], tuple[list[Flowable], float] | None] = {}

    def made(at: float, form: str) -> tuple[list[Flowable], float] | None:
        """The panel in ``form`` at ``at`` points and its height (None if the form cannot hold the team), made once."""
        if (at, form) not in panels:
            panel = arranged(sheet, fonts, at, palette, width, form)
            panels[at, form] = None if panel is None else (panel, _stacked(panel, width, height))
        return panels[at, form]

    def first_fitting(space: float) -> tuple[list[Flowable], float] | None:
        """The preferred arrangement no taller than ``space``; none when even the smallest type's two a row and
        densest are taller (one a row is never shorter than the densest, nor larger type than smaller)."""
        if not any(found and found[1] <= space for found in (made(sizes[-1], form) for form in ("two", "dense"))):
            return None
        return next(
            (found for at in sizes for form in PANEL_FORMS if (found := made(at, form)) and found[1] <= space),
            None,
        )

    for space in (room, height):
        fitting = first_fitting(space)
        if fitting is not None:
            return [KeepTogether(fitting[0])], space != room, fitting[1]
    densest = made(sizes[-1], "dense")
    assert densest is not None  # any team can be set one a row
    team, agencies = densest[0][:-2], densest[0][-2:]  # the agencies: a spacer and their grid
    needs = _stacked(team, width, height)
    if needs <= height:  # the team kept on one page, the agencies after it
        return [KeepTogether(team), KeepTogether(agencies)], needs > room, math.inf
    return [KeepTogether(team[:3]), *team[3:], KeepTogether(agencies)], False, math.inf


def _stacked(flowables: list[Flowable], width: float, height: float) -> float:
    """The height ``flowables`` take at the top of a page, as a frame stacks them: between two, the larger of the
    one's space after and the next's space before; none above the first or below the last."""
    total, after = 0.0, None
    for flowable in flowables:
        total += flowable.wrap(width, height)[1] + (0 if after is None else max(after, flowable.getSpaceBefore()))
        after = flowable.getSpaceAfter()
    return total


def arranged(
    sheet: FactSheet, fonts: FontFamily, size: float, palette: Palette, width: float, form: str
) -> list[Flowable] | None:
    """The panel's heading, intro, people (one flowable each, or a row of two), notes and agencies in ``form`` at
    ``size``; None when the form cannot hold the team (two a row, for a small team or for a name or address whose
    longest run would not fit half the width)."""
    dense = form == "dense"
    styles = _styles(fonts, size, palette, PANEL_LEADING if dense else LEADING)
    gap = size * (0.8 if dense else 1.2)  # between people: under each, half of it
    columns = 2 if form == "two" else 1
    if columns == 2 and (
        len(sheet.panel_people) <= PANEL_ONE_COLUMN
        or any(
            breaks.widest(value, fonts.faces["bold"], size) > (width - gap) / 2
            for person in sheet.panel_people
            for value in (person.name, person.email)
            if value
        )
    ):
        return None
    entries = pdf.contact_entries(sheet, styles, palette, (width - gap * (columns - 1)) / columns)
    team = entries[: len(sheet.panel_people)]
    agencies = pdf.contact_entries(replace(sheet, people=(), notes=()), styles, palette, (width - size * 1.2) / 2)
    if dense:
        team = [
            _role_and_phone(entry, person, width, styles.body.fontName)
            for entry, person in zip(team, sheet.panel_people)
        ]
    intro = ParagraphStyle("lp-intro", parent=styles.body, keepWithNext=1)
    panel: list[Flowable] = [
        tag(Paragraph(esc(sheet.panel_heading), styles.heading), Tag("H2")),
        tag(Paragraph(esc(sheet.panel_intro), intro), Tag("P")),
    ]
    panel += [
        _grid(team[i : i + columns], columns, width, gap, styles.body.fontName) for i in range(0, len(team), columns)
    ]
    for note in entries[len(team) : len(team) + len(sheet.notes)]:
        panel += note
    panel += [Spacer(1, size * 0.6 - gap / 2), _grid(agencies, 2, width, size * 1.2, styles.body.fontName)]
    return panel


def _role_and_phone(entry: list[Paragraph], person: Person, width: float, font: str) -> list[Flowable]:
    """A person's entry with the phone beside the role (when both fit one line), then the name and the email."""
    if not person.phone:
        return entry
    role, name, phone, *email = entry
    role_w = stringWidth(person.role, role.style.fontName, role.style.fontSize) + role.style.fontSize
    if role_w + stringWidth(phone.getPlainText(), phone.style.fontName, phone.style.fontSize) > width:
        return entry
    line = Table([[role, phone]], colWidths=[role_w, width - role_w])
    line.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                *(
                    (side, (0, 0), (-1, -1), 0)
                    for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                ),
            ]
        )
    )
    return [line, name, *email]


def _story(
    sheet: FactSheet, styles: pdf.Styles, palette: Palette, fonts: FontFamily, width: float, height: float
) -> list[Flowable]:
    story = _title_block(sheet, styles, palette)
    room = height - _stacked(story, width, height) - story[-1].getSpaceAfter()
    panel, own_page, panel_h = _panel(sheet, fonts, styles.size, palette, width, height, room)
    attribution = [tag(Paragraph(esc(sheet.attribution), styles.body), Tag("P"))]
    closing = [_colophon(sheet, styles)]
    if own_page:  # the panel starts page 2: the attribution shares page 1 with the title
        story += [*attribution, *panel]
    elif panel_h + _stacked(attribution, width, height) <= room:  # under the panel on page 1
        story += [*panel, *attribution]
    else:  # it would start page 2 on its own: it closes the document, with the facts
        story += panel
        closing = [*attribution, *closing]
    for section in sheet.sections:
        story += _heading_kept(section, styles, width, palette)
    return [*story, *closing]


def _heading_kept(section: Section, styles: pdf.Styles, width: float, palette: Palette) -> list[Flowable]:
    """A section's flowables with its heading and a first block kept whole (a quotation) in one KeepTogether:
    ReportLab keeps a heading with a KeepTogether that follows it only as far as the page's foot."""
    flowables = pdf.section_flowables(section, styles, width, palette)
    first = section.blocks[0] if section.blocks else None
    if first is None or first.kind != "quote":
        return flowables
    heading, _, *rest = flowables
    return [KeepTogether([heading, *pdf.callout_parts(first.text, first.source, styles, width, palette)]), *rest]


def render(sheet: FactSheet, size: float, palette: Palette, fonts: FontFamily) -> Rendered:
    """The large-print copy as a PDF of as many pages as it needs, body text ``size`` points: laid out first, so
    that each page can say "Page N of M" as it is drawn."""
    fonts.register()
    styles = _styles(fonts, size, palette)
    bold = fonts.faces["bold"]
    width, height = W - 2 * MARGIN, H - 2 * MARGIN - FOOTER_H
    laid_out = pdf.lay_out(
        lambda frame: _doc(frame, width, height), _story(sheet, styles, palette, fonts, width, height)
    )
    total = len(laid_out.pages)

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(bold, size)
        canvas.setFillColor(colour(palette.ink))
        canvas.drawRightString(W - MARGIN, MARGIN, f"Page {canvas.getPageNumber()} of {total}")
        canvas.restoreState()

    doc = _doc(Frame, width, height, page_number)
    pdf.metadata(doc, sheet, KIND)
    data, pages = pdf.build(doc, laid_out.story())
    return Rendered(data, pages)


def _doc(frame: Callable[..., Frame], width: float, height: float, on_page_end=None) -> BaseDocTemplate:
    """The document: one column of ``width`` and ``height`` above the footer, in frames of the class ``frame``;
    ``on_page_end`` draws what each page has besides its column (its page number)."""
    doc = BaseDocTemplate(
        None, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN, invariant=1
    )
    column = frame(
        MARGIN,
        MARGIN + FOOTER_H,
        width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    doc.addPageTemplates([PageTemplate("page", frames=[column], onPageEnd=on_page_end or (lambda c, d: None))])
    return doc
