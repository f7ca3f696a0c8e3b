"""Editing a school file's YAML in place: set and remove keys while keeping its comments, key order and quoting.

ruamel.yaml's round-trip mode keeps a file's comments, key order and quoting; the helpers here keep each
full-line comment where it was written when entries are added, replaced or removed, and keep the file's
indentation and line endings.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

MAX_TRIALS = 40  # readings of a file spent giving its lines back their spaces (each reads it whole)


class EditError(Exception):
    """A file cannot be edited as asked; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load(source: str, label: str) -> tuple[CommentedMap, YAML]:
    """The round-trip document of a school file's text, and the YAML set to write it in the file's own style."""
    yaml = styled(source)
    try:
        document = yaml.load(source)
    except YAMLError as exc:
        raise EditError(f"{label}: cannot be updated: {exc}") from None
    if not isinstance(document, CommentedMap):
        raise EditError(f"{label}: the top level must be a mapping of keys")
    return document, yaml


def styled(source: str) -> YAML:
    """A round-trip YAML set to write a document in the style of a file's text: its quotes and indentation kept."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = _indents(source)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_KEY = re.compile(r"^( *)([A-Za-z_]+):")
_HINT = re.compile(r"^( *)# ([A-Za-z_]+):")


def without_filled_hints(text: str) -> str:
    """A new school's file without the commented-out example line of each key the import filled in."""

    def paths(pattern: re.Pattern[str]) -> dict[int, str]:
        stack: list[tuple[int, str]] = []
        found = {}
        for number, line in enumerate(lines):
            key = _KEY.match(line)
            if key:
                stack = [(i, k) for i, k in stack if i < len(key.group(1))] + [(len(key.group(1)), key.group(2))]
            match = pattern.match(line)
            if match:
                indent = len(match.group(1))
                found[number] = ".".join([k for i, k in stack if i < indent] + [match.group(2)])
        return found

    lines = text.splitlines(keepends=True)
    filled = set(paths(_KEY).values())
    drop = {n for n, path in paths(_HINT).items() if path in filled}
    for number in sorted(drop):  # and the hint's own continuation lines ("#   - {name: ...}")
        hint = _HINT.match(lines[number])
        assert hint is not None  # a line paths(_HINT) found
        indent = len(hint.group(1))
        follow = number + 1
        while follow < len(lines) and lines[follow].startswith(" " * indent + "#   "):
            drop.add(follow)
            follow += 1
    return "".join(line for n, line in enumerate(lines) if n not in drop)


def _indents(text: str) -> tuple[int, int, int]:
    """How a file indents (mapping, list item, list dash), so that rewriting it keeps its look; else 2, 4, 2."""
    mapping = sequence = offset = None
    parent: int | None = None  # indent of the last 'key:' line with nothing after the colon
    for line in text.splitlines():
        code = line.split(" #", 1)[0].rstrip()
        stripped = code.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(code) - len(stripped)
        if parent is not None and stripped.startswith("- ") and indent >= parent and sequence is None:
            item = stripped[2:]
            offset, sequence = indent - parent, indent + 2 + len(item) - len(item.lstrip(" ")) - parent
        elif parent is not None and indent > parent and mapping is None:
            mapping = indent - parent
        parent = indent if code.endswith(":") else None
    mapping = mapping or 2
    return mapping, sequence or mapping + 2, offset if offset is not None else mapping


def dump(yaml: YAML, document: CommentedMap, original: str | None) -> str:
    """The document as text, with the original file's untouched lines and line endings."""
    stream = io.StringIO()
    yaml.dump(document, stream)
    text = stream.getvalue()
    if original is None:
        return text
    text = _as_originally_spaced(original.replace("\r\n", "\n"), text)
    return text.replace("\n", "\r\n") if "\r\n" in original else text


