"""A school's form from open to save: the form as its file stands, a submission's list buttons (add, remove, move),
and a save, which is refused (nothing written) while any value is invalid, while a renamed person keeps someone
else's details unasked, or when the file changed since the form was opened; otherwise the change is logged and
the file replaced whole (a crash or a full disk leaves the old one)."""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field

from factsheet_builder.config.yamlfile import MAX_FILE_BYTES
from factsheet_builder.exceptions import Problem
from factsheet_builder.files import read_limited, reason
from factsheet_builder.output import write_atomic
from factsheet_builder.roster.yamledit import EditError
from factsheet_builder.serve import history
from factsheet_builder.serve.access import Access
from factsheet_builder.serve.edits import Change, State, apply, diff, merge, renamed, without_blank_rows
from factsheet_builder.serve.engine import Engine
from factsheet_builder.serve.forms import (
    NEW,
    Fieldset,
    Form,
    ListSet,
    Plan,
    cascade_tree,
    fill,
    flatten,
    lists,
    plan,
    row_values,
    submitted,
    with_rows,
)
from factsheet_builder.workspace import SchoolFile


@dataclass
class Shown:
    """The form to show again, nothing saved: why, and what else the page should say."""

    form: Form
    status: int = 200
    focus: str = ""  # the id of the element to move the keyboard focus to
    others: list[Change] = field(default_factory=list)  # a conflict: what changed since the form was opened
    others_by: list[str] = field(default_factory=list)  # and who changed it
    unchanged: bool = False  # a save that changed nothing


@dataclass
class Saved:
    """A save made: the changes written."""

    changes: list[Change]


@dataclass(frozen=True)
class Stored:
    """A school file as read: its text, the hash of its bytes (the form's version) and whether it has a BOM."""

    text: str
    version: str
    bom: bool


def read(school: SchoolFile) -> Stored:
    """The school file now; OSError when it cannot be read (UnicodeDecodeError, a ValueError, when not UTF-8)."""
    data = read_limited(school.path, MAX_FILE_BYTES)
    return Stored(data.decode("utf-8-sig"), hashlib.sha256(data).hexdigest(), data.startswith(codecs.BOM_UTF8))


def open_form(engine: Engine, school: SchoolFile) -> Form:
    """The form filled from the school's file and defaults as they are, with what ``check`` says beside each field."""
    stored = read(school)
    parts = plan(engine.opened.schema)
    state = _state(engine, school, stored)
    form = _form(engine, school, parts, state, state, stored, history.now())
    place(form, engine.check(school))
    return form


def _state(engine: Engine, school: SchoolFile, stored: Stored) -> State:
    values, rows, _ = flatten(cascade_tree(engine.workspace, school, stored.text, engine.opened.schema))
    return values, rows


def _form(
    engine: Engine, school: SchoolFile, parts: Plan, shown: State, was: State, stored: Stored, opened: str
) -> Form:
    """The form showing ``shown``, opened when the file held ``was`` (at ``stored``'s version)."""
    _, _, sources = flatten(cascade_tree(engine.workspace, school, stored.text, engine.opened.schema))
    values, rows = shown
    return Form(fill(parts, values, rows, sources, school.label), was[0], was[1], stored.version, opened)


def place(form: Form, problems: list[Problem]) -> None:
    """Put each problem beside the input or fieldset its field names; the rest go to the form's summary."""
    inputs = {each.path: each for each in form.inputs()}
    groups = {each.path: each for each in form.fieldsets()}
    for problem in problems:
        message = f"Warning: {problem.message}" if problem.warning else problem.message
        target = inputs.get(problem.field or "") or groups.get(problem.field or "")
        if target is not None and not target.error:
            target.error = message
        else:
            form.problems.append(str(problem))


