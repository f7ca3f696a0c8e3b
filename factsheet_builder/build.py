"""``factsheet build``: the loop over the schools whose inputs changed, each built in a worker process.

Deciding what needs building takes only file hashes (fingerprint.py, freshness.py), so when nothing changed a
build ends without loading the content, the layouts or a renderer. Schools are rendered in worker processes
(workers.py), each handed the opened project, the toolchain and the build's cache as it starts; only records come
back to the parent, which keeps the manifest and the cache and writes both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from factsheet_builder import workers
from factsheet_builder.cache import CACHE_NAME, Cache
from factsheet_builder.exceptions import BuildInterrupted, OutputError, Problem
from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints
from factsheet_builder.freshness import freshness
from factsheet_builder.index_page import INDEX, write_index
from factsheet_builder.manifest import Manifest
from factsheet_builder.output import LOCK, check_out_folder, exclusive, remove_temporary
from factsheet_builder.progress import Progress
from factsheet_builder.project import Project, open_project, select, select_topics
from factsheet_builder.records import Report, SchoolRecord, Toolchain
from factsheet_builder.workspace import SchoolFile, Workspace

CHECKPOINT_SECONDS = 10.0  # a long build rewrites the manifest this often, so that a crash loses little


@dataclass(frozen=True)
class BuildRequest:
    """What a build is asked for: the schools (``ids``; none: all), the ``layouts`` and ``topics`` (none: each
    school's own; 'all' layouts: every one), the worker processes (``jobs``; None: one per CPU), whether to rebuild
    the leaflets that are up to date (``force``) and to delete the outputs of schools whose file was removed
    (``prune``)."""

    ids: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    jobs: int | None = None
    force: bool = False
    prune: bool = False


Todo = tuple[SchoolFile, tuple[str, ...]]  # a school to build, and the only topics to build (none: all its topics)


def build(workspace: Workspace, request: BuildRequest = BuildRequest(), progress: Progress | None = None) -> Report:
    """Build the requested schools whose inputs changed since their last build (all of them with ``force``).

    One bad school never stops the others: it keeps its last good leaflet and the manifest says why it is stale.
    """
    progress = progress or Progress.to_stderr(quiet=True)
    with exclusive(workspace.out_dir):  # removes what a build that was killed left
        check_out_folder(workspace.out_dir)  # a full or read-only disk stops the build here, before any school
        discovered = workspace.discover()
        schools, problems = discovered
        selected = select(schools, request.ids)
        batch = _Batch(workspace, request, Manifest.read(workspace), Fingerprints(workspace), progress)
        report = batch.report
        report.problems = [] if request.ids else problems
        todo = batch.planned(selected)
        if todo is None or todo:
            todo = batch.render(discovered, todo)
        manifest = batch.manifest
        report.problems += [manifest.problem] if manifest.problem else []
        rendered = {school.id for school, _ in todo}
        report.results += [SchoolRecord(s.id, s.label, "skipped") for s in selected if s.id not in rendered]
        report.results.sort(key=lambda r: r.id)
        if request.prune:
            report.pruned = manifest.prune({school.id for school in schools})
        with _stops_the_build(workspace):
            if manifest.write() or not (workspace.out_dir / INDEX).exists():
                write_index(workspace.out_dir, manifest.schools)
    return report


@contextmanager
def _stops_the_build(workspace: Workspace) -> Iterator[None]:
    """A fault writing the manifest or index page as one line naming the path, never a traceback."""
    try:
        yield
    except OSError as exc:
        raise OutputError(
            f"{describe(exc, workspace.root)}; the leaflets built are kept, but the manifest or index "
            "page could not be written"
        ) from None


class _Batch:
    """One build's work: what is out of date, and building it in workers while recording each school's outcome."""

    def __init__(
        self,
        workspace: Workspace,
        request: BuildRequest,
        manifest: Manifest,
        fingerprints: Fingerprints,
        progress: Progress,
    ) -> None:
        self.workspace, self.request, self.manifest, self.progress = workspace, request, manifest, progress
        self.fingerprints = fingerprints
        self.topics = select_topics(fingerprints.topic_names, request.topics)
        self.report = Report()

    def planned(self, selected: Sequence[SchoolFile]) -> list[Todo] | None:
        """The schools out of date by the toolchain recorded in the manifest, or None when the layouts must be
        loaded to know (nothing recorded, another toolchain, a layout it did not build, or ``force``)."""
        recorded, request = self.manifest.toolchain, self.request
        if (
            request.force
            or recorded is None
            or not self.fingerprints.still_current(recorded)
            or not set(request.layouts) <= {*recorded.layouts, "all"}
        ):
            return None
        layouts = tuple(sorted(recorded.layouts)) if "all" in request.layouts else tuple(dict.fromkeys(request.layouts))
        return self._out_of_date(selected, recorded, layouts)

    def _out_of_date(self, schools: Sequence[SchoolFile], toolchain: Toolchain, layouts: tuple[str, ...]) -> list[Todo]:
        """The schools whose outputs are out of date, each with the topics that alone need building (none: all);
        files found unchanged although touched are noted in the manifest."""
        todo = []
        for school in schools:
            state = freshness(self.manifest, school, self.fingerprints, toolchain, layouts, self.topics)
            self.manifest.note_touched(school.id, state.touched)
            if not state.current:
                todo.append((school, state.topics))
        return todo

    def render(self, discovered: tuple[list[SchoolFile], list[Problem]], planned: list[Todo] | None) -> list[Todo]:
        """Open the project, build every school that needs it (in workers) and record each result; the schools
        tried. ``planned``: what the recorded toolchain found out of date, worked out again if the loaded layouts
        turn out different (None: no plan)."""
        request, manifest = self.request, self.manifest
        project = open_project(self.workspace, request.ids, request.layouts, self.topics, discovered)
        self.report.problems = list(project.problems)
        toolchain = self.fingerprints.toolchain(project.registry, manifest.toolchain)
        layouts = project.registry.select(request.layouts)
        todo: list[Todo]
        if request.force:
            todo = [(school, ()) for school in project.schools]
        elif planned is None or toolchain != manifest.toolchain:
            todo = self._out_of_date(project.schools, toolchain, layouts)
        else:
            todo = planned
        manifest.toolchain = toolchain
        cache = Cache.read(self.workspace.out_dir / CACHE_NAME, self.fingerprints.cache_stamp(toolchain))
        worker = Worker(project, toolchain, cache, layouts, self.topics)
        try:
            self._run(worker, todo, request.jobs or workers.default_jobs())
        finally:
            cache.write()
        return todo

    def _run(self, worker: Worker, todo: list[Todo], jobs: int) -> None:
        """Build ``todo`` in ``jobs`` processes, recording each school as it comes back (the manifest every few
        seconds); a full disk or an interrupt records what was built before it stops the build."""
        out_dir, report, progress = self.workspace.out_dir, self.report, self.progress
        journal = out_dir / LOCK
        progress.start(len(todo))
        checkpoint = time.monotonic()
        try:
            results = workers.run(build_in_worker, worker, todo, jobs)
            with workers.sigterm_interrupts(), closing(results):
                for record, learned in results:
                    worker.cache.add(learned)
                    self.manifest.record(record)
                    report.results.append(record)
                    progress.advance(record)
                    if time.monotonic() - checkpoint >= CHECKPOINT_SECONDS:
                        with _stops_the_build(self.workspace):
                            self.manifest.write()
                        checkpoint = time.monotonic()
        except OutputError:  # the disk is full or read-only: record what was built, if that can still be written
            remove_temporary(journal)
            with suppress(OSError):
                self.manifest.write()
                write_index(out_dir, self.manifest.schools)
            raise
        except KeyboardInterrupt:  # the workers have ended by now
            remove_temporary(journal)  # a stop in the instant a file is created can leave it behind
            self.manifest.write()
            raise BuildInterrupted(
                f"interrupted: {len(report.results)} of {len(todo)} schools were built or failed and are recorded "
                "in out/manifest.json; the others keep their previous leaflets. Run the build again to finish."
            ) from None
        finally:
            progress.finish()


@dataclass
class Worker:
    """What a worker process needs to build schools: the opened project, the toolchain, the build's cache and the
    layouts and topics asked for (none: each school's own)."""

    project: Project
    toolchain: Toolchain
    cache: Cache
    layouts: tuple[str, ...]
    topics: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sent to a worker process that is not forked: the project is opened again there (layouts loaded from a
        workspace's files cannot be pickled)."""
        return _reopened, (self.project.workspace, self.toolchain, self.cache, self.layouts, self.topics)


def _reopened(
    workspace: Workspace, toolchain: Toolchain, cache: Cache, layouts: tuple[str, ...], topics: tuple[str, ...]
) -> Worker:
    return Worker(open_project(workspace, (), layouts, topics), toolchain, cache, layouts, topics)


def build_in_worker(worker: Worker, todo: Todo) -> tuple[SchoolRecord, dict[str, Any]]:
    """Build one school in a worker process: its record, and the work it added to the cache (for the parent)."""
    from factsheet_builder.school_build import build_school

    school, only = todo
    record = build_school(
        worker.project,
        school,
        cache=worker.cache,
        toolchain=worker.toolchain,
        layouts=worker.layouts,
        topics=worker.topics,
        only=only,
    )
    return record, worker.cache.take_added()
