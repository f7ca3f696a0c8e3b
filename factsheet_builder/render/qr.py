"""QR codes of web addresses, one symbol for both formats: its dark modules for the PDF, a PNG for the DOCX.

Every school's leaflet has the same links, so both are remembered between builds (a fresh process then need not
import the encoder, nor score its masks, a slow part of encoding).
"""

from __future__ import annotations

import io
from functools import lru_cache

from factsheet_builder import cache

BORDER = 2  # the quiet zone round the symbol, in modules
ERROR = "m"  # error correction level
SCALE = 10  # pixels a module in the PNG
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Runs = tuple[tuple[int, int, int], ...]


@lru_cache(maxsize=256)
def _symbol(url: str):
    import segno  # only a build that prints links needs it

    return segno.make_qr(url, error=ERROR)


@lru_cache(maxsize=256)
def dark_runs(url: str) -> Runs:
    """The dark modules of the QR code of ``url`` as (row, first column, run length) runs, without the quiet zone."""
    runs = cache.remembered(repr(("qr dark runs", url, ERROR)), lambda: _runs(url), _are_runs)
    return tuple((row, column, length) for row, column, length in runs)


def _runs(url: str) -> Runs:
    runs = []
    for row, modules in enumerate(_symbol(url).matrix):
        column = 0
        while column < len(modules):
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            if column > start:
                runs.append((row, start, column - start))
            column += 1
    return tuple(runs)


def _are_runs(value: object) -> bool:
    return bool(value) and cache.is_rows(value, 3, lambda n: type(n) is int and n >= 0)


@lru_cache(maxsize=256)
def png(url: str) -> bytes:
    """The QR code of ``url`` as PNG bytes, with its quiet zone."""
    return cache.remembered_bytes(repr(("qr png", url, ERROR, SCALE, BORDER)), lambda: _png(url), PNG_SIGNATURE)


def _png(url: str) -> bytes:
    buffer = io.BytesIO()
    _symbol(url).save(buffer, kind="png", scale=SCALE, border=BORDER)
    return buffer.getvalue()
