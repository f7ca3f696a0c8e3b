"""The edit form of a school: made from the same field declarations as the JSON Schema and the checker (the
school-file schema of the workspace's topics and layouts), filled with the values of the school's cascade, and
read back from a submission as flat values by dotted path (the paths ``factsheet check`` names fields by)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from factsheet_builder.config.base_fields import Field, Group, ListOf, ScalarField, join
from factsheet_builder.config.cascade import overlay
from factsheet_builder.config.fields import Email, Image, Phone
from factsheet_builder.config.load import load_yaml
from factsheet_builder.config.yamlfile import Map, Node, Seq, YamlFileError, parse
from factsheet_builder.workspace import SchoolFile, Workspace

EDITED = ("school", "safeguarding", "review_date")  # the school's name, its people and their numbers, its review date
MAX_ROWS = 50  # rows of a list read from a submission, whatever the schema allows: a bound on a forged form
NEW = "new"  # the origin of a row added in the form

Values = dict[str, str]  # text by dotted path, as typed
Rows = dict[str, list[str]]  # for each list: the origin of each row (its index in the file as opened, or NEW)


def element_id(prefix: str, path: str) -> str:
    """The HTML id of the input or group for a school-file path: ``f-safeguarding-dsl-phone``."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")


@dataclass(frozen=True)
class Block:
    """A fieldset the schema declares: a group of typed-in values (the school, a person) at ``path``."""

    path: str
    legend: str
    hint: str
    fields: tuple[tuple[str, ScalarField], ...]  # by key


@dataclass(frozen=True)
class Repeated:
    """A list of fieldsets (the deputies) that may be added to, removed from and reordered."""

    path: str
    legend: str
    hint: str
    item: Block  # its path is the row's own ("")
    max_items: int


Plan = tuple[Block | Repeated, ...]


def plan(schema: Group) -> Plan:
    """The form's parts, in the schema's order: its typed-in values under EDITED (images are left out: they are
    files, not text), a list of groups as a Repeated."""
    return tuple(part for key in EDITED if key in schema.fields for part in _parts(key, schema.fields[key]))


def _parts(path: str, declared: Field) -> list[Block | Repeated]:
    if isinstance(declared, ScalarField):  # a value of its own (the review date): its input says what it is
        return [Block("", path.replace("_", " ").capitalize(), "", ((path, declared),))]
    if isinstance(declared, ListOf) and isinstance(declared.item, Group):
        item = _parts("", declared.item)[0]
        assert isinstance(item, Block)
        return [Repeated(path, *_words(declared.description), item, declared.max_items)]
    if not isinstance(declared, Group):
        return []
    typed = tuple((k, f) for k, f in declared.fields.items() if isinstance(f, ScalarField) and not isinstance(f, Image))
    own: list[Block | Repeated] = [Block(path, *_words(declared.description), typed)] if typed else []
    nested = [(k, f) for k, f in declared.fields.items() if not isinstance(f, ScalarField)]
    return own + [part for key, sub in nested for part in _parts(join(path, key), sub)]


def _words(description: str) -> tuple[str, str]:
    """A description as a legend and a hint: "Deputy DSLs (optional)." -> ("Deputy DSLs", "Optional.")."""
    head, _, rest = description.rstrip(".").partition(" (")
    hint = rest.rstrip(")")
    return head, (hint[:1].upper() + hint[1:] + ".") if hint else ""


@dataclass
class Input:
    """One input of the form: where its value goes, what it is, its value and the message beside it."""

    path: str
    label: str
    hint: str
    kind: str  # the input's type: text, tel or email
    required: bool
    value: str
    inherited: str = ""  # the _defaults.yaml the value comes from, when not the school's own file
    error: str = ""

    @property
    def id(self) -> str:
        return element_id("f", self.path)


@dataclass
class Fieldset:
    """A group of inputs: the school, a person, a row of a list (``origin``: its index in the file as opened)."""

    path: str
    legend: str
    hint: str
    inputs: list[Input]
    origin: str = ""
    error: str = ""
    confirm: str = ""  # a question to answer before this person's details are kept (see edits.renamed)

    @property
    def id(self) -> str:
        return element_id("g", self.path)


@dataclass
class ListSet:
    """The rows of a Repeated."""

    path: str
    legend: str
    hint: str
    rows: list[Fieldset]
    max_items: int
    item: str  # what a row is: "A deputy DSL"
    error: str = ""

    @property
    def id(self) -> str:
        return element_id("g", self.path)


@dataclass
class Form:
    """The whole form as shown: its parts, the values it was opened with, the file's version then, and the
    messages that belong to no input."""

    parts: list[Fieldset | ListSet]
    was: Values
    was_rows: Rows
    version: str
    opened: str  # ISO time the form was opened, so that a conflict can name the changes made since
    problems: list[str] = field(default_factory=list)

    def inputs(self) -> Iterator[Input]:
        for part in self.parts:
            for fieldset in part.rows if isinstance(part, ListSet) else [part]:
                yield from fieldset.inputs

    def fieldsets(self) -> Iterator[Fieldset | ListSet]:
        for part in self.parts:
            yield part
            if isinstance(part, ListSet):
                yield from part.rows


_KINDS: dict[type, str] = {Phone: "tel", Email: "email"}