def _as_originally_spaced(original: str, written: str) -> str:
    """``written`` with the lines that differ from ``original`` only in their spaces given back as the original
    spaced them (ruamel.yaml evens out the spaces after a colon or a dash, before a comment and of an odd indent,
    and writes a flow mapping on one line): each unchanged run of lines at once, else each of its lines, wherever
    that reads the same (not, say, a line given back beside a re-indented one that was changed, or a value whose
    only change is its spaces)."""
    old, new = original.splitlines(keepends=True), written.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, [_unspaced(line) for line in old], [_unspaced(line) for line in new], False)
    runs = [(new[j1:j2], _given_back(old[i1:i2], new[j1:j2])) for _, i1, i2, j1, j2 in matcher.get_opcodes()]
    if all(mine == theirs for mine, theirs in runs):
        return written
    reader = YAML(typ="safe", pure=True)
    meaning = _events(reader, written)
    chosen = [mine for mine, _ in runs]
    trials = [MAX_TRIALS]

    def reads_the_same(trial: list[list[str]]) -> bool:
        trials[0] -= 1
        try:
            return trials[0] >= 0 and _events(reader, "".join(line for run in trial for line in run)) == meaning
        except YAMLError:
            return False

    for index, (mine, theirs) in enumerate(runs):
        if theirs != mine and reads_the_same([*chosen[:index], theirs, *chosen[index + 1 :]]):
            chosen[index] = theirs
        elif theirs != mine and len(theirs) == len(mine):
            for line, (was, now) in enumerate(zip(theirs, mine)):
                run = [*chosen[index][:line], was, *chosen[index][line + 1 :]]
                if was != now and reads_the_same([*chosen[:index], run, *chosen[index + 1 :]]):
                    chosen[index] = run
    return "".join(line for run in chosen for line in run)


def _given_back(old: list[str], new: list[str]) -> list[str]:
    """The original's lines for lines written that say the same but for their spaces and line breaks (a flow
    mapping the original wrote over two lines, written on one), else the lines written."""
    return old if _unspaced("".join(old)) == _unspaced("".join(new)) else new


def _unspaced(line: str) -> str:
    return "".join(line.split())


def _events(reader: YAML, text: str) -> list[tuple[Any, ...]]:
    """What a YAML text says, event by event (each value with its quoting, anchor and tag), not where it says it;
    aliases are events, not expanded."""
    keys = ("value", "style", "flow_style", "anchor", "tag")
    return [(type(event).__name__, *(getattr(event, key, None) for key in keys)) for event in reader.parse(text)]


def get(document: CommentedMap, keys: list[str]) -> Any:
    """The value at a key path, or None."""
    node: Any = document
    for key in keys:
        node = node.get(key) if isinstance(node, CommentedMap) else None
    return node


def put(document: CommentedMap, keys: list[str], value: Any) -> None:
    """Set the value at a key path, creating the missing mappings; a non-mapping in the way is a row error."""
    node = document
    for depth, key in enumerate(keys[:-1]):
        child = node.get(key)
        if isinstance(child, CommentedMap):
            node = child
            continue
        if child is not None:
            raise EditError(f"{'.'.join(keys[: depth + 1])} in the school's file is not a mapping of keys; correct it")
        for inner in reversed(keys[depth + 1 :]):
            value = CommentedMap([(inner, value)])
        keys = keys[: depth + 1]
        break
    if keys[-1] in node:
        _replace(node, keys[-1], value)
    else:
        _add(node, keys[-1], value)


def show(value: Any) -> str:
    if isinstance(value, CommentedMap):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, CommentedSeq):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


# ruamel.yaml keeps the comment lines that follow an entry with the deepest last entry before them. The helpers
# below move those lines along when entries are added, replaced or removed, so that a full-line comment stays
# where it was written rather than ending up between a new key and its mapping.


def _last_slot(node: Any) -> tuple[Any, Any] | None:
    """The (container, key or index) of the entry written last inside ``node``, which holds trailing comments."""
    slot = None
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node) and not node.fa.flow_style():
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        slot, node = (node, key), node[key]
    return slot


def _slot_of(mapping: CommentedMap, key: str) -> tuple[Any, Any]:
    """The slot whose comment token follows the entry ``key`` of a mapping."""
    return _last_slot(mapping[key]) or (mapping, key)


