"""Applying a roster's rows to school files: match each row to its school, edit its file, check it, write it.

The would-be file is checked exactly as ``factsheet check`` would check it, and only written (atomically)
when it passes.
"""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from factsheet_builder.check import check_school, fit_problems
from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Group, Phone, shown
from factsheet_builder.config.load import load_yaml, school_schema
from factsheet_builder.exceptions import FactsheetError, Problem
from factsheet_builder.files import describe, reason
from factsheet_builder.output import write_atomic
from factsheet_builder.project import Project, open_project
from factsheet_builder.roster import yamledit
from factsheet_builder.roster.cells import refusal
from factsheet_builder.roster.columns import (
    DEPUTIES,
    ID,
    Column,
    cell_values,
    field_at,
    is_person,
    parse_maps,
    resolve_columns,
    roster_fields,
)
from factsheet_builder.roster.report import Change, ImportReport, RowResult, at_cell
from factsheet_builder.roster.table import Table, read_table
from factsheet_builder.scaffold import school_text
from factsheet_builder.workspace import DEFAULTS_NAME, MAX_ID, SchoolFile, Workspace, id_problem, slugify


def import_roster(workspace: Workspace, path: Path, maps: Sequence[str] = (), dry_run: bool = False) -> ImportReport:
    """Write or update schools/<id>.yaml for every good row of a CSV or XLSX roster; bad rows are reported.

    Every row is read and checked before any file is written, so a bad row never leaves others half-done.
    """
    project = open_project(workspace)
    schema = school_schema(project.registry, project.topics)
    names = roster_fields(list(dict.fromkeys(role.key for topic in project.topics.values() for role in topic.roles)))
    mapping = parse_maps(maps, schema, names)
    table = read_table(path, set(mapping) | set(names) | {ID})
    columns, problems = resolve_columns(table, mapping, names)
    if not dry_run and _read_only(workspace.schools_dir):
        raise FactsheetError(
            f"{workspace.label(workspace.schools_dir)}: the folder is read-only, so no school file "
            "can be created or updated; make it writable, then import again"
        )
    report = ImportReport(table.name, dry_run, problems=problems)
    importer = _Importer(project, table, columns, schema)
    report.results = [importer.row(number, cells) for number, cells in table.rows]
    if not dry_run:
        for result in report.results:
            importer.write(result)
    return report


