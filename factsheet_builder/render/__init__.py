"""Shared building blocks for layouts: ReportLab flowables (pdf), python-docx helpers (docx), and what both use:
colours (palette), lengths (units) and QR symbols (qr)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet_builder.model import Block


def nobreak(text: str) -> str:
    """Text never split across lines, such as a phone number: its spaces made non-breaking."""
    return text.replace(" ", "\u00a0")


def introduces_list(block: Block, following: Block | None) -> bool:
    """True for a paragraph that leads into a list ("... those that:"), which must stay with its first item."""
    return block.kind == "paragraph" and following is not None and following.kind in ("bullets", "links")
