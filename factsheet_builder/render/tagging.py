"""Tagged PDF (PDF/UA-1) on ReportLab, which writes no tags itself: marked content, the structure tree, metadata.

A layout says what each drawn flowable *is* by giving it a :class:`Tag` (``tag(Paragraph(...), Tag("H1"))``);
container elements (``L``, ``LI``, ``Table``, ``TR``, ``BlockQuote``...) are tags that only serve as parents.
:class:`TaggedCanvas` does the rest while the pages are drawn: everything drawn outside a tagged flowable
is an ``/Artifact`` (rules, backgrounds, running footers), each tagged flowable's drawing is a marked-content
sequence with its own MCID, and on saving it writes the structure tree, the parent tree, ``/StructParents``,
``/MarkInfo``, ``/ViewerPreferences``, the XMP packet and the bookmarks. docs/tagging.md explains it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas

from factsheet_builder.render.structure_tree import Element, Outline, StructTreeRoot, xmp

LINK_START, LINK_END = "tag_link_start", "tag_link_end"  # Paragraph <onDraw> callbacks around a link's text


class Tag:
    """A structure element to be: its type, parent tag and attributes; shared by every document that draws it."""

    __slots__ = ("role", "parent", "alt", "attributes", "rank", "label", "heading")

    def __init__(
        self,
        role: str,
        parent: Tag | None = None,
        *,
        alt: str | None = None,
        attributes: dict[str, Any] | None = None,
        rank: int = 0,
    ) -> None:
        self.role, self.parent, self.alt, self.rank = role, parent, alt, rank
        self.attributes = attributes or {}
        self.label: Tag | None = None  # a list item's Lbl, for the bullet its paragraph draws
        self.heading = len(role) == 2 and role[0] == "H" and role[1].isdigit()  # H1 to H6


def list_item(parent: Tag) -> Tag:
    """The LBody of a new LI in the list ``parent``; its ``label`` is the LI's Lbl, for the bullet."""
    item = Tag("LI", parent)
    body = Tag("LBody", item)
    body.label = Tag("Lbl", item)
    return body


def cell(row: Tag, header: str | None = None, span: int = 1) -> Tag:
    """A table cell in ``row``: TH with scope ``header`` ('Row' or 'Column'), or TD; ``span`` columns wide."""
    attributes: dict[str, Any] = {}
    if header:
        attributes["Scope"] = f"/{header}"
    if span > 1:
        attributes["ColSpan"] = span
    return Tag("TH" if header else "TD", row, attributes=attributes)


class Marked:
    """Mixin for a flowable whose drawing is the content of its ``tag`` (see :func:`tag`)."""

    tag: Tag | None = None

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        if self.tag is None or not isinstance(canvas, TaggedCanvas):
            super().drawOn(canvas, x, y, _sW)
            return
        label = self.tag.label if getattr(self, "bulletText", None) else None
        if self.tag.heading:
            canvas.bookmark(self.tag, self.getPlainText(), x, y + self.height)
        canvas.begin_content(label or self.tag)
        try:
            super().drawOn(canvas, x, y, _sW)
        finally:
            canvas.end_content()

    def beginText(self, x: float, y: float):
        """Paragraph's hook just after it drew its bullet: the text that follows is the LBody, not the Lbl."""
        canvas = self.canv
        if isinstance(canvas, TaggedCanvas) and self.tag is not None and canvas.current is self.tag.label:
            canvas.switch_content(self.tag)
        return super().beginText(x, y)

    def split(self, available_width: float, available_height: float) -> list:
        pieces = super().split(available_width, available_height)
        for piece in pieces:  # the parts of a split paragraph are parts of the same element
            if piece is not self:
                tag(piece, self.tag)
        return pieces


@cache
def _marked_class(cls: type) -> type:
    return type(f"Tagged{cls.__name__}", (Marked, cls), {"__module__": __name__})


def tag(flowable, what: Tag | None):
    """Mark ``flowable`` as the content of ``what`` (None: an artifact) and return it; works on any Flowable."""
    if not isinstance(flowable, Marked):
        flowable.__class__ = _marked_class(type(flowable))
    flowable.tag = what
    return flowable


def tag_rows(table, parent: Tag, rows: range, header_columns: int = 0) -> None:
    """Tag ``rows`` of a ReportLab Table as TR elements of ``parent``: a TH with row scope in each of the first
    ``header_columns`` columns (unless it spans them all), TDs elsewhere; a spanning cell carries its ColSpan."""
    spans = getattr(table, "_spanRanges", None) or {}
    columns = len(table._colWidths)
    for r in rows:
        row = Tag("TR", parent)
        for c, value in enumerate(table._cellvalues[r]):
            span = spans.get((c, r), (c, r, c, r))
            if span is None:  # hidden under a spanning cell
                continue
            width = span[2] - span[0] + 1
            what = cell(row, "Row" if c < header_columns and width < columns else None, width)
            for flowable in value if isinstance(value, (list, tuple)) else [value]:
                if not isinstance(flowable, str):
                    tag(flowable, what)


ARTIFACT = "/Artifact BMC"


