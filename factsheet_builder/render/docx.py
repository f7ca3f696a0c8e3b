"""python-docx building blocks shared by layouts: paragraphs and runs, content sections, contacts, QR codes, footers.

A layout imports this one module: it also offers the document's set-up and saving (from ``docx_document``) and
the table helpers (from ``docx_tables``).
"""

from __future__ import annotations

import base64
import copy
import io
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from lxml import etree

from factsheet_builder.cache import Cache, decoded
from factsheet_builder.fonts import FontFamily
from factsheet_builder.model import Block, FactSheet, Link, Section
from factsheet_builder.render import breaks, introduces_list, nobreak, qr
from factsheet_builder.render import docx_a11y as a11y
from factsheet_builder.render.docx_document import new_document, save, set_style, template
from factsheet_builder.render.docx_pictures import QR_POSITION, add_picture, float_picture, floating_picture
from factsheet_builder.render.docx_tables import (
    border_lines,
    borders,
    cell_borders,
    cell_margins,
    column_widths,
    exact_height,
    paragraphs_in,
    shade,
    shading,
    span,
)
from factsheet_builder.render.docx_xml import last_section, of_paragraph, remove
from factsheet_builder.render.units import MM

__all__ = [  # what layouts use, wherever it is defined
    "QR_MM",
    "add_block",
    "add_contacts",
    "add_paragraph",
    "add_picture",
    "add_run",
    "add_section",
    "add_sections",
    "band",
    "borders",
    "cell_borders",
    "cell_margins",
    "column_widths",
    "columns",
    "continuous_section",
    "exact_height",
    "floating_picture",
    "footer",
    "new_document",
    "paragraphs_in",
    "remove",
    "rule_before",
    "save",
    "set_style",
    "shade",
    "span",
    "text_width",
]

QR_MM = 14  # the size the PDF prints them
LIST_INDENT = 18  # points: python-docx's template indents a List Bullet's text a quarter of an inch


def add_paragraph(container, text: str = "", style: str | None = None):
    """``container.add_paragraph(text, style)`` (a document or a table cell), with the style set by id."""
    paragraph = container.add_paragraph(text)
    if style is not None:
        set_style(paragraph, style)
    return paragraph


def columns(sect_pr, count: int, space_mm: float, widths_mm: tuple[float, ...] | None = None) -> None:
    """Set the text columns of a section (``sect_pr``, its w:sectPr): ``count`` of them ``space_mm`` apart, of
    equal widths or of ``widths_mm``."""
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), str(int(space_mm * 56.7)))
    if widths_mm:
        cols.set(qn("w:equalWidth"), "0")
        for index, width in enumerate(widths_mm):
            col = OxmlElement("w:col")
            col.set(qn("w:w"), str(int(width * 56.7)))
            if index + 1 < len(widths_mm):
                col.set(qn("w:space"), str(int(space_mm * 56.7)))
            cols.append(col)


def continuous_section(
    doc: DocumentType, column_count: int, space_mm: float = 6, widths_mm: tuple[float, ...] | None = None
):
    """Start a new section on the same page with ``column_count`` columns (of ``widths_mm``, if given)."""
    section = doc.add_section(WD_SECTION.CONTINUOUS)
    columns(last_section(doc), column_count, space_mm, widths_mm)
    return section


def band(paragraph, hex_colour: str, pad_pt: float) -> None:
    """Set ``paragraph`` on a band of colour reaching the text margins, ``pad_pt`` round its text: a shaded box
    (neighbouring paragraphs with the same box share one)."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(pad_pt)
    edges = border_lines("w:pBdr", ("top", "left", "bottom", "right"), hex_colour, 4)
    for edge in edges:
        edge.set(qn("w:space"), str(round(pad_pt)))
    fill = shading(hex_colour)
    p_pr = of_paragraph(paragraph).get_or_add_pPr()
    for element in (edges, fill):  # both come before the paragraph's tabs, spacing, indents and alignment
        p_pr.insert_element_before(
            element, "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr", "w:pPrChange"
        )


def rule_before(paragraph, hex_colour: str, size_eighths: int, space_pt: float) -> None:
    """A line of one colour down the left of ``paragraph``, ``space_pt`` before its text (neighbouring paragraphs
    with the same line share one)."""
    edges = border_lines("w:pBdr", ("left",), hex_colour, size_eighths)
    edges[0].set(qn("w:space"), str(round(space_pt)))
    of_paragraph(paragraph).get_or_add_pPr().insert_element_before(
        edges,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:spacing",
        "w:ind",
        "w:jc",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def add_run(
    paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    colour: str | None = None,
):
    """Append literal text (never markup) as a run."""
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    return run


def text_width(doc: DocumentType) -> int:
    """The width of one text column of the document's last section, in EMU."""
    section = doc.sections[-1]
    cols = last_section(doc).find(qn("w:cols"))
    count = int(cols.get(qn("w:num"), 1)) if cols is not None else 1
    space = Twips(int(cols.get(qn("w:space"), 0))) if cols is not None else 0
    page, left, right = section.page_width, section.left_margin, section.right_margin
    assert page is not None and left is not None and right is not None  # the template sets them
    return (page - left - right - (count - 1) * space) // count


