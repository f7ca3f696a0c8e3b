"""The build: check every school, merge it with the content, render each layout and write outputs and manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from factsheet_builder import __version__
from factsheet_builder.config.fields import suggest
from factsheet_builder.config.load import SchoolConfig, load_school, unprintable
from factsheet_builder.content import Content, load_content
from factsheet_builder.exceptions import ConfigError, FactsheetError, Problem, UsageError
from factsheet_builder.layouts.registry import Registry, discover
from factsheet_builder.model import merge
from factsheet_builder.output import output_name, write_atomic, write_json
from factsheet_builder.workspace import SchoolFile, Workspace

MANIFEST = "manifest.json"


@dataclass
class SchoolResult:
    """What happened to one school."""

    id: str
    label: str
    status: str  # built, skipped, failed, checked
    problems: list[Problem] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)

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
    """What every school of a workspace shares: content, layouts and the school files."""

    workspace: Workspace
    content: Content
    registry: Registry
    schools: tuple[SchoolFile, ...]
    problems: tuple[Problem, ...]


def open_project(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = ()) -> Project:
    """Load content and layouts and select schools; content errors and unknown ids or layouts stop here."""
    content = load_content(workspace.content_dir, workspace.root)
    registry = discover(workspace.layouts_dir, workspace.root)
    layouts = registry.select(layouts)
    content_problems = [
        Problem(node.file, node.line, path, message)
        for name in (layouts or registry)
        for text, path, node in content.texts
        if (message := unprintable(text, registry[name])) is not None
    ]
    if content_problems:
        raise ConfigError(content_problems)
    schools, problems = workspace.discover()
    if ids:
        known = {s.id: s for s in schools}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise UsageError(
                f"unknown school id '{unknown[0]}'{suggest(unknown[0], known)}; "
                f"school ids are the file names under schools/ without '.yaml'"
            )
        schools = [known[i] for i in dict.fromkeys(ids)]
        problems = []
    return Project(workspace, content, registry, tuple(schools), (*registry.broken, *problems))


def check_school(project: Project, school: SchoolFile, layouts: Sequence[str] = (), today: dt.date | None = None,
                 text: str | None = None) -> tuple[SchoolConfig | None, list[Problem]]:
    """Load and check one school (or its file's would-be ``text``), including rendering its content text."""
    config, problems = load_school(project.workspace, school, project.registry,
                                   project.registry.select(layouts) or None, today, text)
    if config is not None:
        try:
            for name in config.layouts:
                merge(config, project.content, name)
        except ConfigError as exc:
            return None, problems + exc.problems
    return config, problems


def check(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = ()) -> Report:
    """Validate content and every selected school without rendering."""
    project = open_project(workspace, ids, layouts)
    report = Report(problems=list(project.problems))
    for school in project.schools:
        config, problems = check_school(project, school, layouts)
        report.results.append(SchoolResult(school.id, school.label, "checked" if config else "failed", problems))
    return report


def build(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = ()) -> Report:
    """Check and build the selected schools; one bad school never stops the others."""
    project = open_project(workspace, ids, layouts)
    report = Report(problems=list(project.problems))
    manifest = _read_manifest(workspace.out_dir / MANIFEST)
    for school in project.schools:
        result = build_school(project, school, layouts)
        report.results.append(result)
        _record(manifest, result)
    write_json(workspace.out_dir / MANIFEST, manifest)
    return report


def build_school(project: Project, school: SchoolFile, layouts: Sequence[str] = ()) -> SchoolResult:
    """Check, merge and render one school into out/<id>/."""
    config, problems = check_school(project, school, layouts)
    if config is None:
        return SchoolResult(school.id, school.label, "failed", problems)
    out_dir = project.workspace.out_dir / school.id
    rendered: list[tuple[Path, dict[str, Any], bytes]] = []
    try:
        for name in config.layouts:
            layout = project.registry[name](config.layout_options.get(name))
            leaflet = merge(config, project.content, name)
            for fmt in layout.formats:
                result = layout.render(fmt, leaflet)
                path = out_dir / output_name(school.id, project.content.slug, name, fmt)
                rendered.append((path, {"layout": name, "format": fmt, "pages": result.pages}, result.data))
    except FactsheetError as exc:
        problems.append(Problem(school.label, None, None, exc.format_message()))
        return SchoolResult(school.id, school.label, "failed", problems)
    outputs = []
    for path, record, data in rendered:
        sha = write_atomic(path, data)
        outputs.append({**record, "path": path.relative_to(project.workspace.out_dir).as_posix(), "sha256": sha})
    return SchoolResult(school.id, school.label, "built", problems, outputs)


def _read_manifest(path: Path) -> dict[str, Any]:
    import json

    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("schools"), dict):
        manifest = {"schools": {}}
    manifest["generator"] = f"factsheet-builder {__version__}"
    return manifest


def _record(manifest: dict[str, Any], result: SchoolResult) -> None:
    entry = manifest["schools"].get(result.id, {})
    if result.status == "failed":
        entry.update(status="stale" if entry.get("outputs") else "failed", error=str(result.errors[0]))
    else:
        entry = {"status": "built", "config": result.label, "outputs": result.outputs}
    entry["config"] = result.label
    manifest["schools"][result.id] = entry
