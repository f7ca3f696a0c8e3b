"""The leaflet's body: the content in two columns on two pages, fitted to the shape the school's own parts leave.

The fit depends only on the content and the shape (where the columns run), so it is worked out once per shape and
remembered between builds in the build's cache; the columns then end level (``balance``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate

import factsheet_builder.layouts.leaflet.balance as balance
from factsheet_builder.cache import Cache
from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts.leaflet.balance import Step
from factsheet_builder.layouts.leaflet.design import BODY_LADDER, COL_W, GUTTER, MARGIN, P2_TOP
from factsheet_builder.model import Section
from factsheet_builder.render import pdf
from factsheet_builder.render.palette import Palette
from factsheet_builder.render.units import A4


@dataclass(frozen=True)
class Shape:
    """Where the body's columns run: the top and bottom of page 1's and the bottom of page 2's, in points.

    It is all the fit of the body depends on besides the content, so schools of one shape share a fitted body.
    """

    p1_top: float
    p1_bottom: float
    p2_bottom: float


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


def doc(shape: Shape, on_first=None, on_later=None, frame=Frame) -> BaseDocTemplate:
    """The two pages' document, its columns running where ``shape`` says, ``on_first`` and ``on_later`` drawing what
    else each page carries."""
    template = BaseDocTemplate(
        None, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN, invariant=1
    )
    template.addPageTemplates(
        [
            PageTemplate("first", frames=_frames(shape, True, frame), onPage=on_first or (lambda c, d: None)),
            PageTemplate("later", frames=_frames(shape, False, frame), onPage=on_later or (lambda c, d: None)),
        ]
    )
    return template


def _story(sections: tuple[Section, ...], step: Step, palette: Palette, fonts: FontFamily) -> list:
    styles = _styles(fonts, step, palette)
    story: list = [NextPageTemplate("later")]
    for section in sections:
        story.extend(pdf.section_flowables(section, styles, COL_W, palette))
    return story


@lru_cache(maxsize=16)
def _styles(fonts: FontFamily, step: Step, palette: Palette) -> pdf.Styles:
    """The body's styles at a step of the ladder: its size and leading, and its space between paragraphs and around
    headings a share of the usual."""
    size, leading, spacing = step
    styles = pdf.styles(fonts, size, palette, leading=leading)
    if spacing == 1:
        return styles
    closer = {
        name: ParagraphStyle(
            f"{style.name}-closer",
            parent=style,
            spaceBefore=style.spaceBefore * spacing,
            spaceAfter=style.spaceAfter * spacing,
        )
        for name, style in (("body", styles.body), ("bullet", styles.bullet), ("heading", styles.heading))
    }
    return replace(styles, **closer)


def level(
    sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape, cache: Cache
) -> list[float] | None:
    """The body's step of the ladder (size, leading, paragraph spacing) for columns of ``shape`` and the bottoms that
    end its columns level (None if even the floor overflows), remembered in ``cache``: when they are, nothing is laid
    out."""
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
        and len(value) == 5
        and all(type(v) in (int, float) for v in value)
        and tuple(value[:3]) in BODY_LADDER
    )


def _levelled(sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape) -> list[float] | None:
    step = _search(sections, palette, fonts, shape)
    if step is None:
        return None
    found = balance.levelled(step, lambda s, at: laid_out(sections, palette, fonts, s, at), shape)
    return None if found is None else [*found.step, found.shape.p1_bottom, found.shape.p2_bottom]


_found: dict[tuple, dict[Shape, int]] = {}  # per content: the ladder step found for each shape, to start from


def _column_length(shape: Shape) -> float:
    return (shape.p1_top - shape.p1_bottom) + (P2_TOP - shape.p2_bottom)


@lru_cache(maxsize=32)
def _search(sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape) -> Step | None:
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


def _fits(sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape, step: Step) -> bool:
    found = laid_out(sections, palette, fonts, shape, step)
    return found is not None and len(found.pages) <= 2


@lru_cache(maxsize=64)
def laid_out(
    sections: tuple[Section, ...], palette: Palette, fonts: FontFamily, shape: Shape, step: Step
) -> pdf.LaidOut | None:
    """The content laid out at ``step`` in columns of ``shape`` (None if it overflows them), once per process."""
    try:
        return pdf.lay_out(lambda frame: doc(shape, frame=frame), _story(sections, step, palette, fonts))
    except FitError:
        return None
