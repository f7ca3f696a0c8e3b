"""``factsheet preview``: one school's PDF pages as PNG images to look at, building the school first if needed."""

from __future__ import annotations

from pathlib import Path

from factsheet_builder.build import BuildRequest, build
from factsheet_builder.exceptions import BuildError, UsageError
from factsheet_builder.manifest import Manifest
from factsheet_builder.output import write_atomic
from factsheet_builder.page_images import PREVIEW_DIR, page_images
from factsheet_builder.workspace import Workspace

PREVIEW_DPI = 100


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
    paths = []
    for output in pdfs:
        pdf = workspace.out_dir / output.path
        folder = pdf.parent / PREVIEW_DIR
        for stale in folder.glob(f"{pdf.stem}-page*.png"):  # a layout may have had more pages before
            stale.unlink()
        for number, image in enumerate(page_images(pdf.read_bytes(), dpi), start=1):
            path = folder / f"{pdf.stem}-page{number:02d}.png"
            write_atomic(path, image)
            paths.append(path)
    return paths
