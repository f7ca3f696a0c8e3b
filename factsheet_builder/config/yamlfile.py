"""Safe YAML loading into a located tree: every value keeps its file and line."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from factsheet_builder.exceptions import Problem, clip
from factsheet_builder.files import NotReadable, read_limited

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 20_000  # anchors/aliases may not expand a file beyond this many values


@dataclass
class Scalar:
    """A YAML scalar as typed: its raw text, the tag YAML would give it, and where it stands."""

    text: str
    tag: str
    file: str
    line: int
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return self.tag.endswith(":null") and not self.quoted


@dataclass
class Seq:
    """A YAML sequence with its location."""

    items: list[Node]
    file: str
    line: int


@dataclass
class Map:
    """A YAML mapping with its location; keys are strings."""

    items: dict[str, Node]
    file: str
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)


Node = Scalar | Seq | Map


class YamlFileError(Exception):
    """A file that cannot be read as a YAML mapping; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_bytes(path: Path, label: str) -> bytes:
    """Read a file's bytes, refusing an oversized or unreadable one with a located message."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except NotReadable as exc:
        raise YamlFileError(Problem(label, None, None, str(exc))) from None


def decode(data: bytes, label: str) -> str:
    """The text of the UTF-8 file ``label`` read as ``data``, refusing undecodable bytes with a located message."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise YamlFileError(
            Problem(
                label,
                line,
                None,
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at column "
                f"{column}); save the file with the encoding UTF-8",
            )
        ) from None


def read_text(path: Path, label: str) -> str:
    """Read a UTF-8 file, refusing oversized or undecodable ones with a located message."""
    return decode(read_bytes(path, label), label)


def parse(text: str, label: str) -> Map:
    """Parse the text of the YAML file ``label``; its top level must be a mapping."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlFileError(Problem(label, None, None, "the file is empty; it must contain a mapping of keys"))
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError(_syntax_problem(label, exc)) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        raise YamlFileError(
            Problem(
                label,
                line,
                None,
                f"contains the control character U+{exc.character:04X} "
                f"(column {column}), which YAML does not allow; delete it",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(Problem(label, None, None, "YAML error: " + " ".join(str(exc).split()))) from None
    except RecursionError:
        raise YamlFileError(Problem(label, None, None, "the YAML is nested too deeply")) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        raise YamlFileError(Problem(label, None, None, "the file is empty; it must contain a mapping of keys"))
    budget = [MAX_NODES]
    try:
        node = _convert(root, label, budget, ())
    except RecursionError:
        raise YamlFileError(Problem(label, None, None, "the YAML is nested too deeply")) from None
    except _TooManyValues:
        raise YamlFileError(_size_problem(label, text)) from None
    if not isinstance(node, Map):
        raise YamlFileError(
            Problem(
                label, root.start_mark.line + 1, None, f"the top level must be a mapping of keys, not {_kind(node)}"
            )
        )
    return node


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, by libyaml when PyYAML has it (twenty times faster); a file it refuses is read again by
    the pure-Python parser, whose error messages the hints below are written for."""
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


# What a person should do about PyYAML's commonest complaints.
_HINTS = {
    "mapping values are not allowed": "put quotes around a value that contains ': ', or check the indentation",
    "cannot start any token": "indent with spaces, not tabs",
    "but found another document": "a file holds one document; delete the '---' line",
    "expected ',' or '}'": "put quotes around a value that contains ': ' or ','",
    "expected <block end>": "check the indentation of this line and the one above",
    "scanning a quoted scalar that starts here": "close the quote",
}


def _syntax_problem(label: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A one-line, located description of a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    what = " ".join((exc.problem or exc.context or "invalid YAML").split())
    if exc.context and exc.problem and exc.context_mark:
        if "end of stream" in what:  # the file ran out inside something: point at where that something starts
            mark = exc.context_mark
            what += f" ({exc.context} that starts here)"
        else:
            what += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    hint = next((h for key, h in _HINTS.items() if key in what), None)
    where = f" at column {mark.column + 1}" if mark else ""
    return Problem(
        label,
        mark.line + 1 if mark else None,
        None,
        f"YAML syntax error{where}: {what}" + (f"; {hint}" if hint else ""),
    )


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based) of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _TooManyValues(Exception):
    """The value budget ran out while converting (aliases expanding, or simply a huge file)."""


def _size_problem(label: str, text: str) -> Problem:
    """Why a file was refused for expanding to too many values, at its first alias when it has one."""
    alias = next((e for e in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(e, yaml.AliasEvent)), None)
    if alias is None:
        return Problem(label, None, None, f"has more than {MAX_NODES:,} values, far more than a leaflet needs")
    return Problem(
        label,
        alias.start_mark.line + 1 if alias.start_mark else None,
        None,
        f"anchors and aliases ('&' and '*') expand to more than {MAX_NODES:,} values, so the file is "
        "refused; write the values out instead of using '*' aliases",
    )


def _dotted(path: tuple[str, ...]) -> str | None:
    return ".".join(path).replace(".[", "[") or None


def _kind(node: Node) -> str:
    return {Scalar: "a single value", Seq: "a list", Map: "a mapping"}[type(node)]


# The tags of plain values; anything else (!!python/object, !custom...) is refused, never constructed.
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


def _convert(node: yaml.Node, label: str, budget: list[int], path: tuple[str, ...]) -> Node:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooManyValues
    line = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlFileError(
            Problem(
                label,
                line,
                _dotted(path),
                f"the YAML tag '{tag}' is not allowed; delete it "
                "(only plain text, numbers, dates, lists and mappings are read)",
            )
        )
    if isinstance(node, yaml.ScalarNode):
        return Scalar(unicodedata.normalize("NFC", node.value), node.tag, label, line, quoted=node.style in ("'", '"'))
    if isinstance(node, yaml.SequenceNode):
        return Seq(
            [_convert(child, label, budget, (*path, f"[{i}]")) for i, child in enumerate(node.value)], label, line
        )
    result = Map({}, label, line)
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlFileError(
                Problem(
                    label, key_line, _dotted(path), "merge keys ('<<') are not supported; write the keys out instead"
                )
            )
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlFileError(
                Problem(
                    label,
                    key_line,
                    _dotted(path),
                    f"a key must be a plain name, not {_kind(_convert(key_node, label, budget, path))}",
                )
            )
        key = unicodedata.normalize("NFC", key_node.value)
        if key in result.items:
            raise YamlFileError(
                Problem(
                    label,
                    key_line,
                    _dotted((*path, key)),
                    f"duplicate key '{clip(key)}' (first set on line {result.key_lines[key]}); keep only one",
                )
            )
        result.items[key] = _convert(value_node, label, budget, (*path, key))
        result.key_lines[key] = key_line
    return result
