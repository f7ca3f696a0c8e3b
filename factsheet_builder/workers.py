"""Worker processes for a batch: tasks streamed through a pool, results in completion order, and a clean stop.

On Ctrl-C the terminal interrupts every process of the group; workers ignore that and leave the stop to the
parent, which ends them with SIGTERM. SIGTERM becomes SystemExit in a worker, so a file being written is
removed by ``output.write_atomic`` rather than left half-written.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")


_USUAL_COLLECTION = gc.get_threshold()
_tasks_started = 0  # in this process


def collect_rarely() -> None:
    """Collect garbage every 100,000 new objects, not every 700, while a process loads its libraries: they allocate
    some 90,000 objects that live to the end, which the collector at Python's default walks some 150 times (40 ms
    of a one-school rebuild; at every 50,000, once, for 14 ms)."""
    gc.set_threshold(100_000, 20, 20)


def task_starts() -> None:
    """Note that this process starts a task (a school); from its second on, the libraries are loaded, and garbage
    is collected at Python's default again (a process that draws many schools would otherwise hold up to 100,000
    objects of garbage, some 50 MB, between collections). A process with one task never pays for a collection."""
    global _tasks_started
    _tasks_started += 1
    if _tasks_started == 2:
        gc.set_threshold(*_USUAL_COLLECTION)


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(job: Callable[[T], R], tasks: Sequence[T], jobs: int) -> Iterator[R]:
    """``job`` applied to each task, in ``jobs`` worker processes (in this one when 1), yielding as each finishes.

    ``job`` must be picklable (a module-level function or a partial of one); with the fork start method the
    workers inherit whatever the parent has loaded, so caches filled before the call are shared for free.
    """
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(job, tasks)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = context.Pool(min(jobs, len(tasks)), initializer=_init_worker)
    try:
        yield from pool.imap_unordered(job, tasks)
        pool.close()
    except BaseException:  # Ctrl-C, or the consumer stopped early: end the workers now
        pool.terminate()
        raise
    finally:
        pool.join()


@contextmanager
def alongside(call: Callable[[], R]) -> Iterator[Callable[[], R]]:
    """Start ``call`` in a forked child process while this one does other work; yields the function that waits for
    its result (raising what it raised). Without fork, ``call`` runs when its result is wanted.

    The child inherits everything this process has loaded, sends back its pickled outcome and leaves with
    ``os._exit`` (no atexit handlers, no buffers flushed twice). Leaving the block without the result (an exception,
    an interrupt) ends the child; either way it is reaped.
    """
    if not hasattr(os, "fork"):
        yield call
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(call, write_end)
    os.close(write_end)
    waited = False

    def result() -> R:
        nonlocal waited
        with os.fdopen(read_end, "rb", closefd=False) as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        waited = True
        try:
            ok, value = pickle.loads(data)
        except Exception:  # nothing, or half an outcome: the child was killed
            raise RuntimeError("a worker process ended without a result (was it killed?)") from None
        if ok:
            return value
        raise value

    try:
        yield result
    finally:
        os.close(read_end)
        if not waited:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)


def _child(call: Callable[[], object], write_end: int) -> NoReturn:
    """The forked child of ``alongside``: run ``call``, write its pickled outcome, and leave."""
    # The parent stops the child (SIGTERM) when it stops waiting; no Python handler may turn that into an
    # exception that climbs into the parent's code, still on this process's stack.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    code = 0
    try:
        try:
            outcome: tuple[bool, object] = (True, call())
        except BaseException as exc:  # every outcome goes back to the parent
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # an exception (or result) that cannot be pickled: its words go instead
            data = pickle.dumps(
                (
                    False,
                    RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} (and then {type(exc).__name__}: {exc})"),
                )
            )
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # the parent has gone: just leave
        code = 1
    finally:
        os._exit(code)


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


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)


def _exit(signum: int, frame: object) -> None:
    raise _Stopped


class _Stopped(SystemExit):
    """SIGTERM in a worker. ReportLab re-raises an exception with its own words added (``t(message)``), which
    would make the exit code a message that the worker prints; this one keeps its code whatever it is given."""

    def __init__(self, *args: object) -> None:
        super().__init__(128 + signal.SIGTERM)
