"""Safe YAML loading into a located tree: every value keeps its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import unicodedata

import yaml

from factsheet_builder.exceptions import Problem

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


def read_text(path: Path, label: str) -> str:
    """Read a UTF-8 file, refusing oversized or undecodable ones with a located message."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlFileError(Problem(label, None, None, f"cannot be read: {exc.strerror}")) from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlFileError(Problem(label, None, None, f"is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlFileError(
            Problem(label, line, None, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        ) from None


def load(path: Path, label: str) -> Map:
    """Load one YAML file whose top level must be a mapping."""
    text = read_text(path, label)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlFileError(Problem(label, None, None, "the file is empty; it must contain a mapping of keys"))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f" (column {mark.column + 1})" if mark else ""
        raise YamlFileError(Problem(label, line, None, f"YAML syntax error{col}: {exc.problem or exc.context}")) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(Problem(label, None, None, f"YAML error: {exc}")) from None
    except RecursionError:
        raise YamlFileError(Problem(label, None, None, "the YAML is nested too deeply")) from None
    budget = [MAX_NODES]
    try:
        node = _convert(root, label, budget, ())
    except RecursionError:
        raise YamlFileError(Problem(label, None, None, "the YAML is nested too deeply")) from None
    if not isinstance(node, Map):
        raise YamlFileError(
            Problem(label, root.start_mark.line + 1, None, f"the top level must be a mapping of keys, not {_kind(node)}")
        )
    return node


def _dotted(path: tuple[str, ...]) -> str | None:
    return ".".join(path).replace(".[", "[") or None


def _kind(node: Node) -> str:
    return {Scalar: "a single value", Seq: "a list", Map: "a mapping"}[type(node)]


def _convert(node: yaml.Node, label: str, budget: list[int], path: tuple[str, ...]) -> Node:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlFileError(
            Problem(label, node.start_mark.line + 1, _dotted(path),
                    f"anchors and aliases expand to more than {MAX_NODES:,} values; write the values out instead")
        )
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return Scalar(unicodedata.normalize("NFC", node.value), node.tag, label, line, quoted=node.style in ("'", '"'))
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(child, label, budget, (*path, f"[{i}]")) for i, child in enumerate(node.value)], label, line)
    result = Map({}, label, line)
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlFileError(Problem(label, key_node.start_mark.line + 1, _dotted(path), "merge keys ('<<') are not supported"))
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlFileError(Problem(label, key_node.start_mark.line + 1, _dotted(path), "a key must be a plain name"))
        key = unicodedata.normalize("NFC", key_node.value)
        key_line = key_node.start_mark.line + 1
        if key in result.items:
            raise YamlFileError(
                Problem(label, key_line, _dotted((*path, key)),
                        f"duplicate key '{key}' (first set on line {result.key_lines[key]}); keep only one")
            )
        result.items[key] = _convert(value_node, label, budget, (*path, key))
        result.key_lines[key] = key_line
    return result
