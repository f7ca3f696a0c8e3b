"""Page images of built leaflets: full-size previews to look at, and the small thumbnails of the index page."""

from __future__ import annotations

import io
from pathlib import Path

from factsheet_builder.exceptions import BuildError, UsageError
from factsheet_builder.output import write_atomic
from factsheet_builder.workspace import Workspace

PREVIEW_DPI = 100
THUMBNAIL_DPI = 30  # about 250 x 350 pixels for A4: light enough for an index of hundreds of schools
PREVIEW_DIR = "preview"


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


def preview(workspace: Workspace, school_id: str, layout: str | None = None, dpi: float = PREVIEW_DPI) -> list[Path]:
    """Build the school if its leaflets are missing or stale, then write every page of its PDFs as PNG; the paths."""
    from factsheet_builder.build import build
    from factsheet_builder.manifest import Manifest

    report = build(workspace, [school_id], [layout] if layout else [])
    failed = [r for r in report.results if r.status == "failed"]
    if failed:
        raise BuildError(f"{school_id} cannot be previewed: {failed[0].errors[0]}")
    entry = Manifest.read(workspace).schools[school_id]
    pdfs = [o for o in entry["outputs"] if o["format"] == "pdf" and layout in (None, "all", o["layout"])]
    if not pdfs:
        raise UsageError(f"{school_id} has no PDF{f' of the {layout!r} layout' if layout else ''} to preview")
    paths = []
    for output in pdfs:
        pdf = workspace.out_dir / output["path"]
        folder = pdf.parent / PREVIEW_DIR
        for stale in folder.glob(f"{pdf.stem}-page*.png"):  # a layout may have had more pages before
            stale.unlink()
        for number, image in enumerate(page_images(pdf.read_bytes(), dpi), start=1):
            path = folder / f"{pdf.stem}-page{number:02d}.png"
            write_atomic(path, image)
            paths.append(path)
    return paths
