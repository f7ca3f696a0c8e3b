"""``factsheet serve``: school administrators edit their school's people and numbers in a browser and see the new
leaflet at once; the authority hosts it for every school, each opening only its own through a secret link.

The web stack (Starlette, uvicorn, python-multipart, watchfiles) is the optional ``serve`` extra: only app.py,
pages.py, watch.py and server.py import it, so ``factsheet invite`` and ``factsheet history`` work without it."""

from __future__ import annotations

from pathlib import Path

STATE_DIR = ".factsheet"  # in the workspace: the links' hashes and the change log, kept with schools/


def state_path(root: Path, name: str) -> Path:
    """A file the server keeps in the workspace (links, change log), under STATE_DIR."""
    return root / STATE_DIR / name
