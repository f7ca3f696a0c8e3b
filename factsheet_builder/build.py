"""``factsheet build``: the loop over the schools whose inputs changed, each built in a worker process.

Deciding what needs building takes only file hashes (fingerprint.py, freshness.py), so when nothing changed a
build ends without loading the content, the layouts or a renderer. Schools are rendered in worker processes
(workers.py) that each open the project once; only small records come back to the parent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from factsheet_builder import cache, workers
from factsheet_builder.exceptions import BuildInterrupted, OutputError, Problem
from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints
from factsheet_builder.freshness import freshness
from factsheet_builder.index_page import INDEX, write_index
from factsheet_builder.manifest import Manifest
from factsheet_builder.output import check_out_folder, exclusive, remove_temporary
from factsheet_builder.progress import Progress
from factsheet_builder.project import Project, open_project, select, select_topics
from factsheet_builder.records import Report, SchoolResult, Toolchain
from factsheet_builder.workspace import SchoolFile, Workspace

CHECKPOINT_SECONDS = 10.0  # a long build rewrites the manifest this often, so that a crash loses little


Todo = tuple[SchoolFile, tuple[str, ...]]  # a school to build, and the only topics to build (none: all its topics)


def build(
    workspace: Workspace,
    ids: Sequence[str] = (),
    layouts: Sequence[str] = (),
    *,
    jobs: int | None = None,
    force: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
    topics: Sequence[str] = (),
) -> Report:
    """Build the selected schools whose inputs changed since their last build (all of them with ``force``).

    One bad school never stops the others: it keeps its last good leaflet and the manifest says why it is stale.
    """
    progress = progress or Progress.to_stderr(quiet=True)
    with exclusive(workspace.out_dir) as stopped_before:
        check_out_folder(workspace.out_dir)  # a full or read-only disk stops the build here, before any school
        if stopped_before:  # killed, say: it may have left temporary files (looking for them takes a while)
            remove_temporary(workspace.out_dir)
        discovered = workspace.discover()
        schools, problems = discovered
        selected = select(schools, ids)
        report = Report(problems=[] if ids else problems)
        manifest = Manifest.read(workspace)
        fingerprints = Fingerprints(workspace)
        topics = select_topics(fingerprints.topic_names, topics)
        todo: list[Todo] = [(s, ()) for s in selected]
        planned_by = manifest.toolchain
        if (
            force
            or planned_by is None
            or not fingerprints.still_current(planned_by)
            or not set(layouts) <= {*planned_by.layouts, "all"}
        ):
            planned_by = None  # the layouts must be loaded to know what is out of date
        else:
            wanted = tuple(sorted(planned_by.layouts)) if "all" in layouts else tuple(dict.fromkeys(layouts))
            todo = _out_of_date(selected, manifest, fingerprints, planned_by, wanted, topics)
        if todo:
            stamp = fingerprints.cache_stamp(manifest.toolchain)
            cache.use(
                workspace.out_dir / cache.CACHE_NAME, stamp
            )  # opening the project checks the fonts cover the text
            todo = _render(
                workspace,
                discovered,
                ids,
                layouts,
                topics,
                todo,
                planned_by,
                force,
                fingerprints,
                manifest,
                report,
                jobs,
                progress,
                stamp,
            )
        report.problems += [manifest.problem] if manifest.problem else []
        rendered = {school.id for school, _ in todo}
        for school in selected:
            if school.id not in rendered:
                skipped = SchoolResult(school.id, school.label, "skipped")
                manifest.record(skipped)
                report.results.append(skipped)
        report.results.sort(key=lambda r: r.id)
        if prune:
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


def _out_of_date(
    schools: Sequence[SchoolFile],
    manifest: Manifest,
    fingerprints: Fingerprints,
    toolchain: Toolchain,
    layouts: tuple[str, ...],
    topics: tuple[str, ...],
) -> list[Todo]:
    """The schools whose outputs are out of date, each with the topics that alone need building (none: all)."""
    states = [(s, freshness(manifest, s, fingerprints, toolchain, layouts, topics)) for s in schools]
    return [(school, state.topics) for school, state in states if not state.current]


def _render(
    workspace: Workspace,
    discovered: tuple[list[SchoolFile], list[Problem]],
    ids: Sequence[str],
    layouts: Sequence[str],
    topics: tuple[str, ...],
    todo: list[Todo],
    planned_by: Toolchain | None,
    force: bool,
    fingerprints: Fingerprints,
    manifest: Manifest,
    report: Report,
    jobs: int | None,
    progress: Progress,
    stamp: str,
) -> list[Todo]:
    """Open the project, render every school that needs it (in workers) and record each result; the schools tried.

    ``todo`` is what the recorded toolchain ``planned_by`` found out of date; it is worked out again if the
    loaded layouts turn out different (or there was no plan). ``stamp``: of the work remembered between builds.
    """
    project = open_project(workspace, ids, layouts, topics, discovered)
    report.problems = list(project.problems)
    toolchain = fingerprints.toolchain(project.registry, manifest.toolchain)
    wanted = project.registry.select(layouts)
    if force:
        todo = [(s, ()) for s in project.schools]
    elif toolchain != planned_by:
        todo = _out_of_date(project.schools, manifest, fingerprints, toolchain, wanted, topics)
    manifest.toolchain = toolchain
    _opened[workspace.root] = (project, fingerprints)  # workers forked from here start with it open
    jobs = jobs or workers.default_jobs()
    job = partial(_build_in_worker, _Task(workspace, wanted, topics, toolchain, stamp))
    progress.start(len(todo))
    checkpoint = time.monotonic()
    try:
        results = workers.run(job, todo, jobs)
        with workers.sigterm_interrupts(), closing(results):
            for result in results:
                manifest.record(result)
                # the outputs are in the manifest; the report keeps what the closing lines need, so it stays small
                report.results.append(SchoolResult(result.id, result.label, result.status, result.problems))
                progress.advance(result)
                if time.monotonic() - checkpoint >= CHECKPOINT_SECONDS:
                    with _stops_the_build(workspace):
                        manifest.write()
                    checkpoint = time.monotonic()
    except OutputError:  # the disk is full or read-only: record what was built, if that can still be written
        remove_temporary(workspace.out_dir)
        with suppress(OSError):
            manifest.write()
            write_index(workspace.out_dir, manifest.schools)
        raise
    except KeyboardInterrupt:  # the workers have ended by now
        remove_temporary(workspace.out_dir)  # a stop in the instant a file is created can leave it behind
        manifest.write()
        raise BuildInterrupted(
            f"interrupted: {len(report.results)} of {len(todo)} schools were built or failed and are recorded in "
            "out/manifest.json; the others keep their previous leaflets. Run the build again to finish."
        ) from None
    finally:
        progress.finish()
    return todo


@dataclass(frozen=True)
class _Task:
    """What a worker needs besides the school: small and picklable."""

    workspace: Workspace
    layouts: tuple[str, ...]
    topics: tuple[str, ...]
    toolchain: Toolchain
    stamp: str  # of the work remembered between builds


_opened: dict[Path, tuple[Project, Fingerprints]] = {}  # per process: the project opened for each workspace


def _build_in_worker(task: _Task, todo: Todo) -> SchoolResult:
    """Build one school in a worker, opening the project on the worker's first school (spawn start method)."""
    from factsheet_builder.school_build import build_school

    cache.use(task.workspace.out_dir / cache.CACHE_NAME, task.stamp)
    if task.workspace.root not in _opened:
        _opened[task.workspace.root] = (
            open_project(task.workspace, (), task.layouts, task.topics),
            Fingerprints(task.workspace),
        )
    project, fingerprints = _opened[task.workspace.root]
    school, only = todo
    return build_school(project, school, task.layouts, fingerprints, task.toolchain, task.topics, only)
