"""The fonts shipped with the package: registration with ReportLab and character coverage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"


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
        from reportlab.pdfbase.ttfonts import TTFont

        faces = self.faces
        # A new canvas selects this font first; left at Helvetica, every PDF would reference an unembedded font.
        rl_config.canvas_basefontname = faces["regular"]
        if faces["regular"] in pdfmetrics.getRegisteredFontNames():
            return
        for face, font_name in faces.items():
            pdfmetrics.registerFont(TTFont(font_name, self.path(face)))
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
