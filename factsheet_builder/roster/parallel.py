"""Checking a roster's rows side by side: each row's would-be school file is checked (and fitted to its layouts)
on its own, so a long roster is shared out between worker processes (``workers.run``), one per CPU.

The workers start with the importer (forked, they share what it has loaded: topics, layouts, fonts) and are given
only the rows; each sends back the row's result and the bytes to write, which the importing process writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from factsheet_builder import workers
from factsheet_builder.roster.matching import Matched
from factsheet_builder.roster.report import RowResult

ALONE = 200  # fewer rows than this are checked in the importing process: starting workers would cost more

Outcome = tuple[Matched, RowResult, "bytes | None"]


class Checks(Protocol):
    """What checks one row: the importer."""

    def row(self, row: Matched) -> tuple[RowResult, bytes | None]: ...


def checked_rows(
    checker: Checks, rows: list[Matched], progress: Callable[[int, int], None] | None, jobs: int | None
) -> Iterator[Outcome]:
    """Each row with its result and bytes to write, as each is checked; ``progress`` is told of every row checked
    (how many are done and of how many)."""
    jobs = 1 if len(rows) < ALONE else jobs or workers.default_jobs()
    chunk = max(1, min(50, len(rows) // (jobs * 8)))  # a row is quick: handed out in chunks, still spread evenly
    for done, outcome in enumerate(workers.run(_checked, checker, rows, jobs, chunk), start=1):
        yield outcome
        if progress:
            progress(done, len(rows))


def _checked(checker: Checks, row: Matched) -> Outcome:
    return (row, *checker.row(row))
