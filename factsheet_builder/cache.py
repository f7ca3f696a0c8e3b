"""Work that depends only on a topic's content and the code, remembered between builds in out/.cache.json, so that
a fresh process does not do it again: the leaflet's body fitted to each shape of columns, the DOCX's styled template
and its content sections.

Such work is worth keeping when it costs trial layouts or building a document, and every school would repeat it.
A build reads the file once into a :class:`Cache` value, hands that value to the layouts (and to each worker
process, which sends back what it adds), and writes it back once at its end, as Black keeps its cache. Each result
is stored under a hash of its own key (the text and the shape it must fit, the settings of a template). The file
holds the work of one build stamp (this package's code and fonts, the workspace's layouts and the render libraries'
versions): a file of another stamp counts as empty and is replaced, so a change to any of them is never a stale
value. A missing, corrupt or wrong-shaped file counts as empty, and so does an entry its user finds of the wrong
shape. A ``Cache()`` made without a file remembers within the process only.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from factsheet_builder.files import read_limited
from factsheet_builder.output import LOCK, write_atomic

CACHE_NAME = ".cache.json"
FORMAT = 3  # 3: one stamp to a file; 2: entries of any stamp; 1: body sizes only, in .fit-cache.json
MAX_BYTES = 10_000_000
MAX_ENTRIES = 256  # the oldest are dropped first: a content edit adds a few, and old content rarely comes back

T = TypeVar("T")
_MISSING = object()


@dataclass
class Cache:
    """The remembered work of one build stamp: read from ``path`` (if any), looked up and added to, written back."""

    path: Path | None = None
    stamp: str = ""
    entries: dict[str, Any] = field(default_factory=dict)  # by hashed key, the newest last
    added: dict[str, Any] = field(default_factory=dict)  # stored since read, or since last taken
    # what ``remembered_as`` made of each entry it was asked for, for the life of this value (not sent to workers)
    loaded: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # work too cheap for a place in the file, by its key, for the life of this value (not sent to workers)
    passing: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def read(cls, path: Path, stamp: str) -> Cache:
        """The work remembered in the file at ``path`` for the build ``stamp`` (what every entry depends on)."""
        return cls(path, stamp, _read(path, stamp))

    def remembered(self, key: str, compute: Callable[[], T], valid: Callable[[Any], bool]) -> T:
        """The value stored for ``key`` (a full description of the work, e.g. a repr) if ``valid`` accepts it, else
        ``compute()``, stored (it must be JSON: what ``valid`` accepts, once read back)."""
        value = self.entries.get(_hashed(key), _MISSING)
        if value is _MISSING or not valid(value):
            value = compute()
            self.store(key, value)
        return value

    def remembered_as(self, key: str, compute: Callable[[], Any], load: Callable[[Any], T]) -> T:
        """What ``load`` makes of the value stored for ``key``, or of ``compute()``'s (then stored; it must be
        JSON), when the stored one is missing or ``load`` finds it of the wrong shape (by raising ValueError)."""
        hashed = _hashed(key)
        if hashed in self.loaded:
            return self.loaded[hashed]
        value = self.entries.get(hashed, _MISSING)
        if value is not _MISSING:
            try:
                made = self.loaded[hashed] = load(value)
                return made
            except ValueError:
                pass
        value = compute()
        self.store(key, value)
        made = self.loaded[hashed] = load(value)
        return made

    def remembered_for_now(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once for ``key`` (a full description of the work) for the life of this value and
        never written: for work every school repeats that costs too little to take one of the file's entries."""
        if key not in self.passing:
            self.passing[key] = compute()
        value: T = self.passing[key]
        return value

    def remembered_bytes(self, key: str, compute: Callable[[], bytes], signature: bytes) -> bytes:
        """``remembered`` for bytes (stored as base64) that start with ``signature``, such as a file's magic
        number."""
        return self.remembered_as(key, lambda: encoded(compute()), lambda value: decoded(value, signature))

    def store(self, key: str, value: Any) -> None:
        """Remember ``value`` (JSON) for ``key``, as the newest entry."""
        hashed = _hashed(key)
        self.entries.pop(hashed, None)
        self.loaded.pop(hashed, None)
        self.entries[hashed] = self.added[hashed] = value

    def take_added(self) -> dict[str, Any]:
        """The entries stored since the last call (a worker sends them to the build that writes the file)."""
        added, self.added = self.added, {}
        return added

    def add(self, entries: dict[str, Any]) -> None:
        """Take in entries stored by another process (a worker) under their hashed keys, as the newest."""
        for hashed, value in entries.items():
            self.entries.pop(hashed, None)
            self.loaded.pop(hashed, None)
            self.entries[hashed] = self.added[hashed] = value

    def __reduce__(self) -> tuple[type[Cache], tuple[Path | None, str, dict[str, Any], dict[str, Any]]]:
        """The value as sent to a worker process that is not forked: without what was loaded (not picklable)."""
        return Cache, (self.path, self.stamp, self.entries, self.added)

    def write(self) -> None:
        """Write the newest MAX_ENTRIES entries back atomically if any were added (nothing without a file); a
        failure to write is ignored, since the next build works them out again."""
        if self.path is None or not self.added:
            return
        kept = dict(list(self.entries.items())[-MAX_ENTRIES:])
        data = {"format": FORMAT, "stamp": self.stamp, "entries": kept}
        try:
            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode("utf-8"), self.path.with_name(LOCK))
        except OSError:
            return
        self.added = {}


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


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _read(path: Path, stamp: str) -> dict[str, Any]:
    """The file's entries; nothing when it is missing, unreadable, of another format or stamp, or of the wrong
    shape."""
    try:
        data = json.loads(read_limited(path, MAX_BYTES))  # never blocks on a FIFO put in its place
        entries = data["entries"] if data.get("format") == FORMAT and data.get("stamp") == stamp else {}
        return {key: value for key, value in entries.items() if isinstance(key, str)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}
