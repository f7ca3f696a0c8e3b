"""The bases of the declarative field types: each converts a located YAML node, reports problems and describes itself as
JSON Schema. Here are the Checker that collects the problems, Field and ScalarField, free text, the containers
(Group, ListOf), and how a value reads in a message."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet_builder.config.characters import damage, damage_message, unusual_character
from factsheet_builder.config.placeholders import find_placeholder
from factsheet_builder.config.written import written_problem
from factsheet_builder.config.yamlfile import Map, Node, Scalar, Seq
from factsheet_builder.exceptions import Problem, clip

INVALID = object()  # a value that failed conversion; its problem is already recorded

MAX_TEXT = 200


@dataclass
class Checker:
    """What conversion needs and what it finds: the workspace, the problems, every text value with its place."""

    workspace: Path
    target_file: str
    problems: list[Problem] = field(default_factory=list)
    texts: list[tuple[str, str, Scalar]] = field(default_factory=list)
    partial: bool = False  # checking a _defaults.yaml on its own: required values may be set elsewhere
    confirmed: frozenset[str] = frozenset()  # texts a file confirms are right as written, though they look damaged

    def error(self, node: Node | None, path: str, message: str) -> object:
        """Record an error at ``node`` (or at the target file when the value is missing) and return INVALID."""
        if node is None:
            self.problems.append(Problem(self.target_file, None, path or None, message))
        else:
            self.problems.append(Problem(node.file, node.line, path or None, message))
        return INVALID


def join(path: str, key: str) -> str:
    """The dotted path of ``key`` inside ``path``."""
    return f"{path}.{key}" if path else key


def shown(text: str, limit: int = 80) -> str:
    """A value quoted for a one-line message: invisible characters written \\uXXXX, long values shortened."""
    return f"'{clip(text, limit)}'"


def describe(node: Node) -> str:
    """How a wrongly-typed node reads in a message."""
    if isinstance(node, Scalar):
        return shown(node.text)
    return "a list" if isinstance(node, Seq) else "a mapping"


@dataclass
class Field:
    """Base of every field: a description, whether it is required, and the conversion."""

    description: str
    required: bool = False
    expects: str = "a value"
    default: Any = None

    def convert(self, node: Node | None, path: str, checker: Checker) -> Any:
        """Convert ``node`` (None when absent) to a Python value, or record problems and return INVALID/None."""
        if node is None or (isinstance(node, Scalar) and node.is_null):
            if node is not None:
                return self.empty(node, path, checker)
            if self.required and not checker.partial:
                return checker.error(
                    None, path, "is required but missing; set it in this file or in a _defaults.yaml above it"
                )
            return None
        return self.check(node, path, checker)

    def wanted(self, path: str) -> str:
        """What an empty value should be filled in with."""
        return self.expects

    def empty(self, node: Node, path: str, checker: Checker) -> object:
        """Record that the value at ``node`` is empty (an optional one may also be left out)."""
        return checker.error(
            node, path, f"is empty; fill in {self.wanted(path)}" + ("" if self.required else " or delete the line")
        )

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description}

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of this field, with its default when it has one."""
        result = self.json_schema()
        return result if self.default is None else {**result, "default": self.default}


class ScalarField(Field):
    """A field holding one typed-in value; shared checks for text-like values."""

    noun = "value"

    def real(self, path: str) -> str:
        """What a placeholder should be replaced with: 'the real ...'."""
        return self.noun

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        if not isinstance(node, Scalar):
            return checker.error(node, path, f"must be {self.expects}, not {describe(node)}")
        text = node.text.strip()
        if not text:
            return self.empty(node, path, checker)
        if "\n" in text or "\r" in text:
            return checker.error(node, path, f"{shown(text)} must be on one line")
        unusual = unusual_character(text)
        if unusual is not None:
            return checker.error(node, path, f"{shown(text)} {unusual}")
        text = " ".join(text.split())
        damaged = self.damage(text, checker)
        if damaged is not None:
            return checker.error(node, path, damage_message(text, damaged, shown(text)))
        if find_placeholder(text):
            return checker.error(
                node, path, f"{shown(text)} is a placeholder; replace it with the real {self.real(path)}"
            )
        return self.parse(text, node, path, checker)

    def damage(self, text: str, checker: Checker) -> str | None:
        """Why the value looks damaged (see ``characters.damage``); only free text is looked at."""
        return None

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "string", "minLength": 1}


