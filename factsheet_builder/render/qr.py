"""QR codes of web addresses, one symbol for both formats: its dark modules for the PDF, a PNG for the DOCX.

Every school's leaflet has the same links, so each is encoded once per process; a layout that draws them fills
this process's symbols from the build's cache first (``remember``), so that a rebuild need not load the encoder.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache, partial
from typing import Any

from factsheet_builder.cache import Cache
from factsheet_builder.model import Section

BORDER = 2  # the quiet zone round the symbol, in modules
ERROR = "m"  # error correction level
SCALE = 10  # pixels a module in the PNG

Runs = tuple[tuple[int, int, int], ...]

_runs: dict[str, Runs] = {}  # the dark runs of each address met in this process (a function of the address alone)


@lru_cache(maxsize=256)
def _symbol(url: str):
    import segno  # only a build that prints links it has not remembered needs it

    return segno.make_qr(url, error=ERROR)


def dark_runs(url: str) -> Runs:
    """The dark modules of the QR code of ``url`` as (row, first column, run length) runs, without the quiet zone."""
    runs = _runs.get(url)
    if runs is None:
        runs = _runs[url] = _encoded(url)
    return runs


def _encoded(url: str) -> Runs:
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


def remember(cache: Cache, sections: Iterable[Section]) -> None:
    """Have the symbols of the links in ``sections`` ready for ``dark_runs``: as remembered in ``cache``, or
    encoded (and stored there)."""
    for url in addresses(sections):  # looked up in every cache, so each build's file keeps them
        _runs[url] = cache.remembered_as(repr(("QR runs", url, ERROR)), partial(_stored, url), _loaded)


def addresses(sections: Iterable[Section]) -> list[str]:
    """The web addresses of the links in ``sections``, each once."""
    found = (item.url for s in sections for b in s.blocks if b.kind == "links" for item in b.items if item.url)
    return list(dict.fromkeys(found))


def _stored(url: str) -> list[list[int]]:
    """The runs of ``url``'s symbol as the cache keeps them (JSON)."""
    return [list(run) for run in dark_runs(url)]


def _loaded(value: Any) -> Runs:
    """Remembered runs; ValueError for a value of another shape."""
    if not (
        isinstance(value, list)
        and value
        and all(
            isinstance(run, list) and len(run) == 3 and all(type(n) is int and n >= 0 for n in run) for run in value
        )
    ):
        raise ValueError("not the runs of a QR symbol")
    return tuple((row, column, length) for row, column, length in value)


@lru_cache(maxsize=256)
def png(url: str) -> bytes:
    """The QR code of ``url`` as PNG bytes, with its quiet zone."""
    buffer = io.BytesIO()
    _symbol(url).save(buffer, kind="png", scale=SCALE, border=BORDER)
    return buffer.getvalue()
