"""Building a ReportLab PDF to bytes, reproducibly: its metadata, "Page N of M" on every page, and a story laid
out once and drawn again into many documents."""

from __future__ import annotations

import copy
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


class PageCountDocTemplate(BaseDocTemplate):
    """A document whose pages are held back until the end, so each can say 'Page N of M' in one pass.

    ``draw_page_count(canvas, page, total)`` is called for every page once the total is known.
    """

    def __init__(self, *args, draw_page_count: Callable, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.draw_page_count = draw_page_count

    def build(self, flowables, filename=None, canvasmaker=None) -> None:
        super().build(flowables, filename, _counting_canvas(self.draw_page_count, canvasmaker or TaggedCanvas))


def _counting_canvas(draw: Callable, base: type) -> type:
    class CountingCanvas(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                draw(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return CountingCanvas


class RecordingFrame(Frame):
    """A frame that notes where it would draw each flowable, drawing nothing, so that its page can be drawn later
    (``lay_out``)."""

    def __init__(self, *args, record: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record = record

    def add(self, flowable: Flowable, canv, trySplit: int = 0) -> int:
        placed: list[tuple[float, float, float]] = []

        def draw_on(canvas, x: float, y: float, _sW: float = 0) -> None:  # the frame's call that places it
            placed.append((x, y, _sW))

        flowable.drawOn = draw_on
        try:
            added = super().add(flowable, canv, trySplit)
        finally:
            del flowable.drawOn
        if added and placed:
            self.record.append((canv.getPageNumber(), flowable, *placed[0]))
        return added

    def __deepcopy__(self, memo: dict) -> RecordingFrame:
        """ReportLab measures kept-together flowables in a deep copy of the frame: the copy shares the record."""
        clone = Frame.__new__(type(self))
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            setattr(clone, key, value if key == "record" else copy.deepcopy(value, memo))
        return clone


class Placed(Flowable):
    """Flowables laid out before, drawn again where they were on the page; it takes no room in its frame."""

    _ZEROSIZE = True

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
    record: list = []
    _, pages = build(make_doc(partial(RecordingFrame, record=record)), story, _Unsaved)
    by_page: list[list] = [[] for _ in range(pages)]
    for page, flowable, x, y, shift in record:
        by_page[page - 1].append((flowable, x, y, shift))
    return LaidOut(tuple(tuple(items) for items in by_page))
