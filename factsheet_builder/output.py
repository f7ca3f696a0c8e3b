"""Writing outputs safely: temporary file in the same folder, then an atomic rename; and the lock of out/, whose
file lists the temporary files a build made, so that the next one removes exactly those if it was killed."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from factsheet_builder.exceptions import BuildError, OutputError
from factsheet_builder.files import reason
from factsheet_builder.formats import FORMATS
from factsheet_builder.records import FileRecord

LOCK = ".factsheet.lock"  # in out/: held by the build writing there; it lists the temporary files it made
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9]{8}\.tmp$")  # as _create_temporary names them


def write_atomic(path: Path, data: bytes, journal: Path | None = None) -> FileRecord:
    """Write ``data`` to ``path`` so that readers only ever see the old or the complete new file (see
    ``write_together``); what was written."""
    return write_together([(path, data)], journal)[0]


def write_together(files: Sequence[tuple[Path, bytes]], journal: Path | None = None) -> list[FileRecord]:
    """Write several files so that none is replaced unless all can be: each is written to a temporary file beside
    it first, and only when every one is complete (and no target is a folder) are they moved into place. A full
    disk or a bad path therefore never leaves a school with a new PDF and an old or missing DOCX. Returns what was
    written of each (its size and time as written, and its sha256).

    Each temporary file is new (never one that was there before) and, once made, is listed in ``journal`` (the lock
    file of out/, when writing there), so that a build after one that was killed removes it and nothing else.
    """
    temporaries: list[tuple[str, FileRecord, Path]] = []
    try:
        for path, data in files:
            temporaries.append((*_write_temporary(path, data, journal), path))
        for _, _, path in temporaries:
            if path.is_dir() and not path.is_symlink():  # os.replace would fail here, after moving the others
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        for temporary, _, path in temporaries:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
        raise
    return [written for _, written, _ in temporaries]


class Staged:
    """Files written as they come, each to a temporary file beside its target and flushed to disk by a pool of
    threads (the waits for the disk overlapping each other and the caller's work), and moved into place one by one
    when the caller is ready (``replace``): so a long run of files costs little more than its last, and none is
    replaced before the caller says so. Whatever is not moved into place is removed when the block ends."""

    def __init__(self, threads: int) -> None:
        self.pool = ThreadPoolExecutor(threads)
        self.pending: dict[Path, Future[tuple[str, FileRecord]]] = {}

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True)
        for future in self.pending.values():
            if future.exception() is None:
                Path(future.result()[0]).unlink(missing_ok=True)
        self.pending.clear()

    def add(self, path: Path, data: bytes) -> None:
        """Start writing ``data`` for ``path`` (not yet moved into place)."""
        self.pending[path] = self.pool.submit(_write_temporary, path, data, None)

    def replace(self, path: Path) -> FileRecord:
        """Move the file written for ``path`` into place once it is on disk (OSError when it could not be)."""
        temporary, written = self.pending.pop(path).result()
        try:
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written


def _write_temporary(path: Path, data: bytes, journal: Path | None) -> tuple[str, FileRecord]:
    """``data`` in a new temporary file in ``path``'s folder, flushed to disk: its path, and what was written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file where the folder should be
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", exc.filename) from None
    try:
        fd, temporary = _create_temporary(path, journal)
    except OSError as exc:  # name the output, not the temporary file's made-up name
        exc.filename = os.fspath(path)
        raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            info = os.fstat(handle.fileno())
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write names no file: name the output
            exc.filename = os.fspath(path)
        raise
    return temporary, FileRecord(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _create_temporary(path: Path, journal: Path | None) -> tuple[int, str]:
    """A new file '.<name>.<8 random letters>.tmp' beside ``path``, open for writing (created only if no file of
    that name was there, with the permissions of a new file), listed in ``journal`` once made."""
    import secrets
    import string

    letters = string.ascii_letters + string.digits
    for _ in range(100):
        name = f".{path.name}.{''.join(secrets.choice(letters) for _ in range(8))}.tmp"
        temporary = os.path.join(path.parent, name)
        with _stops_held():  # a stop between making the file and listing it would leave it unlisted, never removed
            try:
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            except FileExistsError:
                continue
            if journal is not None:
                try:
                    with open(journal, "ab") as handle:
                        handle.write(os.fsencode(temporary) + b"\0")
                except BaseException:
                    os.close(fd)
                    os.unlink(temporary)
                    raise
        return fd, temporary
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", os.fspath(path))


@contextmanager
def _stops_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back by this thread for the block, and acted on as it ends (where the system can)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


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
    try:  # one byte, not synced: a build with nothing to do stays quick
        fd, probe = _create_temporary(out_dir / "write-test", out_dir / LOCK)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{out_dir.name}/: cannot be written: {reason(exc)}; nothing was built") from None


def remove_temporary(journal: Path) -> None:
    """Delete the temporary files listed in ``journal`` that are still there: those a build made and did not move
    into place, because it was killed or interrupted at the wrong moment; only while holding the lock (see
    ``exclusive``). A file is deleted only if its name is one such a file has: nothing else is ever deleted."""
    try:
        listed = journal.read_bytes().split(b"\0")
    except OSError:
        return
    for entry in filter(None, listed):
        leftover = Path(os.fsdecode(entry))
        try:
            if _TEMPORARY.fullmatch(leftover.name) and leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()
        except OSError:  # a folder of out/ made read-only: its leftovers stay, and do no harm
            pass


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
def exclusive(folder: Path) -> Iterator[Path]:
    """Hold the lock of ``folder`` (its LOCK file) so that two builds never write into it at once; yields the lock
    file, which is also the journal of the temporary files the holder makes (``write_together``). A holder that
    was stopped before it ended (killed, or stopped by a fault) leaves its journal behind: its leftovers are
    removed here, before anything else is written, and the journal is emptied when this holder ends normally."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            f"{folder.name}: is a file, not a folder; the build writes its leaflets into "
            f"{folder.name}/, so move the file out of the way"
        ) from None
    except OSError as exc:
        raise OutputError(f"{folder.name}/: cannot be created: {reason(exc)}") from None
    journal = folder / LOCK
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield journal
        return
    try:
        handle = open(journal, "a+b")
    except OSError as exc:
        raise OutputError(f"{folder.name}/{LOCK}: cannot be opened: {reason(exc)}; nothing was built") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing to {folder.name}/ right now; wait for it to finish") from None
        try:
            remove_temporary(journal)
            handle.truncate(0)
            yield journal
            handle.truncate(0)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
