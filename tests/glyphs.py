"""What a PDF's pages show, as a reader sees them: the box of every glyph and the text run it belongs to, and the
rules (stroked lines) drawn between them; and where two runs' glyphs, or a glyph and a rule (other than the underline
of its own run), overlap, or a glyph leaves its page.

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


def _rules(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """The boxes of the straight horizontal and vertical strokes on ``page`` (table rules), half their width round
    their line."""
    found = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        width = ctypes.c_float()
        if not stroke.value or not pdfium_c.FPDFPageObj_GetStrokeWidth(obj.raw, ctypes.byref(width)):
            continue
        matrix = obj.get_matrix()
        points = []
        for number in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, number)
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            points.append((kind, *matrix.on_point(x.value, y.value)))
        half = width.value * max(abs(matrix.a), abs(matrix.d)) / 2
        for (_, x0, y0), (kind, x1, y1) in zip(points, points[1:]):
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and (abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01):
                found.append((min(x0, x1) - half, min(y0, y1) - half, max(x0, x1) + half, max(y0, y1) + half))
    return found


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
    """Every place a glyph overlaps a glyph of another run or (``rules``) a rule, or leaves its page, described
    with the two runs' texts."""
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
        extents: dict[int, tuple[float, float, float, float]] = {}
        for glyph in glyphs:
            extent = extents.get(glyph.run, glyph.box)
            extents[glyph.run] = (*map(min, extent[:2], glyph.box[:2]), *map(max, extent[2:], glyph.box[2:]))
        for rule in _rules(page) if rules else []:
            if any(_underlines(rule, extent) for extent in extents.values()):
                continue
            found += [
                f"page {number}: {glyph.char!r} of {runs[glyph.run]!r} is crossed by a rule"
                for glyph in glyphs
                if _overlap(glyph.box, rule)
            ]
    return list(dict.fromkeys(found))
