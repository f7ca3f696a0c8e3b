"""Writing outputs safely: temporary file in the same folder, then an atomic rename."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from factsheet_builder.exceptions import BuildError


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` so that readers only ever see the old or the complete new file; returns sha256."""
    import tempfile  # here, so that a build with nothing to do does not import it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # mkstemp makes files private; outputs are shared
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def remove_temporary(folder: Path) -> None:
    """Delete the temporary files that ``write_atomic`` left under ``folder`` when a build was killed or
    interrupted at the wrong moment; only while holding the folder's lock (see ``exclusive``)."""
    for leftover in folder.rglob(".*.tmp"):
        leftover.unlink(missing_ok=True)


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
    return f"{school_id}-{slug}-{layout}.{fmt}"


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` (its .lock file) so that two builds never write into it at once."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(folder / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing to {folder.name}/ right now; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
