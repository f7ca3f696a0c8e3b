"""The leaflet as a PDF (ReportLab): two columns of content laid out once, drawn under each school's own parts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph

import factsheet_builder.layouts.leaflet.balance as balance
import factsheet_builder.layouts.leaflet.panel as team
from factsheet_builder.cache import Cache
from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.leaflet.design import (
    ATTRIB_H,
    BAND_H,
    BODY_LADDER,
    COL_W,
    FOOTER_H,
    FOOTER_LINES,
    FOOTER_SIZE,
    GAP,
    GUTTER,
    INNER_W,
    KIND,
    MARGIN,
    P2_TOP,
    SCHOOL_FLOOR,
    SCHOOL_LINES,
    SCHOOL_SIZE,
    H,
    W,
)
from factsheet_builder.model import FactSheet, Section
from factsheet_builder.render import pdf
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.pdf import colour
from factsheet_builder.render.tagging import Tag, tag
from factsheet_builder.render.units import A4, MM


@dataclass(frozen=True)
class Shape:
    """Where the body's columns run: the top and bottom of page 1's and the bottom of page 2's, in points.

    It is all the fit of the body depends on besides the content, so schools of one shape share a fitted body.
    """

    p1_top: float
    p1_bottom: float
    p2_bottom: float


TITLE_BAND = -2  # read before the columns (rank 0), whenever it is drawn


def _frames(shape: Shape, first: bool, frame=Frame) -> list[Frame]:
    top, bottom = (shape.p1_top, shape.p1_bottom) if first else (P2_TOP, shape.p2_bottom)
    return [
        frame(
            MARGIN + i * (COL_W + GUTTER),
            bottom,
            COL_W,
            top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"{'p1' if first else 'p2'}c{i}",
        )
        for i in range(2)
    ]


def _doc(shape: Shape, on_first=None, on_later=None, frame=Frame) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        None, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN, invariant=1
    )
    doc.addPageTemplates(
        [
            PageTemplate("first", frames=_frames(shape, True, frame), onPage=on_first or (lambda c, d: None)),
            PageTemplate("later", frames=_frames(shape, False, frame), onPage=on_later or (lambda c, d: None)),
        ]
    )
    return doc


def _story(sections: tuple[Section, ...], size: float, leading: float, palette: Palette, fonts: FontFamily) -> list:
    styles = pdf.styles(fonts, size, palette, leading=leading)
    story: list = [NextPageTemplate("later")]
    for section in sections:
        story.extend(pdf.section_flowables(section, styles, COL_W, palette))
    return story


def _level(
    sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape, cache: Cache
) -> list[float] | None:
    """The body's size and leading for columns of ``shape`` and the bottoms that end its columns level (None if even
    the floor overflows), remembered in ``cache``: when they are, nothing is laid out."""
    return cache.remembered(
        repr(("leaflet body", sections, palette, fonts, shape, BODY_LADDER, balance.SETTINGS)),
        lambda: _levelled(sections, palette, fonts, shape),
        _is_level,
    )


def _is_level(value: object) -> bool:
    """Whether a remembered value can be a levelled body: a step of the ladder and two bottoms, or None (nothing
    fits)."""
    return value is None or (
        type(value) is list
        and len(value) == 4
        and all(type(v) in (int, float) for v in value)
        and tuple(value[:2]) in BODY_LADDER
    )


def _levelled(sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape) -> list[float] | None:
    step = _search(sections, palette, fonts, shape)
    if step is None:
        return None
    level = balance.levelled(step, lambda s, at: _laid_out(sections, palette, fonts, s, at), shape)
    return None if level is None else [*level.step, level.shape.p1_bottom, level.shape.p2_bottom]


_found: dict[tuple, dict[Shape, int]] = {}  # per content: the ladder step found for each shape, to start from


def _column_length(shape: Shape) -> float:
    return (shape.p1_top - shape.p1_bottom) + (P2_TOP - shape.p2_bottom)


@lru_cache(maxsize=32)
def _search(
    sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape
) -> tuple[float, float] | None:
    """The best step of the ladder at which the content fits two pages of columns of ``shape``, starting from the
    step found for the most similar shape (a batch meets many shapes a few millimetres apart)."""
    found = _found.setdefault((sections, palette, fonts), {})
    near = min(found, key=lambda s: abs(_column_length(s) - _column_length(shape)), default=None)
    index = pdf.first_fitting(
        len(BODY_LADDER),
        lambda i: _fits(sections, palette, fonts, shape, BODY_LADDER[i]),
        None if near is None else found[near],
    )
    if index is None:
        return None
    found[shape] = index
    return BODY_LADDER[index]


def _fits(
    sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape, step: tuple[float, float]
) -> bool:
    laid_out = _laid_out(sections, palette, fonts, shape, step)
    return laid_out is not None and len(laid_out.pages) <= 2


@lru_cache(maxsize=64)
def _laid_out(
    sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape, step: tuple[float, float]
) -> pdf.LaidOut | None:
    size, leading = step
    try:
        return pdf.lay_out(lambda frame: _doc(shape, frame=frame), _story(sections, size, leading, palette, fonts))
    except FitError:
        return None


@dataclass(frozen=True)
class SchoolParts:
    """The parts of the pages that carry the school's own values, each fitted to its box, and the shape they leave
    the body."""

    contacts: team.Panel
    title: Paragraph
    subtitle: Paragraph
    school: Paragraph
    footer: Paragraph
    attribution: Paragraph
    text_w: float
    logo_box: float
    band_h: float
    footer_h: float
    shape: Shape


def school_parts(sheet: FactSheet, palette: Palette, fonts: FontFamily) -> SchoolParts:
    """Fit the school's values into the title band, the panel and the footer, each growing as far as it needs."""
    fonts.register()
    face = fonts.faces
    white, muted = colour(WHITE), colour(palette.muted)
    title = ParagraphStyle("title", fontName=face["bold"], fontSize=22, leading=25, textColor=white)
    subtitle = ParagraphStyle("tag", fontName=face["regular"], fontSize=11.5, leading=13.5, textColor=white)
    school = ParagraphStyle(
        "school",
        fontName=face["bold"],
        fontSize=SCHOOL_SIZE,
        leading=SCHOOL_SIZE * 1.12,
        textColor=white,
        spaceShrinkage=0,
    )
    footer = ParagraphStyle(
        "footer",
        fontName=face["regular"],
        fontSize=FOOTER_SIZE,
        leading=FOOTER_SIZE * 1.18,
        textColor=muted,
        spaceShrinkage=0,
    )  # no line wider than its box, not even by shrinking
    attrib = ParagraphStyle("attrib", fontName=face["italic"], fontSize=8.5, leading=10, textColor=muted)
    logo_box = BAND_H - 5 * MM if sheet.logo else 0
    text_w = INNER_W - 10 * MM - (logo_box + 3 * MM if logo_box else 0)
    school_para = pdf.fit_paragraph(
        sheet.school_name,
        school,
        text_w,
        school.leading * SCHOOL_LINES,
        SCHOOL_FLOOR,
        "the school name in the title band",
    )
    footer_para = pdf.fit_paragraph(
        sheet.footer,
        footer,
        INNER_W - 22 * MM,
        footer.leading * FOOTER_LINES,
        FOOTER_SIZE,
        "the footer (it repeats the school name)",
    )
    band_h = BAND_H + (len(school_para.blPara.lines) - 1) * school_para.style.leading
    footer_h = FOOTER_H + (len(footer_para.blPara.lines) - 1) * footer.leading
    contacts = team.panel(sheet, fonts, palette, INNER_W)
    shape = Shape(
        round(H - MARGIN - band_h - ATTRIB_H, 2),
        round(MARGIN + footer_h + team.box(contacts.height) + GAP, 2),
        round(MARGIN + footer_h, 2),
    )
    return SchoolParts(
        contacts=contacts,
        title=pdf.fit_paragraph(sheet.title, title, text_w, 25, 14, "the title"),
        subtitle=pdf.fit_paragraph(sheet.subtitle, subtitle, text_w, 13.5, FOOTER_SIZE, "the subtitle"),
        school=school_para,
        footer=footer_para,
        attribution=pdf.fit_paragraph(sheet.attribution, attrib, INNER_W, 10, FOOTER_SIZE, "the attribution line"),
        text_w=text_w,
        logo_box=logo_box,
        band_h=band_h,
        footer_h=footer_h,
        shape=shape,
    )


