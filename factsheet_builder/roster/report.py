"""What an import did, or would do: the changes to each school's file and the problems of each row."""

from __future__ import annotations

from dataclasses import dataclass, field

from factsheet_builder.config.fields import shown
from factsheet_builder.exceptions import Problem


def at_cell(source: str, row: int, heading: str | None, message: str, warning: bool = False) -> Problem:
    """A problem of a roster's row, or of one of its cells: ``roster.xlsx: row 7, column 'DSL name': ...``."""
    where = f"{source}: row {row}" + (f", column {shown(heading, 60)}" if heading is not None else "")
    return Problem(where, None, None, message, warning)


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
        text = (
            f"{self.source}: {rows} row{'s' if rows != 1 else ''}: {self.count('created')} created, "
            f"{self.count('updated')} updated, {self.count('unchanged')} unchanged, {self.count('failed')} failed"
        )
        return text + (" (dry run: nothing was written)" if self.dry_run else "")
