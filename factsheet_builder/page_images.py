"""PDF pages as PNG images (pypdfium2): the small thumbnail of page 1 that the index page shows, and previews."""

from __future__ import annotations

import io
from pathlib import Path


THUMBNAIL_DPI = 30  # about 250 x 350 pixels for A4: light enough for an index of hundreds of schools
PREVIEW_DIR = "preview"  # under out/<id>/


def page_images(pdf: bytes, dpi: float, pages: int | None = None, colours: int | None = None) -> list[bytes]:
    """The first ``pages`` pages (every page by default) of a PDF as PNG images at ``dpi``, optionally with a
    palette of ``colours`` (a third of the size)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(min(len(document), pages or len(document))):
            buffer = io.BytesIO()
            image = document[index].render(scale=dpi / 72).to_pil()
            (image.quantize(colours) if colours else image).save(buffer, format="PNG")
            images.append(buffer.getvalue())
        return images
    finally:
        document.close()


def thumbnail(pdf: bytes) -> bytes:
    """Page 1 of ``pdf`` as the small PNG the index page shows."""
    return page_images(pdf, THUMBNAIL_DPI, 1, colours=32)[0]


def thumbnail_path(out_dir: Path, school_id: str) -> Path:
    """Where a school's thumbnail is written: under out/<id>/preview/."""
    return out_dir / school_id / PREVIEW_DIR / "thumbnail.png"
