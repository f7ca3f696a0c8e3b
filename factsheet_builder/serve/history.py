"""The change log: every value a save through the server changed (time, school, field, old and new value, which
link), appended to .factsheet/history.jsonl in the workspace, one JSON object a line, and read back by
``factsheet history`` and a school's history page.

An entry is flushed to disk before the school file is replaced, so no saved change is ever missing from the log;
a save that then fails (a full disk, say) appends a line saying so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from factsheet_builder.exceptions import Problem, clip
from factsheet_builder.serve import STATE_DIR, state_path
from factsheet_builder.serve.edits import Change
from factsheet_builder.workspace import Workspace

HISTORY = "history.jsonl"


@dataclass(frozen=True)
class Entry:
    """One line of the log: a value changed by a save, or (``failed``) a save that did not happen after all."""

    time: str  # ISO 8601 with the UTC offset
    save: str  # the save's id: the values one save changed share it
    school: str
    by: str
    path: str = ""
    old: str = ""
    new: str = ""
    failed: str = ""

    def __str__(self) -> str:
        when = self.time.replace("T", " ")
        if self.failed:
            return f"{when}  {self.school}  the save above was not made: {self.failed}"
        return f"{when}  {self.school}  {self.path}: {_shown(self.old)} -> {_shown(self.new)}  ({self.by})"


def _shown(text: str) -> str:
    return f"'{clip(text, 120)}'" if text else "(none)"


def now() -> str:
    """The time as the log writes it: local, to the second, with its offset from UTC."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def append(workspace: Workspace, school_id: str, changes: Iterable[Change], by: str) -> str:
    """Log one save's changes, flushed to disk; the save's id. OSError if the log cannot be written."""
    save, time = secrets.token_hex(4), now()
    _write(
        workspace,
        [Entry(time, save, school_id, by, change.path, change.old, change.new) for change in changes],
    )
    return save


def failed(workspace: Workspace, school_id: str, save: str, by: str, why: str) -> None:
    """Log that the save ``save`` was not made after all (its file could not be written)."""
    _write(workspace, [Entry(now(), save, school_id, by, failed=why)])


def _write(workspace: Workspace, entries: list[Entry]) -> None:
    path = state_path(workspace.root, HISTORY)
    path.parent.mkdir(exist_ok=True)
    lines = "".join(json.dumps(_json(entry), ensure_ascii=False) + "\n" for entry in entries)
    with _locked(path), open(path, "a", encoding="utf-8") as log:
        log.write(lines)
        log.flush()
        os.fsync(log.fileno())


def _json(entry: Entry) -> dict[str, str]:
    fields = {"time": entry.time, "save": entry.save, "school": entry.school, "by": entry.by}
    if entry.failed:
        return {**fields, "failed": entry.failed}
    return {**fields, "field": entry.path, "old": entry.old, "new": entry.new}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the log's lock (a file beside it) while appending, so that two processes' lines never interleave."""
    try:
        import fcntl
    except ImportError:  # not POSIX: one server writes the log, a line at a time
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def entries(workspace: Workspace, ids: Sequence[str] = ()) -> tuple[list[Entry], list[Problem]]:
    """The log's entries (of the schools ``ids``, else all), oldest first, and a warning for each line that is not
    an entry (the file was edited, or a line cut short by a crash)."""
    path = state_path(workspace.root, HISTORY)
    label = f"{STATE_DIR}/{HISTORY}"
    found: list[Entry] = []
    problems: list[Problem] = []
    try:
        log = open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], []
    with log:
        for number, line in enumerate(log, 1):
            if not line.strip():
                continue
            entry = _entry(line)
            if entry is None:
                problems.append(Problem(label, number, None, "is not a change record; skipped", warning=True))
            elif not ids or entry.school in ids:
                found.append(entry)
    return found, problems


def _entry(line: str) -> Entry | None:
    try:
        value = json.loads(line)
        fields = {key: str(value[key]) for key in ("time", "save", "school", "by")}
        if "failed" in value:
            return Entry(**fields, failed=str(value["failed"]))
        return Entry(**fields, path=str(value["field"]), old=str(value["old"]), new=str(value["new"]))
    except (ValueError, KeyError, TypeError):
        return None


def made(found: list[Entry]) -> list[Entry]:
    """The entries of the saves that were made (a save logged as failed is left out)."""
    undone = {entry.save for entry in found if entry.failed}
    return [entry for entry in found if entry.save not in undone]


def since(workspace: Workspace, school_id: str, time: str) -> list[Entry]:
    """The changes saved to a school at or after ``time`` (ISO), for a conflict's report of who changed what."""
    try:
        start = dt.datetime.fromisoformat(time)
    except ValueError:
        return []
    found, _ = entries(workspace, [school_id])
    return [entry for entry in made(found) if _after(entry.time, start)]


def _after(time: str, start: dt.datetime) -> bool:
    try:
        return dt.datetime.fromisoformat(time) >= start
    except (ValueError, TypeError):  # TypeError: one time without an offset
        return False


def lines(workspace: Workspace, ids: Sequence[str] = ()) -> tuple[list[str], list[Problem]]:
    """``factsheet history``: each change of the schools ``ids`` (all when none) a line, oldest first; and the
    warnings: unreadable lines, and a named school with nothing logged (naming the id it may have meant)."""
    found, problems = entries(workspace, ids)
    logged = {entry.school for entry in found}
    if ids:
        from factsheet_builder.config.base_fields import suggest

        known = {school.id for school in workspace.discover()[0]}
        for school_id in dict.fromkeys(ids):
            if school_id not in logged:
                hint = "" if school_id in known else f" (no school has this id{suggest(school_id, known)})"
                problems.append(
                    Problem(
                        f"{STATE_DIR}/{HISTORY}",
                        None,
                        None,
                        f"no change to '{clip(school_id)}' is logged{hint}",
                        warning=True,
                    )
                )
    return [str(entry) for entry in found], problems
