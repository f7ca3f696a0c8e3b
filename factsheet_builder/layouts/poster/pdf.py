"""The poster as a PDF (ReportLab): one page, fitted by choosing the largest type that fits."""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.poster.blocks import Poster, compose
from factsheet_builder.layouts.poster.design import (
    KIND,
    LISTS_KEPT_FOR,
    MARGIN_MM,
    TYPE_SCALES,
    Scale,
    arrangements,
    content_width,
    footer_height,
    footer_rule,
    frame_height,
    gap,
    lists_to_try,
    page_size,
)
from factsheet_builder.model import FactSheet
from factsheet_builder.render import pdf
from factsheet_builder.render.palette import Palette
from factsheet_builder.render.pdf import colour
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
    """The poster at the largest scale whose blocks fit one page; FitError naming what overflowed otherwise. A team
    bigger than the poster was designed for (``LISTS_KEPT_FOR``) that does not fit beside the topic's lists, where
    those lists fit beside the DSL alone, gets the poster without the signs, then without the steps too."""
    fonts.register()
    tried: dict[Scale, tuple[Poster, list[float], list[str], float]] = {}

    def attempt(scale: Scale) -> tuple[Poster, list[float], list[str], float]:
        if scale not in tried:
            tried[scale] = _measured(compose(sheet, scale, fonts, palette))
        return tried[scale]

    def largest(lists: tuple[str, ...]) -> tuple[Poster, list[float]] | None:
        """The poster printing ``lists`` at the largest scale that fits, of its arrangements in turn."""
        for columns, agency_columns in arrangements(len(sheet.people)):

            def fits(type_scale: float) -> bool:
                _, _, broken, excess = attempt(Scale(type_scale, paper, columns, agency_columns, lists))
                return not broken and excess <= 0

            if not fits(TYPE_SCALES[-1]):  # a big team: most arrangements do not fit at all, found in one trial
                continue
            type_scale = pdf.largest_fitting(TYPE_SCALES, fits)
            if type_scale is not None:
                fitted, heights, _, _ = attempt(Scale(type_scale, paper, columns, agency_columns, lists))
                return fitted, heights
        return None

    given, *fewer = lists_to_try(sheet)
    found = largest(given)
    lists_fit = found is not None or _lists_fit(sheet, paper, fonts, palette, given)
    for lists in fewer if found is None and lists_fit and len(sheet.people) > LISTS_KEPT_FOR else []:
        found = largest(lists)
        if found is not None:
            break
    if found is not None:
        return found
    nearest, heights, broken, excess = min(tried.values(), key=lambda t: (bool(t[2]), t[3]))  # explain the nearest miss
    if broken:
        raise FitError(
            f"{sheet.school_id}: on the {paper} poster '{broken[0]}' is too long for its box even at "
            "the smallest type the poster allows; shorten it",
            value=broken[0],
        )
    total, over = 0.0, nearest.blocks[-1][0]
    for (what, _), height in zip(nearest.blocks, heights):
        total += height
        if total > frame_height(nearest.scale, nearest.footer_lines):
            over = what
            break
        total += gap(nearest.scale)
    advice = (
        "shorten the topic's poster steps and signs"
        if not lists_fit
        else "list fewer deputies"
        if len(sheet.people) > LISTS_KEPT_FOR or not given
        else "list fewer deputies or shorten the topic's poster steps and signs"
    )
    raise FitError(
        f"{sheet.school_id}: the {paper} poster does not fit one page: {over} run {excess / MM:.0f} mm "
        f"past the bottom even with names and numbers at their smallest (24 pt on A3); {advice}"
    )


def _measured(poster: Poster) -> tuple[Poster, list[float], list[str], float]:
    """A poster, the height of each of its blocks, the texts too wide for their boxes, and how far the blocks run
    past the page (negative: the room to spare)."""
    heights, broken = measure(poster)
    scale = poster.scale
    return (
        poster,
        heights,
        broken,
        sum(heights) + gap(scale) * (len(heights) - 1) - frame_height(scale, poster.footer_lines),
    )


def _lists_fit(sheet: FactSheet, paper: str, fonts: FontFamily, palette: Palette, lists: tuple[str, ...]) -> bool:
    """Whether the topic's ``lists`` fit the page beside the DSL alone at the smallest type: if not, they, not the
    team, are what is too long."""
    alone = replace(sheet, people=sheet.people[:1], notes=())
    _, _, broken, excess = _measured(compose(alone, Scale(TYPE_SCALES[-1], paper, 1, 4, lists), fonts, palette))
    return not broken and excess <= 0


def render(
    sheet: FactSheet, paper: str, palette: Palette, fonts: FontFamily, fitted: tuple[Poster, list[float]]
) -> Rendered:
    """The poster as a one-page PDF, as ``fit`` found it: its poster and its blocks' heights."""
    poster, heights = fitted
    scale = poster.scale
    width, height = page_size(paper)
    margin = MARGIN_MM * MM * scale.paper_factor
    lines = poster.footer_lines
    spare = frame_height(scale, lines) - sum(heights)
    spacing = min(spare / (len(heights) - 1), gap(scale) * 3)  # spread spare room between the blocks, within reason
    story: list[Flowable] = []
    for i, (_, block) in enumerate(poster.blocks):
        if i:
            story.append(Spacer(1, spacing))
        story.extend(block if isinstance(block, list) else [block])
    footer = poster.footer

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colour(palette.accent))
        canvas.setLineWidth(scale.mm(0.4))
        top = margin + footer_rule(scale, lines)
        canvas.line(margin, top, width - margin, top)
        closing = pdf.footer_on(footer, doc.page, 1)  # one page: its footer is the poster's closing paragraph
        closing.wrapOn(canvas, width - 2 * margin, footer_height(scale, lines))
        closing.drawOn(canvas, margin, margin)
        canvas.restoreState()

    frame = Frame(
        margin,
        margin + footer_height(scale, lines),
        width - 2 * margin,
        frame_height(scale, lines),
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
