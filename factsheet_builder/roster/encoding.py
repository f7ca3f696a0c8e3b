"""A CSV roster's text: UTF-8, or Windows-1252 (the encoding of the national schools register's exports) when the
charset detector agrees that it is; anything else is refused, naming the encodings it could be.

Read in the wrong encoding, a name changes letters without any error ('Zoë' as Windows-1257 is 'Zoė'), and
the leaflet prints it. So a file that is not UTF-8 is read as Windows-1252 only when charset-normalizer's best
reading of it is the same text; otherwise the message shows a word as each encoding reads it.
"""

from __future__ import annotations

import re

from factsheet_builder.config.fields import shown
from factsheet_builder.exceptions import FactsheetError

EXPECTED = "cp1252"
_SAVE = "in Excel use Save As > 'CSV UTF-8 (Comma delimited)', or save as .xlsx"


def decoded(data: bytes, name: str) -> str:
    """The text of a CSV file's bytes; FactsheetError naming the encodings when it cannot be read for certain."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    try:
        windows = data.decode(EXPECTED)
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
        windows = None
    if best is not None and windows is not None and str(best) == windows:
        return windows
    if best is None:
        raise FactsheetError(f"{name}: is not text in any encoding the import knows; {_SAVE}")
    guess = str(best)
    if windows is None:
        raise FactsheetError(
            f"{name}: is not UTF-8 text, nor {label(EXPECTED)}; it reads best as {label(best.encoding)}, which is not "
            f"certain: {_SAVE}"
        )
    line, ours, theirs = _first_difference(windows, guess)
    raise FactsheetError(
        f"{name}: is not UTF-8 text, and its encoding is not certain: line {line} reads {shown(ours, 40)} as "
        f"{label(EXPECTED)} and {shown(theirs, 40)} as {label(best.encoding)}; {_SAVE}"
    )


def label(encoding: str) -> str:
    """An encoding as people know it: 'cp1252' -> 'Windows-1252'."""
    number = re.fullmatch(r"cp(125\d)", encoding)
    return f"Windows-{number.group(1)}" if number else encoding.replace("_", "-")


def _first_difference(one: str, other: str) -> tuple[int, str, str]:
    """The first line where two readings differ, and the word that differs as each reads it."""
    for number, (left, right) in enumerate(zip(one.splitlines(), other.splitlines()), start=1):
        if left != right:
            words = list(zip(re.split(r"[\s,;\t\"]+", left), re.split(r"[\s,;\t\"]+", right)))
            ours, theirs = next(((a, b) for a, b in words if a != b), (left, right))
            return number, ours, theirs
    return 1, one[:40], other[:40]
