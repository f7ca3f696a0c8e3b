"""Shared building blocks for layouts: ReportLab flowables (pdf), python-docx helpers (docx), and what both use:
colours (palette), lengths (units) and QR symbols (qr); here, the small text helpers the blocks share."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet_builder.model import Block


def esc(text: str) -> str:
    """Config and content text as literal Paragraph text: markup characters are escaped, never interpreted."""
    return html.escape(text, quote=False)  # not xml.sax.saxutils, which imports urllib.request and http.client


def nobreak(text: str) -> str:
    """Text never split across lines, such as a phone number: its spaces made non-breaking."""
    return text.replace(" ", "\u00a0")


def introduces_list(block: Block, following: Block | None) -> bool:
    """True for a paragraph that leads into a list ("... those that:"), which must stay with its first item."""
    return block.kind == "paragraph" and following is not None and following.kind in ("bullets", "links")