def _too_little_room(sheet: FactSheet, parts: SchoolParts) -> FitError:
    longest = max((v for p in sheet.people for v in (p.name, p.email) if v), key=len)
    return FitError(
        f"the 'Who to talk to' panel needs {parts.contacts.height / MM:.0f} mm for the team of "
        f"{len(sheet.people)}, which leaves the leaflet's text too little room even at "
        f"{BODY_LADDER[-1][0]:g} pt; shorten the longest names or email addresses, such as '{longest}'",
        value=longest,
    )


@dataclass(frozen=True)
class Fit:
    """A school's leaflet as fitted: its body's size and leading and the columns the body runs in (their bottoms
    set to end them level), whether its panel stacks each name above the phone and email (the DOCX is set from the
    size and that), and its parts as measured, which the PDF draws."""

    size: float
    leading: float
    columns: Shape
    stacked: bool
    parts: SchoolParts


def fit(sheet: FactSheet, palette: Palette, fonts: FontFamily, cache: Cache) -> Fit:
    """Measure the school's parts and find the body size for the shape they leave; FitError when its panel leaves
    the body too little room. The body is laid out only if its size is not remembered in ``cache``."""
    parts = school_parts(sheet, palette, fonts)
    level = _level(sheet.sections, palette, fonts, parts.shape, cache)
    if level is None:
        raise _too_little_room(sheet, parts)
    size, leading, p1_bottom, p2_bottom = level
    columns = replace(parts.shape, p1_bottom=p1_bottom, p2_bottom=p2_bottom)
    return Fit(size, leading, columns, parts.contacts.arrangement.form in team.CLOSE, parts)


