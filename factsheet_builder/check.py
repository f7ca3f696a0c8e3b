"""``factsheet check``: every selected school loaded, validated and merged with each of its topics, without
rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from factsheet_builder.cache import Cache
from factsheet_builder.config import yamlfile
from factsheet_builder.config.load import SchoolConfig, check_defaults, load_school, load_yaml
from factsheet_builder.config.yamlfile import YamlFileError
from factsheet_builder.exceptions import ConfigError, FactsheetError, FitError, Problem
from factsheet_builder.model import FactSheet, merge
from factsheet_builder.output import name_problem, output_name
from factsheet_builder.project import Project, open_project
from factsheet_builder.records import Report, SchoolRecord
from factsheet_builder.workspace import SchoolFile, Workspace

if TYPE_CHECKING:
    from factsheet_builder.layouts import Layout


class CheckedSchool(NamedTuple):
    """One school checked: its config and its fact sheet of each topic (None when it has errors) and the problems
    found."""

    config: SchoolConfig | None
    sheets: dict[str, FactSheet] | None
    problems: list[Problem]


def check_school(
    project: Project,
    school: SchoolFile,
    layouts: Sequence[str] = (),
    today: dt.date | None = None,
    text: str | None = None,
    topics: Sequence[str] = (),
) -> CheckedSchool:
    """Load and check one school (or its file's would-be ``text``) and merge it with each of its topics (those of
    ``topics`` when given), once; the retired contacts its files give are warnings."""
    config, problems = load_school(
        project.workspace,
        school,
        project.registry,
        project.topics,
        project.registry.select(layouts) or None,
        today,
        text,
        tuple(topics) or None,
    )
    problems += retired_in_files(project, school, text)
    if config is None:
        return CheckedSchool(None, None, problems)
    too_long = [
        Problem(school.label, None, None, message)
        for topic in config.topics
        for name in config.layouts
        for fmt in project.registry[name].formats
        if (message := name_problem(output_name(school.id, topic, name, fmt))) is not None
    ]
    if too_long:
        return CheckedSchool(None, None, problems + too_long[:1])
    try:
        sheets = {name: merge(config, project.topics[name]) for name in config.topics}
    except ConfigError as exc:
        return CheckedSchool(None, None, problems + exc.problems)
    return CheckedSchool(config, sheets, problems)


def retired_in_files(project: Project, school: SchoolFile, text: str | None = None) -> list[Problem]:
    """A warning for each retired contact written in the school's file (or its would-be ``text``) and in the
    _defaults.yaml files above it, overridden or not: each file is read as it stands."""
    problems = []
    for path in (*school.defaults, school.path):
        try:
            tree = (
                yamlfile.parse(text, school.label)
                if text is not None and path == school.path
                else load_yaml(project.workspace, path)[0]
            )
        except YamlFileError:
            continue  # loading the school has reported it
        problems += project.retired.problems(tree)
    return problems


def check(
    workspace: Workspace,
    ids: Sequence[str] = (),
    layouts: Sequence[str] = (),
    topics: Sequence[str] = (),
    strict: bool = False,
    links: bool = False,
) -> Report:
    """Validate the topics and every selected school without rendering; ``strict``: every warning is an error;
    ``links``: fetch every web address the content and the school files give, and report those that fail or have
    moved (the only check that uses the network)."""
    project = open_project(workspace, ids, layouts, topics)
    report = Report(problems=list(project.problems))
    cache = Cache()  # what one school's fit works out (the leaflet's body size, say), the next need not
    for school in project.schools:
        config, sheets, problems = check_school(project, school, layouts, topics=topics)
        if config is not None and sheets is not None:
            problems += fit_school(project, school, config, sheets, cache)[1]
        failed = config is None or any(not p.warning for p in problems) or (strict and bool(problems))
        report.results.append(SchoolRecord(school.id, school.label, "failed" if failed else "checked", problems))
    if not ids:
        report.problems += _unused_defaults_problems(project)
    if links:
        from factsheet_builder.links import link_problems

        report.problems += link_problems(project)
    if strict:
        report.problems = [replace(p, warning=False) for p in report.problems]
        for result in report.results:
            result.problems = [replace(p, warning=False) for p in result.problems]
    return report


def _unused_defaults_problems(project: Project) -> list[Problem]:
    """Check the _defaults.yaml files that no school sits under (yet), so that their mistakes wait for no one."""
    used = {path for school in project.schools for path in school.defaults}
    unused = [path for path in sorted(project.workspace.defaults_files()) if path not in used]
    problems = []
    for path in unused:
        problems += check_defaults(project.workspace, path, project.registry, project.topics)
        with suppress(YamlFileError):  # a file that cannot be read: check_defaults has said so
            problems += project.retired.problems(load_yaml(project.workspace, path)[0])
    return problems


Fits = dict[tuple[str, str], tuple["Layout[Any]", Any]]  # by (topic, layout): the layout as made, and its fit


def fit_school(
    project: Project,
    school: SchoolFile,
    config: SchoolConfig,
    sheets: dict[str, FactSheet],
    cache: Cache | None = None,
    surely: Callable[[Layout[Any], FactSheet], bool] | None = None,
) -> tuple[Fits, list[Problem]]:
    """Each of the school's layouts made with its options (and ``cache``) and fitted to each topic's sheet, by
    (topic, layout), which a build of the school may render from; and what of the school's values cannot fit, as
    far as a layout can tell without rendering. ``surely``: a quicker test that a layout fits a sheet, True only when
    its fit would pass; a layout it passes is not fitted (nor among the fits)."""
    cache = cache if cache is not None else Cache()
    fits: Fits = {}
    problems = []
    for topic, sheet in sheets.items():
        for name in config.layouts:
            layout = project.registry[name](config.layout_options.get(name), cache)
            if surely is not None and surely(layout, sheet):
                continue
            try:
                fits[topic, name] = layout, layout.fit(sheet)
            except FitError as exc:
                problems.append(located(school, config, exc, topic))
    return fits, problems


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
