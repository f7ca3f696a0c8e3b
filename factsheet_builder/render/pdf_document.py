"""Building a ReportLab PDF to bytes, reproducibly: its metadata, and a story laid out once and drawn again (into
many documents, or into one whose pages need to know how many there are)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LayoutError, PageBreak

from factsheet_builder.exceptions import FitError
from factsheet_builder.model import FactSheet
from factsheet_builder.render.tagging import TaggedCanvas

rl_config.invariant = 1  # reproducible PDFs: fixed timestamps and document id


def metadata(doc: BaseDocTemplate, sheet: FactSheet, kind: str) -> None:
    """Title, author, subject and language of the PDF."""
    doc.title = f"{sheet.title}: {kind} for {sheet.school_name}"
    doc.author = sheet.authority
    doc.subject = sheet.subject
    doc.creator = "factsheet-builder"
    doc.lang = sheet.language


def build(
    doc: BaseDocTemplate, story: Sequence[Flowable], canvasmaker: type[Canvas] = TaggedCanvas
) -> tuple[bytes, int]:
    """Build a document into bytes; a flowable too big for any frame is a FitError."""
    buffer = io.BytesIO()
    doc.filename = buffer
    try:
        doc.build(list(story), canvasmaker=canvasmaker)
    except LayoutError as exc:
        raise FitError(f"a block of text is too large for the page: {str(exc)[:120]}") from None
    return buffer.getvalue(), doc.page


class Record(list):
    """Where a layout pass notes each flowable placed: one list, which a deep copy of its frame shares (ReportLab
    measures kept-together flowables in a deep copy of the frame)."""

    def __deepcopy__(self, memo: dict) -> Record:
        return self


class RecordingFrame(Frame):
    """A frame that notes where it would draw each flowable, drawing nothing, so that its page can be drawn later
    (``lay_out``)."""

    def __init__(self, *args, record: Record, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record = record

    def add(self, flowable: Flowable, canv, trySplit: int = 0) -> int:
        placed: list[tuple[float, float, float]] = []

        def draw_on(canvas, x: float, y: float, _sW: float = 0) -> None:  # the frame's call that places it
            placed.append((x, y, _sW))

        # ReportLab's frame places a flowable by drawing it; for this one call, it is noted instead (the drawing
        # is the slow part, and is done once, later)
        flowable.drawOn = draw_on
        try:
            added = super().add(flowable, canv, trySplit)
        finally:
            del flowable.drawOn
        if added and placed:
            self.record.append((canv.getPageNumber(), flowable, *placed[0]))
        return added


class Placed(Flowable):
    """Flowables laid out before, drawn again where they were on the page; it takes no room in its frame."""

    def __init__(self, items: Sequence[tuple[Flowable, float, float, float]]) -> None:
        super().__init__()
        self.items = items

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        for flowable, at_x, at_y, shift in self.items:
            flowable.drawOn(canvas, at_x, at_y, shift)


@dataclass(frozen=True)
class LaidOut:
    """A story laid out once: for each page, the flowables drawn on it and where."""

    pages: tuple[tuple[tuple[Flowable, float, float, float], ...], ...]

    def story(self) -> list[Flowable]:
        """Flowables that draw these pages again, a page break between them: layout is the slow part of a PDF,
        so a body shared by many documents is laid out once and drawn into each (with its own page decorations)."""
        story: list[Flowable] = []
        for number, page in enumerate(self.pages):
            if number:
                story.append(PageBreak())
            story.append(Placed(page))
        return story


class _Unsaved(Canvas):
    """The canvas of a layout pass: nothing is drawn on it, and it writes no PDF."""

    def save(self) -> None:
        pass


def lay_out(make_doc: Callable[[Callable[..., Frame]], BaseDocTemplate], story: Sequence[Flowable]) -> LaidOut:
    """Lay ``story`` out in the document ``make_doc(frame_class)`` makes with the frame class it is given (its
    flowables are measured and placed, not drawn: drawing them twice took half the time of a PDF)."""
    record = Record()
    _, pages = build(make_doc(partial(RecordingFrame, record=record)), story, _Unsaved)
    by_page: list[list] = [[] for _ in range(pages)]
    for page, flowable, x, y, shift in record:
        by_page[page - 1].append((flowable, x, y, shift))
    return LaidOut(tuple(tuple(items) for items in by_page))