def render(sheet: FactSheet, palette: Palette, fonts: FontFamily, fitted: Fit) -> Rendered:
    """The leaflet as a two-page PDF of the parts and the body ``fitted`` measured."""
    face = fonts.faces
    parts = fitted.parts
    body = _laid_out(sheet.sections, palette, fonts, fitted.columns, (fitted.size, fitted.leading))
    if body is None:  # a remembered size that no longer fits
        raise _too_little_room(sheet, parts)
    band_h, footer_h = parts.band_h, parts.footer_h
    accent, muted = colour(palette.accent), colour(palette.muted)
    logo_box = parts.logo_box
    image = (
        tag(
            pdf.logo(sheet.logo, logo_box - 4 * MM, logo_box - 4 * MM),
            Tag("Figure", alt=f"{sheet.school_name} logo", rank=TITLE_BAND),
        )
        if sheet.logo
        else None
    )
    for para, role in ((parts.title, "H1"), (parts.subtitle, "P"), (parts.school, "P"), (parts.attribution, "P")):
        tag(para, Tag(role, rank=TITLE_BAND))

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, MARGIN + footer_h - 2 * MM, W - MARGIN, MARGIN + footer_h - 2 * MM)
        footer = pdf.footer_on(parts.footer, doc.page, len(body.pages))
        footer.wrapOn(canvas, INNER_W - 22 * MM, footer_h)
        footer.drawOn(canvas, MARGIN, MARGIN + 1 * MM)
        canvas.setFont(face["regular"], FOOTER_SIZE)
        canvas.setFillColor(muted)
        canvas.drawRightString(W - MARGIN, MARGIN + 1 * MM + 1.5, f"Page {doc.page} of {len(body.pages)}")
        canvas.restoreState()

    def first_page(canvas, doc) -> None:
        canvas.saveState()
        band_y = H - MARGIN - band_h
        canvas.setFillColor(accent)
        canvas.roundRect(MARGIN, band_y, INNER_W, band_h, 3 * MM, stroke=0, fill=1)
        x = MARGIN + 5 * MM
        y = H - MARGIN - 3 * MM
        for para, gap in ((parts.title, 0.5 * MM), (parts.subtitle, 1.8 * MM), (parts.school, 0)):
            _, height = para.wrapOn(canvas, parts.text_w, band_h)
            y -= height
            para.drawOn(canvas, x, y)
            y -= gap
        if image is not None:
            box_x = W - MARGIN - 2.5 * MM - logo_box
            box_y = band_y + (band_h - logo_box) / 2
            canvas.setFillColor(colour(WHITE))
            canvas.roundRect(box_x, box_y, logo_box, logo_box, 2 * MM, stroke=0, fill=1)
            image.drawOn(canvas, box_x + (logo_box - image.drawWidth) / 2, box_y + (logo_box - image.drawHeight) / 2)
        parts.attribution.wrapOn(canvas, INNER_W, ATTRIB_H)
        parts.attribution.drawOn(canvas, MARGIN, band_y - ATTRIB_H + 2 * MM)
        contacts = parts.contacts.table
        contacts.wrapOn(canvas, INNER_W, parts.contacts.height)
        contacts.drawOn(canvas, MARGIN, parts.shape.p1_bottom - GAP - parts.contacts.height)
        canvas.restoreState()
        draw_footer(canvas, doc)

    doc = _doc(parts.shape, first_page, draw_footer)
    pdf.metadata(doc, sheet, KIND)
    data, pages = pdf.build(doc, [NextPageTemplate("later"), *body.story()])
    if pages > 2:  # a short topic may take one
        raise FitError(f"the leaflet came to {pages} pages; it must be at most 2")
    return Rendered(data, pages)
