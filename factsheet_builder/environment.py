"""The Python environment a build runs in: a stamp that changes when packages are installed or removed, and the
versions of the libraries that write the output bytes."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache

RENDER_LIBRARIES = ("reportlab", "rl_accel", "python-docx", "lxml", "pillow", "segno")


def environment_stamp() -> str:
    """Changes when packages are installed or removed: the interpreter and the modification times of its
    import folders (sys.path[0], the script's or current folder, is left out as it changes with every build), and
    when SOURCE_DATE_EPOCH changes (ReportLab dates a PDF from it when a packager sets it)."""
    entries = [os.environ.get("SOURCE_DATE_EPOCH", "")]
    for entry in sys.path[1:]:
        try:
            entries.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            entries.append(f"{entry}:-")
    h = hashlib.sha256()
    for part in (sys.executable, sys.version, *entries):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def render_libraries() -> str:
    """Versions of the libraries that write the output bytes (imports importlib.metadata: slow path only)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in RENDER_LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)
