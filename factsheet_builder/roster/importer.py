"""Applying a roster's rows to school files: match each row to its school, edit its file, check it, write it.

The would-be file is checked exactly as ``factsheet check`` would check it, and only written (atomically)
when it passes.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from factsheet_builder.cache import Cache
from factsheet_builder.check import check_school, fit_school
from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Group, Phone, shown
from factsheet_builder.config.load import school_schema
from factsheet_builder.exceptions import FactsheetError, Problem
from factsheet_builder.files import describe, reason
from factsheet_builder.layouts import Layout
from factsheet_builder.layouts.leaflet import LeafletLayout
from factsheet_builder.model import FactSheet
from factsheet_builder.output import Staged
from factsheet_builder.project import Project, open_project
from factsheet_builder.roster import yamledit
from factsheet_builder.roster.cells import refusal
from factsheet_builder.roster.columns import (
    DEPUTIES,
    ID,
    Column,
    cell_values,
    deputy_names,
    field_at,
    is_person,
    parse_maps,
    resolve_columns,
    roster_fields,
    run_together,
)
from factsheet_builder.roster.matching import Matched, Matcher, fold
from factsheet_builder.roster.newfile import Scaffold, Templates
from factsheet_builder.roster.parallel import checked_rows
from factsheet_builder.roster.report import Change, ImportReport, RowResult, at_cell
from factsheet_builder.roster.table import Table, read_table
from factsheet_builder.workspace import SchoolFile, Workspace

# rows from which a leaflet's quick test that it fits repays its start: the body fitted beside every box up to the
# cards' (about 0.1 s each, once per worker), against some 4 ms a row saved
QUICK_FROM = 1000
WRITERS = 8  # threads writing the files


def import_roster(
    workspace: Workspace,
    path: Path,
    maps: Sequence[str] = (),
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> ImportReport:
    """Write or update schools/<id>.yaml for every good row of a CSV or XLSX roster; bad rows are reported.

    Every row is read and checked before any file is replaced (each good row's file is written beside the old one as
    the row is checked, and moved into place at the end), so a bad row never leaves others half-done. The rows
    are checked by ``jobs`` processes (default: one per CPU) and ``progress`` is told of each row checked (how many
    are done, of how many).
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
    report = ImportReport(table.name, dry_run, problems=[*table.problems, *problems])
    importer = _Importer(project, table, columns, schema)
    if progress:  # shown from the moment the roster is read: matching a long roster's rows takes seconds
        progress(0, len(table.rows))
    matched = [importer.match(number, cells) for number, cells in table.rows]  # in order: a school once
    rows = [m for m in matched if not isinstance(m, RowResult)]
    refused = len(matched) - len(rows)  # rows refused before they are checked: already done

    def checked(done: int, total: int) -> None:
        if progress:
            progress(refused + done, refused + total)

    importer.quick = len(rows) >= QUICK_FROM
    with Staged(WRITERS) as staged:  # each file is written as its row is checked, and replaces the old at the end
        for row, result, data in checked_rows(importer, rows, checked, jobs):
            report.results.append(result)
            if data is not None and not dry_run:
                importer.pending[result.row] = row.school
                staged.add(row.school.path, data)
        report.results += [m for m in matched if isinstance(m, RowResult)]
        report.results.sort(key=lambda result: result.row)
        for result in report.results:
            importer.write(result, staged)
    return report


