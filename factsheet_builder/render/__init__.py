"""Shared building blocks for layouts: ReportLab flowables (pdf), python-docx helpers (docx), and what both use:
colours (palette), lengths (units) and QR symbols (qr); here, the small text helpers the blocks share."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet_builder.model import Block


# An email address, or a web address written with its scheme or www.; a trailing full stop or bracket is not part of it
ADDRESS = re.compile(
    r"(?P<email>[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)|(?P<url>(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]])"
)


def link_target(address: str) -> str:
    """Where a link to ``address`` (as ``ADDRESS`` finds one) goes: an email to ``mailto:``, a web address with
    its scheme."""
    if ":" in address.split("/")[0]:
        return address
    return f"mailto:{address}" if "@" in address else f"https://{address}"


def esc(text: str) -> str:
    """Config and content text as literal Paragraph text: markup characters are escaped, never interpreted."""
    return html.escape(text, quote=False)  # not xml.sax.saxutils, which imports urllib.request and http.client


def nobreak(text: str) -> str:
    """Text never split across lines, such as a phone number: its spaces made non-breaking."""
    return text.replace(" ", "\u00a0")


def introduces_list(block: Block, following: Block | None) -> bool:
    """True for a paragraph that leads into a list ("... those that:"), which must stay with its first item."""
    return block.kind == "paragraph" and following is not None and following.kind in ("bullets", "links")