class _Importer:
    """Works out what each row changes, remembering the ids already seen; then writes the changed files."""

    def __init__(self, project: Project, table: Table, columns: list[Column], schema: Group) -> None:
        self.project, self.table, self.columns, self.schema = project, table, columns, schema
        self.workspace = project.workspace
        self.by_id = {s.id: s for s in project.schools}
        self.own_names = {s.id: _own_name(self.workspace, s) for s in project.schools}
        self.by_name: dict[str, list[SchoolFile]] = {}
        for school in project.schools:
            if own := self.own_names[school.id]:
                self.by_name.setdefault(_fold(own), []).append(school)
        self.seen: dict[str, int] = {}
        self.pending: dict[int, tuple[SchoolFile, bytes]] = {}

    def row(self, number: int, cells: list[str]) -> RowResult:
        """What one row changes in its school's file, checked as ``factsheet check`` would; nothing is written."""
        try:
            return self._row(number, cells)
        except OSError as exc:  # a school file or folder that changed or vanished while the roster was read
            return RowResult(number, "failed", problems=[self._at(number, None, describe(exc, self.workspace.root))])

    def _row(self, number: int, cells: list[str]) -> RowResult:
        values = {c: cells[c.index] for c in self.columns if c.index < len(cells) and cells[c.index]}
        result = RowResult(number, "failed")
        result.problems = self._refused(number, values)
        school = None if result.problems else self._school(number, values, result)
        if school is None:
            return result
        result.id, result.label = school.id, school.label
        given = {c.target for c in values}
        try:
            original, document, yaml = self._document(school, values)
            for column, text in values.items():
                if column.target != ID:
                    result.changes.extend(self._apply(document, column.target, text, given))
        except yamledit.EditError as exc:
            result.problems.append(self._at(number, None, exc.message))
            return result
        text = yamledit.dump(yaml, document, original)
        if original is None:
            text = yamledit.without_filled_hints(text)
        checked = check_school(self.project, school, text=text)
        problems = checked.problems
        if checked.config is not None and checked.sheets is not None:  # and fits its layouts, as check would say
            problems += fit_problems(self.project, school, checked.config, checked.sheets)
        result.problems.extend(self._locate(number, school, values, problems, new=original is None))
        if any(not p.warning for p in problems):
            return result
        if original is not None and not result.changes:  # left as it is, even where ruamel.yaml would differ
            result.action = "unchanged"
            return result
        refusal = _unwritable(school.path, school.label)
        if refusal:
            result.problems.append(self._at(number, None, refusal))
            return result
        result.action = "created" if original is None else "updated"
        self.pending[number] = (school, text.encode("utf-8-sig" if self._has_bom(school) else "utf-8"))
        return result

    @staticmethod
    def _has_bom(school: SchoolFile) -> bool:
        """True when the school's file starts with a byte order mark (as Notepad writes), which an update keeps."""
        if not school.path.exists():
            return False
        with school.path.open("rb") as stream:
            return stream.read(3) == codecs.BOM_UTF8

    def write(self, result: RowResult) -> None:
        """Write the file a row changed, keeping its permissions; a file that cannot be written fails the row."""
        if result.row not in self.pending:
            return
        school, data = self.pending.pop(result.row)
        try:
            mode = school.path.stat().st_mode if school.path.exists() else None
            write_atomic(school.path, data)
            if mode is not None:
                os.chmod(school.path, stat.S_IMODE(mode))
        except OSError as exc:
            result.action = "failed"
            result.problems.append(self._at(result.row, None, f"{school.label}: cannot be written: {reason(exc)}"))

    def _refused(self, number: int, values: dict[Column, str]) -> list[Problem]:
        """The row's cells that may not be imported: spreadsheet errors and formulas, junk where a name belongs."""
        problems = []
        for column in self.columns:
            text = values.get(column, "")
            reason = self.table.refused.get((number, column.index))
            if reason is None and text:
                field, path, parts = cell_values(self.schema, column.target, text)
                reason = next((r for r in (refusal(part, field, path) for part in parts) if r), None)
                twice = next((part for n, part in enumerate(parts) if _fold(part) in map(_fold, parts[:n])), None)
                if reason is None and twice is not None:
                    reason = f"{shown(twice, 80)} is named twice; name each person once"
            if reason is not None:
                problems.append(self._at(number, column, reason))
        return problems

    def _school(self, number: int, values: dict[Column, str], result: RowResult) -> SchoolFile | None:
        """The school a row is about: its id, else an existing school of that name, else a new id from the name.

        A row whose id and name point at different schools, or whose name is new but whose id would be an existing
        school's, is refused: an import never overwrites a school the row does not name.
        """
        given = {c.target: (c, text) for c, text in values.items()}
        name_column, name = given.get("school.name", (None, None))
        named = self.by_name.get(_fold(name), []) if name else []
        if ID in given:
            column, school_id = given[ID]
            if id_problem(school_id):
                result.problems.append(
                    self._at(
                        number,
                        column,
                        (
                            f"{shown(school_id, 80)} cannot be a school id: use at most {MAX_ID} lower-case letters, digits "
                            f"and single hyphens, and not a name Windows reserves (e.g. '{slugify(school_id) or 'school'}')"
                        ),
                    )
                )
                return None
            if named and school_id not in {s.id for s in named}:
                known = self.by_id.get(school_id)
                result.problems.append(
                    self._at(
                        number,
                        None,
                        (
                            f"the id '{school_id}' is {known.label if known else 'not a school yet'}, but the name "
                            f"{shown(name or '', 80)} is {', '.join(s.label for s in named)}; correct the id or the name so that "
                            "both name the same school"
                        ),
                    )
                )
                return None
        elif name:
            if len(named) > 1:
                result.problems.append(
                    self._at(
                        number,
                        name_column,
                        (
                            f"{shown(name, 80)} is the name of several schools ({', '.join(s.label for s in named)}); "
                            "add an id column to say which"
                        ),
                    )
                )
                return None
            school_id = named[0].id if named else slugify(name)
            if not school_id:
                result.problems.append(
                    self._at(
                        number, name_column, f"{shown(name, 80)} has no letters or digits to make a school id from"
                    )
                )
                return None
            if not named and self.own_names.get(school_id):
                taken = self.by_id[school_id]
                result.problems.append(
                    self._at(
                        number,
                        name_column,
                        (
                            f"{shown(name or '', 80)} is not the name of any school, but the id it would get, '{school_id}', is "
                            f"{taken.label} ({shown(self.own_names[school_id] or '', 80)}); add an id column to say which school "
                            "this row is, or correct the name"
                        ),
                    )
                )
                return None
        else:
            result.problems.append(self._at(number, None, "no school name or id; fill in the school column"))
            return None
        if school_id in self.seen:
            result.problems.append(
                self._at(
                    number,
                    None,
                    (f"school '{school_id}' is also on row {self.seen[school_id]}; each school may appear only once"),
                )
            )
            return None
        self.seen[school_id] = number
        if school_id in self.by_id:
            return self.by_id[school_id]
        path = self.workspace.schools_dir / f"{school_id}.yaml"
        if path.exists() or path.is_symlink():  # there, but not a school the workspace could read
            result.problems.append(
                self._at(
                    number,
                    None,
                    (
                        f"{self.workspace.label(path)} is in the way of the new school: it is not a school file that "
                        "'factsheet check' can read (see what it says); move it away, then import again"
                    ),
                )
            )
            return None
        defaults = tuple(p for p in [self.workspace.schools_dir / DEFAULTS_NAME] if p.is_file())
        return SchoolFile(school_id, path, self.workspace.label(path), defaults)

    def _document(self, school: SchoolFile, values: dict[Column, str]) -> tuple[str | None, Any, YAML]:
        """The school file's text (None for a new school), its round-trip document and the YAML set to its style."""
        if school.path.exists():
            try:
                original = yamlfile.read_text(school.path, school.label)
                yamlfile.parse(original, school.label)
            except yamlfile.YamlFileError as exc:
                raise yamledit.EditError(f"{exc.problem}; correct the file, then import again") from None
            source = original
        else:
            original = None
            name = next((text for c, text in values.items() if c.target == "school.name"), "")
            source = school_text(school.id, name)
        return (original, *yamledit.load(source.replace("\r\n", "\n"), school.label))

    def _apply(self, document: CommentedMap, path: str, text: str, given: set[str]) -> list[Change]:
        """Set one dotted key of the document from a cell; the changes made."""
        if path == DEPUTIES:
            return _set_deputies(document, [n.strip() for n in text.split(";") if n.strip()])
        keys = path.split(".")
        old = yamledit.get(document, keys)
        if old is not None and not isinstance(old, (CommentedMap, CommentedSeq)) and str(old) == text:
            return []
        if path == "school.name" and old is not None and _fold(str(old)) == _fold(text):
            return []  # the name the row was matched by: the file's own spelling stays
        phone = isinstance(field_at(self.schema, path), Phone)
        yamledit.put(document, keys, DoubleQuotedScalarString(text) if phone else text)
        changes = [Change(path, None if old is None else yamledit.show(old), text)]
        person = ".".join(keys[:-1])
        if keys[-1] == "name" and is_person(self.schema, person) and old is not None and _fold(str(old)) != _fold(text):
            # a leaflet must never print one person's name beside another person's number
            mapping = yamledit.get(document, keys[:-1])
            for other in [k for k in mapping if k != "name" and f"{person}.{k}" not in given]:
                changes.append(Change(f"{person}.{other}", yamledit.show(mapping[other]), None))
                yamledit.remove(mapping, other)
        return changes

    def _at(self, number: int, column: Column | None, message: str, warning: bool = False) -> Problem:
        return at_cell(self.table.name, number, column.heading if column else None, message, warning)

    def _locate(
        self, number: int, school: SchoolFile, values: dict[Column, str], problems: list[Problem], new: bool
    ) -> list[Problem]:
        """Problems of the would-be file, named by the roster column they came from where there is one."""
        located = []
        for problem in problems:
            column = None
            if problem.file == school.label and problem.field:
                candidates = [
                    c
                    for c in self.columns
                    if c.target != ID
                    and _within(problem.field, c.target)
                    and (c in values or new or problem.line is None)
                ]
                column = max(candidates, key=lambda c: len(c.target), default=None)
            if column is not None:
                located.append(self._at(number, column, problem.message, problem.warning))
            else:
                located.append(self._at(number, None, str(problem).removeprefix("warning: "), problem.warning))
        return located


