"""Pictures in a DOCX: with their alternative text (what each is), inline or floating beside the text."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from factsheet_builder.images import Picture, docx_picture

# A QR code floating at the right of its column, level with the top of its paragraph, the text wrapping on its left
QR_POSITION = (
    '<wp:positionH relativeFrom="column"><wp:align>right</wp:align></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
)


def add_picture(run, image, description: str, width: int | None = None, height: int | None = None):
    """A picture in ``run`` with its alternative text (what it is: Word's description); its InlineShape."""
    picture = run.add_picture(image, width=width, height=height)
    run.element.find(f".//{qn('wp:docPr')}").set("descr", description)
    return picture


def floating_picture(paragraph, picture: Picture, height_mm: float, description: str) -> None:
    """A picture anchored to the top right of the page's text area, with text wrapping round it."""
    run = paragraph.add_run()
    add_picture(run, docx_picture(picture), description, height=Mm(height_mm))
    float_picture(
        run,
        '<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:align>top</wp:align></wp:positionV>',
        f'<wp:wrapSquare {nsdecls("wp")} wrapText="left"/>',
        114300,
    )


def float_picture(run, position: str, wrap: str, gap_emu: int) -> None:
    """Make the picture in ``run`` float where ``position`` (its wp:positionH and wp:positionV) puts it, text
    wrapping round it as ``wrap`` says, ``gap_emu`` from it on the left."""
    inline = run.element.find(f".//{qn('wp:inline')}")
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="{gap_emu}" distR="0" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0">'
        f'<wp:simplePos x="0" y="0"/>{position}</wp:anchor>'
    )
    extent, doc_pr, frame_pr, graphic = (
        inline.find(qn(f"wp:{tag}")) if tag != "graphic" else inline.find(qn("a:graphic"))
        for tag in ("extent", "docPr", "cNvGraphicFramePr", "graphic")
    )
    anchor.append(extent)
    anchor.append(parse_xml(f'<wp:effectExtent {nsdecls("wp")} l="0" t="0" r="0" b="0"/>'))
    anchor.append(parse_xml(wrap))
    for el in (doc_pr, frame_pr, graphic):
        anchor.append(el)
    inline.getparent().replace(inline, anchor)
