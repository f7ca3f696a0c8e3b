"""Checking a roster's rows side by side: each row's would-be school file is checked (and fitted to its layouts)
on its own, so a long roster is shared out between worker processes, one per CPU.

The workers are forked from the importing process, so they start with its loaded topics, layouts and fonts, and
are given only the rows; each sends back the row's result and the bytes to write, which the importing process
writes once every row is checked.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol

from factsheet_builder.roster.matching import Matched
from factsheet_builder.roster.report import RowResult

ALONE = 200  # fewer rows than this are checked in the importing process: starting workers would cost more

Outcome = tuple[Matched, RowResult, "bytes | None"]


class Checks(Protocol):
    """What checks one row: the importer."""

    def row(self, row: Matched) -> tuple[RowResult, bytes | None]: ...


_checker: Checks | None = None  # a worker's importer, given when it starts


def checked_rows(
    checker: Checks, rows: list[Matched], progress: Callable[[int, int], None] | None, jobs: int | None
) -> Iterator[Outcome]:
    """Each row with its result and bytes to write, in order; ``progress`` is told of every row checked (how many
    are done and of how many)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(rows) < ALONE or "fork" not in multiprocessing.get_all_start_methods():
        for done, row in enumerate(rows, start=1):
            yield (row, *checker.row(row))
            if progress:
                progress(done, len(rows))
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_adopt, initargs=(checker,)) as pool:
        outcomes = pool.map(_check, rows, chunksize=max(1, min(50, len(rows) // (jobs * 8))))
        for done, (row, outcome) in enumerate(zip(rows, outcomes), start=1):
            yield (row, *outcome)
            if progress:
                progress(done, len(rows))


def _adopt(checker: Checks) -> None:
    global _checker
    _checker = checker


def _check(row: Matched) -> tuple[RowResult, bytes | None]:
    assert _checker is not None, "a worker checks rows only once it has the importer"
    return _checker.row(row)
