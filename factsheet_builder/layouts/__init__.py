"""Layouts: how a merged leaflet is drawn. A layout declares itself and renders to each of its formats.

Like a Sphinx builder, a layout is a class with class-level ``name``, ``description``, ``page_size`` and
``formats``, its own ``options`` (declared with the config field types) and one ``render_<format>`` hook
per format. The registry in :mod:`factsheet_builder.layouts.registry` finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from factsheet_builder.config.fields import Field
from factsheet_builder.fonts import LIBERATION_SANS, FontFamily
from factsheet_builder.model import Leaflet


@dataclass(frozen=True)
class Rendered:
    """One rendered file: its bytes and, where known, its page count."""

    data: bytes
    pages: int | None = None


class Layout:
    """Base class of every layout."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    page_size: ClassVar[str] = "A4"
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")
    pages: ClassVar[int | None] = 2  # exact page count of the PDF, or None for as many as needed
    options: ClassVar[dict[str, Field]] = {}
    fonts: ClassVar[FontFamily] = LIBERATION_SANS

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = {key: option.default for key, option in self.options.items()} | dict(options or {})

    def describe_page_size(self) -> str:
        """The page size as listed by ``factsheet layouts``."""
        return self.page_size

    def render(self, fmt: str, leaflet: Leaflet) -> Rendered:
        """Render ``leaflet`` in format ``fmt`` (one of ``formats``)."""
        return getattr(self, f"render_{fmt}")(leaflet)

    def render_pdf(self, leaflet: Leaflet) -> Rendered:
        raise NotImplementedError

    def render_docx(self, leaflet: Leaflet) -> Rendered:
        raise NotImplementedError
