"""The logical structure of a tagged PDF written as PDF syntax: structure elements, parent tree, XMP packet.

:mod:`factsheet_builder.render.tagging` records, while the pages are drawn, which marked content belongs to
which element; this module writes that down when ReportLab writes the catalog.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject, PDFString

from factsheet_builder.render import esc


class Element:
    """A structure element of one document: its tag, the page of its first content, its kids in reading order.

    A kid is another element, ``(page, mcid)`` for marked content or ``("OBJR", reference, page)`` for an
    annotation.
    """

    __slots__ = ("tag", "page", "kids", "ref")

    def __init__(self, tag: Any) -> None:  # a tagging.Tag (tagging imports this module, not the other way)
        self.tag, self.page, self.kids, self.ref = tag, None, [], None


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

    def __init__(self, canvas: Any) -> None:  # a tagging.TaggedCanvas
        self.canvas = canvas

    def format(self, document) -> bytes:
        canvas = self.canvas
        numbers = document.idToObjectNumberAndVersion

        def reference(obj) -> str:
            return f"{numbers[document.Reference(obj).name][0]} 0 R"

        pages = {number: reference(document.idToObject[ref.name]) for number, ref in canvas._page_refs.items()}
        top = canvas._root
        top.kids.sort(key=lambda kid: kid.tag.rank)  # stable: drawing order within a rank
        elements = _walk(top)
        objects = [_Raw() for _ in elements]
        for element, raw in zip(elements, objects):
            element.ref = reference(raw)
        parents = {top: reference(self)}
        for element, raw in zip(elements, objects):
            parents.update((kid, element.ref) for kid in element.kids if isinstance(kid, Element))
            raw.data = _syntax(element, parents[element], pages, document).encode("latin-1")
        nums = [f"{number - 1} [{' '.join(e.ref for e in canvas._page_mcids[number])}]" for number in sorted(pages)]
        nums += [f"{key} {link.ref}" for key, (_, link) in enumerate(canvas._annotations, start=len(pages))]
        parent_tree = _Raw()
        parent_tree.data = f"<< /Nums [{' '.join(nums)}] >>".encode("latin-1")
        return (
            f"<< /Type /StructTreeRoot /K {top.ref} /ParentTree {reference(parent_tree)}"
            f" /ParentTreeNextKey {len(pages) + len(canvas._annotations)} >>"
        ).encode("latin-1")


def _walk(top: Element) -> list[Element]:
    """``top`` and every element under it, depth first."""
    elements, todo = [], [top]
    while todo:
        element = todo.pop()
        elements.append(element)
        todo.extend(kid for kid in reversed(element.kids) if isinstance(kid, Element))
    return elements


def _syntax(element: Element, parent: str, pages: dict[int, str], document) -> str:
    """One structure element as PDF syntax."""
    kids: list[str] = []
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(kid.ref)
        elif kid[0] == "OBJR":
            kids.append(f"<< /Type /OBJR /Obj {kid[1].format(document).decode()} /Pg {pages[kid[2]]} >>")
        elif kid[0] == element.page:
            kids.append(str(kid[1]))
        else:
            kids.append(f"<< /Type /MCR /Pg {pages[kid[0]]} /MCID {kid[1]} >>")
    what = element.tag
    k = kids[0] if len(kids) == 1 else f"[{' '.join(kids)}]"
    text = f"<< /Type /StructElem /S /{what.role} /P {parent} /K {k}"
    if element.page:
        text += f" /Pg {pages[element.page]}"
    if what.alt is not None:
        text += f" /Alt {PDFString(what.alt).format(document).decode('latin-1')}"
    if what.attributes:
        text += f" /A << /O /Table {' '.join(f'/{key} {value}' for key, value in what.attributes.items())} >>"
    return text + " >>"


class Outline(PDFObject):
    """The bookmarks: ``(level, title, page number, left, top)`` in document order, each level at most one deeper
    than the one before; stands in for ReportLab's outline (``ready`` and ``prepare`` are what it asks of one)."""

    ready = 1

    def __init__(self, entries: list[tuple[int, str, int, float, float]], pages: dict) -> None:
        self.entries, self.pages = entries, pages

    def prepare(self, document, canvas) -> None:
        """Nothing to prepare: everything is known."""

    def format(self, document) -> bytes:
        numbers = document.idToObjectNumberAndVersion

        def reference(obj) -> str:
            return f"{numbers[document.Reference(obj).name][0]} 0 R"

        objects = [_Raw() for _ in self.entries]
        refs = [reference(raw) for raw in objects]
        parents: list[int | None] = []
        path: list[int] = []
        for index, (level, *_) in enumerate(self.entries):
            del path[level:]
            parents.append(path[-1] if path else None)
            path.append(index)
        children: dict[int | None, list[int]] = {None: []}
        for index, parent in enumerate(parents):
            children.setdefault(index, [])
            children[parent].append(index)
        descendants = [0] * len(self.entries)
        for index in reversed(range(len(self.entries))):
            descendants[index] = sum(1 + descendants[child] for child in children[index])
        root = reference(self)
        for index, ((_, title, page, left, top), raw) in enumerate(zip(self.entries, objects)):
            siblings = children[parents[index]]
            at = siblings.index(index)
            parent = parents[index]
            text = (
                f"<< /Title {PDFString(title).format(document).decode('latin-1')}"
                f" /Parent {root if parent is None else refs[parent]}"
                f" /Dest [{reference(document.idToObject[self.pages[page].name])} /XYZ {left:.2f} {top:.2f} 0]"
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
            f"<< /Type /Outlines /First {refs[top_level[0]]} /Last {refs[top_level[-1]]} /Count {len(self.entries)} >>"
        ).encode("latin-1")


def xmp(info, catalog) -> PDFObject:
    """The XMP packet: title, author, subject and language, and the PDF/UA-1 identification."""
    title, author, subject = (esc(getattr(info, key, "") or "") for key in ("title", "author", "subject"))
    lang = esc(str(getattr(catalog, "Lang", "") or "").strip("()")) or "x-default"
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
