"""A new DOCX from python-docx's default document, lightened: page set-up, styles by id, core properties, and
its reproducible bytes."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentType
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from factsheet_builder.cache import Cache
from factsheet_builder.fonts import FontFamily
from factsheet_builder.model import FactSheet
from factsheet_builder.render import docx_a11y as a11y
from factsheet_builder.render.docx_xml import of_paragraph

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_SIGNATURE = b"PK\x03\x04"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


@lru_cache(maxsize=1)
def template() -> bytes:
    """python-docx's default document, lightened of what no leaflet uses and made up 90% of every file's bytes and
    of the time to write it: 98 table styles (Word still offers them, and adds one when it is applied), the
    Word 2010 copy of all styles (stylesWithEffects), the bibliography sources and a stock thumbnail picture."""
    doc = Document()
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if (
            style.get(qn("w:type")) == "table"
            and style.get(qn("w:default")) != "1"
            and style.get(qn("w:styleId")) != "TableGrid"
        ):
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
    """The template's style ids by name (reading them means parsing the template, once per process)."""
    return {style.name: style.style_id for style in Document(io.BytesIO(template())).styles}


def set_style(paragraph, name: str) -> None:
    """Give ``paragraph`` the template's style ``name``, by its id: python-docx finds a style by name by reading
    every style in the document, which made looking styles up the slowest part of writing a DOCX."""
    of_paragraph(paragraph).style = _style_ids()[name]


def new_document(
    sheet: FactSheet,
    fonts: FontFamily,
    body_size: float,
    accent: str,
    kind: str,
    page: tuple[float, float] = (210, 297),
    margin_mm: float = 12.7,
    cache: Cache | None = None,
) -> DocumentType:
    """A document with page size, margins, fonts and core properties set. Its styled template is made once per
    process for each body size and accent, and remembered between builds in ``cache`` when given (making it means
    reading and lightening python-docx's default document)."""
    settings = (fonts, body_size, accent, sheet.language, page, margin_mm)
    styled = (
        _style_template(*settings)
        if cache is None
        else cache.remembered_bytes(
            repr(("docx styled template", *settings)), lambda: _style_template(*settings), ZIP_SIGNATURE
        )
    )
    doc = Document(io.BytesIO(styled))
    core = doc.core_properties
    core.title = f"{sheet.title}: {kind} for {sheet.school_name}"
    core.author = core.last_modified_by = sheet.authority
    core.subject = sheet.subject
    core.language = sheet.language
    core.keywords = f"safeguarding; {sheet.title}"
    core.comments = f"Content version {sheet.version}"
    core.revision = 1
    core.created = core.modified = dt.datetime.combine(sheet.review_date, dt.time()) - dt.timedelta(days=365)
    return doc


@lru_cache(maxsize=16)
def _style_template(
    fonts: FontFamily, body_size: float, accent: str, language: str, page: tuple[float, float], margin_mm: float
) -> bytes:
    doc = Document(io.BytesIO(template()))
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
    for name, size, bold in (  # Heading 1 is the title, Heading 2 a section's: headings, as in the PDF (H1, H2)
        ("Heading 1", body_size * 2.2, True),
        ("Subtitle", body_size * 1.15, False),
        ("Heading 2", body_size * 1.25, True),
    ):
        style = styles[name]
        _font(style, fonts.docx_name, size, bold=bold, colour=colour)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(body_size * (0.5 if name == "Heading 2" else 0))
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
    return save(doc)  # the same bytes in every process, as remembered work must be


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


# The order WordprocessingML gives the properties of a table and of a cell; the table helpers append them as they go
_SCHEMA_ORDER = {
    qn("w:tblPr"): [
        qn(f"w:{tag}")
        for tag in (
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
            "tblCaption",
            "tblDescription",
        )
    ],
    qn("w:tcPr"): [
        qn(f"w:{tag}")
        for tag in (
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
        )
    ],
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
    """The document's bytes, reproducibly: python-docx's own save, with every zip member's time and mode fixed."""
    _in_schema_order(doc.element.body)
    out = io.BytesIO()
    doc.save(out)
    return _fixed(out.getvalue())


def _fixed(data: bytes) -> bytes:
    """A zip's bytes with each member's modification time set to FIXED_TIME and its mode to -rw-r--r--, in its local
    header and its central directory entry (the fields of the ZIP format, PKWARE's APPNOTE 4.3.7 and 4.3.12): a
    zip writer stamps the time of writing, and an equal document must be equal bytes."""
    year, month, day, hour, minute, second = FIXED_TIME
    stamp = struct.pack("<HH", hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day)
    fixed = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    end = data.rindex(b"PK\x05\x06")  # the end of central directory record (the archive has no comment)
    count, _, at = struct.unpack_from("<HII", data, end + 10)
    if count != len(members):
        raise ValueError("a zip whose central directory does not list its members")
    for member in members:
        local = member.header_offset
        if data[local : local + 4] != b"PK\x03\x04" or data[at : at + 4] != b"PK\x01\x02":
            raise ValueError("a zip whose headers are not where its directory says")
        fixed[local + 10 : local + 14] = fixed[at + 12 : at + 16] = stamp
        fixed[at + 38 : at + 42] = struct.pack("<I", 0o644 << 16)
        at += 46 + sum(struct.unpack_from("<HHH", data, at + 28))  # the entry, its name, extra field and comment
    return bytes(fixed)
