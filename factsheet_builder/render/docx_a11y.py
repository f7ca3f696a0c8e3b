"""What screen readers and Word's accessibility checker look for in a DOCX: live links, real list numbering, header
rows on data tables, captions on layout tables, and the document's default language."""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import RGBColor

from factsheet_builder.render import ADDRESS, link_target
from factsheet_builder.render.docx_xml import of_paragraph, of_row, of_table

HYPERLINK_STYLE = "Hyperlink"  # Word's own name and id for it: Word shows it as the style of links it makes


def default_language(doc, language: str) -> None:
    """Set the language of all text that says no other (w:docDefaults), not only that of the styles."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def add_hyperlink_style(doc, accent: RGBColor) -> None:
    """Word's Hyperlink character style: the accent colour, underlined, so a link does not differ by colour alone."""
    style = doc.styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = accent
    style.font.underline = True
    style.priority = 99
    style.unhide_when_used = True


def link(run, address: str):
    """Make ``run`` a live link to ``address`` (a web address, or ``mailto:`` for an email) in the Hyperlink style."""
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), run.part.relate_to(link_target(address), RT.HYPERLINK, is_external=True))
    hyperlink.set(qn("w:history"), "1")
    run.element.addprevious(hyperlink)
    hyperlink.append(run.element)
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), HYPERLINK_STYLE)
    run.element.get_or_add_rPr().insert(0, style)
    return run


def add_linked_text(paragraph, text: str, add_run) -> None:
    """Append ``text`` with ``add_run(paragraph, piece)``, making each email and web address in it a live link."""
    start = 0
    for found in ADDRESS.finditer(text):
        if found.start() > start:
            add_run(paragraph, text[start : found.start()])
        link(add_run(paragraph, found.group()), found.group())
        start = found.end()
    if start < len(text):
        add_run(paragraph, text[start:])


def header_row(table, rows: int = 1) -> None:
    """Mark the first ``rows`` rows of a data table as its header: read with each cell, repeated on a new page."""
    for row in table.rows[:rows]:
        tr_pr = of_row(row).get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))


def layout_table(table, caption: str, description: str) -> None:
    """Mark a table that only places things side by side: a title and description (Word's alt text for tables)
    instead of a header row. Call it last: the two come at the end of the table's properties."""
    tbl_pr = of_table(table).tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def list_numbering(
    doc, bullet: bool, indent_pt: float, colour: str | None = None, bold: bool = False, size_pt: float | None = None
) -> int:
    """A new list definition in the document's numbering part: a bullet, or 1 2 3, hanging ``indent_pt`` before the
    text, in this colour, weight and size; the w:numId to give its paragraphs with ``numbered``."""
    numbering = doc.part.numbering_part.element
    abstract_id = (
        max((int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))), default=-1) + 1
    )
    num_id = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
    marker = (
        '<w:numFmt w:val="bullet"/><w:suff w:val="tab"/><w:lvlText w:val="\u2022"/>'
        if bullet
        else '<w:numFmt w:val="decimal"/><w:suff w:val="tab"/><w:lvlText w:val="%1"/>'
    )
    run = (
        ("<w:b/>" if bold else "")
        + (f'<w:color w:val="{colour.lstrip("#").upper()}"/>' if colour else "")
        + (f'<w:sz w:val="{round(size_pt * 2)}"/>' if size_pt else "")
    )
    indent = round(indent_pt * 20)
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{marker}<w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr><w:rPr>{run}</w:rPr></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    first_num = numbering.find(qn("w:num"))  # every w:abstractNum comes before the first w:num
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return num_id


def numbered(paragraph, num_id: int) -> None:
    """Make ``paragraph`` an item of the list ``num_id``, spaced by its own space before and after even between
    items of one style (the list styles ask Word to drop that space)."""
    num_pr = of_paragraph(paragraph).get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
    own_spacing(paragraph)


def own_spacing(paragraph) -> None:
    """Space ``paragraph`` by its own space before and after even between paragraphs of its style (the list
    styles ask Word to drop that space)."""
    p_pr = of_paragraph(paragraph).get_or_add_pPr()
    contextual = OxmlElement("w:contextualSpacing")
    contextual.set(qn("w:val"), "0")
    p_pr.insert_element_before(
        contextual,
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )
