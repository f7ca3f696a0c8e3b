"""Importing a local authority's roster (CSV or XLSX, one row per school) into school files, keeping their comments.

Each row is applied to the school's file with ruamel.yaml's round-trip mode, which keeps the file's comments,
key order and quoting; the would-be file is then checked exactly as ``factsheet check`` would check it, and only
written (atomically) when it passes.
"""

from __future__ import annotations

from collections.abc import Sequence
import csv
from dataclasses import dataclass, field
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from factsheet_builder.check import check_school
from factsheet_builder.project import Project, open_project
from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Field, Group, Phone, ScalarField, suggest
from factsheet_builder.config.load import load_yaml, school_schema
from factsheet_builder.exceptions import FactsheetError, Problem
from factsheet_builder.output import write_atomic
from factsheet_builder.scaffold import school_text
from factsheet_builder.workspace import DEFAULTS_NAME, SLUG, SchoolFile, Workspace, slugify

ID = "id"
DEPUTIES = "safeguarding.deputies"
ROSTER_FIELDS = {
    "school": "school.name",
    "dsl": "safeguarding.dsl.name",
    "dsl_phone": "safeguarding.dsl.phone",
    "dsl_email": "safeguarding.dsl.email",
    "deputies": DEPUTIES,
    "cse_lead": "safeguarding.cse_lead.name",
    "social_care_phone": "contacts.social_care.phone",
    "out_of_hours_phone": "contacts.social_care.out_of_hours",
}
# When one of these people is replaced, their old phone, email and photo go too, unless the row gives new ones:
# a leaflet must never print one person's name beside another person's number.
PEOPLE = ("safeguarding.dsl", "safeguarding.cse_lead")
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Table:
    """The rows of a roster: the heading row and each later row's cells as text, with spreadsheet row numbers."""

    name: str
    header_row: int
    headings: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class Column:
    """A roster column and the school-file key it fills (``id`` for the school id)."""

    heading: str
    index: int
    target: str


@dataclass(frozen=True)
class Change:
    """One key of a school file set, changed or removed by an import."""

    path: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        def show(value: str | None) -> str:
            return "(not set)" if value is None else f"'{value}'"

        if self.old is None:
            return f"{self.path}: {show(self.new)}"
        return f"{self.path}: {show(self.old)} -> {show(self.new)}"


