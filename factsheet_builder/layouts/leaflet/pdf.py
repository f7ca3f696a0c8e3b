"""The leaflet as a PDF (ReportLab): two columns of content laid out once, drawn under each school's own parts."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import NextPageTemplate, Paragraph

import factsheet_builder.layouts.leaflet.body as body
import factsheet_builder.layouts.leaflet.panel as team
from factsheet_builder.cache import Cache
from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.leaflet.balance import Step
from factsheet_builder.layouts.leaflet.body import Shape
from factsheet_builder.layouts.leaflet.design import (
    ATTRIB_H,
    BAND_H,
    BODY_LADDER,
    FOOTER_H,
    FOOTER_LINES,
    FOOTER_SIZE,
    GAP,
    INNER_W,
    KIND,
    MARGIN,
    PANEL_COMFORT,
    PANEL_STEP,
    SCHOOL_FLOOR,
    SCHOOL_LINES,
    SCHOOL_SIZE,
    H,
    W,
)
from factsheet_builder.layouts.leaflet.panel_parts import SCALES, Arrangement
from factsheet_builder.model import FactSheet
from factsheet_builder.render import pdf
from factsheet_builder.render.palette import WHITE, Palette
from factsheet_builder.render.pdf import colour
from factsheet_builder.render.tagging import Tag, tag
from factsheet_builder.render.units import MM

TITLE_BAND = -2  # read before the columns (rank 0), whenever it is drawn


@dataclass(frozen=True)
class NameParts:
    """The school's name fitted into the title band and into the footer (which repeats it), and the room they take."""

    school: Paragraph
    footer: Paragraph
    text_w: float  # the band's text width, beside the logo when there is one
    logo_box: float
    band_h: float
    footer_h: float

    def shape(self, panel_box: float) -> Shape:
        """Where the body's columns run beside the band, the footer and a panel whose box is ``panel_box`` tall."""
        return Shape(
            round(H - MARGIN - self.band_h - ATTRIB_H, 2),
            round(MARGIN + self.footer_h + panel_box + GAP, 2),
            round(MARGIN + self.footer_h, 2),
        )


@dataclass(frozen=True)
class SchoolParts:
    """The parts of the pages that carry the school's own values, each fitted to its box, and the shape they leave
    the body."""

    named: NameParts
    contacts: team.Panel
    title: Paragraph
    subtitle: Paragraph
    attribution: Paragraph
    shape: Shape


def name_parts(sheet: FactSheet, palette: Palette, fonts: FontFamily) -> NameParts:
    """Fit the school's name into the title band and the footer, each growing as far as it needs; FitError when one
    cannot."""
    fonts.register()
    face = fonts.faces
    school = ParagraphStyle(
        "school",
        fontName=face["bold"],
        fontSize=SCHOOL_SIZE,
        leading=SCHOOL_SIZE * 1.12,
        textColor=colour(WHITE),
        spaceShrinkage=0,
    )
    footer = ParagraphStyle(
        "footer",
        fontName=face["regular"],
        fontSize=FOOTER_SIZE,
        leading=FOOTER_SIZE * 1.18,
        textColor=colour(palette.muted),
        spaceShrinkage=0,
    )  # no line wider than its box, not even by shrinking
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
    return NameParts(
        school=school_para,
        footer=footer_para,
        text_w=text_w,
        logo_box=logo_box,
        band_h=BAND_H + (len(school_para.blPara.lines) - 1) * school_para.style.leading,
        footer_h=FOOTER_H + (len(footer_para.blPara.lines) - 1) * footer.leading,
    )


def title_lines(
    sheet: FactSheet, palette: Palette, fonts: FontFamily, text_w: float
) -> tuple[Paragraph, Paragraph, Paragraph]:
    """The topic's title and subtitle fitted into the title band's text width ``text_w``, and its attribution line
    under the band; FitError when one cannot."""
    face = fonts.faces
    white = colour(WHITE)
    title = ParagraphStyle("title", fontName=face["bold"], fontSize=22, leading=25, textColor=white)
    subtitle = ParagraphStyle("tag", fontName=face["regular"], fontSize=11.5, leading=13.5, textColor=white)
    attrib = ParagraphStyle(
        "attrib", fontName=face["italic"], fontSize=8.5, leading=10, textColor=colour(palette.muted)
    )
    return (
        pdf.fit_paragraph(sheet.title, title, text_w, 25, 14, "the title"),
        pdf.fit_paragraph(sheet.subtitle, subtitle, text_w, 13.5, FOOTER_SIZE, "the subtitle"),
        pdf.fit_paragraph(sheet.attribution, attrib, INNER_W, 10, FOOTER_SIZE, "the attribution line"),
    )


