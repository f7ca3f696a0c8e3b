"""The output formats: the one place a format is declared, with its file extension, media type, whether it has
pages, and how to tell that a layout's bytes are a file of it.

A layout lists the names of the formats it renders (``Layout.formats``) and defines one ``render_<name>`` hook for
each; the engine takes everything else from here. The order of ``FORMATS`` is the order the index page lists a
layout's files in.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # as layouts list it, and as the manifest records it
    extension: str  # of the output file, without the dot
    media_type: str
    paged: bool  # its page count is known and held to the layout's ``pages``
    problem: Callable[[bytes], str | None]  # why the bytes are not a file of this format, or None

    @property
    def label(self) -> str:
        """The format as people name it: PDF, DOCX, HTML."""
        return self.name.upper()


def _pdf_problem(data: bytes) -> str | None:
    if not data.startswith(b"%PDF-"):
        return "do not start with '%PDF-'"
    if b"%%EOF" not in data[-1024:]:
        return "do not end with '%%EOF'"
    return None


def _docx_problem(data: bytes) -> str | None:
    import zipfile  # here: a build that writes no DOCX need not import it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "are not a ZIP archive"
    return None if "word/document.xml" in names else "have no word/document.xml"


def _html_problem(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"are not UTF-8 (byte {exc.start})"
    if not text[:15].lower() == "<!doctype html>":
        return "do not start with '<!DOCTYPE html>'"
    return None


PDF = Format("pdf", "pdf", "application/pdf", True, _pdf_problem)
DOCX = Format(
    "docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False, _docx_problem
)
HTML = Format("html", "html", "text/html; charset=utf-8", False, _html_problem)

FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (PDF, DOCX, HTML)}