class _Importer:
    """Works out what each row changes, remembering the ids already seen; then writes the changed files."""

    def __init__(self, project: Project, table: Table, columns: list[Column], schema: Group) -> None:
        self.project, self.table, self.columns, self.schema = project, table, columns, schema
        self.workspace = project.workspace
        self.matcher = Matcher(self.workspace, project.schools, self._at)
        self.cache = Cache()  # what fitting one school works out (the leaflet's body size), the next need not
        self.pending: dict[int, SchoolFile] = {}  # by row: the schools whose files are written
        self.scaffold = Scaffold()  # a new school's file, parsed once
        self.templates = Templates(self._new_file)  # and made from a template for each shape of row
        self.quick = False  # whether a leaflet is first tested with its quick test that it fits (a long roster)

    def match(self, number: int, cells: list[str]) -> RowResult | Matched:
        """The school a row is about with the row's values, or the failed result of a row that names none."""
        values = {c: cells[c.index] for c in self.columns if c.index < len(cells) and cells[c.index]}
        result = RowResult(number, "failed")
        result.problems = self._refused(number, values)
        school = None if result.problems else self.matcher.school(number, values, result)
        return result if school is None else Matched(number, school, values)

    def row(self, row: Matched) -> tuple[RowResult, bytes | None]:
        """What one row changes in its school's file, checked as ``factsheet check`` would, and the file's new
        bytes when it is to be written; nothing is written."""
        try:
            return self._row(row.number, row.school, row.values)
        except OSError as exc:  # a school file or folder that changed or vanished while the roster was read
            problem = self._at(row.number, None, describe(exc, self.workspace.root))
            return RowResult(row.number, "failed", problems=[problem]), None

    def _row(self, number: int, school: SchoolFile, values: dict[Column, str]) -> tuple[RowResult, bytes | None]:
        result = RowResult(number, "failed", school.id, school.label)
        try:
            original, text, changes = self._edited(school, values)
        except _Refused as exc:
            result.problems.append(self._at(number, exc.column, exc.message))
            return result, None
        result.changes.extend(changes)
        checked = check_school(self.project, school, text=text)
        problems = checked.problems
        if checked.config is not None and checked.sheets is not None:  # and fits its layouts, as check would say
            surely = _surely_fits if self.quick else None
            problems += fit_school(self.project, school, checked.config, checked.sheets, self.cache, surely)[1]
        result.problems.extend(self._locate(number, school, values, problems, new=original is None))
        if any(not p.warning for p in problems):
            return result, None
        if original is not None and not result.changes:  # left as it is, even where ruamel.yaml would differ
            result.action = "unchanged"
            return result, None
        refusal = _unwritable(school.path, school.label)
        if refusal:
            result.problems.append(self._at(number, None, refusal))
            return result, None
        result.action = "created" if original is None else "updated"
        return result, text.encode("utf-8-sig" if self._has_bom(school) else "utf-8")

    @staticmethod
    def _has_bom(school: SchoolFile) -> bool:
        """True when the school's file starts with a byte order mark (as Notepad writes), which an update keeps."""
        if not school.path.exists():
            return False
        with school.path.open("rb") as stream:
            return stream.read(3) == codecs.BOM_UTF8

    def write(self, result: RowResult, staged: Staged) -> None:
        """Move the file a row changed into place, keeping its permissions; a file that cannot be written fails the
        row."""
        if result.row not in self.pending:
            return
        school = self.pending.pop(result.row)
        try:
            mode = school.path.stat().st_mode if school.path.exists() else None
            staged.replace(school.path)
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
                twice = next((part for n, part in enumerate(parts) if fold(part) in map(fold, parts[:n])), None)
                if reason is None and twice is not None:
                    reason = f"{shown(twice, 80)} is named twice; name each person once"
                if reason is None and column.target == DEPUTIES:
                    reason = run_together(parts)
            if reason is not None:
                problems.append(self._at(number, column, reason))
        return problems

    def _edited(self, school: SchoolFile, values: dict[Column, str]) -> tuple[str | None, str, list[Change]]:
        """The school file's text (None for a new school), its text once the row is applied, and the changes made;
        _Refused when the row cannot be applied."""
        if not school.path.exists():
            made = self.templates.filled(school.id, values)
            return (None, *made) if made is not None else (None, *self._edit(school.id, school.label, None, values))
        try:
            original = yamlfile.read_text(school.path, school.label)
            yamlfile.parse(original, school.label)
        except yamlfile.YamlFileError as exc:
            raise _Refused(None, f"{exc.problem}; correct the file, then import again") from None
        return original, *self._edit(school.id, school.label, original, values)

    def _edit(
        self, school_id: str, label: str, original: str | None, values: Mapping[Column, str]
    ) -> tuple[str, list[Change]]:
        """The text of a school file (``original``, or the scaffold for a new school) once the row's values are set
        in its round-trip document, and the changes made."""
        try:
            if original is None:
                name = next((text for c, text in values.items() if c.target == "school.name"), "")
                document, yaml, finish = self.scaffold.start(school_id, name, values.values(), label)
            else:
                document, yaml = yamledit.load(original.replace("\r\n", "\n"), label)
                finish = _as_written
            given = {c.target for c in values}
            changes = []
            for column, text in values.items():
                try:
                    changes.extend(self._apply(document, column.target, text, given))
                except yamledit.SharedValue as exc:
                    raise _Refused(column, exc.message) from None
        except yamledit.EditError as exc:
            raise _Refused(None, exc.message) from None
        text = finish(yamledit.dump(yaml, document, original))
        return (text if original is not None else yamledit.without_filled_hints(text)), changes

    def _new_file(self, school_id: str, values: Mapping[Column, str]) -> tuple[str, list[Change]] | None:
        """A new school's file and its changes, or None when the row is refused."""
        try:
            return self._edit(school_id, f"schools/{school_id}.yaml", None, values)
        except _Refused:
            return None

    def _apply(self, document: CommentedMap, path: str, text: str, given: set[str]) -> list[Change]:
        """Set one dotted key of the document from a cell; the changes made. SharedValue when a YAML alias would
        carry the change to another key."""
        if path == ID:
            return []
        if path == DEPUTIES:
            return _set_deputies(document, deputy_names(text))
        keys = path.split(".")
        old = yamledit.get(document, keys)
        if old is not None and not isinstance(old, (CommentedMap, CommentedSeq)) and str(old) == text:
            return []
        if path == "school.name" and old is not None and fold(str(old)) == fold(text):
            return []  # the name the row was matched by: the file's own spelling stays
        phone = isinstance(field_at(self.schema, path), Phone)
        yamledit.not_shared(document, keys)
        yamledit.put(document, keys, DoubleQuotedScalarString(text) if phone else text)
        changes = [Change(path, None if old is None else yamledit.show(old), text)]
        person = ".".join(keys[:-1])
        if keys[-1] == "name" and is_person(self.schema, person) and old is not None and fold(str(old)) != fold(text):
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
            (i for i in old_items if isinstance(i, CommentedMap) and fold(str(i.get("name"))) == fold(name)), None
        )
        if kept is None:
            kept = CommentedMap(name=name)
            kept.fa.set_flow_style()
        elif kept["name"] != name:
            kept["name"] = name
        items.append(kept)
    yamledit.not_shared(document, [*DEPUTIES.split("."), ""])  # the mapping that holds the list
    yamledit.put(document, DEPUTIES.split("."), items)
    return [Change(DEPUTIES, None if old is None else "; ".join(old_names), "; ".join(names))]


class _Refused(Exception):
    """A row that cannot be applied to its school's file: why, and the column to blame (if one is)."""

    def __init__(self, column: Column | None, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _surely_fits(layout: Layout[Any], sheet: FactSheet) -> bool:
    """True only when the layout surely fits the sheet, as the leaflet's quick test finds (others are fitted)."""
    return isinstance(layout, LeafletLayout) and layout.surely_fits(sheet)


def _as_written(text: str) -> str:
    """An existing file's text as written out: nothing stands in for what it holds."""
    return text


def _within(field_path: str, target: str) -> bool:
    return field_path == target or field_path.startswith((target + ".", target + "["))


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
