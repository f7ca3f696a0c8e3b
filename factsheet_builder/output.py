"""Writing outputs safely: temporary file in the same folder, then an atomic rename."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
import tempfile
from typing import Any


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` so that readers only ever see the old or the complete new file; returns sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def write_json(path: Path, value: Any) -> None:
    """Write JSON atomically, with sorted keys so that equal content gives equal bytes."""
    write_atomic(path, (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))


def output_name(school_id: str, slug: str, layout: str, fmt: str) -> str:
    """The file name a person recognises when it is emailed on: school, topic, layout."""
    return f"{school_id}-{slug}-{layout}.{fmt}"