def _link_item(doc: DocumentType, link: Link, body_size: float, fonts: FontFamily) -> None:
    """A useful website as an item of the websites' list: its name, description and address, and the QR code of
    the address floating at the right, the item spaced to be at least as tall as the code (the next starts below)."""
    para = add_paragraph(doc, "", "List Bullet")
    add_run(para, link.name, bold=True)
    if link.text:
        add_run(para, f" {link.text}")
    if not link.url:
        return
    add_run(para, " ")
    a11y.link(add_run(para, link.display_url), link.url)
    code = para.add_run()
    add_picture(code, io.BytesIO(qr.png(link.url)), f"QR code for {link.url}", width=Mm(QR_MM))
    gap = 2 * MM  # between the text and the code
    float_picture(code, QR_POSITION, f'<wp:wrapSquare {nsdecls("wp")} wrapText="left"/>', round(gap * 12700))
    fonts.register()
    room = text_width(doc) / 12700 - LIST_INDENT - QR_MM * MM - gap
    text = " ".join(part for part in (link.name, link.text, link.display_url) if part)
    lines = len(breaks.wrap(text, fonts.faces["regular"], body_size, room))
    needed = (QR_MM + 1) * MM - lines * body_size * 1.1  # a line is at least 1.1 of the size in the DOCX styles
    if needed > body_size * 0.08:  # more than the style's own space after an item
        para.paragraph_format.space_after = Pt(needed)
        a11y.own_spacing(para)


def add_block(
    doc: DocumentType, block: Block, body_size: float, accent: str, fonts: FontFamily, italic_quotes: bool = True
) -> None:
    """One content block as Word paragraphs with real styles."""
    if block.kind == "bullets":
        for item in block.items:
            a11y.add_linked_text(add_paragraph(doc, "", "List Bullet"), item, add_run)
    elif block.kind == "links":
        for link in block.items:
            _link_item(doc, link, body_size, fonts)
    elif block.kind == "contacts":
        for label, value in block.items:
            para = doc.add_paragraph()
            add_run(para, f"{label}:", bold=True)
            a11y.add_linked_text(para, f" {value}", add_run)
    elif block.kind == "quote":
        para = add_paragraph(doc, "", "Quote")
        add_run(para, block.text, italic=italic_quotes)
        _quote_border(para, accent)
        if block.source:
            add_run(para, f" {block.source}", bold=True, size=body_size * 0.85)
    else:
        a11y.add_linked_text(doc.add_paragraph(), block.text, add_run)


def _quote_border(paragraph, accent: str) -> None:
    p_pr = of_paragraph(paragraph).get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", accent.lstrip("#").upper())):
        left.set(qn(k), v)
    bdr.append(left)
    p_pr.append(bdr)


def add_section(
    doc: DocumentType, section: Section, body_size: float, accent: str, fonts: FontFamily, italic_quotes: bool = True
) -> None:
    """A content section: a real Heading 2 (under the title, Heading 1), then its blocks."""
    add_paragraph(doc, section.heading, "Heading 2")
    for block, following in zip(section.blocks, (*section.blocks[1:], None)):
        add_block(doc, block, body_size, accent, fonts, italic_quotes)
        if introduces_list(block, following):
            doc.paragraphs[-1].paragraph_format.keep_with_next = True


def add_sections(
    doc: DocumentType,
    sections: tuple[Section, ...],
    body_size: float,
    accent: str,
    fonts: FontFamily,
    italic_quotes: bool = True,
    cache: Cache | None = None,
) -> None:
    """Every content section, as ``add_section`` writes them, at the end of ``doc``.

    The sections are the same for every school, so they are written once (per text width, size and accent) into
    a scratch document and their XML is copied into each school's document, with its pictures (QR codes) and
    link addresses added to the document and their drawing ids renumbered to stay unique. Written sections are
    remembered between builds in ``cache`` when given (as XML), since writing them takes longer than all the rest
    of a school's DOCX.
    """
    settings = (sections, body_size, accent, fonts, italic_quotes, text_width(doc))
    elements, images, links = (
        _sections(*settings)
        if cache is None
        else cache.remembered_as(
            repr(("docx sections", *settings)), lambda: _write_sections(*settings), _loaded_sections
        )
    )
    end = doc.element.body.get_or_add_sectPr()
    rids = {old: doc.part.get_or_add_image(io.BytesIO(blob))[0] for old, blob in images.items()}
    rids.update({old: doc.part.relate_to(url, RT.HYPERLINK, is_external=True) for old, url in links.items()})
    next_id = doc.part.next_id
    for element in elements:
        element = copy.deepcopy(element)
        for blip in element.iter(qn("a:blip")):
            blip.set(qn("r:embed"), rids[blip.get(qn("r:embed"))])
        for hyperlink in element.iter(qn("w:hyperlink")):
            hyperlink.set(qn("r:id"), rids[hyperlink.get(qn("r:id"))])
        for drawing in element.iter(qn("wp:docPr")):  # named as python-docx names a picture it adds
            drawing.set("id", str(next_id))
            drawing.set("name", f"Picture {next_id}")
            next_id += 1
        end.addprevious(element)