class TaggedCanvas(Canvas):
    """A canvas that marks what it draws and writes the logical structure of the document when saved."""

    def __init__(self, *args, **kwargs) -> None:
        self._root = Element(Tag("Document"))
        self._elements: dict[Tag, Element] = {}
        self._page_mcids: dict[int, list[Element]] = {}  # page number -> the element of each of its MCIDs
        self._page_refs: dict[int, Any] = {}
        self._annotations: list[tuple[PDFDictionary, Element]] = []  # each link annotation, and its Link
        self._stack: list[Tag | None] = []
        self._target: list | None = None  # where marked content goes: a text object's code, inside one
        self._link: Element | None = None
        self._outline: list[int] = []  # the heading levels (1 to 6) of the open bookmarks
        self._bookmarks: list[tuple[int, str, int, float, float]] = []  # level, title, page, left, top
        super().__init__(*args, **kwargs)
        self.setNamedCB(LINK_START, self._link_start)
        self.setNamedCB(LINK_END, self._link_end)

    @property
    def current(self) -> Tag | None:
        """The tag whose content is being drawn (None: an artifact)."""
        return self._stack[-1] if self._stack else None

    def _restartAccumulators(self) -> None:
        super()._restartAccumulators()
        if not self._codeStack:  # a new page: what no tagged flowable draws is decoration
            self._code.append(ARTIFACT)
            self._mcids = self._page_mcids.setdefault(self._pageNumber, [])  # the element of each MCID

    def _mark(self, what: Tag | None) -> None:
        """End the current marked-content sequence and begin one for ``what`` (None: an artifact)."""
        code = self._code if self._target is None else self._target
        if self._target is None and code[-1] is ARTIFACT:
            code.pop()  # an artifact with nothing in it, between two tagged flowables
        else:
            code.append("EMC")
        if what is None:
            code.append(ARTIFACT)
            return
        element = self._elements.get(what) or self._element(what)
        mcids, number = self._mcids, self._pageNumber
        element.kids.append((number, len(mcids)))
        if element.page is None:
            element.page = number
        code.append(f"/{what.role} <</MCID {len(mcids)}>> BDC")
        mcids.append(element)

    def begin_content(self, what: Tag | None) -> None:
        """Start drawing the content of ``what`` (None: an artifact); pair with :meth:`end_content`."""
        if self._target is None:
            self._link = None  # a new block: the link annotations to come are not the last one's
        self._stack.append(what)
        self._mark(what)

    def switch_content(self, what: Tag | None) -> None:
        """Go on drawing the content of ``what`` instead of the current tag's."""
        self._stack[-1] = what
        self._mark(what)

    def end_content(self) -> None:
        """Back to drawing what was being drawn before the matching :meth:`begin_content`."""
        stack = self._stack
        stack.pop()
        self._mark(stack[-1] if stack else None)

    def _element(self, what: Tag) -> Element:
        element = self._elements.get(what)
        if element is None:
            element = self._elements[what] = Element(what)
            (self._root if what.parent is None else self._element(what.parent)).kids.append(element)
        return element

    def bookmark(self, heading: Tag, text: str, x: float, y: float) -> None:
        """An outline entry for ``heading`` at (x, y), the first time it is drawn; its level follows H1 to H6."""
        if heading in self._elements:
            return
        level = int(heading.role[1])
        while self._outline and self._outline[-1] >= level:
            self._outline.pop()
        left, top = self.absolutePosition(x, y)
        self._bookmarks.append((len(self._outline), text, self._pageNumber, left, top))  # under the last higher level
        self._outline.append(level)

    def _link_start(self, canvas, kind: str, label: str | None) -> None:
        """<onDraw> before a link's text: it is the content of a Link element inside the paragraph's element."""
        self._in_text(lambda: self.begin_content(Tag("Link", self.current)))
        self._link = self._elements[self.current]

    def _link_end(self, canvas, kind: str, label: str | None) -> None:
        """<onDraw> after a link's text (its annotations come when the line is finished)."""
        self._in_text(self.end_content)

    def _in_text(self, action) -> None:
        self._target = self._curr_tx_info["tx"]._code
        try:
            action()
        finally:
            self._target = None

    def linkURL(
        self, url: str, rect, relative: int = 0, thickness: int = 0, color=None, dashArray=None, kind: str = "URI", **kw
    ) -> None:
        link = self._link
        if link is not None:
            kw.setdefault("Contents", PDFString(url))
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        if link is not None:
            ref = self._annotationrefs[-1]
            link.kids.append(("OBJR", ref, self._pageNumber))
            self._annotations.append((self._doc.idToObject[ref.name], link))

    def showPage(self) -> None:
        if self._code[-1] is ARTIFACT:
            self._code.pop()
        else:
            self._code.append("EMC")
        number, links = self._pageNumber, bool(self._annotationrefs)
        super().showPage()
        page = self._doc.Pages.pages[-1]
        self._page_refs[number] = self._doc.Reference(page)
        extra = {"StructParents": number - 1}
        if links:
            extra["Tabs"] = PDFName("S")  # tab through the links in structure order
        page.__NoDefault__ = [*page.__NoDefault__, *extra]
        for key, value in extra.items():
            setattr(page, key, value)

    def save(self) -> None:
        if len(self._code) > 1 or self._code[0] is not ARTIFACT:
            self.showPage()
        self._code = []  # no blank page for the one begun by the last showPage
        if not self._elements:  # nothing tagged: claim no structure (the markings alone are harmless)
            super().save()
            return
        for key, (annotation, _) in enumerate(self._annotations, start=len(self._page_refs)):
            annotation["StructParent"] = key
        catalog = self._doc.Catalog
        catalog.StructTreeRoot = StructTreeRoot(self)
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.Metadata = xmp(self._doc.info, catalog)
        self.setViewerPreference("DisplayDocTitle", "true")
        if self._bookmarks:  # written like the tree: ReportLab's outline objects cost more than they say
            self._doc.Outlines = catalog.Outlines = Outline(self._bookmarks, self._page_refs)
            self.showOutline()
        super().save()