def submit(engine: Engine, school: SchoolFile, data: Mapping[str, str], access: Access) -> Shown | Saved:
    """Act on a posted form: a list button changes the form only; "save" checks and writes (or says why not)."""
    parts = plan(engine.opened.schema)
    values, rows, was_values, was_rows = submitted(parts, data)
    mine, was = (values, rows), (was_values, was_rows)
    stored = read(school)
    opened = data.get("opened", "")
    action = data.get("action", "save")
    if action != "save":
        mine, focus = _list_action(parts, mine, action)
        form = _form(engine, school, parts, mine, was, Stored(stored.text, data.get("version", ""), stored.bom), opened)
        return Shown(form, focus=focus)
    mine = without_blank_rows(parts, mine)
    current = _state(engine, school, stored)
    others = diff(parts, was, current)
    if data.get("version") != stored.version and others:  # a change to the form's values since it was opened
        form = _form(engine, school, parts, merge(parts, mine, was, current), current, stored, history.now())
        by = sorted({entry.by for entry in history.since(engine.workspace, school.id, opened)})
        return Shown(form, 409, "conflict", others, by or ["someone editing the file itself, not through this server"])
    if data.get("version") != stored.version:  # the file changed elsewhere: the form's values hold, so go on
        was = current
    form = _form(engine, school, parts, mine, was, stored, opened)
    changes = diff(parts, was, mine)
    if not changes:
        place(form, engine.check(school))
        return Shown(form, unchanged=True)
    try:
        text = apply(stored.text, school.label, parts, was, mine)
    except EditError as exc:
        form.problems.append(exc.message)
        return Shown(form, 422, "problems")
    problems = engine.check(school, text)
    place(form, problems)
    questions = renamed(parts, was, mine, {key.removeprefix("keep:") for key in data if key.startswith("keep:")})
    for fieldset in form.fieldsets():
        if isinstance(fieldset, Fieldset) and fieldset.path in questions:
            fieldset.confirm = questions[fieldset.path]
    if questions or any(not p.warning for p in problems):
        return Shown(form, 422, "problems")
    why = write(engine, school, stored, text, changes, access)
    if why:
        form.problems.append(why)
        return Shown(form, 500, "problems")
    return Saved(changes)


def write(engine: Engine, school: SchoolFile, stored: Stored, text: str, changes: list[Change], access: Access) -> str:
    """Log the changes, then replace the school's file with ``text`` (its permissions and BOM kept); why not, or ""."""
    if school.path.is_symlink():
        return f"{school.label}: is a link to another file, so it is not changed from here; edit the file it points to"
    try:
        save = history.append(engine.workspace, school.id, changes, access.who)
    except OSError as exc:
        return f"the change log cannot be written ({reason(exc)}), so nothing was saved"
    try:
        mode = stat.S_IMODE(school.path.stat().st_mode)
        write_atomic(school.path, text.encode("utf-8-sig" if stored.bom else "utf-8"))
        os.chmod(school.path, mode)
    except OSError as exc:
        why = reason(exc)
        try:
            history.failed(engine.workspace, school.id, save, access.who, why)
        except OSError:
            pass  # the disk that refused the file refuses the log too: the log's entries stand without their undoing
        return f"{school.label}: could not be saved ({why}); the file was left as it was"
    return ""


def _list_action(parts: Plan, state: State, action: str) -> tuple[State, str]:
    """A list button's change to the form ("add PATH", "remove PATH I", "up PATH I", "down PATH I") and the id of
    what should have the focus after it; anything else changes nothing."""
    verb, _, rest = action.partition(" ")
    path, _, number = rest.partition(" ")
    part = next((p for p in lists(parts) if p.path == path), None)
    values, rows = state
    if part is None:
        return state, ""
    origins = list(rows.get(path, []))
    keys = [key for key, _ in part.item.fields]
    items = list(zip(origins, row_values(values, path, len(origins), keys)))
    index = int(number) if number.isdigit() else -1
    target = ListSet(path, "", "", [], 0, "").id
    if verb == "add" and len(items) < part.max_items:
        items.append((NEW, {}))
        target = Fieldset(f"{path}[{len(items) - 1}]", "", "", []).id
    elif verb == "remove" and 0 <= index < len(items):
        del items[index]
    elif verb in ("up", "down") and 0 <= index < len(items):
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            target = Fieldset(f"{path}[{other}]", "", "", []).id
    rows = {**rows, path: [origin for origin, _ in items]}
    return (with_rows(values, path, [row for _, row in items]), rows), target
