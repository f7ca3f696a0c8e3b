"""What a roster cell may hold: spreadsheet junk is refused before it can reach a school file."""

from __future__ import annotations

import re

from factsheet_builder.config.fields import Field, Phone, Text, shown

ERROR_VALUE = re.compile(
    r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!"
    r"|UNKNOWN!|PYTHON!|EXTERNAL!)",
    re.IGNORECASE,
)
FORMULA_START = "=+-@"  # what a spreadsheet runs as a formula when a cell starts with it
INTERNATIONAL_NUMBER = re.compile(r"\+[\d ()-]+")


def refusal(text: str, field: Field | None, path: str) -> str | None:
    """Why a cell's (non-empty, stripped) text may not fill ``field`` at ``path``, or None when it may."""
    if ERROR_VALUE.fullmatch(text):
        return f"{shown(text)} is a spreadsheet error, not a value; correct the cell's formula or type the value"
    if text[0] in FORMULA_START and not (isinstance(field, Phone) and INTERNATIONAL_NUMBER.fullmatch(text)):
        return (
            f"{shown(text)} starts with '{text[0]}', which a spreadsheet runs as a formula; type the value itself "
            "(without the formula)"
        )
    if isinstance(field, Text) and not any(char.isalpha() for char in text):
        return f"{shown(text)} has no letters; expected {field.wanted(path)}"
    if isinstance(field, Text) and text.casefold() in ("true", "false"):
        return f"{shown(text)} is a true/false value, not {field.wanted(path)}"
    return None
