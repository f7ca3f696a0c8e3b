"""Watching the workspace's inputs (content/, schools/, layouts/) with watchfiles: a burst of edits arrives as one
batch, and each batch is handed to the running state to rebuild what it affects."""

from __future__ import annotations

import asyncio
from pathlib import Path

from watchfiles import Change, DefaultFilter, awatch

from factsheet_builder.serve.live import Live

GROUP_MS = 150  # edits this close together are one batch (an editor's save, a copy of many files)


class _Inputs(DefaultFilter):
    """What watchfiles ignores anyway (editors' swap files, caches), and hidden files: the build's temporary
    files and the server's own writes in progress are hidden until they are renamed into place."""

    def __call__(self, change: Change, path: str) -> bool:
        return not Path(path).name.startswith(".") and super().__call__(change, path)


async def watch(live: Live, stop: asyncio.Event) -> None:
    """Hand every batch of changes under the workspace's input folders to ``live`` until ``stop`` is set."""
    workspace = live.engine.workspace
    folders = [f for f in (workspace.content_dir, workspace.schools_dir, workspace.layouts_dir) if f.is_dir()]
    async for changes in awatch(*folders, watch_filter=_Inputs(), step=GROUP_MS, stop_event=stop):
        await live.changed(Path(path) for _, path in changes)
