"""The logical structure of a tagged PDF and how it is written: structure elements, parent tree, XMP packet.

:mod:`factsheet_builder.render.tagging` gathers a :class:`Structure` while the pages are drawn (which marked
content and which link annotation belongs to which element); this module writes it down when ReportLab writes
the catalog.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFOutlines, PDFPage, PDFString

from factsheet_builder.render import esc


class Element:
    """A structure element of one document: its type, alternative text, attributes and rank (see ``Tag``), the
    page of its first content, and its kids in reading order.

    A kid is another element, ``(page, mcid)`` for marked content or ``("OBJR", key, page)`` for the link
    annotation whose ``/StructParent`` is ``key``.
    """

    __slots__ = ("role", "alt", "attributes", "rank", "page", "kids", "ref")

    def __init__(self, role: str, alt: str | None = None, attributes: dict[str, Any] | None = None, rank: int = 0):
        self.role, self.alt, self.attributes, self.rank = role, alt, attributes, rank
        self.page: int | None = None
        self.kids: list[Any] = []
        self.ref = ""


class TaggedPage(PDFPage):
    """ReportLab's page with the two keys a tagged page adds: ReportLab writes the keys its page class lists, and
    offers no other way to add one (ISO 32000-1 14.7.4.4 ``/StructParents``; PDF/UA-1 7.18.3 ``/Tabs``)."""

    __NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


class Structure:
    """The structure of one document, gathered while its pages are drawn: the elements under the root, and the
    parent tree, whose entry of each key is a page's elements in the order of their MCIDs, or the ``Link`` of one
    link annotation."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self.parents: list[list[Element] | Element] = []
        self.pages: dict[int, PDFPage] = {}  # page number -> the page
        self.bookmarks: list[tuple[int, str, int, float, float]] = []  # level, title, page number, left, top

    def annotation(self, link: Element, page: int) -> int:
        """The parent-tree key of a new link annotation of ``link`` on ``page`` (its ``/StructParent``)."""
        key = len(self.parents)
        self.parents.append(link)
        link.kids.append(("OBJR", key, page))
        return key

    def page(self, number: int, page: PDFPage, elements: list[Element], annotated: bool) -> None:
        """Record the page just added: its marked content's elements, by MCID; ``annotated``: it has link
        annotations, to be tabbed through in structure order."""
        self.pages[number] = page
        page.__class__ = TaggedPage
        if elements:
            page.StructParents = len(self.parents)
            self.parents.append(elements)
        if annotated:
            page.Tabs = PDFName("S")


class _Raw(PDFObject):
    """An object already written as PDF syntax."""

    def __init__(self) -> None:
        self.data = b""

    def format(self, document) -> bytes:
        return self.data


class StructTreeRoot(PDFObject):
    """The structure tree, written with the catalog: after every page and annotation is drawn and numbered.

    Its few hundred elements are written as PDF syntax directly: through ReportLab's PDFDictionary they would
    cost more time than drawing the pages.
    """

    def __init__(self, structure: Structure) -> None:
        self.structure = structure

    def format(self, document) -> bytes:
        structure = self.structure
        numbers = document.idToObjectNumberAndVersion

        def reference(obj) -> str:
            return f"{numbers[document.Reference(obj).name][0]} 0 R"

        pages = {number: reference(page) for number, page in structure.pages.items()}
        annotations = {  # the link annotations, found by the key they were given
            obj.dict["StructParent"]: reference(obj)
            for obj in list(document.idToObject.values())
            if isinstance(obj, PDFDictionary) and "StructParent" in obj.dict
        }
        top = structure.root
        top.kids.sort(key=lambda kid: kid.rank)  # stable: drawing order within a rank
        walked = _walk(top)
        objects = [_Raw() for _ in walked]
        for (element, _), raw in zip(walked, objects):
            element.ref = reference(raw)
        root = reference(self)
        for (element, parent), raw in zip(walked, objects):
            raw.data = _syntax(element, parent.ref if parent else root, pages, annotations, document).encode("latin-1")
        nums = [
            f"{key} [{' '.join(e.ref for e in entry)}]" if isinstance(entry, list) else f"{key} {entry.ref}"
            for key, entry in enumerate(structure.parents)
        ]
        parent_tree = _Raw()
        parent_tree.data = f"<< /Nums [{' '.join(nums)}] >>".encode("latin-1")
        return (
            f"<< /Type /StructTreeRoot /K {top.ref} /ParentTree {reference(parent_tree)}"
            f" /ParentTreeNextKey {len(structure.parents)} >>"
        ).encode("latin-1")


