"""What a PDF's pages show, as a reader sees them: the box of every glyph and the text run it belongs to, and the
rules (stroked lines) and boxes (rectangles) drawn round them; and where two runs' glyphs overlap, a rule (other than
the underline of its own run) crosses a run's ink, a run standing in a box runs out of its sides, or a glyph leaves
its page.

A run is one text-showing operator (a line of a paragraph, or the part of it in one font): glyphs of one run may
touch (kerning), glyphs of two runs never should. Boxes are the glyphs' own outlines (PDFium's tight char boxes),
so letters of neighbouring lines whose boxes by their font's ascent and descent would meet do not count, and an
accent that really touches a descender does.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

CELL = 20.0  # points: the grid the boxes are sorted into, so that only neighbours are compared
TOLERANCE = 0.15  # points two boxes may share before they overlap: less than any visible contact


@dataclass(frozen=True)
class Glyph:
    """A glyph: its character, its box (left, bottom, right, top) and its run."""

    char: str
    box: tuple[float, float, float, float]
    run: int


def _glyphs(text: pdfium.PdfTextPage) -> list[Glyph]:
    found = []
    for index in range(text.count_chars()):
        char = text.get_text_range(index, 1)
        if not char.strip() or pdfium_c.FPDFText_IsGenerated(text.raw, index):
            continue
        left, bottom, right, top = text.get_charbox(index)
        if right - left <= 0 or top - bottom <= 0:
            continue
        run = ctypes.cast(pdfium_c.FPDFText_GetTextObject(text.raw, index), ctypes.c_void_p).value or 0
        found.append(Glyph(char, (left, bottom, right, top), run))
    return found


Box = tuple[float, float, float, float]  # left, bottom, right, top


def _paths(page: pdfium.PdfPage) -> list[tuple[bool, float, list[list[tuple[float, float]]]]]:
    """Each path drawn on ``page``: whether it is stroked, its stroke's width and its subpaths' points on the page
    (a closed subpath ends at its start again)."""
    found = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        fill, stroke, width = ctypes.c_int(), ctypes.c_int(), ctypes.c_float()
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        pdfium_c.FPDFPageObj_GetStrokeWidth(obj.raw, ctypes.byref(width))
        matrix = obj.get_matrix()
        subpaths: list[list[tuple[float, float]]] = []
        for number in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, number)
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([])
            subpaths[-1].append(matrix.on_point(x.value, y.value))
            if pdfium_c.FPDFPathSegment_GetClose(segment):
                subpaths[-1].append(subpaths[-1][0])
        found.append((bool(stroke.value), width.value * max(abs(matrix.a), abs(matrix.d)), subpaths))
    return found


def _rules(paths: list) -> list[Box]:
    """The boxes of the straight horizontal and vertical strokes (table rules), half their width round their line."""
    found = []
    for stroked, width, subpaths in paths:
        for points in subpaths if stroked else []:
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                if abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01:
                    half = width / 2
                    found.append((min(x0, x1) - half, min(y0, y1) - half, max(x0, x1) + half, max(y0, y1) + half))
    return found


def _boxes(paths: list) -> list[Box]:
    """The rectangles drawn, filled or stroked (table cells' backgrounds and boxes), at least 5 points each way."""
    found = []
    for _, _, subpaths in paths:
        for points in subpaths:
            xs, ys = {round(x, 2) for x, _ in points}, {round(y, 2) for _, y in points}
            if len(points) in (4, 5) and len(xs) == 2 and len(ys) == 2:
                box = (min(xs), min(ys), max(xs), max(ys))
                if box[2] - box[0] >= 5 and box[3] - box[1] >= 5:
                    found.append(box)
    return found


def _leaves(extent: Box, box: Box) -> bool:
    """Whether a run that stands in ``box`` (half its height or more within the box's) runs out of its sides."""
    inside = min(extent[3], box[3]) - max(extent[1], box[1])
    across = min(extent[2], box[2]) - max(extent[0], box[0])
    if inside < (extent[3] - extent[1]) / 2 or across <= TOLERANCE:
        return False
    return extent[0] < box[0] - 0.5 or extent[2] > box[2] + 0.5


def _underlines(rule: tuple[float, ...], extent: tuple[float, ...]) -> bool:
    """Whether ``rule`` is a horizontal stroke under the text of one run (a link's underline): as wide as the run
    (its first and last letters' side bearings and the stroke's ends aside) and between its lowest and highest ink."""
    middle, ends = (rule[1] + rule[3]) / 2, 1.5 + (rule[3] - rule[1])
    return rule[0] >= extent[0] - ends and rule[2] <= extent[2] + ends and extent[1] <= middle <= extent[3]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE


def _cells(box: tuple[float, ...]) -> list[tuple[int, int]]:
    return [
        (x, y)
        for x in range(int(box[0] // CELL), int(box[2] // CELL) + 1)
        for y in range(int(box[1] // CELL), int(box[3] // CELL) + 1)
    ]


def collisions(pdf: Path | bytes, rules: bool = True) -> list[str]:
    """Every place a glyph overlaps a glyph of another run, a rule crosses a run (with ``rules``), a run runs out
    of the box it stands in, or a glyph leaves its page, described with the runs' texts."""
    document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    found: list[str] = []
    for number, page in enumerate(document, start=1):
        width, height = page.get_size()
        glyphs = _glyphs(page.get_textpage())
        runs: dict[int, str] = defaultdict(str)
        grid: dict[tuple[int, int], list[Glyph]] = defaultdict(list)
        for glyph in glyphs:
            runs[glyph.run] += glyph.char
        for glyph in glyphs:
            left, bottom, right, top = glyph.box
            if left < 0 or bottom < 0 or right > width or top > height:
                found.append(f"page {number}: {glyph.char!r} of {runs[glyph.run]!r} leaves the page")
            for cell in _cells(glyph.box):
                for other in grid[cell]:
                    if other.run != glyph.run and _overlap(glyph.box, other.box):
                        found.append(
                            f"page {number}: {glyph.char!r} of {runs[glyph.run]!r} overlaps "
                            f"{other.char!r} of {runs[other.run]!r}"
                        )
                grid[cell].append(glyph)
        extents: dict[int, Box] = {}
        for glyph in glyphs:
            extent = extents.get(glyph.run, glyph.box)
            extents[glyph.run] = (*map(min, extent[:2], glyph.box[:2]), *map(max, extent[2:], glyph.box[2:]))
        paths = _paths(page)
        for rule in _rules(paths) if rules else []:
            if any(_underlines(rule, extent) for extent in extents.values()):
                continue
            found += [
                f"page {number}: {runs[run]!r} is crossed by a rule"
                for run, extent in extents.items()
                if _overlap(extent, rule)
            ]
        for box in _boxes(paths):
            found += [
                f"page {number}: {runs[run]!r} runs out of its box"
                for run, extent in extents.items()
                if _leaves(extent, box)
            ]
    return list(dict.fromkeys(found))
