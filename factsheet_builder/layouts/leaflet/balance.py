"""Columns that end level: of the layouts of the leaflet's body, one whose two columns end close together.

The body fills its columns in order, a list item is never split and a heading keeps with what follows, so a
column can end several lines above the next one. Three levers even them out: page 1's columns may end higher
than the panel (cut where the shorter column ends, the longer one's tail flowing on to page 2); page 2's columns
may end higher than the footer (which moves text from its first column to its second); and the body may be set a
step or two smaller, which moves every break. The search tries the largest size first and stops at the first
layout whose columns end within ``TOLERANCE`` of each other on every page; each trial is a layout of the body in a
``Shape`` whose bottoms are raised, so the one found is drawn again from its numbers alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from reportlab.pdfbase.pdfmetrics import getDescent
from reportlab.platypus import Paragraph, Spacer

from factsheet_builder.layouts.leaflet.design import BODY_LADDER, COL_W, GUTTER, MARGIN, P2_TOP
from factsheet_builder.render.pdf_document import LaidOut

TOLERANCE = 1.9  # body leadings: the columns of a page end at most this far apart (the promise is two lines)
STEPS_DOWN = 2  # ladder steps the body may be made smaller to level its columns...
FLOOR = 10.0  # ...but never from this size or more to below it (a body fitted smaller is already near the floor)
TRIALS = 6  # layouts tried at each size...
BISECTIONS = 3  # ...of them at most this many raising the last page's bottom in one go
SETTINGS = (TOLERANCE, STEPS_DOWN, FLOOR, TRIALS, BISECTIONS)  # what a levelled body depends on, with its text

Step = tuple[float, float, float]  # body size, leading and paragraph spacing, as in BODY_LADDER
LayOut = Callable[[Any, Step], "LaidOut | None"]  # a shape and a step to the body laid out (None if it overflows)


@dataclass(frozen=True)
class Level:
    """A body laid out in a shape at a step, and how far apart its columns end (points, worst page)."""

    shape: Any
    step: Step
    laid_out: LaidOut
    apart: float


def column_ends(laid_out: LaidOut, shape: Any) -> list[tuple[float, float]]:
    """For each page, where the text of its two columns ends (an empty column ends at its top)."""
    ends = []
    for number, page in enumerate(laid_out.pages):
        top = shape.p1_top if number == 0 else P2_TOP
        columns = [top, top]
        for flowable, x, y, _ in page:
            if not isinstance(flowable, Spacer):
                column = 0 if x < MARGIN + COL_W + GUTTER / 2 else 1
                columns[column] = min(columns[column], _text_bottom(flowable, y))
        ends.append((columns[0], columns[1]))
    return ends


def _text_bottom(flowable: Any, y: float) -> float:
    """Where a flowable drawn at ``y`` ends: a paragraph at its last line's descent (as a reader sees it, whatever
    letters the line holds), anything else at the bottom of its box."""
    if isinstance(flowable, Paragraph):
        style = flowable.style  # its last baseline is its leading less its size above its box's bottom
        return y + style.leading - style.fontSize + getDescent(style.fontName, style.fontSize)
    return y


def apart(laid_out: LaidOut, shape: Any) -> float:
    """How far apart the columns of the worst page end, in points."""
    return max(abs(first - second) for first, second in column_ends(laid_out, shape))


def levelled(fitted: Step, lay_out: LayOut, shape: Any) -> Level | None:
    """The best layout of the body near the ``fitted`` step in ``shape``: the first step (largest first) at which
    a few trials level every page's columns, else the most level one found at the fitted step."""
    start = BODY_LADDER.index(fitted)
    steps = [step for step in BODY_LADDER[start : start + STEPS_DOWN + 1] if step[0] >= FLOOR or fitted[0] < FLOOR]
    best: Level | None = None
    for step in steps:
        level = _at_step(step, lay_out, shape)
        if level is None:
            continue
        if level.apart <= TOLERANCE * step[0] * step[1]:
            return level
        if best is None:  # the fitted step's most level layout, kept when no smaller step does better
            best = level
    return best


def _at_step(step: Step, lay_out: LayOut, shape: Any) -> Level | None:
    """The most level layout at ``step`` found in a few trials: the last page's bottom raised while that can level
    it; else (with a page 2) page 1 cut level, or a line shorter, to move page 2's breaks."""
    level = _measured(lay_out, shape, step)
    if level is None:
        return None
    best, trials, tolerance, line = level, TRIALS, TOLERANCE * step[0] * step[1], step[0] * step[1]
    pages, raised = len(level.laid_out.pages), False
    while trials and best.apart > tolerance:
        last = column_ends(level.laid_out, level.shape)[-1]
        if not raised and last[1] - last[0] > tolerance:  # the last page's second column ends higher
            found, used = _raised(level, lay_out, min(trials, BISECTIONS), pages, tolerance)
            best, trials, raised = min(best, found, key=lambda found: found.apart), trials - used, True
        elif pages == 2:  # page 1 cut where its shorter column ends (or a line higher): its text shifts page 2's
            cut = int(max(*column_ends(level.laid_out, level.shape)[0], level.shape.p1_bottom + line) * 100) / 100
            trials -= 1
            trial = _measured(lay_out, replace(level.shape, p1_bottom=cut), step)
            if trial is None:
                break
            level, raised = trial, False
            best = min(best, level, key=lambda found: found.apart)
        else:
            break
    return best


def _raised(level: Level, lay_out: LayOut, trials: int, pages: int, tolerance: float) -> tuple[Level, int]:
    """The most level of up to ``trials`` layouts with the last page's bottom raised, each just past where its
    first column ends (which moves that column's last lines to the second), and how many were tried."""
    bottom = "p2_bottom" if pages == 2 else "p1_bottom"
    best = level
    for used in range(1, trials + 1):
        lowest = min(y for _, x, y, _ in level.laid_out.pages[-1] if x < MARGIN + COL_W + GUTTER / 2)
        shape = replace(level.shape, **{bottom: round(lowest + 0.01, 2)})  # the first column's last box moves on
        trial = _measured(lay_out, shape, level.step)
        if trial is None or len(trial.laid_out.pages) != pages:
            return best, used  # the second column has no room for more
        best, level = min(best, trial, key=lambda found: found.apart), trial
        ends = column_ends(trial.laid_out, trial.shape)[-1]
        if trial.apart <= tolerance or ends[1] - ends[0] <= tolerance:  # level, or the first column now ends higher
            return best, used
    return best, trials


def _measured(lay_out: LayOut, shape: Any, step: Step) -> Level | None:
    """The body laid out in ``shape`` at ``step`` and how level it is; None if it overflows two pages."""
    laid_out = lay_out(shape, step)
    if laid_out is None or len(laid_out.pages) > 2:
        return None
    return Level(shape, step, laid_out, apart(laid_out, shape))