def _token_index(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _take_trailing(slot: tuple[Any, Any] | None) -> str:
    """Detach and return the full comment lines after a slot's own end-of-line comment."""
    if slot is None:
        return ""
    container, key = slot
    entry = container.ca.items.get(key)
    token = entry[_token_index(container)] if entry else None
    if token is None:
        return ""
    head, newline, rest = token.value.partition("\n")
    token.value = head + newline
    return rest


def _take_end(node: Any) -> str:
    """Detach and return the comment lines ruamel.yaml keeps at the end of a list or mapping itself (after a last
    entry written in flow style, ``- {name: ...}``), which would go with the node when it is replaced or removed."""
    if not isinstance(node, (CommentedMap, CommentedSeq)) or not node.ca.end:
        return ""
    lines = "".join(token.value for token in node.ca.end)
    node.ca.end = []
    return lines


def _put_trailing(slot: tuple[Any, Any] | None, lines: str) -> None:
    """Append full comment lines after a slot."""
    if not lines or slot is None:
        return
    container, key = slot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    index = _token_index(container)
    if entry[index] is None:
        entry[index] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        entry[index].value = entry[index].value.rstrip("\n") + "\n" + lines


def _add(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add a key at the end of a mapping: after the comment lines indented deeper than its keys, before the rest."""
    slot = _last_slot(mapping)
    lines = _take_trailing(slot)
    position = mapping.lc.key(next(iter(mapping))) if lines else None
    inner, outer = _split_lines(lines, position[1]) if position else ("", lines)  # a new mapping has nothing inner
    _put_trailing(slot, inner)
    mapping[key] = value
    _put_trailing(_slot_of(mapping, key), outer)


def _split_lines(lines: str, column: int) -> tuple[str, str]:
    """Comment lines split before the first one indented no deeper than ``column`` (with the blank lines above it)."""
    rows = lines.splitlines(keepends=True)
    shallow = (i for i, row in enumerate(rows) if row.strip() and len(row) - len(row.lstrip(" ")) <= column)
    cut = next(shallow, len(rows))
    while cut > 0 and not rows[cut - 1].strip():
        cut -= 1
    return "".join(rows[:cut]), "".join(rows[cut:])


def _replace(mapping: CommentedMap, key: str, value: Any) -> None:
    """Replace a key's value, keeping the comment lines that followed the old value."""
    lines = _take_trailing(_slot_of(mapping, key)) + _take_end(mapping[key])
    mapping[key] = value
    _put_trailing(_slot_of(mapping, key), lines)


def remove(mapping: CommentedMap, key: str) -> None:
    """Remove a key and its own comment, moving the comment lines that followed it to the entry before."""
    keys = list(mapping)
    lines = _take_trailing(_slot_of(mapping, key)) + _take_end(mapping[key])
    del mapping[key]
    mapping.ca.items.pop(key, None)
    position = keys.index(key)
    if position > 0:
        _put_trailing(_slot_of(mapping, keys[position - 1]), lines)


class SharedValue(EditError):
    """A key cannot be set without changing another: the file shares a mapping on the way through a YAML alias."""


def not_shared(document: CommentedMap, keys: Sequence[str | int], then: str = "import again") -> None:
    """Raise SharedValue when setting the key path ``keys`` (an int: a list's item) would change another key too:
    a mapping or list on the way to it is written once and used again elsewhere through a YAML alias ('cse_lead:
    *dsl'); ``then``: what to do once the alias is written out."""
    uses: dict[int, list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if not isinstance(node, (CommentedMap, CommentedSeq)):
            return
        uses.setdefault(id(node), []).append(path.lstrip("."))
        if len(uses[id(node)]) == 1:  # each shared node is walked once
            entries = node.items() if isinstance(node, CommentedMap) else enumerate(node)
            for key, value in entries:
                walk(value, f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]")

    walk(document, "")
    node: Any = document
    here = ""
    for key in keys[:-1]:
        if isinstance(key, int):
            node = node[key] if isinstance(node, CommentedSeq) and 0 <= key < len(node) else None
            here = f"{here}[{key}]"
        else:
            node = node.get(key) if isinstance(node, CommentedMap) else None
            here = f"{here}.{key}".lstrip(".")
        paths = uses.get(id(node), []) if node is not None else []
        if len(paths) > 1:
            other = next(p for p in paths if p != here)
            alias = here if here != paths[0] else other  # the anchor is where the node is first written
            anchor = node.anchor.value or "..."
            raise SharedValue(
                f"would change {other} too: the school's file gives {here} and {other} the same values through the "
                f"YAML alias '*{anchor}'; write {alias} out in full instead of '*{anchor}', then {then}"
            )
