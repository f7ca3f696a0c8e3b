"""python-docx building blocks shared by layouts: page set-up, styles, blocks, tables, reproducible saving."""

from __future__ import annotations

import copy
import datetime as dt
from functools import lru_cache
import io
import zipfile

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from factsheet_builder.fonts import FontFamily
from factsheet_builder.images import docx_picture
from factsheet_builder.model import Block, FactSheet, Section
from factsheet_builder.render import docx_a11y as a11y
from factsheet_builder.render import introduces_list, nobreak, qr

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
QR_MM = 14  # the size the PDF prints them


@lru_cache(maxsize=1)
def _template() -> bytes:
    """python-docx's default document, lightened of what no leaflet uses and made up 90% of every file's bytes and
    of the time to write it: 98 table styles (Word still offers them, and adds one when it is applied), the
    Word 2010 copy of all styles (stylesWithEffects), the bibliography sources and a stock thumbnail picture."""
    doc = Document()
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1" and \
                style.get(qn("w:styleId")) != "TableGrid":
            styles.remove(style)
    unused = (RT.CUSTOM_XML, STYLES_WITH_EFFECTS, RT.THUMBNAIL)
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in unused]:
            del rels[rid]
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _style_ids() -> dict[str, str]:
    return {style.name: style.style_id for style in Document(io.BytesIO(_template())).styles}


def set_style(paragraph, name: str) -> None:
    """Give ``paragraph`` the template's style ``name``, by its id: python-docx finds a style by name by reading
    every style in the document, which made looking styles up the slowest part of writing a DOCX."""
    paragraph._p.style = _style_ids()[name]


def add_paragraph(container, text: str = "", style: str | None = None):
    """``container.add_paragraph(text, style)`` (a document or a table cell), with the style set by id."""
    paragraph = container.add_paragraph(text)
    if style is not None:
        set_style(paragraph, style)
    return paragraph


def new_document(sheet: FactSheet, fonts: FontFamily, body_size: float, accent: str, kind: str,
                 page: tuple[float, float] = (210, 297), margin_mm: float = 12.7) -> DocumentType:
    """A document with page size, margins, fonts and core properties set."""
    doc = Document(io.BytesIO(_styled_template(fonts, body_size, accent, sheet.language, page, margin_mm)))
    core = doc.core_properties
    core.title = f"{sheet.title}: {kind} for {sheet.school_name}"
    core.author = core.last_modified_by = sheet.authority
    core.subject = sheet.subject
    core.language = sheet.language
    core.keywords = "safeguarding; child sexual exploitation"
    core.comments = f"Content version {sheet.version}"
    core.revision = 1
    core.created = core.modified = dt.datetime.combine(sheet.review_date, dt.time()) - dt.timedelta(days=365)
    return doc


@lru_cache(maxsize=16)
def _styled_template(fonts: FontFamily, body_size: float, accent: str, language: str, page: tuple[float, float],
                     margin_mm: float) -> bytes:
    """The empty document with page set-up and styles, made once per body size and accent for all schools."""
    doc = Document(io.BytesIO(_template()))
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(page[0]), Mm(page[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(margin_mm))
    section.header_distance = section.footer_distance = Mm(margin_mm * 0.6)
    colour = RGBColor.from_string(accent.lstrip("#").upper())
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, fonts.docx_name, body_size)
    normal.paragraph_format.space_after = Pt(body_size * 0.3)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.08
    _language(normal, language)
    a11y.default_language(doc, language)
    a11y.add_hyperlink_style(doc, colour)
    for name, size, bold in (("Title", body_size * 2.2, True), ("Subtitle", body_size * 1.15, False),
                             ("Heading 1", body_size * 1.25, True), ("Heading 2", body_size * 1.1, True)):
        style = styles[name]
        _font(style, fonts.docx_name, size, bold=bold, colour=colour)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(body_size * (0.5 if name.startswith("Heading") else 0))
        style.paragraph_format.space_after = Pt(body_size * 0.2)
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "Quote", "Footer"):
        _font(styles[name], fonts.docx_name, body_size * (0.8 if name == "Footer" else 1))
    bullet = styles["List Bullet"].paragraph_format
    bullet.space_after = Pt(body_size * 0.08)
    quote = styles["Quote"]
    quote.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
    quote.paragraph_format.left_indent = Mm(3)
    quote.paragraph_format.right_indent = Mm(0)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _font(style, name: str, size: float, bold: bool | None = None, colour: RGBColor | None = None) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour


