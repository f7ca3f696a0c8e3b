"""The fonts shipped with the package: registration with ReportLab and character coverage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
NOT_CHARACTERS = (0, 0xFEFF, 0xFFFE)  # values a ToUnicode map must not give a code (PDF/UA-1 7.21.7)


@dataclass(frozen=True)
class FontFamily:
    """A static TrueType family: the PDF embeds these files; the DOCX names ``docx_name`` (metric-compatible)."""

    name: str
    docx_name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def path(self, face: str) -> Path:
        return FONT_DIR / getattr(self, face)

    @property
    def faces(self) -> dict[str, str]:
        """ReportLab font name of each face."""
        base = self.name.replace(" ", "")
        return {
            "regular": base,
            "bold": f"{base}-Bold",
            "italic": f"{base}-Italic",
            "bold_italic": f"{base}-BoldItalic",
        }

    def register(self) -> None:
        """Register the four faces with ReportLab once per process."""
        from reportlab import rl_config
        from reportlab.pdfbase import pdfmetrics

        faces = self.faces
        # A new canvas selects this font first; left at Helvetica, every PDF would reference an unembedded font.
        rl_config.canvas_basefontname = faces["regular"]
        if faces["regular"] in pdfmetrics.getRegisteredFontNames():
            return
        font_class = embedded_font_class()
        for face, font_name in faces.items():
            pdfmetrics.registerFont(font_class(font_name, self.path(face)))
        pdfmetrics.registerFontFamily(
            faces["regular"],
            normal=faces["regular"],
            bold=faces["bold"],
            italic=faces["italic"],
            boldItalic=faces["bold_italic"],
        )

    def width(self, text: str, face: str, size: float) -> float:
        """How wide ``text`` is in points, set in ``face`` ("regular", "bold"...) at ``size`` (the PDF's metrics;
        the DOCX names metric-compatible fonts, so its measures are the same)."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.register()
        return stringWidth(text, self.faces[face], size)

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Code points every face of the family can draw, read from the registered faces."""
        from reportlab.pdfbase import pdfmetrics

        self.register()
        return frozenset.intersection(
            *(frozenset(pdfmetrics.getFont(name).face.charToGlyph) for name in self.faces.values())
        )

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` the family cannot print, each once, in order."""
        coverage = self.coverage
        return [ch for ch in dict.fromkeys(text) if ord(ch) not in coverage and not ch.isspace()]

    def digest(self) -> str:
        """A hash of the font files, part of every output's input hash."""
        h = hashlib.sha256()
        for face in ("regular", "bold", "italic", "bold_italic"):
            h.update(self.path(face).read_bytes())
        return h.hexdigest()


LIBERATION_SANS = FontFamily(
    name="Liberation Sans",
    docx_name="Arial",
    regular="LiberationSans-Regular.ttf",
    bold="LiberationSans-Bold.ttf",
    italic="LiberationSans-Italic.ttf",
    bold_italic="LiberationSans-BoldItalic.ttf",
)


@lru_cache(maxsize=1)
def embedded_font_class() -> type[TTFont]:
    """ReportLab's TrueType font, embedded with ToUnicode maps of only the codes that stand for characters.

    ReportLab maps every code of a subset, the unused ones (.notdef and the slots below 32 left empty) to U+0000,
    which PDF/UA-1 forbids (7.21.7); it also writes them all in one ``bfchar`` block, where a CMap allows 100. This
    writes each map again once ReportLab has made it. (A function, so that ReportLab is imported only to draw.)
    """
    from reportlab.pdfbase.ttfonts import TTFont

    class EmbeddedFont(TTFont):
        def addObjects(self, doc) -> None:
            state = self.state.get(doc)
            subsets = [list(subset) for subset in state.subsets] if state is not None else []
            names = [self.getSubsetInternalName(number, doc)[1:] for number in range(len(subsets))]
            super().addObjects(doc)
            for name, subset in zip(names, subsets):
                doc.idToObject[doc.idToObject[name].ToUnicode.name].content = to_unicode_cmap(subset)

    return EmbeddedFont


def to_unicode_cmap(subset: list[int]) -> str:
    """A ToUnicode CMap of one-byte codes: code ``i`` stands for the character ``subset[i]``, unless that is no
    character (0 for an unused code); at most 100 codes a block."""
    pairs = [
        f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>"
        for code, value in enumerate(subset)
        if value not in NOT_CHARACTERS
    ]
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<00> <FF>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
