"""QR codes of web addresses, one symbol for both formats: its dark modules for the PDF, a PNG for the DOCX.

Every school's leaflet has the same links, so each is encoded once per process.
"""

from __future__ import annotations

import io
from functools import lru_cache

BORDER = 2  # the quiet zone round the symbol, in modules
ERROR = "m"  # error correction level
SCALE = 10  # pixels a module in the PNG

Runs = tuple[tuple[int, int, int], ...]


@lru_cache(maxsize=256)
def _symbol(url: str):
    import segno  # only a build that prints links needs it

    return segno.make_qr(url, error=ERROR)


@lru_cache(maxsize=256)
def dark_runs(url: str) -> Runs:
    """The dark modules of the QR code of ``url`` as (row, first column, run length) runs, without the quiet zone."""
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


@lru_cache(maxsize=256)
def png(url: str) -> bytes:
    """The QR code of ``url`` as PNG bytes, with its quiet zone."""
    buffer = io.BytesIO()
    _symbol(url).save(buffer, kind="png", scale=SCALE, border=BORDER)
    return buffer.getvalue()