def _language(style, language: str) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)


def columns(section, count: int, space_mm: float) -> None:
    """Set a section's number of text columns."""
    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), str(int(space_mm * 56.7)))


def continuous_section(doc: DocumentType, column_count: int, space_mm: float = 6):
    """Start a new section on the same page with ``column_count`` columns."""
    section = doc.add_section(WD_SECTION.CONTINUOUS)
    columns(section, column_count, space_mm)
    return section


def shade(cell, hex_colour: str) -> None:
    """Fill a table cell with a colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    tc_pr.append(shd)


def band(paragraph, hex_colour: str, pad_pt: float) -> None:
    """Set ``paragraph`` on a band of colour reaching the text margins, ``pad_pt`` round its text: a shaded box
    (neighbouring paragraphs with the same box share one)."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(pad_pt)
    edges = _borders("w:pBdr", ("top", "left", "bottom", "right"), hex_colour, 4)
    for edge in edges:
        edge.set(qn("w:space"), str(round(pad_pt)))
    fill = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", hex_colour.lstrip("#").upper())):
        fill.set(qn(key), value)
    p_pr = paragraph._p.get_or_add_pPr()
    for element in (edges, fill):  # both come before the paragraph's tabs, spacing, indents and alignment
        p_pr.insert_element_before(element, "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
                                   "w:rPr", "w:sectPr", "w:pPrChange")


def span(cells) -> _Cell:
    """Merge a row's empty ``cells``, left to right, into the first and return it (python-docx's general
    ``merge`` does the same, far more slowly)."""
    first = cells[0]
    first.width = sum(cell.width for cell in cells)
    first._tc.grid_span = len(cells)
    for cell in cells[1:]:
        cell._tc.getparent().remove(cell._tc)
    return first


def paragraphs_in(table) -> list[Paragraph]:
    """Every paragraph in every cell of ``table``, each once (merged cells too)."""
    return [Paragraph(p, table) for p in table._tbl.iter(qn("w:p"))]


def borders(table, hex_colour: str, size_eighths: int = 8) -> None:
    """Give a table an outer box and inner lines in one colour."""
    table._tbl.tblPr.append(
        _borders("w:tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV"), hex_colour, size_eighths)
    )
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def add_run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
            colour: str | None = None):
    """Append literal text (never markup) as a run."""
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    return run


def add_qr(paragraph, url: str, size_mm: float = QR_MM) -> None:
    """A QR code picture of ``url`` at the end of ``paragraph``, with the URL as its alt text."""
    picture = paragraph.add_run().add_picture(io.BytesIO(qr.png(url)), width=Mm(size_mm))
    picture._inline.docPr.set("descr", url)


def text_width(doc: DocumentType) -> int:
    """The width of one text column of the document's last section, in EMU."""
    section = doc.sections[-1]
    cols = section._sectPr.find(qn("w:cols"))
    count = int(cols.get(qn("w:num"), 1)) if cols is not None else 1
    space = Twips(int(cols.get(qn("w:space"), 0))) if cols is not None else 0
    return (section.page_width - section.left_margin - section.right_margin - (count - 1) * space) // count


