"""Content text whose only Jinja2 is plain references such as {{ school.name }}: found and filled in without
loading Jinja2, as Jinja2 would fill them in.

Most content text that uses Jinja2 at all only names config values, and loading Jinja2 (and compiling such
text with it) took about 25 ms of a one-school rebuild. Anything else, or a reference that does not lead through
mappings to a text, is left to Jinja2 (``content.TemplateText``), which also gives the errors.
"""

from __future__ import annotations

import keyword
import re
from functools import lru_cache
from typing import Any

MAX_TEXT = 10_000  # characters in any text a template makes, and in what it renders

# {{ name.name... }}; and names that Jinja2 reads otherwise than as a value of the context (constants, globals,
# its own variables, words of its syntax)
_REFERENCE = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*) *\}\}")
_NOT_PLAIN = frozenset(
    {
        *keyword.kwlist,
        "true",
        "false",
        "none",
        "range",
        "dict",
        "loop",
        "self",
        "caller",
        "varargs",
        "kwargs",
        "super",
        "block",
        "endblock",
        "extends",
        "include",
        "macro",
        "set",
        "endset",
        "call",
        "filter",
        "raw",
        "endraw",
        "endfor",
        "endif",
        "elif",
        "recursive",
    }
)


@lru_cache(maxsize=4096)
def plain(source: str) -> tuple[str, ...] | None:
    """``source`` split into literal text and the dotted names of its references (the odd items), if its only
    Jinja2 is plain references; None for any other text with a brace."""
    parts = tuple(_REFERENCE.split(source))
    # braces are Jinja2's; line breaks it rewrites as "\n" and drops at the end (content text has none: it is folded)
    if any(mark in literal for literal in parts[0::2] for mark in "{}\r\n"):
        return None
    if any(name in _NOT_PLAIN for dotted in parts[1::2] for name in dotted.split(".")):
        return None
    return parts


def filled_in(source: str, context: dict[str, Any]) -> str | None:
    """``source`` with its plain references filled in from ``context``, if each leads through mappings to a text
    and the whole is within MAX_TEXT; None otherwise (and for text that is not plain)."""
    parts = plain(source)
    if parts is None:
        return None
    pieces = list(parts)
    for index in range(1, len(pieces), 2):
        value: Any = context
        for name in pieces[index].split("."):
            # for a mapping's own attributes (items, keys...) Jinja2 gives the attribute, not the item
            if type(value) is not dict or name not in value or hasattr(dict, name):
                return None
            value = value[name]
        if type(value) is not str:
            return None
        pieces[index] = value
    text = "".join(pieces)
    return text if len(text) <= MAX_TEXT else None