def school_parts(sheet: FactSheet, palette: Palette, fonts: FontFamily, cache: Cache | None = None) -> SchoolParts:
    """Fit the school's values into the title band, the panel and the footer, each growing as far as it needs (what
    every school shares remembered in ``cache``)."""
    named = name_parts(sheet, palette, fonts)
    contacts = team.panel(sheet, fonts, palette, INNER_W, cache)
    title, subtitle, attribution = title_lines(sheet, palette, fonts, named.text_w)
    shape = named.shape(team.box(contacts.height))
    return SchoolParts(named, contacts, title, subtitle, attribution, shape)


def surely_fits(sheet: FactSheet, palette: Palette, fonts: FontFamily, cache: Cache) -> bool:
    """True only when ``fit`` would pass for ``sheet``, found without the panel's search of its arrangements (False
    when that is not known so: the school is then fitted).

    ``fit`` fails only when the school's name does not fit the band or the footer, the topic's title lines do not
    fit the band, the agencies do not fit the panel, or the body does not fit the columns beside the panel's box.
    The panel tries the team in cards at full size among its first arrangements, and when one of those is
    comfortable it keeps the comfortable one of the smallest box: so when the cards are comfortable, the panel's
    box is a whole number of steps no greater than theirs, and when the body fits beside each of those boxes (each
    remembered in ``cache``), the first shape ``fit`` tries fits.
    """
    try:
        named = name_parts(sheet, palette, fonts)
        cards = team.Panel(sheet, Arrangement("cards", SCALES[0]), fonts, palette, INNER_W, cache)
    except FitError:
        return False
    if team.box(cards.height) > PANEL_COMFORT or not _titles_fit(sheet, palette, fonts, named.text_w, cache):
        return False
    shapes = [named.shape(step * PANEL_STEP) for step in range(team.steps(cards.height) + 1)]
    return cache.remembered(  # many schools share them: one look-up, not one for each shape
        repr(("leaflet body beside boxes", sheet.sections, palette, fonts, shapes)),
        lambda: all(body.level(sheet.sections, palette, fonts, shape, cache) is not None for shape in shapes),
        lambda value: type(value) is bool,
    )


def _titles_fit(sheet: FactSheet, palette: Palette, fonts: FontFamily, text_w: float, cache: Cache) -> bool:
    """Whether the topic's title lines fit the band ``text_w`` wide (the same for every school of the topic, and
    remembered in ``cache``)."""

    def fitted() -> bool:
        try:
            title_lines(sheet, palette, fonts, text_w)
        except FitError:
            return False
        return True

    return cache.remembered(
        repr(("leaflet title lines", sheet.title, sheet.subtitle, sheet.attribution, palette, fonts, text_w)),
        fitted,
        lambda value: type(value) is bool,
    )


def _shapes(parts: SchoolParts) -> list[Shape]:
    """The shapes the body may take: the panel's box in steps (shared with schools of near teams), then the panel's
    own height to the millimetre, for a school whose team leaves the body no room to spare."""
    own = replace(
        parts.shape, p1_bottom=round(parts.shape.p2_bottom + math.ceil(parts.contacts.height / MM) * MM + GAP, 2)
    )
    return [parts.shape] if own == parts.shape else [parts.shape, own]


def _too_little_room(
    sheet: FactSheet, parts: SchoolParts, palette: Palette, fonts: FontFamily, cache: Cache
) -> FitError:
    """What does not fit: the topic's text, when it would not fit two pages beside a panel of the DSL alone, else
    the team, named by its longest value."""
    alone = team.panel(replace(sheet, people=sheet.people[:1], notes=()), fonts, palette, INNER_W, cache)
    smallest = replace(parts.shape, p1_bottom=round(parts.shape.p2_bottom + alone.height + GAP, 2))
    floor = BODY_LADDER[-1][0]
    if body.level(sheet.sections, palette, fonts, smallest, cache) is None:
        return FitError(
            f"the text of topic '{sheet.topic}' is too long for two pages even at {floor:g} pt, whatever the team; "
            "shorten its sections"
        )
    longest = max((v for p in sheet.people for v in (p.name, p.email) if v), key=len)
    return FitError(
        f"the 'Who to talk to' panel needs {parts.contacts.height / MM:.0f} mm for the team of "
        f"{len(sheet.people)}, which leaves the leaflet's text too little room even at {floor:g} pt; list fewer "
        f"people or shorten the longest names or email addresses, such as '{longest}'",
        value=longest,
    )


