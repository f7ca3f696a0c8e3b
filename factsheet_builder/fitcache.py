"""Fitted sizes remembered between builds in out/.fit-cache.json, so that a fresh process does not search again.

A fit (such as the largest body size at which a text fills two pages) is worth keeping when finding it takes
several trial layouts. Each is stored under a hash of its own key (the text and the shape it must fit) and of
the build's stamp (the layouts' code, the fonts and the render libraries' versions), so a change to any of them
is a new entry, never a stale value. The file is written atomically; a missing, corrupt or wrong-shaped file
counts as empty. Without a file (``use`` not called, as when a layout renders outside a build) every fit is
computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
import hashlib
import json
from pathlib import Path

from factsheet_builder.files import read_limited
from factsheet_builder.output import write_atomic

CACHE_NAME = ".fit-cache.json"
FORMAT = 1
MAX_BYTES = 10_000_000
MAX_ENTRIES = 256  # the oldest are dropped first: a content edit adds one, and old content rarely comes back

Size = float | list[float] | None  # a size, or the numbers of one fit (such as a size, a leading and a bottom)

_file: Path | None = None
_stamp = ""
_fits: dict[str, Size] | None = None  # the file's entries, read on first use


def use(path: Path, stamp: str) -> None:
    """Remember fits in the file at ``path``, each also keyed by ``stamp`` (what every fit depends on)."""
    global _file, _stamp, _fits
    if (path, stamp) != (_file, _stamp):
        _file, _stamp, _fits = path, stamp, None


def remembered(key: str, compute: Callable[[], Size]) -> Size:
    """The fit stored for ``key`` (a full description of what is fitted, e.g. a repr), else ``compute()``, stored."""
    if _file is None:
        return compute()
    hashed = hashlib.sha256(f"{_stamp}\0{key}".encode("utf-8")).hexdigest()
    fits = _entries()
    if hashed in fits:
        return fits[hashed]
    value = compute()
    fits[hashed] = value
    with _locked(_file):  # the workers of a parallel build each add their fits
        latest = _read(_file)
        latest[hashed] = value
        _save(_file, dict(list(latest.items())[-MAX_ENTRIES:]))
    return value


def _entries() -> dict[str, Size]:
    global _fits
    if _fits is None:
        _fits = _read(_file) if _file is not None else {}
    return _fits


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of the cache file (a file beside it) while it is read and written again."""
    try:
        import fcntl
    except ImportError:  # not POSIX: a fit another process added at the same moment may be lost, and found again
        yield
        return
    try:
        handle = open(path.with_name(path.name + ".lock"), "a+b")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _read(path: Path) -> dict[str, Size]:
    """The file's entries; nothing when it is missing, unreadable, of another format or of the wrong shape."""
    try:
        data = json.loads(read_limited(path, MAX_BYTES))  # never blocks on a FIFO put in its place
        fits = data["fits"] if data.get("format") == FORMAT else {}
        return {key: value for key, value in fits.items() if value is None or _number(value)
                or (isinstance(value, list) and value and all(map(_number, value)))}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _save(path: Path, fits: dict[str, Size]) -> None:
    try:
        write_atomic(path, json.dumps({"format": FORMAT, "fits": fits}, indent=0).encode("utf-8"))
    except OSError:
        pass  # only a cache: the next build works it out again
