"""Shared building blocks for layouts: ReportLab flowables (pdf), python-docx helpers (docx), and what both use:
colours (palette), lengths (units) and QR symbols (qr); here, the small text helpers the blocks share."""

from __future__ import annotations

import re
import unicodedata
from html import escape  # not `import html`, which would hide this package's html module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet_builder.model import Block

# An email address, or a web address written with its scheme or www.; a trailing full stop or bracket is not part of it
ADDRESS = re.compile(
    r"(?P<email>[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)|(?P<url>(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]])"
)


def link_target(address: str) -> str:
    """Where a link to ``address`` goes: the address itself if it names a scheme, ``mailto:`` for an email, else
    ``https://``."""
    if ":" in address.split("/")[0]:
        return address
    return f"mailto:{address}" if "@" in address else f"https://{address}"


def esc(text: str) -> str:
    """Config and content text as literal Paragraph text: markup characters are escaped, never interpreted."""
    return escape(text, quote=False)  # not xml.sax.saxutils, which imports urllib.request and http.client


TALL_LEADING = 1.12  # of the size: an accented capital's accent (0.91) and a descender above it (0.21) never meet
DESCENDERS = set("gjpqyQДЦЩдцщруфβγζημξρφχψς")  # and, below, the letters with a cedilla, an ogonek or a comma
MARKS_BELOW = {"0326", "0327", "0328"}


def leading_for(text: str, leading: float) -> float:
    """The line spacing (a multiple of the size) lines of ``text`` need: ``leading``, or more when it holds both a
    capital with an accent and a letter that descends, which on two lines can meet (a name in capitals: ``ДЙ``)."""
    # no ASCII letter has an accent, so only the others are looked up, and only in a text with a tall capital are
    # the letters that descend looked for
    tall = any(
        not char.isascii() and unicodedata.category(char) == "Lu" and unicodedata.decomposition(char) for char in text
    )
    if not tall:
        return leading
    deep = any(char in DESCENDERS or MARKS_BELOW & set(unicodedata.decomposition(char).split()) for char in text)
    return max(leading, TALL_LEADING) if deep else leading


def nobreak(text: str) -> str:
    """Text never split across lines, such as a phone number: its spaces made non-breaking."""
    return text.replace(" ", "\u00a0")


def introduces_list(block: Block, following: Block | None) -> bool:
    """True for a paragraph that leads into a list ("... those that:"), which must stay with its first item."""
    return block.kind == "paragraph" and following is not None and following.kind in ("bullets", "links")