@dataclass(frozen=True)
class Fit:
    """A school's leaflet as fitted: its body's step of the ladder (size, leading and space between paragraphs, a
    share of the usual) and the columns the body runs in (their bottoms set to end them level), its panel's form
    (one of the panel's FORMS; the DOCX is set from the form, size and spacing), and its parts as measured, which the
    PDF draws."""

    size: float
    leading: float
    spacing: float
    columns: Shape
    form: str
    parts: SchoolParts

    @property
    def step(self) -> Step:
        return self.size, self.leading, self.spacing


def fit(sheet: FactSheet, palette: Palette, fonts: FontFamily, cache: Cache) -> Fit:
    """Measure the school's parts and find the body size for the shape they leave; FitError when its panel leaves
    the body too little room. The body is laid out only if its size is not remembered in ``cache``."""
    parts = school_parts(sheet, palette, fonts, cache)
    for shape in _shapes(parts):
        level = body.level(sheet.sections, palette, fonts, shape, cache)
        if level is not None:
            size, leading, spacing, p1_bottom, p2_bottom = level
            columns = replace(shape, p1_bottom=p1_bottom, p2_bottom=p2_bottom)
            form = parts.contacts.arrangement.form
            return Fit(size, leading, spacing, columns, form, replace(parts, shape=shape))
    raise _too_little_room(sheet, parts, palette, fonts, cache)


def render(sheet: FactSheet, palette: Palette, fonts: FontFamily, fitted: Fit) -> Rendered:
    """The leaflet as a two-page PDF of the parts and the body ``fitted`` measured."""
    face = fonts.faces
    parts = fitted.parts
    laid_out = body.laid_out(sheet.sections, palette, fonts, fitted.columns, fitted.step)
    if laid_out is None:  # a remembered size that no longer fits
        raise _too_little_room(sheet, parts, palette, fonts, Cache())
    band_h, footer_h = parts.named.band_h, parts.named.footer_h
    accent, muted = colour(palette.accent), colour(palette.muted)
    logo_box = parts.named.logo_box
    image = (
        tag(
            pdf.logo(sheet.logo, logo_box - 4 * MM, logo_box - 4 * MM),
            Tag("Figure", alt=f"{sheet.school_name} logo", rank=TITLE_BAND),
        )
        if sheet.logo
        else None
    )
    for para, role in ((parts.title, "H1"), (parts.subtitle, "P"), (parts.named.school, "P"), (parts.attribution, "P")):
        tag(para, Tag(role, rank=TITLE_BAND))

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, MARGIN + footer_h - 2 * MM, W - MARGIN, MARGIN + footer_h - 2 * MM)
        footer = pdf.footer_on(parts.named.footer, doc.page, len(laid_out.pages))
        footer.wrapOn(canvas, INNER_W - 22 * MM, footer_h)
        footer.drawOn(canvas, MARGIN, MARGIN + 1 * MM)
        canvas.setFont(face["regular"], FOOTER_SIZE)
        canvas.setFillColor(muted)
        canvas.drawRightString(W - MARGIN, MARGIN + 1 * MM + 1.5, f"Page {doc.page} of {len(laid_out.pages)}")
        canvas.restoreState()

    def first_page(canvas, doc) -> None:
        canvas.saveState()
        band_y = H - MARGIN - band_h
        canvas.setFillColor(accent)
        canvas.roundRect(MARGIN, band_y, INNER_W, band_h, 3 * MM, stroke=0, fill=1)
        x = MARGIN + 5 * MM
        y = H - MARGIN - 3 * MM
        for para, gap in ((parts.title, 0.5 * MM), (parts.subtitle, 1.8 * MM), (parts.named.school, 0)):
            _, height = para.wrapOn(canvas, parts.named.text_w, band_h)
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

    doc = body.doc(parts.shape, first_page, draw_footer)
    pdf.metadata(doc, sheet, KIND)
    data, pages = pdf.build(doc, [NextPageTemplate("later"), *laid_out.story()])
    if pages > 2:  # a short topic may take one
        raise FitError(f"the leaflet came to {pages} pages; it must be at most 2")
    return Rendered(data, pages)
