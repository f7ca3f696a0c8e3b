"""The server's running state: the schools waiting to be rebuilt and the one being rebuilt, rebuilt one at a time in
the background (a save's own rebuild goes first), what changes on disk mean, and the open pages told of each
rebuild as it happens (server-sent events)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from factsheet_builder.exceptions import BuildError, FactsheetError, OutputError
from factsheet_builder.records import SchoolRecord
from factsheet_builder.serve.access import Access
from factsheet_builder.serve.editing import read
from factsheet_builder.serve.engine import Engine
from factsheet_builder.workspace import DEFAULTS_NAME

INDEX_SECONDS = 10.0  # during a long batch of rebuilds, out/index.html is written again this often
RETRY_SECONDS = 2.0  # after another build held out/, or a fault stopped a rebuild
QUEUE_EVENTS = 256  # events a page may fall behind by before it is told to load everything again


@dataclass(frozen=True)
class Event:
    """Something an open page may show: a school's state changed (``school``), or the workspace's (``school`` "")."""

    school: str
    state: str  # waiting, building, built, failed, stale; for the workspace: loaded, broken
    version: str = ""  # the hash of the school file now: a page whose form was opened at another knows it changed

    def sse(self) -> str:
        data = json.dumps({"school": self.school, "state": self.state, "version": self.version})
        return f"event: {'school' if self.school else 'workspace'}\ndata: {data}\n\n"


class Live:
    """The engine and everything that happens to it between requests."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.waiting: dict[str, None] = {}  # an ordered set of school ids
        self.building = ""
        self.problem = ""  # why content/ or layouts/ cannot be loaded now (their last good state is kept)
        self.fault = ""  # why out/ could not be written at the last try (a full disk, say)
        self._reload = False
        self._index_due = False  # a rebuild since out/index.html was last written
        self._indexed = 0.0  # when it was
        self.start()

    def start(self) -> None:
        """Be ready to run in the running event loop (the server's, made after this object)."""
        self.saving = asyncio.Lock()  # one save at a time: read, compare, write
        self._wake = asyncio.Event()
        self._listeners: dict[asyncio.Queue[Event | None], Access] = {}

    def state(self, school_id: str) -> str:
        """What is happening to a school now: waiting, building, or what the manifest says (built, stale, failed,
        or missing when never built)."""
        if school_id == self.building:
            return "building"
        if school_id in self.waiting:
            return "waiting"
        record = self.engine.record(school_id)
        return record.status if record is not None else "missing"

    # what the pages are told

    def listen(self, access: Access) -> asyncio.Queue[Event | None]:
        """A queue of the events ``access`` may see, from now on; None in it when the page fell behind (or the
        server stops) and should load what it shows again. ``forget`` it when the page has gone."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue(QUEUE_EVENTS)
        self._listeners[queue] = access
        return queue

    def forget(self, queue: asyncio.Queue[Event | None]) -> None:
        self._listeners.pop(queue, None)

    def publish(self, event: Event) -> None:
        for queue, access in list(self._listeners.items()):
            if event.school and not access.allows(event.school):
                continue
            if queue.full():  # a page that stopped reading: it reloads when it reads again
                queue.get_nowait()
                event_or_reload: Event | None = None
            else:
                event_or_reload = event
            queue.put_nowait(event_or_reload)

    def close(self) -> None:
        """End every page's stream (the server is stopping)."""
        for queue in list(self._listeners):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)

    # what to rebuild

    def queue(self, ids: Iterable[str]) -> None:
        for school_id in ids:
            if school_id not in self.waiting:
                self.waiting[school_id] = None
                self.publish(Event(school_id, "waiting"))
        self._wake.set()

    async def changed(self, paths: Iterable[Path]) -> None:
        """Files changed on disk: open the project again if content/, layouts/ or the set of school files changed;
        otherwise rebuild the schools whose inputs now differ from what their outputs were built from."""
        workspace = self.engine.workspace
        known = {school.path: school.id for school in self.engine.opened.project.schools}
        candidates: set[str] | None = set()
        for path in paths:
            if not path.is_relative_to(workspace.schools_dir):
                self._reload = True  # content/ or layouts/
            elif path in known and candidates is not None and path.exists():
                candidates.add(known[path])
            elif path.suffix == ".yaml" and path.name != DEFAULTS_NAME:
                self._reload = True  # a school file added or removed (or a folder of them moved)
            else:
                candidates = None  # a _defaults.yaml or an image: any school may use it
        if self._reload:
            self._wake.set()
        elif candidates is None or candidates:
            self.queue(await run_in_threadpool(self.engine.stale, sorted(candidates or ())))

    async def run(self) -> None:
        """Rebuild what waits, one school at a time, for as long as the server runs."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._reload:
                self._reload = False
                await self._open_again()
            while self.waiting and not self.problem:
                school_id = next(iter(self.waiting))
                del self.waiting[school_id]
                await self.rebuild(school_id)
                if time.monotonic() - self._indexed > INDEX_SECONDS:
                    await self._write_index()
            if self._index_due:
                await self._write_index()

    async def _write_index(self) -> None:
        """Write out/index.html (after a batch of rebuilds, and every few seconds during a long one)."""
        self._indexed = time.monotonic()
        try:
            await run_in_threadpool(self.engine.write_index)
        except BuildError as exc:  # another build writes to out/ (and then the index page), or the disk is full
            self.fault = exc.format_message() if isinstance(exc, OutputError) else ""
            return
        self._index_due = False

    async def _open_again(self) -> None:
        try:
            await run_in_threadpool(self.engine.reload)
        except FactsheetError as exc:
            self.problem = exc.format_message()
            self.publish(Event("", "broken"))
            return
        self.problem = ""
        self.publish(Event("", "loaded"))
        self.queue(await run_in_threadpool(self.engine.stale))

    async def rebuild(self, school_id: str) -> SchoolRecord | None:
        """Rebuild one school now and tell the pages; None if out/ could not be written (it is tried again soon)."""
        self.waiting.pop(school_id, None)
        self.building = school_id
        self.publish(Event(school_id, "building"))
        try:
            result = await run_in_threadpool(self.engine.rebuild, school_id)
        except BuildError as exc:  # another build is writing to out/, or the disk is full or read-only
            self.fault = exc.format_message() if isinstance(exc, OutputError) else ""
            asyncio.get_running_loop().call_later(RETRY_SECONDS, self.queue, [school_id])
            return None
        finally:
            self.building = ""
        self.fault = ""
        self._index_due = True
        self._wake.set()
        self.publish(Event(school_id, self.state(school_id), version_of(self.engine, school_id)))
        return result


def version_of(engine: Engine, school_id: str) -> str:
    """The version a form of the school would be opened at now (the hash of its file), or "" if it is unreadable."""
    school = engine.opened.school(school_id)
    try:
        return read(school).version if school else ""
    except (OSError, ValueError):
        return ""