def _walk(top: Element) -> list[tuple[Element, Element | None]]:
    """``top`` and every element under it, depth first, each with its parent."""
    walked: list[tuple[Element, Element | None]] = []
    todo: list[tuple[Element, Element | None]] = [(top, None)]
    while todo:
        element, parent = todo.pop()
        walked.append((element, parent))
        todo.extend((kid, element) for kid in reversed(element.kids) if isinstance(kid, Element))
    return walked


def _syntax(element: Element, parent: str, pages: dict[int, str], annotations: dict[int, str], document) -> str:
    """One structure element as PDF syntax."""
    kids: list[str] = []
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(kid.ref)
        elif kid[0] == "OBJR":
            kids.append(f"<< /Type /OBJR /Obj {annotations[kid[1]]} /Pg {pages[kid[2]]} >>")
        elif kid[0] == element.page:
            kids.append(str(kid[1]))
        else:
            kids.append(f"<< /Type /MCR /Pg {pages[kid[0]]} /MCID {kid[1]} >>")
    k = kids[0] if len(kids) == 1 else f"[{' '.join(kids)}]"
    text = f"<< /Type /StructElem /S /{element.role} /P {parent} /K {k}"
    if element.page:
        text += f" /Pg {pages[element.page]}"
    if element.alt is not None:
        text += f" /Alt {PDFString(element.alt).format(document).decode('latin-1')}"
    if element.attributes:
        text += f" /A << /O /Table {' '.join(f'/{key} {value}' for key, value in element.attributes.items())} >>"
    return text + " >>"


class Outline(PDFOutlines):
    """The bookmarks of a :class:`Structure`, in document order, each level at most one deeper than the one before:
    ReportLab's own outline would make two objects a bookmark and cost more than they say. ReportLab writes the
    outline object its document was made with (and drops it if it has no entries), so the canvas turns that object
    into this one (``prepare`` and ``format`` are what ReportLab asks of it)."""

    structure: Structure

    def prepare(self, document, canvas) -> None:
        """Everything is known: ready to be written."""
        self.ready = 1

    def format(self, document) -> bytes:
        entries, pages = self.structure.bookmarks, self.structure.pages
        numbers = document.idToObjectNumberAndVersion

        def reference(obj) -> str:
            return f"{numbers[document.Reference(obj).name][0]} 0 R"

        objects = [_Raw() for _ in entries]
        refs = [reference(raw) for raw in objects]
        parents: list[int | None] = []
        path: list[int] = []
        for index, (level, *_) in enumerate(entries):
            del path[level:]
            parents.append(path[-1] if path else None)
            path.append(index)
        children: dict[int | None, list[int]] = {None: []}
        for index, parent in enumerate(parents):
            children.setdefault(index, [])
            children[parent].append(index)
        descendants = [0] * len(entries)
        for index in reversed(range(len(entries))):
            descendants[index] = sum(1 + descendants[child] for child in children[index])
        root = reference(self)
        for index, ((_, title, page, left, top), raw) in enumerate(zip(entries, objects)):
            siblings = children[parents[index]]
            at = siblings.index(index)
            parent = parents[index]
            text = (
                f"<< /Title {PDFString(title).format(document).decode('latin-1')}"
                f" /Parent {root if parent is None else refs[parent]}"
                f" /Dest [{reference(pages[page])} /XYZ {left:.2f} {top:.2f} 0]"
            )
            if at:
                text += f" /Prev {refs[siblings[at - 1]]}"
            if at + 1 < len(siblings):
                text += f" /Next {refs[siblings[at + 1]]}"
            if children[index]:
                first, last = refs[children[index][0]], refs[children[index][-1]]
                text += f" /First {first} /Last {last} /Count {descendants[index]}"
            raw.data = (text + " >>").encode("latin-1")
        top_level = children[None]
        return (
            f"<< /Type /Outlines /First {refs[top_level[0]]} /Last {refs[top_level[-1]]} /Count {len(entries)} >>"
        ).encode("latin-1")


def xmp(title: str, author: str, subject: str, language: str) -> PDFObject:
    """The XMP packet: title, author, subject and language, and the PDF/UA-1 identification."""
    title, author, subject = esc(title), esc(author), esc(subject)
    lang = esc(language) or "x-default"
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    data = packet.encode("utf-8")
    stream = _Raw()  # not compressed, and no empty /Filter
    stream.data = b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream" % (len(data), data)
    return stream
