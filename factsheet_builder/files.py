"""Reading input files safely (regular files only, never more than a limit, never a hang on a FIFO or a device),
and hashing what was read."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from factsheet_builder.exceptions import clip_middle

_CHUNK = 1 << 20  # os.read allocates what it is asked for, so ask for a megabyte at a time


class NotReadable(OSError):
    """Why a file cannot be read as input; completes a sentence that starts with the file's name.

    An OSError, so that whatever handles a failed read handles this too.
    """

    def __init__(self, message: str, oversized: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.oversized = oversized

    def __str__(self) -> str:  # the message alone, even once ``filename`` is set
        return self.message


def kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


_REASONS = {
    errno.ELOOP: "it is a symbolic link that leads in a loop",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "part of its path is a file, not a folder",
    errno.ENAMETOOLONG: "its name is too long for the file system",
    errno.ENOSPC: "no space left on the disk",
    errno.EROFS: "the file system is read-only",
}


def reason(exc: OSError) -> str:
    """An OSError in words, without the path (the message names the file itself)."""
    if isinstance(exc, NotReadable) or exc.errno is None:
        return str(exc)
    if exc.strerror and not exc.strerror.startswith(os.strerror(exc.errno)):  # our own words, given with the errno
        return exc.strerror
    return _REASONS.get(exc.errno) or exc.strerror or type(exc).__name__


def describe(exc: OSError, root: Path) -> str:
    """``path: reason`` for an OSError, the path relative to ``root`` when it is inside it."""
    filename = exc.filename if isinstance(exc.filename, str) else None
    if filename is None:
        return reason(exc)
    path = Path(os.path.abspath(filename))
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return f"{clip_middle(shown, 120)}: {reason(exc)}"


def digest(*parts: str | bytes) -> str:
    """The sha256 of several parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; raises NotReadable for anything else or a file over ``limit`` bytes.

    The file is opened without blocking and checked with fstat before reading, so that a FIFO, a device such as
    /dev/zero or a file swapped in after a directory scan cannot hang the caller; at most ``limit + 1`` bytes are read.
    """
    return read_with_stat(path, limit)[0]


def read_with_stat(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """``read_limited``, with the file's status as it was just before its bytes were read (a file changed after
    it was read then has another modification time than the one given with its bytes)."""
    try:
        return _read_limited(path, limit)
    except NotReadable as exc:
        exc.filename = os.fspath(path)
        raise


def _read_limited(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise NotReadable(f"cannot be read: {reason(exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"is {kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise NotReadable(f"is {info.st_size:,} bytes; the limit is {limit:,}", oversized=True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except NotReadable:
        raise
    except OSError as exc:
        raise NotReadable(f"cannot be read: {reason(exc)}") from None
    finally:
        os.close(fd)
    if size > limit:  # the file grew after fstat
        raise NotReadable(f"is more than {limit:,} bytes; the limit is {limit:,}", oversized=True)
    return b"".join(chunks), info