def beside_qr(doc: DocumentType, url: str, size_mm: float = QR_MM):
    """A borderless row with the QR code of ``url`` on the right; returns the empty paragraph on its left."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    qr_width = Mm(size_mm + 2)
    for column, width in zip(table.columns, (text_width(doc) - qr_width, qr_width)):
        column.width = width
        column.cells[0].width = width
        column.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    picture = table.cell(0, 1).paragraphs[0]
    picture.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    picture.paragraph_format.space_after = Pt(0)
    add_qr(picture, url, size_mm)
    a11y.layout_table(table, "Link and QR code", "The link on the left; on the right a QR code of its address.")
    return table.cell(0, 0).paragraphs[0]


def add_block(doc: DocumentType, block: Block, body_size: float, accent: str, italic_quotes: bool = True) -> None:
    """One content block as Word paragraphs with real styles."""
    if block.kind == "bullets":
        for item in block.items:
            a11y.add_linked_text(add_paragraph(doc, "", "List Bullet"), item, add_run)
    elif block.kind == "links":
        for link in block.items:
            para = beside_qr(doc, link.url) if link.url else doc.add_paragraph()
            set_style(para, "List Bullet")
            add_run(para, link.name, bold=True)
            if link.text:
                add_run(para, f" {link.text}")
            if link.url:
                add_run(para, " ")
                a11y.link(add_run(para, link.display_url), link.url)
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
    p_pr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", accent.lstrip("#").upper())):
        left.set(qn(k), v)
    bdr.append(left)
    p_pr.append(bdr)


def add_section(doc: DocumentType, section: Section, body_size: float, accent: str, italic_quotes: bool = True) -> None:
    """A content section: a real Heading 1, then its blocks."""
    add_paragraph(doc, section.heading, "Heading 1")
    for block, following in zip(section.blocks, (*section.blocks[1:], None)):
        add_block(doc, block, body_size, accent, italic_quotes)
        if introduces_list(block, following):
            doc.paragraphs[-1].paragraph_format.keep_with_next = True


def add_sections(doc: DocumentType, sections: tuple[Section, ...], body_size: float, accent: str,
                 italic_quotes: bool = True) -> None:
    """Every content section, as ``add_section`` writes them, at the end of ``doc``.

    The sections are the same for every school, so they are written once (per text width, size and accent) into
    a scratch document and their XML is copied into each school's document, with its pictures (QR codes) and
    link addresses added to the document and their drawing ids renumbered to stay unique.
    """
    elements, images, links = _written_sections(sections, body_size, accent, italic_quotes, text_width(doc))
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
def _written_sections(sections: tuple[Section, ...], body_size: float, accent: str, italic_quotes: bool,
                      width: int) -> tuple[tuple, dict[str, bytes], dict[str, str]]:
    """The body elements of the sections written into a scratch document of text width ``width``, the image of
    each picture relationship they use and the address of each link relationship."""
    scratch = Document(io.BytesIO(_template()))
    section = scratch.sections[0]
    section.left_margin = section.right_margin = 0
    section.page_width = width
    body = scratch.element.body
    before = len(body) - 1  # new paragraphs and tables go before the body's closing w:sectPr
    for content in sections:
        add_section(scratch, content, body_size, accent, italic_quotes)
    elements = tuple(body[before:-1])
    images = {rel.rId: rel.target_part.blob for rel in scratch.part.rels.values() if rel.reltype == RT.IMAGE}
    links = {rel.rId: rel.target_ref for rel in scratch.part.rels.values() if rel.reltype == RT.HYPERLINK}
    return elements, images, links


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
        run._r.append(el)


def floating_picture(paragraph, path, height_mm: float, description: str) -> None:
    """A picture anchored to the top right of the page's text area, with text wrapping round it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    run = paragraph.add_run()
    run.add_picture(docx_picture(path), height=Mm(height_mm))
    inline = run._r.xpath(".//wp:inline")[0]
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="114300" distR="0" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:align>top</wp:align></wp:positionV>'
        "</wp:anchor>"
    )
    extent, doc_pr, frame_pr, graphic = (inline.find(qn(f"wp:{tag}")) if tag != "graphic" else
                                         inline.find(qn("a:graphic")) for tag in
                                         ("extent", "docPr", "cNvGraphicFramePr", "graphic"))
    doc_pr.set("descr", description)
    anchor.append(extent)
    anchor.append(parse_xml(f'<wp:effectExtent {nsdecls("wp")} l="0" t="0" r="0" b="0"/>'))
    anchor.append(parse_xml(f'<wp:wrapSquare {nsdecls("wp")} wrapText="left"/>'))
    for el in (doc_pr, frame_pr, graphic):
        anchor.append(el)
    inline.getparent().replace(inline, anchor)