class Text(ScalarField):
    """Printed text such as a name, of at most ``max_length`` characters."""

    def __init__(
        self, description: str, required: bool = False, default: Any = None, max_length: int = MAX_TEXT
    ) -> None:
        super().__init__(description, required, "text", default)
        self.max_length = max_length

    def real(self, path: str) -> str:
        """The key's own words: 'name', 'police force'."""
        key = path.rsplit(".", 1)[-1]
        return "text" if key.endswith("]") or not key else key.replace("_", " ")

    def wanted(self, path: str) -> str:
        return "text" if self.real(path) == "text" else f"the {self.real(path)}"

    def damage(self, text: str, checker: Checker) -> str | None:
        return None if text in checker.confirmed else damage(text)

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if len(text) > self.max_length:
            return checker.error(node, path, too_long(text, self.max_length))
        problem = written_problem(text)
        if problem is not None:
            return checker.error(node, path, f"{shown(text)} {problem}")
        checker.texts.append((text, path, node))
        return text

    def json_schema(self) -> dict[str, Any]:
        return {**super().json_schema(), "maxLength": self.max_length}


def too_long(text: str, limit: int) -> str:
    """The message for a value longer than the layouts are designed to print."""
    return f"{shown(text, 40)} is {len(text)} characters long; the limit is {limit}"


@dataclass
class Group(Field):
    """A mapping of named fields; unknown keys are errors with a did-you-mean suggestion."""

    fields: dict[str, Field] = field(default_factory=dict)
    expects: str = "a mapping of keys"
    atomic: bool = False  # one value in the _defaults.yaml cascade: a file that sets it replaces all of it

    def convert(self, node: Node | None, path: str, checker: Checker) -> Any:
        if node is None and self.required and not checker.partial:
            return self.check(Map({}, checker.target_file, 0), path, checker)
        return super().convert(node, path, checker)

    def wanted(self, path: str) -> str:
        return f"its keys ({', '.join(self.fields)})"

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        if not isinstance(node, Map):
            return checker.error(
                node, path, f"must be a mapping of keys ({', '.join(self.fields)}), not {describe(node)}"
            )
        result: dict[str, Any] = {}
        for key, child in node.items.items():
            if key not in self.fields:
                where = Scalar(key, "", child.file, node.key_lines.get(key, child.line))
                allowed = ", ".join(self.fields) or "none"
                checker.error(
                    where,
                    join(path, key),
                    f"unknown key '{clip(key)}'{suggest(key, self.fields)}; allowed here: {allowed}",
                )
        for key, sub in self.fields.items():
            value = sub.convert(node.items.get(key), join(path, key), checker)
            if value is not None:
                result[key] = value
        return result

    def json_schema(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "type": "object",
            "properties": {key: sub.schema() for key, sub in self.fields.items()},
            "additionalProperties": False,
        }


@dataclass
class ListOf(Field):
    """A list of items of one field type."""

    item: Field = field(default_factory=lambda: Text(""))
    max_items: int = 20
    expects: str = "a list"
    unique: bool = False

    def wanted(self, path: str) -> str:
        return "the list (lines starting with '- ')"

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        if not isinstance(node, Seq):
            return checker.error(node, path, f"must be a list (lines starting with '- '), not {describe(node)}")
        values = [self.item.convert(child, f"{path}[{i}]", checker) for i, child in enumerate(node.items)]
        if len(node.items) > self.max_items:
            extra = len(node.items) - self.max_items
            values[self.max_items] = checker.error(
                node.items[self.max_items],
                f"{path}[{self.max_items}]",
                f"the list has {len(node.items)} entries; the limit is {self.max_items}: delete "
                + ("this one" if extra == 1 else f"this one and the {extra - 1} after it"),
            )
        if self.unique:
            for i, value in enumerate(values):
                if value is not INVALID and value in values[:i]:
                    checker.error(node.items[i], f"{path}[{i}]", f"'{value}' is listed twice; list it once")
                    values[i] = INVALID
        return values

    def json_schema(self) -> dict[str, Any]:
        schema = {
            "description": self.description,
            "type": "array",
            "items": self.item.schema(),
            "maxItems": self.max_items,
        }
        return {**schema, "uniqueItems": True} if self.unique else schema


def suggest(word: str, choices: Any) -> str:
    """A ``; did you mean 'x'?`` hint for a near miss, or nothing."""
    if len(word) > 100:  # nothing is that long: no hint, and no slow comparison
        return ""
    same = [c for c in choices if c.casefold() == word.casefold()]  # 'a4' -> 'A4': too short for difflib
    close = same or difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:  # 'phone_number' -> 'phone': a choice the word is built on
        close = sorted((c for c in choices if len(c) > 2 and c in word.lower()), key=len, reverse=True)[:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def is_valid(value: Any) -> bool:
    """True when a converted value (or anything inside it) did not fail."""
    if value is INVALID:
        return False
    if isinstance(value, dict):
        return all(is_valid(v) for v in value.values())
    if isinstance(value, list):
        return all(is_valid(v) for v in value)
    return True
