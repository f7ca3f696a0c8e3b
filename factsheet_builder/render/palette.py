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

    def darkened(self, share: float) -> Colour:
        """The colour mixed with ``share`` (0 to 1) of black."""
        return Colour(*(channel * (1 - share) for channel in (self.red, self.green, self.blue)))

    @property
    def luminance(self) -> float:
        """The WCAG relative luminance, from 0 (black) to 1 (white)."""
        r, g, b = (
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (self.red, self.green, self.blue)
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: Colour, other: Colour) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((one.luminance, other.luminance), reverse=True)
    return (light + 0.05) / (dark + 0.05)


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
