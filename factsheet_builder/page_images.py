"""PDF pages as PNG images (PDFium): the small thumbnail of page 1 that the index page shows, and previews."""

from __future__ import annotations

import ctypes
import io
import math
import sys
from functools import cache
from pathlib import Path
from typing import Any

THUMBNAIL_DPI = 30  # about 250 x 350 pixels for A4: light enough for an index of hundreds of schools
PREVIEW_DIR = "preview"  # under out/<id>/
_QUALITY = {"JPEG": {"quality": 90, "subsampling": 0}}  # full-resolution colour: coloured text stays sharp


def page_images(
    pdf: bytes,
    dpi: float,
    pages: int | None = None,
    colours: int | None = None,
    start: int = 0,
    image_format: str = "PNG",
) -> list[bytes]:
    """``pages`` pages (every page by default) of a PDF from page index ``start`` on, as PNG images at ``dpi``,
    optionally with a palette of ``colours`` (a third of the size); or as another format Pillow writes, such as
    JPEG (a tenth of PNG's time to encode a page, which a browser preview waits for)."""
    from PIL import Image

    pdfium = _pdfium()
    document = pdfium.FPDF_LoadMemDocument64(pdf, len(pdf), None)
    if not document:
        raise ValueError(f"PDFium cannot open the PDF (error {pdfium.FPDF_GetLastError()})")
    try:
        images = []
        count = pdfium.FPDF_GetPageCount(document)
        for index in range(start, min(count, start + (pages or sys.maxsize))):
            image = _rendered(pdfium, document, index, dpi / 72)
            if colours:  # fast octree: a fifth of median cut's time, and a smaller file that looks the same
                image = image.quantize(colours, method=Image.Quantize.FASTOCTREE)
            buffer = io.BytesIO()
            image.save(buffer, format=image_format, **_QUALITY.get(image_format, {}))
            images.append(buffer.getvalue())
        return images
    finally:
        pdfium.FPDF_CloseDocument(document)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height of each page of a PDF, in points."""
    pdfium = _pdfium()
    document = pdfium.FPDF_LoadMemDocument64(pdf, len(pdf), None)
    if not document:
        raise ValueError(f"PDFium cannot open the PDF (error {pdfium.FPDF_GetLastError()})")
    try:
        sizes = []
        for index in range(pdfium.FPDF_GetPageCount(document)):
            width, height = ctypes.c_double(), ctypes.c_double()
            pdfium.FPDF_GetPageSizeByIndex(document, index, ctypes.byref(width), ctypes.byref(height))
            sizes.append((width.value, height.value))
        return sizes
    finally:
        pdfium.FPDF_CloseDocument(document)


@cache
def _pdfium() -> Any:
    """PDFium's bindings, the library initialised once per process: pypdfium2's raw API alone, as importing its
    helper classes too took twice as long (and a one-school rebuild waits for the thumbnail)."""
    import pypdfium2_raw as pdfium

    config = pdfium.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=None, m_pIsolate=None, m_v8EmbedderSlot=0)
    pdfium.FPDF_InitLibraryWithConfig(config)  # if pypdfium2's helpers have done it already, this does nothing
    return pdfium


def _rendered(pdfium: Any, document: Any, index: int, scale: float):
    """Page ``index`` drawn on white at ``scale`` pixels a point, annotations included, as a PIL image."""
    from PIL import Image

    page = pdfium.FPDF_LoadPage(document, index)
    if not page:
        raise ValueError(f"PDFium cannot load page {index + 1} (error {pdfium.FPDF_GetLastError()})")
    try:
        width = math.ceil(pdfium.FPDF_GetPageWidthF(page) * scale)
        height = math.ceil(pdfium.FPDF_GetPageHeightF(page) * scale)
        bitmap = pdfium.FPDFBitmap_CreateEx(width, height, pdfium.FPDFBitmap_BGR, None, 0)
        if not bitmap:
            raise MemoryError(f"PDFium cannot make a bitmap of {width} x {height} pixels")
        try:
            pdfium.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xFFFFFFFF)
            pdfium.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, pdfium.FPDF_ANNOT)
            stride = pdfium.FPDFBitmap_GetStride(bitmap)
            pixels = ctypes.string_at(pdfium.FPDFBitmap_GetBuffer(bitmap), stride * height)
        finally:
            pdfium.FPDFBitmap_Destroy(bitmap)
    finally:
        pdfium.FPDF_ClosePage(page)
    return Image.frombuffer("RGB", (width, height), pixels, "raw", "BGR", stride, 1)


def thumbnail(pdf: bytes) -> bytes:
    """Page 1 of ``pdf`` as the small PNG the index page shows."""
    return page_images(pdf, THUMBNAIL_DPI, 1, colours=32)[0]


def thumbnail_path(out_dir: Path, school_id: str) -> Path:
    """Where a school's thumbnail is written: under out/<id>/preview/."""
    return out_dir / school_id / PREVIEW_DIR / "thumbnail.png"