def fill(parts: Plan, values: Values, rows: Rows, sources: Mapping[str, str], own: str) -> list[Fieldset | ListSet]:
    """The form's parts holding ``values`` (``rows``: each list's rows by origin; ``sources``: the file each value
    was read from, so that one from a _defaults.yaml rather than the school's ``own`` file says so)."""

    def fieldset(block: Block, path: str, legend: str, origin: str = "") -> Fieldset:
        inputs = []
        for key, declared in block.fields:
            where = join(path, key)
            source = sources.get(where, own)
            inputs.append(
                Input(
                    where,
                    key.replace("_", " ").capitalize(),
                    declared.description,
                    _KINDS.get(type(declared), "text"),
                    declared.required,
                    values.get(where, ""),
                    "" if source == own else source,
                )
            )
        return Fieldset(path, legend, block.hint, inputs, origin)

    filled: list[Fieldset | ListSet] = []
    for part in parts:
        if isinstance(part, Block):
            filled.append(fieldset(part, part.path, part.legend))
            continue
        item = part.item
        noun = item.legend.removeprefix("A ").removeprefix("An ")
        made = [
            fieldset(item, f"{part.path}[{i}]", f"{noun[:1].upper()}{noun[1:]} {i + 1}", origin)
            for i, origin in enumerate(rows.get(part.path, []))
        ]
        filled.append(ListSet(part.path, part.legend, part.hint, made, part.max_items, item.legend))
    return filled


def cascade_tree(workspace: Workspace, school: SchoolFile, text: str, schema: Group) -> Map | None:
    """The school's values as the checker merges them by ``schema`` (a person or an agency's contacts replaced
    whole): its _defaults.yaml files, then its own file's ``text`` (None when one cannot be read: the checker's
    message says why)."""
    merged: Node | None = None
    try:
        for path in school.defaults:
            tree, _ = load_yaml(workspace, path)
            merged = tree if merged is None else overlay(merged, tree, schema)
        own = parse(text, school.label)
    except YamlFileError:
        return None
    merged = own if merged is None else overlay(merged, own, schema)
    return merged if isinstance(merged, Map) else None


def flatten(tree: Map | None) -> tuple[Values, Rows, dict[str, str]]:
    """The values of a tree by dotted path, the rows of each list (all from the file) and each value's file."""
    values: Values = {}
    rows: Rows = {}
    sources: dict[str, str] = {}

    def visit(node: Node, path: str) -> None:
        if isinstance(node, Map):
            for key, child in node.items.items():
                visit(child, join(path, key))
        elif isinstance(node, Seq):
            rows[path] = [str(i) for i in range(len(node.items))]
            for i, child in enumerate(node.items):
                visit(child, f"{path}[{i}]")
        elif not node.is_null:
            values[path], sources[path] = node.text, node.file

    if tree is not None:
        visit(tree, "")
    return values, rows, sources


def submitted(parts: Plan, form: Mapping[str, str]) -> tuple[Values, Rows, Values, Rows]:
    """The values and rows a submission holds for the form's inputs, and those it was opened with (its ``was:``
    and ``was-row:`` fields); whatever else it holds is ignored."""
    values: Values = {}
    rows: Rows = {}
    was: Values = {}
    was_rows: Rows = {}
    for part in parts:
        if isinstance(part, Block):
            paths = [join(part.path, key) for key, _ in part.fields]
        else:
            rows[part.path] = _rows(form, f"row:{part.path}")
            was_rows[part.path] = _rows(form, f"was-row:{part.path}")
            count = max(len(rows[part.path]), len(was_rows[part.path]))
            paths = [f"{part.path}[{i}].{key}" for i in range(count) for key, _ in part.item.fields]
        for path in paths:
            values[path] = form.get(path, "").strip()
            if f"was:{path}" in form:
                was[path] = form[f"was:{path}"]
    return {k: v for k, v in values.items() if v}, rows, was, was_rows


def _rows(form: Mapping[str, str], name: str) -> list[str]:
    """The origins of a list's rows, from the fields ``name[0]``, ``name[1]``... up to the first missing one."""
    found = []
    for i in range(MAX_ROWS):
        origin = form.get(f"{name}[{i}]")
        if origin is None:
            break
        found.append(origin if origin.isdigit() else NEW)
    return found


def scalar_paths(parts: Plan) -> list[str]:
    """The paths of the inputs outside lists."""
    return [join(part.path, key) for part in parts if isinstance(part, Block) for key, _ in part.fields]


def lists(parts: Plan) -> list[Repeated]:
    return [part for part in parts if isinstance(part, Repeated)]


def row_values(values: Values, path: str, count: int, keys: list[str]) -> list[Values]:
    """The rows of the list at ``path`` as values by key."""
    return [
        {key: values[f"{path}[{i}].{key}"] for key in keys if values.get(f"{path}[{i}].{key}")} for i in range(count)
    ]


def with_rows(values: Values, path: str, rows: list[Values]) -> Values:
    """``values`` with the list at ``path`` replaced by ``rows``."""
    kept = {k: v for k, v in values.items() if not k.startswith(f"{path}[")}
    return kept | {f"{path}[{i}].{key}": text for i, row in enumerate(rows) for key, text in row.items()}
