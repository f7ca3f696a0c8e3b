"""ReportLab building blocks shared by layouts: palette, styles, sections, callouts, the contacts panel, fitting.

A layout imports this one module: it also offers building the document (from ``pdf_document``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.images import Picture
from factsheet_builder.model import Block, FactSheet, Link, Section
from factsheet_builder.render import ADDRESS, breaks, esc, introduces_list, link_target, nobreak, qr
from factsheet_builder.render.fitting import first_fitting, largest_fitting
from factsheet_builder.render.overflow import Grid, too_wide
from factsheet_builder.render.palette import Colour, Palette
from factsheet_builder.render.pdf_document import LaidOut, build, lay_out, metadata
from factsheet_builder.render.tagging import Tag, cell, link_markup, list_item, tag

__all__ = [  # what layouts use, wherever it is defined
    "MIN_MARGIN",
    "QR_SIZE",
    "Item",
    "LaidOut",
    "QrCode",
    "Styles",
    "address_link",
    "block_flowables",
    "build",
    "bullet",
    "callout",
    "callout_parts",
    "colour",
    "contact_entries",
    "contact_flowables",
    "esc",
    "first_fitting",
    "fit_paragraph",
    "footer_on",
    "largest_fitting",
    "lay_out",
    "link_flowable",
    "link_text",
    "linked",
    "logo",
    "metadata",
    "qr_code",
    "section_flowables",
    "styles",
    "too_wide",
    "Grid",
]

MIN_MARGIN = 12 * mm
QR_SIZE = 11 * mm  # modules of 0.3 mm or more: a phone reads it at arm's length, a 300 dpi print keeps it sharp
QR_SPACE = 4 * mm  # the least space between two QR codes, so that a camera frames one at a time
CLOSING = 1  # the rank of what reads after the body (rank 0): the running footer's facts, once


@lru_cache(maxsize=64)
def colour(value: Colour) -> colors.Color:
    """A palette colour as a ReportLab colour."""
    return colors.Color(value.red, value.green, value.blue)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one body size."""

    body: ParagraphStyle
    bullet: ParagraphStyle
    heading: ParagraphStyle
    quote: ParagraphStyle
    quote_source: ParagraphStyle
    small: ParagraphStyle
    size: float


@lru_cache(maxsize=64)
def styles(
    fonts: FontFamily, size: float, palette: Palette, italic_quotes: bool = True, leading: float = 1.2
) -> Styles:
    """Paragraph styles for body text of ``size`` points."""
    fonts.register()
    face = fonts.faces
    accent, muted = colour(palette.accent), colour(palette.muted)
    body = ParagraphStyle(
        "body",
        fontName=face["regular"],
        fontSize=size,
        leading=size * leading,
        textColor=colour(palette.ink),
        alignment=TA_LEFT,
        spaceAfter=size * 0.3,
    )
    return Styles(
        body=body,
        bullet=ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=size * 1.1,
            bulletIndent=size * 0.15,
            spaceAfter=size * 0.08,
            bulletFontName=face["bold"],
            bulletColor=accent,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=face["bold"],
            fontSize=size * 1.25,
            leading=size * 1.35,
            textColor=accent,
            spaceBefore=size * 0.45,
            spaceAfter=size * 0.15,
            keepWithNext=1,
        ),
        quote=ParagraphStyle(
            "quote", parent=body, fontName=face["italic" if italic_quotes else "regular"], spaceAfter=0
        ),
        quote_source=ParagraphStyle(
            "quote_source",
            parent=body,
            fontName=face["bold"],
            fontSize=size * 0.85,
            leading=size * 1.1,
            textColor=muted,
            spaceBefore=size * 0.2,
            spaceAfter=0,
        ),
        small=ParagraphStyle("small", parent=body, fontSize=size * 0.8, leading=size, textColor=muted, spaceAfter=0),
        size=size,
    )


def callout(text: str, source: str, styles: Styles, width: float, palette: Palette) -> Flowable:
    """A quotation set off in a tinted box with an accent rule on the left (a BlockQuote), kept whole."""
    return KeepTogether(callout_parts(text, source, styles, width, palette))