@lru_cache(maxsize=16)
def _sections(
    sections: tuple[Section, ...], body_size: float, accent: str, fonts: FontFamily, italic_quotes: bool, width: int
) -> tuple[tuple, dict[str, bytes], dict[str, str]]:
    """The written sections (see ``add_sections``), once per process."""
    return _loaded_sections(_write_sections(sections, body_size, accent, fonts, italic_quotes, width))


def _write_sections(
    sections: tuple[Section, ...], body_size: float, accent: str, fonts: FontFamily, italic_quotes: bool, width: int
) -> list:
    scratch = Document(io.BytesIO(template()))
    section = scratch.sections[0]
    section.left_margin = section.right_margin = Emu(0)
    section.page_width = Emu(width)
    body = scratch.element.body
    before = len(body) - 1  # new paragraphs and tables go before the body's closing w:sectPr
    for content in sections:
        add_section(scratch, content, body_size, accent, fonts, italic_quotes)
    rels = scratch.part.rels.values()
    return [
        [etree.tostring(element, encoding="unicode") for element in body[before:-1]],
        {rel.rId: base64.b64encode(rel.target_part.blob).decode("ascii") for rel in rels if rel.reltype == RT.IMAGE},
        {rel.rId: rel.target_ref for rel in rels if rel.reltype == RT.HYPERLINK},
    ]


def _loaded_sections(value: object) -> tuple[tuple, dict[str, bytes], dict[str, str]]:
    """Remembered sections as ``_write_sections`` gives them; ValueError for a value of the wrong shape."""
    if not (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], list)
        and all(isinstance(element, str) for element in value[0])
        and all(
            isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values()) for mapping in value[1:]
        )
    ):
        raise ValueError("not written sections")
    elements, images, links = value
    try:
        parsed = tuple(parse_xml(element) for element in elements)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"damaged XML: {exc}") from None
    return parsed, {rid: decoded(image) for rid, image in images.items()}, links


def footer(section, text: str, page_numbers: bool = True) -> None:
    """A footer line with the given text and 'Page N of M' fields."""
    para = section.footer.paragraphs[0]
    add_run(para, text)
    if page_numbers:
        add_run(para, "   Page " if text else "Page ")
        _field(para, "PAGE")
        add_run(para, " of ")
        _field(para, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay the page out."""
    begin, separate, end = (OxmlElement("w:fldChar") for _ in range(3))
    for el, kind in ((begin, "begin"), (separate, "separate"), (end, "end")):
        el.set(qn("w:fldCharType"), kind)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    run = paragraph.add_run()
    for el in (begin, instr, separate, placeholder, end):
        run.element.append(el)


def add_contacts(doc: DocumentType, sheet: FactSheet, accent: str) -> None:
    """The safeguarding team and the agencies as a single-column list, each entry kept on one page.

    Each entry is its label (role or agency) in bold accent colour, then the name in bold and the numbers
    and addresses one to a line, never split across lines.
    """
    entries: list[tuple[str, list[tuple[str, str, bool]]]] = []  # label, then (caption, text, bold) lines
    for person in sheet.panel_people:
        numbers = [("", nobreak(v), False) for v in (person.phone, person.email) if v]
        entries.append((person.role, [("", person.name, True), *numbers]))
    entries += [("", [("", note, False)]) for note in sheet.notes]
    for agency in sheet.agencies:
        entries.append((agency.label, [(caption, nobreak(value), True) for caption, value in agency.lines]))
    space_after = doc.styles["Normal"].paragraph_format.space_after
    for label, lines in entries:
        paragraphs = []
        if label:
            paragraphs.append(doc.add_paragraph())
            add_run(paragraphs[-1], label, bold=True, colour=accent)
        for caption, text, bold in lines:
            paragraphs.append(doc.add_paragraph())
            if caption:
                add_run(paragraphs[-1], f"{caption} ")
            a11y.add_linked_text(paragraphs[-1], text, lambda para, piece, bold=bold: add_run(para, piece, bold=bold))
        for para in paragraphs[:-1]:
            para.paragraph_format.space_after = Pt(0)
            para.paragraph_format.keep_with_next = True
        paragraphs[-1].paragraph_format.space_after = space_after
