"""Worker processes for a batch: tasks streamed through a pool, results in completion order, and a clean stop.

On Ctrl-C the terminal interrupts every process of the group; workers ignore that and leave the stop to the
parent, which ends them with SIGTERM. SIGTERM becomes SystemExit in a worker, so a file being written is
removed by ``output.write_atomic`` rather than left half-written.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(job: Callable[[S, T], R], state: S, tasks: Sequence[T], jobs: int, chunk: int = 1) -> Generator[R, None, None]:
    """``job(state, task)`` for each task, in ``jobs`` worker processes (in this one when 1), yielding as each
    finishes (handed to the workers ``chunk`` tasks at a time: many small tasks want more than one).

    Each worker is handed ``state`` once, as it starts: where processes are forked it inherits it as it is (what
    the state has loaded is shared for free), elsewhere it gets a pickled copy. ``job`` must be picklable (a
    module-level function); it is given the worker's copy of ``state``.
    """
    if jobs <= 1 or len(tasks) <= 1:
        yield from (job(state, task) for task in tasks)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = context.Pool(min(jobs, len(tasks)), initializer=_init_worker, initargs=(state,))
    try:
        yield from pool.imap_unordered(partial(_in_worker, job), tasks, chunk)
        pool.close()
    except BaseException:  # Ctrl-C, or the consumer stopped early: end the workers now
        pool.terminate()
        raise
    finally:
        pool.join()


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While held, SIGTERM (a service manager's polite stop) interrupts the batch as Ctrl-C does; a worker that
    the pool starts in the meantime and that is stopped before it has set its own handlers just exits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a worker forked (as the pool replaces one) before its own handlers were set
            raise _Stopped
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_state: Any = None  # in a worker process: the state the pool handed it as it started


def _init_worker(state: object) -> None:
    """Start a worker: keep the state it is handed for its jobs, and leave stopping to the parent (see above)."""
    global _state
    _state = state
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)


def _in_worker(job: Callable[[Any, T], R], task: T) -> R:
    """``job`` done in a worker process, with the state the worker was handed."""
    return job(_state, task)


def _exit(signum: int, frame: object) -> None:
    raise _Stopped


class _Stopped(SystemExit):
    """SIGTERM in a worker. ReportLab re-raises an exception with its own words added (``t(message)``), which
    would make the exit code a message that the worker prints; this one keeps its code whatever it is given."""

    def __init__(self, *args: object) -> None:
        super().__init__(128 + signal.SIGTERM)