def callout_parts(text: str, source: str, styles: Styles, width: float, palette: Palette) -> list[Flowable]:
    """The flowables of a ``callout``: the box and the space round it."""
    quote = Tag("BlockQuote")
    cells: list[Flowable] = [tag(Paragraph(esc(text), styles.quote), Tag("P", quote))]
    if source:
        cells.append(tag(Paragraph(esc(source), styles.quote_source), Tag("P", quote)))
    pad = styles.size * 0.6
    table = Table([[cells]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                ("BACKGROUND", (0, 0), (-1, -1), colour(palette.tint)),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colour(palette.accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    return [Spacer(1, styles.size * 0.3), table, Spacer(1, styles.size * 0.5)]


def link_text(link: Link) -> str:
    """A useful website as Paragraph markup: bold name, description, address (underlined, and a Link element)."""
    parts = [f"<b>{esc(link.name)}</b>"]
    if link.text:
        parts.append(esc(link.text))
    if link.url:
        parts.append(link_markup(link.url, esc(link.display_url), "#1d4f91"))
    return " ".join(parts)


def address_link(value: str, markup: str | None = None) -> str:
    """An email or web address as Paragraph markup of a link to it (an email's to ``mailto:``), underlined and a Link
    element; ``markup``: the address already written as markup (broken into lines). Any other value is left as its
    markup."""
    shown = esc(value) if markup is None else markup
    return link_markup(link_target(value), shown) if ADDRESS.fullmatch(value) else shown


def linked(text: str) -> str:
    """Plain ``text`` as Paragraph markup, each email and web address in it a link (as the DOCX has them)."""
    out, start = [], 0
    for found in ADDRESS.finditer(text):
        out += [esc(text[start : found.start()]), address_link(found.group())]
        start = found.end()
    return "".join(out) + esc(text[start:])


class QrCode(Flowable):
    """A QR code, ``size`` points square with a quiet zone of two modules, drawn as one filled path."""

    BORDER = qr.BORDER

    def __init__(self, url: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.url = url
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        runs = qr.dark_runs(self.url)
        count = max(row for row, _, _ in runs) + 1 + 2 * self.BORDER
        module = self.width / count
        path = self.canv.beginPath()
        for row, column, length in runs:
            path.rect(
                (column + self.BORDER) * module, self.height - (row + self.BORDER + 1) * module, length * module, module
            )
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def qr_code(url: str, size: float = QR_SIZE, parent: Tag | None = None) -> Flowable:
    """A QR code whose payload is ``url``, as a flowable ``size`` points square (a Figure in ``parent``)."""
    return tag(QrCode(url, size), Tag("Figure", parent, alt=f"QR code for {url}"))


class Item(Paragraph):
    """A list item: moved whole to the next column or page, never split across two."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []


def bullet(markup: str, style: ParagraphStyle, parent: Tag) -> Paragraph:
    """A bulleted paragraph, kept whole: an item of the list ``parent``."""
    return tag(Item(markup, style, bulletText="•"), list_item(parent))


def link_flowable(link: Link, styles: Styles, width: float, parent: Tag) -> Flowable:
    """A useful website as a bullet of the list ``parent``; one with an address has its QR code beside the text,
    apart from the next."""
    text = bullet(link_text(link), styles.bullet, parent)
    if not link.url:
        return text
    qr_w = QR_SIZE + styles.size * 0.5
    table = Table([[text, qr_code(link.url, parent=text.tag)]], colWidths=[width - qr_w, qr_w])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), QR_SPACE / 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), QR_SPACE / 2),
            ]
        )
    )
    return table


def block_flowables(block: Block, styles: Styles, width: float, palette: Palette) -> list[Flowable]:
    """The flowables of one content block."""
    if block.kind == "quote":
        return [callout(block.text, block.source, styles, width, palette)]
    if block.kind == "bullets":
        items = Tag("L")
        return [bullet(linked(item), styles.bullet, items) for item in block.items]
    if block.kind == "links":
        items = Tag("L")
        return [link_flowable(item, styles, width, items) for item in block.items]
    if block.kind == "contacts":
        return [
            tag(Paragraph(f"<b>{esc(label)}:</b> {linked(value)}", styles.body), Tag("P"))
            for label, value in block.items
        ]
    return [tag(Paragraph(linked(block.text), styles.body), Tag("P"))]


def section_flowables(section: Section, styles: Styles, width: float, palette: Palette) -> list[Flowable]:
    """A section: its heading kept with the start of its first block, then the blocks."""
    flowables: list[Flowable] = [tag(Paragraph(esc(section.heading), styles.heading), Tag("H2"))]
    for block, following in zip(section.blocks, (*section.blocks[1:], None)):
        flowables.extend(block_flowables(block, styles, width, palette))
        if introduces_list(block, following):
            flowables[-1].keepWithNext = 1
    return flowables


def fit_paragraph(
    text: str, style: ParagraphStyle, width: float, height: float, min_size: float, what: str
) -> Paragraph:
    """Plain ``text`` in a box, shrunk step by step (never below ``min_size``) until it fits; FitError otherwise."""
    size = style.fontSize
    while size >= min_size - 1e-6:
        fitted = ParagraphStyle(
            f"{style.name}-{size}", parent=style, fontSize=size, leading=style.leading * size / style.fontSize
        )
        para = Paragraph(esc(text), fitted)
        _, h = para.wrap(width, height)
        if h <= height + 1e-6 and max(para.getActualLineWidths0() or [0]) <= width + 1e-6:
            return para
        size -= 0.5
    raise FitError(f"{what} overflows: '{text}' does not fit even at {min_size:g} pt; shorten it", value=text)


def footer_on(footer: Paragraph, page: int, last: int) -> Paragraph:
    """The running footer (school, review date, content version) to draw on ``page`` of ``last``: decoration, but
    on the last page the document's closing paragraph, so that a screen reader reads its facts once, at the end."""
    return tag(footer, Tag("P", rank=CLOSING) if page == last else None)


def logo(picture: Picture, max_w: float, max_h: float, alt: str | None = None, parent: Tag | None = None) -> Image:
    """A logo or photo scaled to fit a box, keeping its proportions; a Figure with ``alt`` text, if given."""
    image = Image(io.BytesIO(picture.data))
    scale = min(max_w / image.imageWidth, max_h / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return tag(image, Tag("Figure", parent, alt=alt)) if alt else image


def contact_entries(
    sheet: FactSheet, styles: Styles, palette: Palette, width: float | None = None
) -> list[list[Paragraph]]:
    """The safeguarding team, the CSE note and the agencies, one entry each (the rows of one tagged table).

    Each entry is its label (role or agency) in bold accent colour, then the name in bold and the numbers
    and addresses one to a line, numbers never split across lines; given the ``width`` of the entries' column,
    names and addresses are broken at their natural points to fit it.
    """
    label = ParagraphStyle(
        "contact-label",
        parent=styles.body,
        fontName=styles.heading.fontName,
        textColor=colour(palette.accent),
        spaceAfter=0,
        keepWithNext=1,
    )
    line = ParagraphStyle("contact-line", parent=styles.body, spaceAfter=0)
    table = Tag("Table")  # each entry a row: its label the row's header cell, its lines the data cell

    def broken(value: str, font: str) -> str:
        return esc(value) if width is None else breaks.markup(value, font, styles.size, width)

    def entry(heading: str | None, lines: list[str]) -> list[Paragraph]:
        row = Tag("TR", table)
        head = [tag(Paragraph(esc(heading), label), cell(row, "Row"))] if heading else []
        data = cell(row, span=1 if heading else 2)
        return [*head, *(tag(Paragraph(text, line), data) for text in lines)]

    bold, regular = styles.heading.fontName, styles.body.fontName
    entries: list[list[Paragraph]] = []
    for person in sheet.panel_people:
        lines = [f"<b>{broken(person.name, bold)}</b>"] + ([esc(nobreak(person.phone))] if person.phone else [])
        lines += [address_link(person.email, broken(person.email, regular))] if person.email else []
        entries.append(entry(person.role, lines))
    entries += [entry(None, [esc(note)]) for note in sheet.notes]
    for agency in sheet.agencies:
        lines = [
            f"{esc(caption)} <b>{address_link(value, broken(value, bold)) if breaks.is_address(value) else esc(nobreak(value))}</b>".strip()
            for caption, value in agency.lines
        ]
        entries.append(entry(agency.label, lines))
    return entries


def contact_flowables(sheet: FactSheet, styles: Styles, palette: Palette, width: float | None = None) -> list[Flowable]:
    """The entries of ``contact_entries`` as a single-column list: one kept-together block per entry."""
    return [
        KeepTogether([*entry, Spacer(1, styles.body.spaceAfter)])
        for entry in contact_entries(sheet, styles, palette, width)
    ]
