"""Writing outputs safely: temporary file in the same folder, then an atomic rename."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from factsheet_builder.exceptions import BuildError, OutputError
from factsheet_builder.files import reason
from factsheet_builder.formats import FORMATS


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` so that readers only ever see the old or the complete new file; returns sha256."""
    return write_together([(path, data)])[0]


def write_together(files: Sequence[tuple[Path, bytes]]) -> list[str]:
    """Write several files so that none is replaced unless all can be: each is written to a temporary file beside
    it first, and only when every one is complete (and no target is a folder) are they moved into place. A full
    disk or a bad path therefore never leaves a school with a new PDF and an old or missing DOCX. Returns the
    sha256 of each."""
    temporaries: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            temporaries.append((_write_temporary(path, data), path))
        for _, path in temporaries:
            if path.is_dir() and not path.is_symlink():  # os.replace would fail here, after moving the others
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        for temporary, path in temporaries:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
        raise
    return [hashlib.sha256(data).hexdigest() for _, data in files]


def _write_temporary(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file in ``path``'s folder, flushed to disk; its path."""
    import tempfile  # here, so that a build with nothing to do does not import it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file where the folder should be
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", exc.filename) from None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the output, not the temporary file's made-up name
        exc.filename = os.fspath(path)
        raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # mkstemp makes files private; outputs are shared
            os.fsync(handle.fileno())
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write names no file: name the output
            exc.filename = os.fspath(path)
        raise
    return temporary


def stops_every_school(exc: OSError) -> bool:
    """Whether a write failed for a reason that no other school would escape: a full or read-only disk."""
    return exc.errno in _EVERY_SCHOOL


_EVERY_SCHOOL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EMFILE, errno.ENFILE}


def check_out_folder(out_dir: Path) -> None:
    """Make sure a build can write into ``out_dir`` before it starts; raise OutputError naming the path if not."""
    for name in ("manifest.json", "index.html"):  # written at the end of every build, over whatever is there
        target = out_dir / name
        if target.is_dir():
            raise OutputError(f"{out_dir.name}/{name}: is a folder, not a file; move it out of the way and build again")
    probe = out_dir / f".write-test-{os.getpid()}"  # one byte, not synced: a build with nothing to do stays quick
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{out_dir.name}/: cannot be written: {reason(exc)}; nothing was built") from None


def remove_temporary(folder: Path) -> None:
    """Delete the temporary files that ``write_atomic`` left under ``folder`` when a build was killed or
    interrupted at the wrong moment; only while holding the folder's lock (see ``exclusive``)."""
    for leftover in folder.rglob(".*.tmp"):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:  # a folder of out/ made read-only: its leftovers stay, and do no harm
            pass


def _umask() -> int:
    """The process's file-creation mask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def json_bytes(value: Any) -> bytes:
    """JSON with sorted keys, so that equal content gives equal bytes."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, value: Any) -> None:
    """Write JSON atomically, with sorted keys so that equal content gives equal bytes."""
    write_atomic(path, json_bytes(value))


def output_name(school_id: str, slug: str, layout: str, fmt: str) -> str:
    """The file name a person recognises when it is emailed on: school, topic, layout."""
    return f"{school_id}-{slug}-{layout}.{FORMATS[fmt].extension}"


MAX_NAME_BYTES = 255 - len(".XXXXXXXX.tmp") - 1  # most file systems' limit, less what a temporary name adds


def name_problem(name: str) -> str | None:
    """Why an output file ``name`` cannot be written on common file systems, or None when it can."""
    size = len(name.encode("utf-8"))
    if size <= MAX_NAME_BYTES:
        return None
    return (
        f"its output file name '{name[:40]}…' would be {size} bytes; the limit is {MAX_NAME_BYTES} (255 on most "
        "file systems, less room for a temporary name); shorten the school id or the layout's name"
    )


@contextmanager
def exclusive(folder: Path) -> Iterator[bool]:
    """Hold the lock of ``folder`` (its .lock file) so that two builds never write into it at once; yields whether
    the last holder was stopped before it ended (killed, or stopped by a fault), and so may have left temporary
    files behind. The lock file says so: a holder writes a byte into it, and empties it when it ends normally."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            f"{folder.name}: is a file, not a folder; the build writes its leaflets into "
            f"{folder.name}/, so move the file out of the way"
        ) from None
    except OSError as exc:
        raise OutputError(f"{folder.name}/: cannot be created: {reason(exc)}") from None
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, and no telling whether a build was stopped
        yield True
        return
    try:
        handle = open(folder / ".lock", "a+b")
    except OSError as exc:
        raise OutputError(f"{folder.name}/.lock: cannot be opened: {reason(exc)}; nothing was built") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing to {folder.name}/ right now; wait for it to finish") from None
        try:
            handle.seek(0)
            stopped = bool(handle.read(1))
            handle.write(b"1")  # appended: emptied again below when this holder ends normally
            handle.flush()
            yield stopped
            handle.truncate(0)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
