"""A layout's colours, format-neutral: the PDF writer turns them into ReportLab colours, the DOCX writer uses hex."""

from __future__ import annotations

from dataclasses import dataclass

TINT_SHARE = 0.88  # how much white the tint mixes into the accent: pale enough for black text on it


@dataclass(frozen=True)
class Colour:
    """An RGB colour, each channel from 0 to 1."""

    red: float
    green: float
    blue: float

    @classmethod
    def from_hex(cls, text: str) -> Colour:
        """The colour written ``#rrggbb``."""
        value = int(text.lstrip("#"), 16)
        return cls(((value >> 16) & 0xFF) / 255.0, ((value >> 8) & 0xFF) / 255.0, (value & 0xFF) / 255.0)

    @property
    def hex(self) -> str:
        """The colour as ``#rrggbb``, each channel cut to 8 bits as ReportLab does."""
        return "#" + "".join(f"{int(channel * 255) & 255:02x}" for channel in (self.red, self.green, self.blue))

    def lightened(self, share: float) -> Colour:
        """The colour mixed with ``share`` (0 to 1) of white."""
        return Colour(*(channel + (1 - channel) * share for channel in (self.red, self.green, self.blue)))


WHITE = Colour(1, 1, 1)
INK = Colour.from_hex("#1a1a1a")  # body text: softer than black, still 17:1 on white
MUTED = Colour.from_hex("#4d4d4d")  # footers and sources


@dataclass(frozen=True)
class Palette:
    """The colours of a layout, derived from one accent colour."""

    accent: Colour
    tint: Colour
    ink: Colour
    muted: Colour

    @classmethod
    def from_accent(cls, accent_hex: str) -> Palette:
        """The palette of an accent colour written ``#rrggbb``."""
        accent = Colour.from_hex(accent_hex)
        return cls(accent, accent.lightened(TINT_SHARE), INK, MUTED)
