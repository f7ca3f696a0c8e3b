"""A new school's file as an import starts it: the commented scaffold (``scaffold.school_text``) as a round-trip
document, parsed once per import and copied for each new school rather than parsed again for each.

The scaffold holds the school's id and name only in comments and as ``school.name``, a double-quoted string (the
scaffold writes it as JSON). It is parsed once with stand-ins for both; a copy is given the school's name as
parsing would read it, and its text, once written, has the stand-ins in the comments replaced by the id and the
name, as ``school_text`` would have written them: ruamel.yaml writes a comment as it read it. A name that parsing
might not read back as written (one with a character that is not printable), or with a '#' (which could end the
line's value where the file's indentation is read, ``yamledit.styled``), or a row holding a stand-in, has the
scaffold written out for it and parsed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from factsheet_builder.roster import yamledit
from factsheet_builder.scaffold import school_text

# Stand-ins for the id and the name: private-use characters, which are not printable, so no name taken here holds one
ID, NAME = "\U000f0001", "\U000f0002"

Started = tuple[CommentedMap, YAML, Callable[[str], str]]  # a new file's document, its YAML, and its text's last step


class Scaffold:
    """The scaffold of a new school's file, parsed once; a copy of it for each new school."""

    def __init__(self) -> None:
        self.source = school_text(ID, NAME)
        try:
            self.document, _ = yamledit.load(self.source, "the scaffold of a new school's file")
        except yamledit.EditError:  # (each school's is then parsed, and its file named in the error)
            self.document = CommentedMap()
        school = self.document.get("school")
        # the stand-ins held nowhere but in comments and as the name (else every school is parsed as written)
        self.usable = (
            isinstance(school, CommentedMap)
            and school.get("name") == NAME
            and isinstance(school["name"], DoubleQuotedScalarString)
            and not any(ID in text or NAME in text for text in _texts(self.document) if text is not school["name"])
        )

    def start(self, school_id: str, name: str, values: Iterable[str], label: str) -> Started:
        """The document of a new school's file (named ``name`` as a roster's row gives it, whose cells are
        ``values``), the YAML to write it, and what makes the written text the file's."""
        name = " ".join(name.split())  # as school_text writes it
        texts = [school_id, *values]
        if not self.usable or "#" in name or not name.isprintable() or _holds_stand_in(texts):
            document, yaml = yamledit.load(school_text(school_id, name), label)
            return document, yaml, lambda text: text
        document = copy.deepcopy(self.document)
        document["school"]["name"] = DoubleQuotedScalarString(name)
        return document, yamledit.styled(self.source), lambda text: text.replace(NAME, name).replace(ID, school_id)


def _holds_stand_in(texts: Iterable[str]) -> bool:
    return any(ID in text or NAME in text for text in texts)


def _texts(node: Any) -> Iterable[Any]:
    """Every key and scalar of a round-trip document."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            yield key
            yield from _texts(value)
    elif isinstance(node, CommentedSeq):
        for value in node:
            yield from _texts(value)
    elif isinstance(node, str):
        yield node
