"""Opening a project: a workspace's topics and layouts loaded, the topics' text checked against the layouts'
fonts, and the schools a command works on.

Choosing schools is also the first step of a build with nothing to do, so the parsers and the layouts are
imported only when a project is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet_builder.exceptions import ConfigError, Problem, UsageError
from factsheet_builder.workspace import SchoolFile, Workspace

if TYPE_CHECKING:
    from factsheet_builder.config.retired import Register
    from factsheet_builder.layouts.registry import Registry
    from factsheet_builder.topics import Topic


@dataclass(frozen=True)
class Project:
    """What every school of a workspace shares: topics, layouts, the school files and the retired contacts to warn
    of; ``problems``: those not of one school (the content's retired contacts among them)."""

    workspace: Workspace
    topics: dict[str, Topic]
    registry: Registry
    schools: tuple[SchoolFile, ...]
    problems: tuple[Problem, ...]
    retired: Register


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

        raise UsageError(
            f"unknown topic '{unknown[0]}'{suggest(unknown[0], names)}; the topics are the file names "
            f"under content/ without '.yaml': {', '.join(names)}"
        )
    return tuple(dict.fromkeys(topics))


def open_project(
    workspace: Workspace,
    ids: Sequence[str] = (),
    layouts: Sequence[str] = (),
    topics: Sequence[str] = (),
    discovered: tuple[list[SchoolFile], list[Problem]] | None = None,
) -> Project:
    """Load topics, layouts and the register of retired contacts and select schools (from ``discovered``, what
    ``workspace.discover()`` returned, when the caller has it); content errors, a mistake in the workspace's
    register and unknown ids, layouts or topics stop here."""
    from factsheet_builder.config.retired import load_register
    from factsheet_builder.layouts.registry import discover
    from factsheet_builder.topics import load_topics

    loaded = load_topics(workspace)
    select_topics(tuple(loaded), topics)
    registry = discover(workspace.layouts_dir, workspace.root)
    retired, problems = load_register(workspace.root)
    problems += _unprintable_content(loaded, registry, registry.select(layouts) or tuple(registry))
    if problems:
        raise ConfigError(problems)
    schools, found = discovered or workspace.discover()
    named = [p for p in found if Path(p.file).stem in ids]  # e.g. an id two files share, named on the command line
    if named:
        raise ConfigError(named)
    selected = select(schools, ids)
    warnings = [p for topic in loaded.values() if topic.tree is not None for p in retired.problems(topic.tree)]
    return Project(
        workspace, loaded, registry, tuple(selected), (*registry.broken, *([] if ids else found), *warnings), retired
    )


def _unprintable_content(topics: dict[str, Topic], registry: Registry, layouts: Sequence[str]) -> list[Problem]:
    """Topic text that the fonts of ``layouts`` cannot print; checked once per font family, reported per layout."""
    from factsheet_builder.config.load import unprintable

    sharing: dict[Any, list[Any]] = {}  # layouts by font family
    for name in layouts:
        sharing.setdefault(registry[name].fonts, []).append(registry[name])
    return [
        Problem(node.file, node.line, path, message)
        for family in sharing.values()
        for topic in topics.values()
        for text, path, node in topic.texts
        if unprintable(text, family[0]) is not None
        for layout in family
        if (message := unprintable(text, layout)) is not None
    ]
