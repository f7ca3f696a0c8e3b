"""``factsheet preview``: one school's PDF pages as PNG images to look at, building the school first if needed."""

from __future__ import annotations

import math
from pathlib import Path

from factsheet_builder.build import BuildRequest, build
from factsheet_builder.exceptions import BuildError, UsageError
from factsheet_builder.manifest import Manifest
from factsheet_builder.output import write_atomic
from factsheet_builder.page_images import PREVIEW_DIR, page_images, page_sizes
from factsheet_builder.workspace import Workspace

PREVIEW_DPI = 100
MAX_PIXELS = 25_000_000  # a page's image: 75 MB of pixels while it is drawn (an A4 page at 508 dpi, A3 at 359)


def preview(workspace: Workspace, school_id: str, layout: str | None = None, dpi: float = PREVIEW_DPI) -> list[Path]:
    """Build the school if its leaflets are missing or stale, then write every page of its PDFs as PNG; the paths."""
    report = build(workspace, BuildRequest((school_id,), (layout,) if layout else ()))
    failed = [r for r in report.results if r.status == "failed"]
    if failed:
        raise BuildError(f"{school_id} cannot be previewed: {failed[0].errors[0]}")
    entry = Manifest.read(workspace).schools[school_id]
    pdfs = [o for o in entry.outputs if o.format == "pdf" and layout in (None, "all", o.layout)]
    if not pdfs:
        raise UsageError(f"{school_id} has no PDF{f' of the {layout!r} layout' if layout else ''} to preview")
    documents = {output.path: (workspace.out_dir / output.path).read_bytes() for output in pdfs}
    for output in pdfs:
        _check_pixels(output.layout, documents[output.path], dpi)
    paths = []
    for output in pdfs:
        pdf = workspace.out_dir / output.path
        folder = pdf.parent / PREVIEW_DIR
        for stale in folder.glob(f"{pdf.stem}-page*.png"):  # a layout may have had more pages before
            stale.unlink()
        for number, image in enumerate(page_images(documents[output.path], dpi), start=1):
            path = folder / f"{pdf.stem}-page{number:02d}.png"
            write_atomic(path, image)
            paths.append(path)
    return paths


def _check_pixels(layout: str, pdf: bytes, dpi: float) -> None:
    """Refuse a resolution at which a page of the layout's PDF would be an image of more than MAX_PIXELS."""
    width, height = max(page_sizes(pdf), key=lambda size: size[0] * size[1])
    pixels = math.ceil(width * dpi / 72) * math.ceil(height * dpi / 72)
    if pixels > MAX_PIXELS:
        most = math.floor(72 * math.sqrt(MAX_PIXELS / (width * height)))
        raise UsageError(
            f"--dpi {dpi:g} would make a page of the '{layout}' layout an image of {pixels / 1e6:.0f} million pixels; "
            f"the limit is {MAX_PIXELS / 1e6:.0f} million: use --dpi {most} or less"
        )
