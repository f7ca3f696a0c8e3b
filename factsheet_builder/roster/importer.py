"""Applying a roster's rows to school files: match each row to its school, edit its file, check it, write it.

The would-be file is checked exactly as ``factsheet check`` would check it, and only written (atomically)
when it passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from factsheet_builder.build import Project, check_school, open_project
from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Group, Phone
from factsheet_builder.config.load import load_yaml, school_schema
from factsheet_builder.exceptions import Problem
from factsheet_builder.output import write_atomic
from factsheet_builder.roster import yamledit
from factsheet_builder.roster.columns import (DEPUTIES, ID, Column, field_at, is_person, parse_maps, resolve_columns,
                                              roster_fields)
from factsheet_builder.roster.report import Change, ImportReport, RowResult
from factsheet_builder.roster.table import Table, read_table
from factsheet_builder.scaffold import school_text
from factsheet_builder.workspace import DEFAULTS_NAME, SLUG, SchoolFile, Workspace, slugify


def import_roster(workspace: Workspace, path: Path, maps: Sequence[str] = (), dry_run: bool = False) -> ImportReport:
    """Write or update schools/<id>.yaml for every good row of a CSV or XLSX roster; bad rows are reported."""
    project = open_project(workspace)
    schema = school_schema(project.registry, project.topics)
    names = roster_fields(list(dict.fromkeys(role.key for topic in project.topics.values() for role in topic.roles)))
    mapping = parse_maps(maps, schema, names)
    table = read_table(path, set(mapping) | set(names) | {ID})
    columns, problems = resolve_columns(table, mapping, names)
    report = ImportReport(table.name, dry_run, problems=problems)
    importer = _Importer(project, table, columns, schema, dry_run)
    for number, cells in table.rows:
        if any(cell for cell in cells):
            report.results.append(importer.row(number, cells))
    return report


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
                    result.changes.extend(self._apply(document, column.target, text, given))
        except yamledit.EditError as exc:
            result.problems.append(self._at(number, None, exc.message))
            return result
        text = yamledit.dump(yaml, document, original)
        if original is None:
            text = yamledit.without_filled_hints(text)
        _, problems = check_school(self.project, school, text=text)
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
                raise yamledit.EditError(f"{exc.problem}; correct the file, then import again") from None
            source = original
        else:
            original = None
            name = next((text for c, text in values.items() if c.target == "school.name"), "")
            source = school_text(school.id, name)
        return (original, *yamledit.load(source, school.label))

    def _apply(self, document: CommentedMap, path: str, text: str, given: set[str]) -> list[Change]:
        """Set one dotted key of the document from a cell; the changes made."""
        if path == DEPUTIES:
            return _set_deputies(document, [n.strip() for n in text.split(";") if n.strip()])
        keys = path.split(".")
        old = yamledit.get(document, keys)
        if old is not None and not isinstance(old, (CommentedMap, CommentedSeq)) and str(old) == text:
            return []
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


def _set_deputies(document: CommentedMap, names: list[str]) -> list[Change]:
    """Make the deputies list these names, keeping the phone and email of deputies who stay."""
    old = yamledit.get(document, DEPUTIES.split("."))
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
    yamledit.put(document, DEPUTIES.split("."), items)
    return [Change(DEPUTIES, None if old is None else "; ".join(old_names), "; ".join(names))]


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