class _FixedTimeZip:
    """Where python-docx's package writer puts each part: zip members with a fixed time and mode."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def write(self, pack_uri, blob: bytes) -> None:
        member = zipfile.ZipInfo(pack_uri.membername, FIXED_TIME)
        member.compress_type = zipfile.ZIP_DEFLATED
        member.external_attr = 0o644 << 16
        self.archive.writestr(member, blob)


# The order WordprocessingML gives the properties of a table and of a cell; the helpers here append them as they go
_SCHEMA_ORDER = {
    qn("w:tblPr"): [qn(f"w:{tag}") for tag in (
        "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
        "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
        "tblDescription")],
    qn("w:tcPr"): [qn(f"w:{tag}") for tag in (
        "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
        "tcFitText", "vAlign", "hideMark")],
}


def _in_schema_order(body) -> None:
    """Sort the properties of every table and cell into the schema's order, which Word holds a file to."""
    for tag, order in _SCHEMA_ORDER.items():
        rank = {name: i for i, name in enumerate(order)}
        for props in body.iter(tag):
            children = list(props)
            ordered = sorted(children, key=lambda child: rank.get(child.tag, len(rank)))
            if ordered != children:
                props[:] = ordered


def save(doc: DocumentType) -> bytes:
    """The document's bytes, reproducibly: fixed timestamps and member order in the zip.

    This is ``doc.save()`` (python-docx's OpcPackage.save) with each member written with a fixed time, rather
    than saving and zipping everything again.
    """
    from docx.opc.pkgwriter import PackageWriter

    _in_schema_order(doc.element.body)
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _FixedTimeZip(archive)
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)
    return out.getvalue()


def add_contacts(doc: DocumentType, sheet: FactSheet, accent: str) -> None:
    """The safeguarding team and the agencies as a single-column list, each entry kept on one page.

    Each entry is its label (role or agency) in bold accent colour, then the name in bold and the numbers
    and addresses one to a line, never split across lines.
    """
    entries: list[tuple[str, list[tuple[str, str, bool]]]] = []  # label, then (caption, text, bold) lines
    for person in sheet.people:
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


def cell_borders(cell, hex_colour: str, size_eighths: int, edges: tuple[str, ...] = ("top", "left", "bottom", "right")
                 ) -> None:
    """Draw some edges of one table cell in one colour (size in eighths of a point)."""
    cell._tc.get_or_add_tcPr().append(_borders("w:tcBorders", edges, hex_colour, size_eighths))


def _borders(tag: str, edges: tuple[str, ...], hex_colour: str, size_eighths: int):
    """A table or cell borders element: single lines of one colour on the given edges."""
    element = OxmlElement(tag)
    for edge in edges:
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size_eighths))
        line.set(qn("w:color"), hex_colour.lstrip("#").upper())
        element.append(line)
    return element


def cell_margins(table, top_mm: float, right_mm: float, bottom_mm: float, left_mm: float) -> None:
    """The padding inside every cell of a table; the table is indented by its left padding so its edge meets the margin."""
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(value * 56.7)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(round(left_mm * 56.7)))
    indent.set(qn("w:type"), "dxa")
    table._tbl.tblPr.append(indent)
    table._tbl.tblPr.append(margins)


def column_widths(table, widths_mm: list[float]) -> None:
    """Fix a table's column widths and total width, which Word and LibreOffice then keep."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    tbl_pr = table._tbl.tblPr
    for tag, attrs in (("w:tblW", {"w:w": str(round(sum(widths_mm) * 56.7)), "w:type": "dxa"}),
                       ("w:tblLayout", {"w:type": "fixed"})):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        tbl_pr.append(el)


def exact_height(row, height_mm: float) -> None:
    """Give a table row exactly this height (a spacer between rows of cards)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
