"""Work that depends only on a topic's content and the code, remembered between builds in out/.cache.json, so
that a fresh process does not do it again: fitted sizes, QR symbols, the fonts' coverage of a topic's text.

Such work is worth keeping when it costs trial layouts or a library's import, and every school would repeat it.
Each result is stored under a hash of its own key (the text and the shape it must fit, the address a symbol
encodes). The file holds the work of one build stamp (this package's code and fonts, the workspace's layouts and
the render libraries' versions): a file of another stamp counts as empty, and the first entry stored replaces it,
so a change to any of them is never a stale value, and old work is not read again by every process. The file is
written atomically; a missing, corrupt or wrong-shaped file counts as empty, and so does an entry its user finds
of the wrong shape. Without a file (``use`` not called, as when a layout renders outside a build) everything is computed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from factsheet_builder.files import read_limited
from factsheet_builder.output import write_atomic

CACHE_NAME = ".cache.json"
FORMAT = 3  # 3: one stamp to a file; 2: entries of any stamp; 1: body sizes only, in .fit-cache.json
MAX_BYTES = 10_000_000
MAX_ENTRIES = 256  # the oldest are dropped first: a content edit adds a few, and old content rarely comes back

T = TypeVar("T")

_file: Path | None = None
_stamp = ""
_entries: dict[str, Any] | None = None  # the file's entries, read on first use
_MISSING = object()


def use(path: Path, stamp: str) -> None:
    """Remember work in the file at ``path``, for the build ``stamp`` (what every entry depends on)."""
    global _file, _stamp, _entries
    if (path, stamp) != (_file, _stamp):
        _file, _stamp, _entries = path, stamp, None


def remembered(key: str, compute: Callable[[], T], valid: Callable[[Any], bool]) -> T:
    """The value stored for ``key`` (a full description of the work, e.g. a repr) if ``valid`` accepts it, else
    ``compute()``, stored (it must be JSON: what ``valid`` accepts, once read back)."""
    value = stored(key, valid, _MISSING)
    if value is _MISSING:
        value = compute()
        store(key, value)
    return value


def remembered_as(key: str, compute: Callable[[], Any], load: Callable[[Any], T]) -> T:
    """What ``load`` makes of the value stored for ``key``, or of ``compute()``'s (then stored; it must be JSON),
    when the stored one is missing or ``load`` finds it of the wrong shape (by raising ValueError)."""
    value = stored(key, lambda _: True, _MISSING)
    if value is not _MISSING:
        try:
            return load(value)
        except ValueError:
            pass
    value = compute()
    store(key, value)
    return load(value)


def remembered_bytes(key: str, compute: Callable[[], bytes], signature: bytes) -> bytes:
    """``remembered`` for bytes (stored as base64) that start with ``signature``, such as a file's magic number."""
    return remembered_as(key, lambda: encoded(compute()), lambda value: decoded(value, signature))


def encoded(data: bytes) -> str:
    """Bytes as the base64 text a remembered value holds them as (``decoded`` turns it back)."""
    return base64.b64encode(data).decode("ascii")


def decoded(value: object, signature: bytes = b"") -> bytes:
    """The bytes a remembered base64 text stands for; ValueError unless it is one, of bytes starting ``signature``."""
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    data = base64.b64decode(value, validate=True)  # binascii.Error is a ValueError
    if not data.startswith(signature):
        raise ValueError("not the bytes expected")
    return data


def packed(numbers: Sequence[int | float], code: str) -> str:
    """Numbers as base64 of an array of type ``code`` (OverflowError if one does not fit): far quicker to read
    back than as JSON numbers."""
    return encoded(array(code, numbers).tobytes())


def unpacked(value: object, code: str) -> list:
    """The numbers ``packed`` made ``value`` of; ValueError unless it is such a text."""
    return array(code, decoded(value)).tolist()


def stored(key: str, valid: Callable[[Any], bool], default: Any = None) -> Any:
    """The value stored for ``key`` if ``valid`` accepts it, else ``default``."""
    if _file is None:
        return default
    value = _read_once().get(_hashed(key), _MISSING)
    return value if value is not _MISSING and valid(value) else default


def store(key: str, value: Any) -> None:
    """Store ``value`` (JSON) for ``key``, beside what other processes stored meanwhile; nothing without a file."""
    if _file is None:
        return
    hashed = _hashed(key)
    _read_once()[hashed] = value
    with _locked(_file):  # the workers of a parallel build each add their entries
        latest = _read(_file, _stamp)
        latest.pop(hashed, None)  # stored again: now the newest
        latest[hashed] = value
        _save(_file, dict(list(latest.items())[-MAX_ENTRIES:]))


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def is_rows(value: object, width: int, cell: Callable[[Any], bool]) -> bool:
    """Whether a remembered value is a list of rows (lists) of ``width`` cells, each accepted by ``cell``."""
    return isinstance(value, list) and all(
        isinstance(row, list) and len(row) == width and all(map(cell, row)) for row in value
    )


def _read_once() -> dict[str, Any]:
    global _entries
    if _entries is None:
        _entries = _read(_file, _stamp) if _file is not None else {}
    return _entries


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of the cache file (a file beside it) while it is read and written again."""
    try:
        import fcntl
    except ImportError:  # not POSIX: an entry another process added at the same moment may be lost, and made again
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


def _read(path: Path, stamp: str) -> dict[str, Any]:
    """The file's entries; nothing when it is missing, unreadable, of another format or stamp, or of the wrong
    shape."""
    try:
        data = json.loads(read_limited(path, MAX_BYTES))  # never blocks on a FIFO put in its place
        entries = data["entries"] if data.get("format") == FORMAT and data.get("stamp") == stamp else {}
        return {key: value for key, value in entries.items() if isinstance(key, str)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}


def _save(path: Path, entries: dict[str, Any]) -> None:
    try:
        write_atomic(
            path,
            json.dumps({"format": FORMAT, "stamp": _stamp, "entries": entries}, separators=(",", ":")).encode("utf-8"),
        )
    except OSError:
        pass  # only a cache: the next build works it out again
