"""A new school's file as an import starts it: the commented scaffold (``scaffold.school_text``) as a round-trip
document, parsed once per import and copied for each new school rather than parsed again for each.

The scaffold holds the school's id and name only in comments and as ``school.name``, a double-quoted string (the
scaffold writes it as JSON). It is parsed once with stand-ins for both; a copy is given the school's name as
parsing would read it, and its text, once written, has the stand-ins in the comments replaced by the id and the
name, as ``school_text`` would have written them: ruamel.yaml writes a comment as it read it. A name that parsing
might not read back as written (one with a character that is not printable), or with a '#' (which could end the
line's value where the file's indentation is read, ``yamledit.styled``), or a row holding a stand-in, has the
scaffold written out for it and parsed.

``Templates`` goes further for the rows of a roster: the file of each shape of row is made once with tokens for
its values, and each row of that shape has its values put in their places as ruamel.yaml would write them.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from factsheet_builder.roster import yamledit
from factsheet_builder.roster.columns import DEPUTIES, Column, deputy_names
from factsheet_builder.roster.report import Change
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


# A token stands in for each value when a shape's template is made: letters only, which ruamel.yaml writes plain
TOKEN = re.compile(r"Qzj[a-z]{3}jzQ")
# Values ruamel.yaml writes as they are, in a block or a flow mapping: a letter first, then letters, digits and
# the marks of names and addresses, single spaces between words (other values take the slow path)
_PLAIN = re.compile(r"[^\W\d_](?:[\w.'’@-]| (?=[\w.'’@-]))*")
_NOT_TEXT = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}  # read as booleans or nothing: quoted
_LONGEST = 1000  # far under the YAML's line width, so that no value is folded onto a second line
_AFTER = re.compile(r"([\"}\]]*)( *)(#.*)?\n?")  # what follows a line's last token: closing marks, a comment

Shape = tuple[tuple[Column, int], ...]  # a row's columns, each with how many values its cell holds (names, or 1)
Edit = Callable[[str, Mapping[Column, str]], "tuple[str, list[Change]] | None"]


class Templates:
    """New schools' files made without ruamel.yaml's writing: for each shape of row (its columns, and how many
    deputies it names), the file is made once in full (``edit``) with a token for each value, then each row's
    values are put in their tokens' places, as ruamel.yaml writes them. A row with a value ruamel.yaml might
    write otherwise (quoted, escaped, folded) is made in full."""

    def __init__(self, edit: Edit) -> None:
        self.edit = edit  # a new school's file and its changes made in full from its id and a row (None: refused)
        self.made: dict[Shape, _Template | None] = {}

    def filled(self, school_id: str, values: Mapping[Column, str]) -> tuple[str, list[Change]] | None:
        """The new school's file and the changes the row makes, or None when the row must be made in full."""
        cells = {column: deputy_names(text) if column.target == DEPUTIES else [text] for column, text in values.items()}
        name = next((text for column, text in values.items() if column.target == "school.name"), "")
        if name != " ".join(name.split()) or "#" in name or not all(cells.values()):  # (see Scaffold.start)
            return None
        shape = tuple((column, len(found)) for column, found in cells.items())
        if shape not in self.made:
            self.made[shape] = self._template(shape)
        template = self.made[shape]
        given = [school_id, *(value for found in cells.values() for value in found)]
        return None if template is None else template.filled(dict(zip(map(_token, itertools.count()), given)))

    def _template(self, shape: Shape) -> _Template | None:
        """The file of a row of this shape, its values tokens (numbered as ``filled`` gives them, the school's id
        first); None when such a row is refused, or a token is not written as it is."""
        numbers = itertools.count(1)
        values = {}
        for column, count in shape:
            tokens = [_token(next(numbers)) for _ in range(count)]
            values[column] = "; ".join(tokens) if column.target == DEPUTIES else tokens[0]
        made = self.edit(_token(0), values)
        return None if made is None else _Template.of(*made)


@dataclass(frozen=True)
class _Template:
    """A new school's file for one shape of row, with tokens for its values: its lines and the changes it reports."""

    lines: tuple[tuple[str, int | None], ...]  # each line, and the column of its comment after a token (if any)
    kinds: dict[str, set[str]]  # how each token is written: "plain", "quoted" (in double quotes) or "comment"
    changes: tuple[Change, ...]

    @classmethod
    def of(cls, text: str, changes: list[Change]) -> _Template | None:
        """The template of a file made with tokens, or None when a token is written otherwise than as it is, or a
        comment follows one too closely to tell where ruamel.yaml would place it after a longer value."""
        lines: list[tuple[str, int | None]] = []
        kinds: dict[str, set[str]] = {}
        for line in text.splitlines(keepends=True):
            found = list(TOKEN.finditer(line))
            if not found:
                lines.append((line, None))
                continue
            comment = line.lstrip().startswith("#")
            for match in found:
                quoted = line[match.start() - 1 : match.start()] == line[match.end() : match.end() + 1] == '"'
                kind = "comment" if comment else "quoted" if quoted else "plain"
                kinds.setdefault(match.group(), set()).add(kind)
            after = _AFTER.fullmatch(line, found[-1].end())
            if comment or (after is not None and after.group(3) is None):
                lines.append((line, None))
            elif after is None or len(after.group(2)) < 2:
                return None
            else:
                lines.append((line, after.start(3)))
        return cls(tuple(lines), kinds, tuple(changes))

    def filled(self, values: dict[str, str]) -> tuple[str, list[Change]] | None:
        """The file and its changes with each token's value, or None when a value may not be written as its token
        was."""
        for token, kinds in self.kinds.items():
            value = values[token]
            if not value.isprintable() or len(value) > _LONGEST:
                return None
            if "plain" in kinds and (not _PLAIN.fullmatch(value) or value.lower() in _NOT_TEXT):
                return None
            if "quoted" in kinds and ('"' in value or "\\" in value):
                return None

        def put(match: re.Match[str]) -> str:
            return values[match.group()]

        lines = []
        for line, column in self.lines:
            if column is None:
                lines.append(TOKEN.sub(put, line))
            else:  # ruamel.yaml writes a comment at its column in the scaffold, or one space after a longer value
                value = TOKEN.sub(put, line[:column].rstrip(" "))
                lines.append(f"{value}{' ' * max(1, column - len(value))}{line[column:]}")
        changes = [Change(c.path, _sub(put, c.old), _sub(put, c.new)) for c in self.changes]
        return "".join(lines), changes


def _token(number: int) -> str:
    return "Qzj" + "".join(chr(ord("a") + number // 26**place % 26) for place in (2, 1, 0)) + "jzQ"


def _sub(put: Callable[[re.Match[str]], str], text: str | None) -> str | None:
    return None if text is None else TOKEN.sub(put, text)
