"""PDF pages as PNG images (pypdfium2): the small thumbnail of page 1 that the index page shows, and previews."""

from __future__ import annotations

import io
from pathlib import Path

from factsheet_builder.output import write_atomic

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


def write_thumbnail(out_dir: Path, school_id: str, pdf: bytes) -> str:
    """Write page 1 of ``pdf`` as the school's thumbnail under out/<id>/preview/; its path relative to out/."""
    path = out_dir / school_id / PREVIEW_DIR / "thumbnail.png"
    write_atomic(path, page_images(pdf, THUMBNAIL_DPI, 1, colours=32)[0])
    return path.relative_to(out_dir).as_posix()
