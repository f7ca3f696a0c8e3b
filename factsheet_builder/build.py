"""The build: check every school, merge it with the content, render each layout and write outputs and manifest.

Deciding what needs building takes only file hashes (fingerprint.py, manifest.py), so when nothing changed a
build ends without loading the content, the layouts or a renderer. Schools are rendered in worker processes
(workers.py) that each load the project once; only small records come back to the parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
import datetime as dt
from functools import partial
from pathlib import Path
import time
from typing import TYPE_CHECKING, Any

from factsheet_builder import workers
from factsheet_builder.exceptions import BuildInterrupted, ConfigError, FactsheetError, FitError, Problem, UsageError
from factsheet_builder.fingerprint import Fingerprints, Toolchain, stat_record
from factsheet_builder.manifest import Freshness, Manifest, deps_digest, output_inputs
from factsheet_builder.output import exclusive, output_name, remove_temporary, write_atomic
from factsheet_builder.progress import Progress
from factsheet_builder.workspace import SchoolFile, Workspace

if TYPE_CHECKING:
    from factsheet_builder.config.load import SchoolConfig
    from factsheet_builder.topics import Topic
    from factsheet_builder.layouts.registry import Registry

CHECKPOINT_SECONDS = 10.0  # a long build rewrites the manifest this often, so that a crash loses little


@dataclass
class SchoolResult:
    """What happened to one school (small and picklable: workers send it back to the parent)."""

    id: str
    label: str
    status: str  # built, skipped, failed, checked
    problems: list[Problem] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # hashes of the inputs the outputs were built from
    deps: dict[str, dict[str, Any]] = field(default_factory=dict)  # image files used: size, time and sha256
    layouts: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_set: tuple[str, ...] = ()  # every topic of the workspace when it was built
    summary: dict[str, str] = field(default_factory=dict)  # what out/index.html shows: see index_page.summary

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


@dataclass
class Report:
    """The outcome of a check or build over many schools."""

    results: list[SchoolResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # not tied to one school (file names, layouts)
    pruned: list[str] = field(default_factory=list)  # outputs deleted by --prune

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def all_problems(self) -> list[Problem]:
        """Every problem once, in file order."""
        return sorted({*self.problems, *(p for r in self.results for p in r.problems)})

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.all_problems)


@dataclass(frozen=True)
class Project:
    """What every school of a workspace shares: topics, layouts and the school files."""

    workspace: Workspace
    topics: dict[str, Topic]
    registry: Registry
    schools: tuple[SchoolFile, ...]
    problems: tuple[Problem, ...]


def select(schools: Sequence[SchoolFile], ids: Sequence[str]) -> list[SchoolFile]:
    """The schools named by ``ids`` (all when none are named); an unknown id is a usage error."""
    if not ids:
        return list(schools)
    known = {s.id: s for s in schools}
    unknown = [i for i in ids if i not in known]
    if unknown:
        from factsheet_builder.config.fields import suggest

        raise UsageError(
            f"unknown school id '{unknown[0]}'{suggest(unknown[0], known)}; "
            f"school ids are the file names under schools/ without '.yaml'"
        )
    return [known[i] for i in dict.fromkeys(ids)]


def select_topics(names: Sequence[str], topics: Sequence[str]) -> tuple[str, ...]:
    """The topics named on the command line (none: each school's own); an unknown name is a usage error."""
    unknown = [name for name in topics if name not in names]
    if unknown:
        from factsheet_builder.config.fields import suggest

        raise UsageError(f"unknown topic '{unknown[0]}'{suggest(unknown[0], names)}; the topics are the file names "
                         f"under content/ without '.yaml': {', '.join(names)}")
    return tuple(dict.fromkeys(topics))


def open_project(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = (),
                 topics: Sequence[str] = ()) -> Project:
    """Load topics and layouts and select schools; content errors and unknown ids, layouts or topics stop here."""
    from factsheet_builder.config.load import unprintable
    from factsheet_builder.layouts.registry import discover
    from factsheet_builder.topics import load_topics

    loaded = load_topics(workspace)
    select_topics(tuple(loaded), topics)
    registry = discover(workspace.layouts_dir, workspace.root)
    sharing: dict[Any, list[Any]] = {}  # layouts by font family: the content is checked once per family
    for name in registry.select(layouts) or registry:
        sharing.setdefault(registry[name].fonts, []).append(registry[name])
    content_problems = [
        Problem(node.file, node.line, path, message)
        for family in sharing.values()
        for topic in loaded.values()
        for text, path, node in topic.texts
        if unprintable(text, family[0]) is not None
        for layout in family
        if (message := unprintable(text, layout)) is not None
    ]
    if content_problems:
        raise ConfigError(content_problems)
    schools, problems = workspace.discover()
    named = [p for p in problems if Path(p.file).stem in ids]  # e.g. an id two files share, named on the command line
    if named:
        raise ConfigError(named)
    selected = select(schools, ids)
    problems = problems if not ids else []
    return Project(workspace, loaded, registry, tuple(selected), (*registry.broken, *problems))


def check_school(project: Project, school: SchoolFile, layouts: Sequence[str] = (), today: dt.date | None = None,
                 text: str | None = None, topics: Sequence[str] = ()) -> tuple[SchoolConfig | None, list[Problem]]:
    """Load and check one school (or its file's would-be ``text``), including rendering its topics' text."""
    from factsheet_builder.config.load import load_school
    from factsheet_builder.model import merge

    config, problems = load_school(project.workspace, school, project.registry, project.topics,
                                   project.registry.select(layouts) or None, today, text, tuple(topics) or None)
    if config is not None:
        try:
            for name in config.topics:
                merge(config, project.topics[name])
        except ConfigError as exc:
            return None, problems + exc.problems
    return config, problems


def check(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = (),
          topics: Sequence[str] = ()) -> Report:
    """Validate the topics and every selected school without rendering."""
    project = open_project(workspace, ids, layouts, topics)
    report = Report(problems=list(project.problems))
    for school in project.schools:
        config, problems = check_school(project, school, layouts, topics=topics)
        if config is not None:
            problems += _fit_problems(project, school, config)
        failed = config is None or any(not p.warning for p in problems)
        report.results.append(SchoolResult(school.id, school.label, "failed" if failed else "checked", problems))
    if not ids:
        report.problems += _unused_defaults_problems(project)
    return report


def _unused_defaults_problems(project: Project) -> list[Problem]:
    """Check the _defaults.yaml files that no school sits under (yet), so that their mistakes wait for no one."""
    from factsheet_builder.config.load import check_defaults
    from factsheet_builder.workspace import DEFAULTS_NAME

    used = {path for school in project.schools for path in school.defaults}
    schools_dir = project.workspace.schools_dir
    unused = [path for path in sorted(schools_dir.rglob(DEFAULTS_NAME)) if path not in used
              and not any(part.startswith(".") for part in path.relative_to(schools_dir).parts)]
    return [problem for path in unused for problem in check_defaults(project.workspace, path, project.registry,
                                                                           project.topics)]


def _fit_problems(project: Project, school: SchoolFile, config: SchoolConfig) -> list[Problem]:
    """What of the school's values cannot fit each of its layouts, as far as a layout can tell without rendering."""
    from factsheet_builder.model import merge

    problems = []
    for topic in config.topics:
        sheet = merge(config, project.topics[topic])
        for name in config.layouts:
            try:
                project.registry[name](config.layout_options.get(name)).check_fit(sheet)
            except FitError as exc:
                problems.append(located(school, config, exc, topic))
    return problems


def located(school: SchoolFile, config: SchoolConfig, error: FactsheetError, topic: str) -> Problem:
    """A layout's error as a problem at the file, line and field of the value it names (else at the school's file),
    naming the topic when the school has more than one."""
    message = error.format_message()
    message = f"topic '{topic}': {message}" if len(config.topics) > 1 else message
    value = getattr(error, "value", None)
    place = next(((path, node) for text, path, node in config.texts if value is not None and text == value), None)
    if place is None:
        return Problem(school.label, None, None, message)
    path, node = place
    return Problem(node.file, node.line, path, message)


def build(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = (), *, jobs: int | None = None,
          force: bool = False, prune: bool = False, progress: Progress | None = None,
          topics: Sequence[str] = ()) -> Report:
    """Build the selected schools whose inputs changed since their last build (all of them with ``force``).

    One bad school never stops the others: it keeps its last good leaflet and the manifest says why it is stale.
    """
    from factsheet_builder.index_page import INDEX, write_index

    progress = progress or Progress.to_stderr(quiet=True)
    with exclusive(workspace.out_dir):
        schools, problems = workspace.discover()
        selected = select(schools, ids)
        report = Report(problems=[] if ids else problems)
        manifest = Manifest.read(workspace)
        fingerprints = Fingerprints(workspace)
        topics = select_topics(fingerprints.topic_names, topics)
        todo, planned_by = [(s, ()) for s in selected], manifest.toolchain
        if force or planned_by is None or not planned_by.is_current(fingerprints) or \
                not set(layouts) <= {*planned_by.layouts, "all"}:
            planned_by = None  # the layouts must be loaded to know what is out of date
        else:
            wanted = tuple(sorted(planned_by.layouts)) if "all" in layouts else tuple(dict.fromkeys(layouts))
            todo = _out_of_date(selected, manifest, fingerprints, planned_by, wanted, topics)
        if todo:
            todo = _render(workspace, ids, layouts, topics, todo, planned_by, force, fingerprints, manifest, report,
                           jobs, progress)
        rendered = {school.id for school, _ in todo}
        for school in selected:
            if school.id not in rendered:
                skipped = SchoolResult(school.id, school.label, "skipped")
                manifest.record(skipped)
                report.results.append(skipped)
        report.results.sort(key=lambda r: r.id)
        if prune:
            report.pruned = manifest.prune({school.id for school in schools})
        if manifest.write() or not (workspace.out_dir / INDEX).exists():
            write_index(workspace.out_dir)
    return report


Todo = tuple[SchoolFile, tuple[str, ...]]  # a school to build, and the only topics to build (none: all its topics)


def _out_of_date(schools: Sequence[SchoolFile], manifest: Manifest, fingerprints: Fingerprints,
                 toolchain: Toolchain, layouts: tuple[str, ...], topics: tuple[str, ...]) -> list[Todo]:
    """The schools whose outputs are out of date, each with the topics that alone need building (none: all)."""
    states = [(s, manifest.freshness(s, fingerprints, toolchain, layouts, topics)) for s in schools]
    return [(school, state.topics) for school, state in states if not state.current]


def _render(workspace: Workspace, ids: Sequence[str], layouts: Sequence[str], topics: tuple[str, ...],
            todo: list[Todo], planned_by: Toolchain | None, force: bool, fingerprints: Fingerprints,
            manifest: Manifest, report: Report, jobs: int | None, progress: Progress) -> list[Todo]:
    """Load the project, render every school that needs it (in workers) and record each result; the schools tried.

    ``todo`` is what the recorded toolchain ``planned_by`` found out of date; it is worked out again if the
    loaded layouts turn out different (or there was no plan).
    """
    project = open_project(workspace, ids, layouts, topics)
    report.problems = list(project.problems)
    toolchain = Toolchain.of(project.registry, fingerprints, manifest.toolchain)
    wanted = project.registry.select(layouts)
    if force:
        todo = [(s, ()) for s in project.schools]
    elif toolchain != planned_by:
        todo = _out_of_date(project.schools, manifest, fingerprints, toolchain, wanted, topics)
    manifest.toolchain = toolchain
    codes = {name: toolchain.code(name, fingerprints) for name in toolchain.layouts}
    _loaded[workspace.root] = (project, fingerprints)  # workers forked from here start with it loaded
    job = partial(_build_task, _Task(workspace, wanted, topics, codes))
    remove_temporary(workspace.out_dir)  # what a killed build left
    progress.start(len(todo))
    checkpoint = time.monotonic()
    try:
        results = workers.run(job, todo, jobs or workers.default_jobs())
        with workers.sigterm_interrupts(), closing(results):
            for result in results:
                manifest.record(result)
                # the outputs are in the manifest; the report keeps what the summary needs, so it stays small
                report.results.append(SchoolResult(result.id, result.label, result.status, result.problems))
                progress.advance(result)
                if time.monotonic() - checkpoint >= CHECKPOINT_SECONDS:
                    manifest.write()
                    checkpoint = time.monotonic()
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
    codes: dict[str, str]


_loaded: dict[Path, tuple[Project, Fingerprints]] = {}  # per process: the project loaded for each workspace


def _build_task(task: _Task, todo: Todo) -> SchoolResult:
    """Build one school in a worker, loading the project on the worker's first school (spawn start method)."""
    if task.workspace.root not in _loaded:
        _loaded[task.workspace.root] = (open_project(task.workspace, (), task.layouts, task.topics),
                                        Fingerprints(task.workspace))
    project, fingerprints = _loaded[task.workspace.root]
    school, only = todo
    return build_school(project, school, task.layouts, fingerprints, task.codes, task.topics, only)


def build_school(project: Project, school: SchoolFile, layouts: Sequence[str] = (),
                 fingerprints: Fingerprints | None = None, codes: dict[str, str] | None = None,
                 topics: Sequence[str] = (), only: Sequence[str] = ()) -> SchoolResult:
    """Check, merge and render one school into out/<id>/ (its ``topics``, or the school's own; of those, ``only``
    these when given), writing its files only when every one rendered."""
    from factsheet_builder.index_page import summary
    from factsheet_builder.model import merge

    fingerprints = fingerprints or Fingerprints(project.workspace)
    sources: dict[str, Any] = {"config": fingerprints.config(school),
                               "content": {name: fingerprints.topic(name) for name in project.topics}}
    config, problems = check_school(project, school, layouts, topics=topics)
    if config is None:
        return SchoolResult(school.id, school.label, "failed", problems)
    deps = {project.workspace.label(path): stat_record(path) for path in config.images}
    sources["deps"] = deps_digest(deps)
    if codes is None:
        toolchain = Toolchain.of(project.registry, fingerprints)
        codes = {name: toolchain.code(name, fingerprints) for name in config.layouts}
    out_dir = project.workspace.out_dir / school.id
    rendered: list[tuple[Path, dict[str, Any], bytes]] = []
    sheets = {}
    try:
        for topic in [t for t in config.topics if not only or t in only]:
            sheet = sheets[topic] = merge(config, project.topics[topic])
            for name in config.layouts:
                layout = project.registry[name](config.layout_options.get(name))
                for fmt in layout.formats:
                    result = layout.render(fmt, sheet)
                    path = out_dir / output_name(school.id, topic, name, fmt)
                    inputs = output_inputs(sources, sources["content"][topic], codes[name], topic, name, fmt)
                    record = {"topic": topic, "layout": name, "format": fmt, "pages": result.pages, "inputs": inputs}
                    rendered.append((path, record, result.data))
    except FactsheetError as exc:
        problems.append(located(school, config, exc, topic))
        return SchoolResult(school.id, school.label, "failed", problems)
    outputs = []
    for path, record, data in rendered:
        sha = write_atomic(path, data)
        relative = path.relative_to(project.workspace.out_dir).as_posix()
        outputs.append({**record, **stat_record(path, sha), "path": relative})
    first = config.topics[0]  # the index shows page 1 of the first topic's first PDF
    pdfs = {record["layout"]: data for _, record, data in rendered
            if record["format"] == "pdf" and record["topic"] == first}
    sheet = sheets.get(first) or merge(config, project.topics[first])
    return SchoolResult(school.id, school.label, "built", problems, outputs, sources, deps, tuple(config.layouts),
                        config.topics, tuple(project.topics), summary(sheet, project.workspace.out_dir, pdfs))


def status(workspace: Workspace, ids: Sequence[str] = ()) -> list[Freshness]:
    """Whether each selected school's leaflets match its inputs, then the schools whose config was removed."""
    schools, _ = workspace.discover()
    manifest = Manifest.read(workspace)
    fingerprints = Fingerprints(workspace)
    toolchain = manifest.toolchain
    if toolchain is None or not toolchain.is_current(fingerprints):
        from factsheet_builder.layouts.registry import discover

        toolchain = Toolchain.of(discover(workspace.layouts_dir, workspace.root), fingerprints, toolchain)
    states = [manifest.freshness(school, fingerprints, toolchain) for school in select(schools, ids)]
    return states if ids else states + manifest.orphans({school.id for school in schools})
