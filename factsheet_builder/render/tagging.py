"""Tagged PDF (PDF/UA-1) on ReportLab, which writes no tags itself: marked content, the structure tree, metadata.

A layout says what each drawn flowable *is* by giving it a :class:`Tag` (``tag(Paragraph(...), Tag("H1"))``);
container elements (``L``, ``LI``, ``Table``, ``TR``, ``BlockQuote``...) are tags that only serve as parents.
:class:`TaggedCanvas` does the rest while the pages are drawn: everything drawn outside a tagged flowable
is an ``/Artifact`` (rules, backgrounds, running footers), the text of a tagged paragraph is marked inside each
of its text objects and anything else a tagged flowable draws is marked around it, each sequence with its own
MCID; on saving it writes the structure tree, the parent tree, ``/MarkInfo``, ``/ViewerPreferences``, the XMP
packet and the bookmarks. docs/tagging.md explains it.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph

from factsheet_builder.render.structure_tree import Element, Outline, StructTreeRoot, Structure, xmp

LINK_START, LINK_END = "tag_link_start", "tag_link_end"  # Paragraph <onDraw> callbacks around a link's text
ARTIFACT = "/Artifact BMC"


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


def link_markup(href: str, text: str, colour: str | None = None) -> str:
    """Paragraph markup of a link to ``href`` showing ``text`` (markup), underlined so that it does not differ by
    colour alone; drawn on a :class:`TaggedCanvas`, it is a Link element tied to its annotations."""
    target = html.escape(href)
    colour_attribute = f' color="{colour}"' if colour else ""
    return (
        f'<onDraw name="{LINK_START}" label="{target}"/><link href="{target}"{colour_attribute}><u>{text}</u></link>'
        f'<onDraw name="{LINK_END}" label="{target}"/>'
    )


class Marked(Flowable):
    """Mixin for a flowable whose drawing is the content of its ``tag`` (see :func:`tag`): put before the
    flowable's own class, so that its methods wrap that class's."""

    tag: Tag | None = None

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        if self.tag is None or not isinstance(canvas, TaggedCanvas):
            super().drawOn(canvas, x, y, _sW)
            return
        label = self.tag.label if getattr(self, "bulletText", None) else None
        if self.tag.heading:
            canvas.bookmark(self.tag, self.getPlainText(), x, y + self.height)
        canvas.begin_content(label or self.tag, text_only=isinstance(self, Paragraph))
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
        if self.tag is not None and self.tag.heading:
            return []  # moved whole to the next frame: a heading is read as one piece of text, and set as one
        pieces = super().split(available_width, available_height)
        for piece in pieces:  # the parts of a split paragraph are parts of the same element
            if piece is not self:
                tag(piece, self.tag)
        return pieces


@cache
def _marked_class(cls: type[Flowable]) -> type[Marked]:
    return type(f"Tagged{cls.__name__}", (Marked, cls), {"__module__": __name__})


def tag(flowable, what: Tag | None):
    """Mark ``flowable`` as the content of ``what`` (None: an artifact) and return it; works on any Flowable."""
    if not isinstance(flowable, Marked):
        flowable.__class__ = _marked_class(flowable.__class__)
    flowable.tag = what
    return flowable


class MarkedText(PDFTextObject):
    """A text object whose text is the content of a structure element, marked inside its ``BT`` ... ``ET`` so that
    marked content and text objects nest (ISO 32000-1 14.6); a link in it gets a sequence of its own. It is drawn
    while the page's own sequence is an artifact (a paragraph's other drawing is decoration): its code ends that
    artifact before ``BT`` and begins another after ``ET``.

    ReportLab's text object offers no public way to add operators to its code. Its ``getCode()`` gives the code
    so far, ending it with ``ET``: a mark notes where that ``ET`` falls, and takes its place when drawn.
    """

    marks: tuple[tuple[int, str], ...] = ()

    def __init__(self, canvas: Canvas, x: float, y: float, direction: str | None, opening: str) -> None:
        super().__init__(canvas, x, y, direction)
        self.opening = opening

    def mark(self, operators: str) -> None:
        """Put ``operators`` (marked-content ones) at this point of the text."""
        code = PDFTextObject.getCode(self)
        if not code.endswith(" ET"):
            raise RuntimeError("ReportLab's text object no longer ends its code with ET: marks would misplace")
        self.marks = (*self.marks, (len(code) - 2, operators))

    def getCode(self) -> str:
        code = super().getCode()
        out, start = ["EMC\nBT ", self.opening], 2  # after BT
        for at, operators in self.marks:
            out += [code[start:at], operators]
            start = at + 2  # the ET the mark stands for
        out += [code[start:-2], "EMC ET\n", ARTIFACT]
        return "".join(out)


class TaggedCanvas(Canvas):
    """A canvas that marks what it draws and writes the logical structure of the document when saved.

    The page's own stream always has one marked-content sequence open: an artifact, or the tag of the flowable
    being drawn. A tagged paragraph's text is marked inside its text objects (:class:`MarkedText`), the page's
    sequence ended before each of them and begun again after it; what the paragraph draws besides (underlines)
    is decoration.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.structure = Structure()
        self._elements: dict[Tag, Element] = {}
        self._stack: list[tuple[Tag | None, bool]] = []  # each tag being drawn, and whether only its text is
        self._text: MarkedText | None = None  # the text object being written (the last begun), if its text is marked
        self._links: dict[str, Element] = {}  # the Link element of each address in the block being drawn
        self._outline: list[int] = []  # the heading levels (1 to 6) of the open bookmarks
        self._info = {"lang": kwargs.get("lang") or "", "title": "", "author": "", "subject": ""}
        self._saving = False
        super().__init__(*args, **kwargs)
        self.setNamedCB(LINK_START, self._link_start)
        self.setNamedCB(LINK_END, self._link_end)

    @property
    def current(self) -> Tag | None:
        """The tag whose content is being drawn (None: an artifact)."""
        return self._stack[-1][0] if self._stack else None

    def init_graphics_state(self) -> None:
        """A new page: what no tagged flowable draws is decoration."""
        super().init_graphics_state()
        self._page = self.getPageNumber()
        self._page_open: Tag | None = None  # what the page's own open sequence marks (None: an artifact)
        self._mcids: list[Element] = []  # the element of each MCID of the page
        self._annotated = False
        self.addLiteral(ARTIFACT)

    def _begin(self, what: Tag) -> str:
        """The operator that begins a marked-content sequence of ``what``, with the page's next MCID."""
        element = self._element(what)
        number, mcid = self._page, len(self._mcids)
        element.kids.append((number, mcid))
        if element.page is None:
            element.page = number
        self._mcids.append(element)
        return f"/{what.role} <</MCID {mcid}>> BDC"

    def _open_page(self, what: Tag | None) -> None:
        """End the page's own sequence and begin one for ``what`` (None: an artifact), unless it is already open."""
        if what is not self._page_open:
            self._page_open = what
            self.addLiteral("EMC")
            self.addLiteral(ARTIFACT if what is None else self._begin(what))

    def begin_content(self, what: Tag | None, text_only: bool = False) -> None:
        """Start drawing the content of ``what`` (None: an artifact); pair with :meth:`end_content`. ``text_only``:
        only its text is its content, the rest it draws is decoration (a paragraph's underlines)."""
        if self._links:
            self._links = {}  # a new block: the link annotations to come are not the last one's
        if what is not None:
            self._element(what)  # in the tree where it is drawn, even if it turns out to draw nothing (a blank cell)
        self._stack.append((what, text_only))
        self._open_page(None if text_only else what)

    def switch_content(self, what: Tag | None) -> None:
        """Go on drawing the content of ``what`` instead of the current tag's."""
        text_only = self._stack[-1][1]
        self._stack[-1] = (what, text_only)
        self._open_page(None if text_only else what)

    def end_content(self) -> None:
        """Back to drawing what was being drawn before the matching :meth:`begin_content`."""
        self._stack.pop()
        what, text_only = self._stack[-1] if self._stack else (None, True)
        self._open_page(None if text_only else what)

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> PDFTextObject:
        what, text_only = self._stack[-1] if self._stack else (None, False)
        if what is None or not text_only:  # an artifact, or text inside the page's sequence of ``what``
            self._text = None
            return super().beginText(x, y, direction)
        self._text = MarkedText(self, x, y, direction, self._begin(what))
        return self._text

    def _element(self, what: Tag) -> Element:
        element = self._elements.get(what)
        if element is None:
            element = self._elements[what] = Element(what.role, what.alt, what.attributes, what.rank)
            (self.structure.root if what.parent is None else self._element(what.parent)).kids.append(element)
        return element

    def bookmark(self, heading: Tag, text: str, x: float, y: float) -> None:
        """An outline entry for ``heading`` at (x, y), the first time it is drawn; its level follows H1 to H6."""
        if heading in self._elements:
            return
        level = int(heading.role[1])
        while self._outline and self._outline[-1] >= level:
            self._outline.pop()
        left, top = self.absolutePosition(x, y)
        entry = (len(self._outline), text, self.getPageNumber(), left, top)  # under the last higher level
        self.structure.bookmarks.append(entry)
        self._outline.append(level)

    def _link_start(self, canvas, kind: str, href: str | None) -> None:
        """<onDraw> before a link's text: it is the content of a Link element inside the paragraph's element."""
        text = self._text
        if text is None or href is None:  # a link in text that is not marked: nothing to tie it to
            return
        link = Tag("Link", self.current)
        self._stack.append((link, True))
        text.mark(f"EMC {self._begin(link)}")
        self._links[href] = self._elements[link]

    def _link_end(self, canvas, kind: str, href: str | None) -> None:
        """<onDraw> after a link's text (its annotations come when the line is finished)."""
        text, link = self._text, self.current
        if text is None or link is None or link.role != "Link" or link.parent is None:
            return
        self._stack.pop()
        text.mark(f"EMC {self._begin(link.parent)}")  # back to the paragraph's sequence

    def linkURL(
        self, url: str, rect, relative: int = 0, thickness: int = 0, color=None, dashArray=None, kind: str = "URI", **kw
    ) -> None:
        link = self._links.get(url)
        if link is not None:
            kw.setdefault("Contents", PDFString(describe(url)))
            kw["StructParent"] = self.structure.annotation(link, self.getPageNumber())
            self._annotated = True
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    def setTitle(self, title: str | None) -> None:
        self._info["title"] = title or ""
        super().setTitle(title)

    def setAuthor(self, author: str | None) -> None:
        self._info["author"] = author or ""
        super().setAuthor(author)

    def setSubject(self, subject: str | None) -> None:
        self._info["subject"] = subject or ""
        super().setSubject(subject)

    def showPage(self) -> None:
        if self._saving and self.getCurrentPageContent() == ARTIFACT:
            return  # the page begun by the last showPage(), with nothing on it
        self.addLiteral("EMC")
        number, elements, annotated = self.getPageNumber(), self._mcids, self._annotated
        super().showPage()
        self.structure.page(number, self.getCatalogEntry("Pages").pages[-1], elements, annotated)

    def save(self) -> None:
        self._saving = True
        if self._elements:  # nothing tagged: claim no structure (the markings alone are harmless)
            info = self._info
            self.setCatalogEntry("StructTreeRoot", StructTreeRoot(self.structure))
            self.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
            self.setCatalogEntry("Metadata", xmp(info["title"], info["author"], info["subject"], info["lang"]))
            self.setViewerPreference("DisplayDocTitle", "true")
            if self.structure.bookmarks:
                outline = self.getCatalogEntry("Outlines")
                outline.__class__ = Outline
                outline.structure = self.structure
                self.showOutline()
        super().save()


def describe(url: str) -> str:
    """What a link annotation says it is (its ``/Contents``): the address, an email's without ``mailto:``."""
    return f"Email {url[len('mailto:') :]}" if url.startswith("mailto:") else url