@dataclass
class RowResult:
    """What an import did (or would do) with one row."""

    row: int
    action: str  # created, updated, unchanged, failed
    id: str | None = None
    label: str | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of importing a roster: one result per row and the problems of the roster as a whole."""

    source: str
    dry_run: bool
    results: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(r.action == "failed" for r in self.results)

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.results)

    def lines(self) -> list[str]:
        """What changed (or would change), school by school, as a person reads it."""
        out: list[str] = []
        for result in self.results:
            if result.action == "failed":
                continue
            verb = {"created": "create", "updated": "update"}.get(result.action)
            head = f"would {verb}" if self.dry_run and verb else result.action
            out.append(f"{head} {result.label} (row {result.row})")
            out.extend(f"  {change}" for change in result.changes)
        return out

    def summary(self) -> str:
        rows = len(self.results)
        text = (f"{self.source}: {rows} row{'s' if rows != 1 else ''}: {self.count('created')} created, "
                f"{self.count('updated')} updated, {self.count('unchanged')} unchanged, {self.count('failed')} failed")
        return text + (" (dry run: nothing was written)" if self.dry_run else "")


def import_roster(workspace: Workspace, path: Path, maps: Sequence[str] = (), dry_run: bool = False) -> ImportReport:
    """Write or update schools/<id>.yaml for every good row of a CSV or XLSX roster; bad rows are reported."""
    project = open_project(workspace)
    schema = school_schema(project.registry)
    mapping = parse_maps(maps, schema)
    table = read_table(path, set(mapping) | set(ROSTER_FIELDS) | {ID})
    columns, problems = resolve_columns(table, mapping)
    report = ImportReport(table.name, dry_run, problems=problems)
    importer = _Importer(project, table, columns, schema, dry_run)
    for number, cells in table.rows:
        if any(cell for cell in cells):
            report.results.append(importer.row(number, cells))
    return report


def parse_maps(maps: Sequence[str], schema: Group) -> dict[str, str]:
    """``heading=field`` options as {heading (lower case): dotted key}; a field is a roster name or a school key."""
    mapping: dict[str, str] = {}
    for item in maps:
        heading, sep, target = (part.strip() for part in item.partition("="))
        if not sep or not heading or not target:
            raise FactsheetError(f"--map '{item}': write it as HEADING=FIELD, e.g. --map \"DSL name=dsl\"")
        resolved = ROSTER_FIELDS.get(target.lower(), ID if target.lower() == ID else target)
        if resolved != ID and not isinstance(field_at(schema, resolved), ScalarField) and resolved != DEPUTIES:
            choices = [*ROSTER_FIELDS, ID]
            raise FactsheetError(
                f"--map '{item}': '{target}' is not a field{suggest(target, choices)}; use one of "
                f"{', '.join(choices)}, or a school-file key such as contacts.lado.phone (see 'factsheet schema')"
            )
        mapping[heading.casefold()] = resolved
    return mapping


def field_at(schema: Group, path: str) -> Field | None:
    """The field at a dotted key of the schema (None when there is no such key)."""
    node: Field | None = schema
    for key in path.split("."):
        node = node.fields.get(key) if isinstance(node, Group) else None
    return node


def read_table(path: Path, known: set[str]) -> Table:
    """A CSV or XLSX roster's rows; the heading row is the first with a heading the import knows."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    else:
        raise FactsheetError(f"{name}: only .csv and .xlsx rosters can be read; save the spreadsheet in one of those")
    known_folded = {k.casefold() for k in known}
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        if any(cell.casefold() in known_folded for cell in cells):
            later = [(n, c) for n, c in rows if n > number]
            return Table(name, number, cells, later)
    first = next((cells for _, cells in rows if any(cells)), [])
    raise FactsheetError(
        f"{name}: no heading row found: expected headings such as school, dsl, dsl_phone"
        + (f" (the first row has: {', '.join(c for c in first if c)})" if first else " (the file is empty)")
        + "; rename the headings or use --map HEADING=FIELD"
    )


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FactsheetError(f"{path.name}: cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FactsheetError(
            f"{path.name}: is not UTF-8 text; in Excel use Save As > 'CSV UTF-8 (Comma delimited)', or save as .xlsx"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, [cell.strip() for cell in cells]) for number, cells in enumerate(rows, start=1)]


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise FactsheetError(f"{path.name}: cannot be read: {exc.strerror}") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FactsheetError(
            f"{path.name}: is not a readable .xlsx workbook ({exc}); open it in Excel and save it again"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [(number, [_cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (dates as YYYY-MM-DD, whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def resolve_columns(table: Table, mapping: dict[str, str]) -> tuple[list[Column], list[Problem]]:
    """The columns to import; unknown headings are warnings, a field filled by two columns is an error."""
    columns: list[Column] = []
    problems: list[Problem] = []
    folded = [h.casefold() for h in table.headings]
    for heading in mapping:
        if heading not in folded:
            raise FactsheetError(
                f"{table.name}: --map names the heading '{heading}', which is not in row {table.header_row} "
                f"(the headings are: {', '.join(h for h in table.headings if h)})"
            )
    for index, heading in enumerate(table.headings):
        target = mapping.get(heading.casefold()) or ROSTER_FIELDS.get(heading.casefold())
        if target is None and heading.casefold() == ID:
            target = ID
        if target is None:
            if heading:
                problems.append(Problem(f"{table.name} row {table.header_row}, column {heading}", None, None,
                                        "not imported: not a known heading (use --map HEADING=FIELD to import it)",
                                        warning=True))
            continue
        twin = next((c for c in columns if c.target == target), None)
        if twin is not None:
            raise FactsheetError(
                f"{table.name}: the columns '{twin.heading}' and '{heading}' both fill {target}; keep one of them"
            )
        columns.append(Column(heading, index, target))
    if not any(c.target in (ID, "school.name") for c in columns):
        raise FactsheetError(
            f"{table.name}: no 'school' or 'id' column, so the rows cannot be matched to schools "
            f"(the headings in row {table.header_row} are: {', '.join(h for h in table.headings if h)}); "
            "use --map HEADING=school"
        )
    return columns, problems


class _Importer:
    """Applies rows one at a time, remembering the ids already imported."""

    def __init__(self, project: Project, table: Table, columns: list[Column], schema: Group, dry_run: bool) -> None:
        self.project, self.table, self.columns, self.schema, self.dry_run = project, table, columns, schema, dry_run
        self.workspace = project.workspace
        self.by_id = {s.id: s for s in project.schools}
        self.by_name: dict[str, list[SchoolFile]] = {}
        for school in project.schools:
            name = _own_name(self.workspace, school)
            if name:
                self.by_name.setdefault(_fold(name), []).append(school)
        self.seen: dict[str, int] = {}

    def row(self, number: int, cells: list[str]) -> RowResult:
        """Import one row: find or create the school's file, apply the row, check it, write it."""
        values = {c: cells[c.index] for c in self.columns if c.index < len(cells) and cells[c.index]}
        result = RowResult(number, "failed")
        school = self._school(number, values, result)
        if school is None:
            return result
        result.id, result.label = school.id, school.label
        given = {c.target for c in values}
        try:
            original, document, yaml = self._document(school, values)
            for column, text in values.items():
                if column.target != ID:
                    result.changes.extend(_apply(document, column.target, text, self._is_phone(column.target), given))
        except _RowError as exc:
            result.problems.append(self._at(number, None, exc.message))
            return result
        text = _dump(yaml, document, original)
        if original is None:
            text = _without_filled_hints(text)
        problems = check_school(self.project, school, text=text).problems
        result.problems.extend(self._locate(number, school, values, problems, new=original is None))
        if any(not p.warning for p in problems):
            return result
        if original is None:
            result.action = "created"
        else:  # an unchanged file is left as it is, even where ruamel.yaml would write it slightly differently
            result.action = "updated" if result.changes else "unchanged"
        if result.action != "unchanged" and not self.dry_run:
            write_atomic(school.path, text.encode("utf-8"))
        return result

    def _school(self, number: int, values: dict[Column, str], result: RowResult) -> SchoolFile | None:
        """The school a row is about: its id, else an existing school of that name, else a new id from the name."""
        given = {c.target: (c, text) for c, text in values.items()}
        name = given.get("school.name", (None, None))[1]
        if ID in given:
            column, school_id = given[ID]
            if not SLUG.match(school_id):
                result.problems.append(self._at(number, column, (
                    f"'{school_id}' is not a safe school id: use lower-case letters, digits and single hyphens, "
                    f"e.g. '{slugify(school_id) or 'school'}'")))
                return None
        elif name:
            matches = self.by_name.get(_fold(name), [])
            if len(matches) > 1:
                result.problems.append(self._at(number, given["school.name"][0], (
                    f"'{name}' is the name of several schools ({', '.join(s.label for s in matches)}); "
                    "add an id column to say which")))
                return None
            school_id = matches[0].id if matches else slugify(name)
            if not school_id:
                result.problems.append(self._at(number, given["school.name"][0],
                                                f"'{name}' has no letters or digits to make a school id from"))
                return None
        else:
            result.problems.append(self._at(number, None, "no school name or id; fill in the school column"))
            return None
        if school_id in self.seen:
            result.problems.append(self._at(number, None, (
                f"school '{school_id}' is also on row {self.seen[school_id]}; each school may appear only once")))
            return None
        self.seen[school_id] = number
        if school_id in self.by_id:
            return self.by_id[school_id]
        path = self.workspace.schools_dir / f"{school_id}.yaml"
        defaults = tuple(p for p in [self.workspace.schools_dir / DEFAULTS_NAME] if p.is_file())
        return SchoolFile(school_id, path, self.workspace.label(path), defaults)

    def _document(self, school: SchoolFile, values: dict[Column, str]) -> tuple[str | None, Any, YAML]:
        """The school file's text (None for a new school), its round-trip document and the YAML set to its style."""
        if school.path.exists():
            try:
                original = yamlfile.read_text(school.path, school.label)
                yamlfile.parse(original, school.label)
            except yamlfile.YamlFileError as exc:
                raise _RowError(f"{exc.problem}; correct the file, then import again") from None
            source = original
        else:
            original = None
            name = next((text for c, text in values.items() if c.target == "school.name"), "")
            source = school_text(school.id, name)
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096
        mapping, sequence, offset = _indents(source)
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            document = yaml.load(source)
        except YAMLError as exc:
            raise _RowError(f"{school.label}: cannot be updated: {exc}") from None
        if not isinstance(document, CommentedMap):
            raise _RowError(f"{school.label}: the top level must be a mapping of keys")
        return original, document, yaml

    def _is_phone(self, path: str) -> bool:
        return isinstance(field_at(self.schema, path), Phone)

    def _at(self, number: int, column: Column | None, message: str, warning: bool = False) -> Problem:
        where = f"{self.table.name} row {number}" + (f", column {column.heading}" if column else "")
        return Problem(where, None, None, message, warning)

    def _locate(self, number: int, school: SchoolFile, values: dict[Column, str], problems: list[Problem],
                new: bool) -> list[Problem]:
        """Problems of the would-be file, named by the roster column they came from where there is one."""
        located = []
        for problem in problems:
            column = None
            if problem.file == school.label and problem.field:
                candidates = [c for c in self.columns if c.target != ID and _within(problem.field, c.target)
                              and (c in values or new or problem.line is None)]
                column = max(candidates, key=lambda c: len(c.target), default=None)
            if column is not None:
                located.append(self._at(number, column, problem.message, problem.warning))
            else:
                located.append(self._at(number, None, str(problem).removeprefix("warning: "), problem.warning))
        return located


class _RowError(Exception):
    """A row's school file cannot be updated; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _within(field_path: str, target: str) -> bool:
    return field_path == target or field_path.startswith((target + ".", target + "["))


def _own_name(workspace: Workspace, school: SchoolFile) -> str | None:
    """The school name set in a school's own file (not its defaults), if readable."""
    try:
        tree = load_yaml(workspace, school.path)
    except yamlfile.YamlFileError:
        return None
    section = tree.items.get("school")
    name = section.items.get("name") if isinstance(section, yamlfile.Map) else None
    return name.text if isinstance(name, yamlfile.Scalar) else None


_KEY = re.compile(r"^( *)([A-Za-z_]+):")
_HINT = re.compile(r"^( *)# ([A-Za-z_]+):")


def _without_filled_hints(text: str) -> str:
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
        indent = len(_HINT.match(lines[number]).group(1))
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


def _dump(yaml: YAML, document: CommentedMap, original: str | None) -> str:
    """The document as text, with the original file's line endings."""
    stream = io.StringIO()
    yaml.dump(document, stream)
    text = stream.getvalue()
    return text.replace("\n", "\r\n") if original is not None and "\r\n" in original else text


def _apply(document: CommentedMap, path: str, text: str, phone: bool, given: set[str]) -> list[Change]:
    """Set one dotted key of the document from a cell; the changes made."""
    if path == DEPUTIES:
        return _set_deputies(document, [n.strip() for n in text.split(";") if n.strip()])
    keys = path.split(".")
    old = _get(document, keys)
    if old is not None and not isinstance(old, (CommentedMap, CommentedSeq)) and str(old) == text:
        return []
    _set(document, keys, DoubleQuotedScalarString(text) if phone else text)
    changes = [Change(path, None if old is None else _show(old), text)]
    person = ".".join(keys[:-1])
    if person in PEOPLE and keys[-1] == "name" and old is not None and _fold(str(old)) != _fold(text):
        mapping = _get(document, keys[:-1])
        for other in [k for k in mapping if k != "name" and f"{person}.{k}" not in given]:
            changes.append(Change(f"{person}.{other}", _show(mapping[other]), None))
            _remove(mapping, other)
    return changes


def _set_deputies(document: CommentedMap, names: list[str]) -> list[Change]:
    """Make the deputies list these names, keeping the phone and email of deputies who stay."""
    old = _get(document, DEPUTIES.split("."))
    old_items = list(old) if isinstance(old, CommentedSeq) else []
    old_names = [str(item.get("name")) for item in old_items if isinstance(item, CommentedMap)]
    if old_names == names and len(old_names) == len(old_items):
        return []
    items = CommentedSeq()
    for name in names:
        kept = next((i for i in old_items if isinstance(i, CommentedMap) and _fold(str(i.get("name"))) == _fold(name)),
                    None)
        if kept is None:
            kept = CommentedMap(name=name)
            kept.fa.set_flow_style()
        elif kept["name"] != name:
            kept["name"] = name
        items.append(kept)
    _set(document, DEPUTIES.split("."), items)
    return [Change(DEPUTIES, None if old is None else "; ".join(old_names), "; ".join(names))]


def _get(document: CommentedMap, keys: list[str]) -> Any:
    """The value at a key path, or None."""
    node: Any = document
    for key in keys:
        node = node.get(key) if isinstance(node, CommentedMap) else None
    return node


def _set(document: CommentedMap, keys: list[str], value: Any) -> None:
    """Set the value at a key path, creating the missing mappings; a non-mapping in the way is a row error."""
    node = document
    for depth, key in enumerate(keys[:-1]):
        child = node.get(key)
        if isinstance(child, CommentedMap):
            node = child
            continue
        if child is not None:
            raise _RowError(f"{'.'.join(keys[:depth + 1])} in the school's file is not a mapping of keys; correct it")
        for inner in reversed(keys[depth + 1:]):
            value = CommentedMap([(inner, value)])
        keys = keys[: depth + 1]
        break
    if keys[-1] in node:
        _replace(node, keys[-1], value)
    else:
        _add(node, keys[-1], value)


def _show(value: Any) -> str:
    if isinstance(value, CommentedMap):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, CommentedSeq):
        return "[" + ", ".join(_show(v) for v in value) + "]"
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


def _put_trailing(slot: tuple[Any, Any], lines: str) -> None:
    """Append full comment lines after a slot."""
    if not lines:
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
    lines = _take_trailing(_slot_of(mapping, key))
    mapping[key] = value
    _put_trailing(_slot_of(mapping, key), lines)


def _remove(mapping: CommentedMap, key: str) -> None:
    """Remove a key and its own comment, moving the comment lines that followed it to the entry before."""
    keys = list(mapping)
    lines = _take_trailing(_slot_of(mapping, key))
    del mapping[key]
    mapping.ca.items.pop(key, None)
    position = keys.index(key)
    if position > 0:
        _put_trailing(_slot_of(mapping, keys[position - 1]), lines)
