"""Text that would overflow its box: a word wider than the paragraph that holds it, found in wrapped flowables."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph, Table


class Grid(Table):
    """A ReportLab Table that keeps its cells (``cells``) where ``too_wide`` can look into them."""

    def __init__(self, cells: list[list[Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(cells, *args, **kwargs)
        self.cells = cells


def too_wide(flowable) -> list[str]:
    """Texts in a wrapped flowable (inside Grids too) holding a word wider than their box, which would overflow it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if isinstance(flowable, (list, tuple)):
        return [text for item in flowable for text in too_wide(item)]
    if isinstance(flowable, Grid):
        return [text for row in flowable.cells for cell in row for text in too_wide(cell)]
    if isinstance(flowable, Paragraph) and hasattr(flowable, "width"):
        style = flowable.style
        room = flowable.width - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0) + 0.01
        para = flowable.blPara
        if para.kind == 0:  # one style: lines are (extra space, words)
            pieces = [(word, style.fontName, style.fontSize) for _, words in para.lines for word in words]
        else:  # mixed styles: lines hold runs of text, each with its font
            pieces = [
                (word, run.fontName, run.fontSize)
                for line in para.lines
                for run in line.words
                for word in getattr(run, "text", "").split(" ")
            ]
        if any(stringWidth(word, font, size) > room for word, font, size in pieces):
            return [flowable.getPlainText()]
    return []
