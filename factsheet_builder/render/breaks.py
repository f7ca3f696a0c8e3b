"""Line breaks for a school's own values: names at spaces and hyphens, addresses after '@' and before a '.'.

ReportLab breaks lines only at spaces, so an email address wider than its column would overflow it (or be
split anywhere with ``splitLongWords``). Here each value is broken where a reader expects it, never with an
inserted hyphen, so that what copies out of the PDF is the exact value (lines joined).
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from factsheet_builder.render import esc

# Where a line may end: a name after a space or a hyphen; an address after '@', '/' or '-', or before a '.'.
_NAME = re.compile(r"(?<=[ \-‐])")
_ADDRESS = re.compile(r"(?<=[@/\-])|(?=\.)")


def is_address(text: str) -> bool:
    """True for an email or web address (no spaces, an '@' or a '/' or a '.')."""
    return " " not in text and any(c in text for c in "@/.")


def pieces(text: str) -> list[str]:
    """The unbreakable runs of ``text``, in order; joined, they give the text back exactly."""
    return [p for p in (_ADDRESS if is_address(text) else _NAME).split(text) if p]


@lru_cache(maxsize=4096)
def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """``text`` as the fewest lines no wider than ``width`` that break only at its natural points.

    A run with no natural point that is still too wide (a 40-letter word) is split between letters, the one
    place a line may end elsewhere; no character is ever added or lost. An address that takes two lines is
    broken after its '@' when both halves fit.
    """
    lines = _greedy(text, font, size, width)
    if len(lines) == 2 and "@" in text and is_address(text):
        local, domain = text.split("@", 1)
        if max(stringWidth(local + "@", font, size), stringWidth(domain, font, size)) <= width:
            return (local + "@", domain)
    return lines


def _greedy(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    if text and text == text.strip() and stringWidth(text, font, size) <= width:
        return (text,)  # what the loop below finds, as no part of a text is wider than the whole: one measure
    lines: list[str] = []
    line = ""
    for piece in pieces(text):
        if line and stringWidth((line + piece).rstrip(), font, size) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece.lstrip() if not line else piece
        while stringWidth(line.rstrip(), font, size) > width and len(line) > 1:
            cut = max(1, next((i for i in range(len(line), 0, -1) if stringWidth(line[:i], font, size) <= width), 1))
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return tuple(lines)


def markup(text: str, font: str, size: float, width: float) -> str:
    """Paragraph markup of ``text`` wrapped by ``wrap``: escaped lines joined by ``<br/>``."""
    return "<br/>".join(esc(line) for line in wrap(text, font, size, width))


def widest(text: str, font: str, size: float) -> float:
    """The width of the widest unbreakable run of ``text``: the narrowest column it can take unsplit."""
    return max(stringWidth(p.strip(), font, size) for p in pieces(text))