def _set_deputies(document: CommentedMap, names: list[str]) -> list[Change]:
    """Make the deputies list these names, keeping the phone and email of deputies who stay."""
    old = yamledit.get(document, DEPUTIES.split("."))
    old_items = list(old) if isinstance(old, CommentedSeq) else []
    old_names = [str(item.get("name")) for item in old_items if isinstance(item, CommentedMap)]
    if old_names == names and len(old_names) == len(old_items):
        return []
    items = CommentedSeq()
    for name in names:
        kept = next(
            (i for i in old_items if isinstance(i, CommentedMap) and _fold(str(i.get("name"))) == _fold(name)), None
        )
        if kept is None:
            kept = CommentedMap(name=name)
            kept.fa.set_flow_style()
        elif kept["name"] != name:
            kept["name"] = name
        items.append(kept)
    yamledit.put(document, DEPUTIES.split("."), items)
    return [Change(DEPUTIES, None if old is None else "; ".join(old_names), "; ".join(names))]


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"'})


def _fold(text: str) -> str:
    """A name as compared: case, spacing and the kind of apostrophe (spreadsheets curl them) do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())


def _within(field_path: str, target: str) -> bool:
    return field_path == target or field_path.startswith((target + ".", target + "["))


def _own_name(workspace: Workspace, school: SchoolFile) -> str | None:
    """The school name set in a school's own file (not its defaults), if readable."""
    try:
        tree, _ = load_yaml(workspace, school.path)
    except yamlfile.YamlFileError:
        return None
    section = tree.items.get("school")
    name = section.items.get("name") if isinstance(section, yamlfile.Map) else None
    return name.text if isinstance(name, yamlfile.Scalar) else None


def _read_only(folder: Path) -> bool:
    """True when a folder's permissions forbid writing (its mode says so even to a user who could override it)."""
    return folder.is_dir() and (not folder.stat().st_mode & 0o222 or not os.access(folder, os.W_OK))


def _unwritable(path: Path, label: str) -> str | None:
    """Why the import must not write a school's file, or None: a link, a write-protected file, a read-only folder."""
    if path.is_symlink():
        return f"{label}: is a link to another file; not changed (import into the file it points to instead)"
    if path.exists():
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            return f"{label}: is not a regular file; not changed"
        if not mode & 0o222 or not os.access(path, os.W_OK):
            return f"{label}: is write-protected (read-only); not changed: make it writable to import into it"
    if _read_only(path.parent):
        return f"{label}: its folder is read-only; not changed: make the folder writable to import into it"
    return None
