"""The poster as a PDF (ReportLab): one page, fitted by choosing the largest type that fits."""

from __future__ import annotations

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.poster.blocks import Poster, compose
from factsheet_builder.layouts.poster.design import (
    KIND,
    MARGIN_MM,
    TYPE_SCALES,
    Scale,
    arrangements,
    content_width,
    footer_height,
    frame_height,
    gap,
    page_size,
)
from factsheet_builder.layouts.poster.pieces import poster_style
from factsheet_builder.model import FactSheet
from factsheet_builder.render import pdf
from factsheet_builder.render.palette import Palette
from factsheet_builder.render.pdf import colour, esc
from factsheet_builder.render.units import MM


def _height(flowable, width: float) -> float:
    if isinstance(flowable, list):
        return sum(_height(f, width) + f.getSpaceBefore() + f.getSpaceAfter() for f in flowable)
    return flowable.wrap(width, 1e6)[1]


def measure(poster: Poster) -> tuple[list[float], list[str]]:
    """The height of each block and the texts that do not fit their boxes."""
    width = content_width(poster.scale)
    heights = [_height(block, width) for _, block in poster.blocks]
    return heights, pdf.too_wide([block for _, block in poster.blocks])


def fit(sheet: FactSheet, paper: str, fonts: FontFamily, palette: Palette) -> tuple[Poster, list[float]]:
    """The poster at the largest scale whose blocks fit one page; FitError naming what overflowed otherwise."""
    fonts.register()
    tried: dict[Scale, tuple[Poster, list[float], list[str], float]] = {}

    def attempt(scale: Scale) -> tuple[Poster, list[float], list[str], float]:
        if scale not in tried:
            candidate = compose(sheet, scale, fonts, palette)
            heights, broken = measure(candidate)
            excess = sum(heights) + gap(scale) * (len(heights) - 1) - frame_height(scale)
            tried[scale] = candidate, heights, broken, excess
        return tried[scale]

    for columns, agency_columns in arrangements(len(sheet.people)):

        def fits(type_scale: float) -> bool:
            _, _, broken, excess = attempt(Scale(type_scale, paper, columns, agency_columns))
            return not broken and excess <= 0

        type_scale = pdf.largest_fitting(TYPE_SCALES, fits)
        if type_scale is not None:
            fitted, heights, _, _ = attempt(Scale(type_scale, paper, columns, agency_columns))
            return fitted, heights
    nearest, heights, broken, excess = min(tried.values(), key=lambda t: (bool(t[2]), t[3]))  # explain the nearest miss
    if broken:
        raise FitError(
            f"{sheet.school_id}: on the {paper} poster '{broken[0]}' is too long for its box even at "
            "the smallest type the poster allows; shorten it"
        )
    total, over = 0.0, nearest.blocks[-1][0]
    for (what, _), height in zip(nearest.blocks, heights):
        total += height
        if total > frame_height(nearest.scale):
            over = what
            break
        total += gap(nearest.scale)
    raise FitError(
        f"{sheet.school_id}: the {paper} poster does not fit one page: {over} run {excess / MM:.0f} mm "
        f"past the bottom even with names and numbers at their smallest (24 pt on A3); list fewer deputies"
    )


def render(sheet: FactSheet, paper: str, palette: Palette, fonts: FontFamily) -> Rendered:
    """The poster as a one-page PDF."""
    fitted, heights = fit(sheet, paper, fonts, palette)
    scale = fitted.scale
    width, height = page_size(paper)
    margin = MARGIN_MM * MM * scale.paper_factor
    spare = frame_height(scale) - sum(heights)
    spacing = min(spare / (len(heights) - 1), gap(scale) * 3)  # spread spare room between the blocks, within reason
    story: list[Flowable] = []
    for i, (_, block) in enumerate(fitted.blocks):
        if i:
            story.append(Spacer(1, spacing))
        story.extend(block if isinstance(block, list) else [block])
    footer = Paragraph(esc(sheet.footer), poster_style(scale, fonts, "footer", ink=palette.muted))

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colour(palette.accent))
        canvas.setLineWidth(scale.mm(0.4))
        top = margin + scale.pt("footer") * 1.6
        canvas.line(margin, top, width - margin, top)
        closing = pdf.footer_on(footer, doc.page, 1)  # one page: its footer is the poster's closing paragraph
        closing.wrapOn(canvas, width - 2 * margin, footer_height(scale))
        closing.drawOn(canvas, margin, margin)
        canvas.restoreState()

    frame = Frame(
        margin,
        margin + footer_height(scale),
        width - 2 * margin,
        frame_height(scale),
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="poster",
    )
    doc = BaseDocTemplate(
        None,
        pagesize=(width, height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        invariant=1,
    )
    doc.addPageTemplates([PageTemplate("poster", frames=[frame], onPage=draw_footer)])
    pdf.metadata(doc, sheet, KIND)
    data, pages = pdf.build(doc, story)
    if pages != 1:
        raise FitError(f"{sheet.school_id}: the {paper} poster came to {pages} pages; it must be exactly one")
    return Rendered(data, pages)
