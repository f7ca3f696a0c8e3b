"""Opening a project: a workspace's content and layouts loaded, its content checked against the layouts' fonts,
and the schools a command works on.

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
    from factsheet_builder.content import Content
    from factsheet_builder.layouts.registry import Registry


@dataclass(frozen=True)
class Project:
    """What every school of a workspace shares: content, layouts and the school files."""

    workspace: Workspace
    content: Content
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


def open_project(workspace: Workspace, ids: Sequence[str] = (), layouts: Sequence[str] = (),
                 discovered: tuple[list[SchoolFile], list[Problem]] | None = None) -> Project:
    """Load content and layouts and select schools (``discovered``: the workspace's school files, if already
    found); content errors and unknown ids or layouts stop here."""
    from factsheet_builder.content import load_content
    from factsheet_builder.layouts.registry import discover

    content = load_content(workspace.content_dir, workspace.root)
    registry = discover(workspace.layouts_dir, workspace.root)
    problems = _unprintable_content(content, registry, registry.select(layouts) or tuple(registry))
    if problems:
        raise ConfigError(problems)
    schools, found = discovered or workspace.discover()
    named = [p for p in found if Path(p.file).stem in ids]  # e.g. an id two files share, named on the command line
    if named:
        raise ConfigError(named)
    selected = select(schools, ids)
    return Project(workspace, content, registry, tuple(selected), (*registry.broken, *([] if ids else found)))


def _unprintable_content(content: Content, registry: Registry, layouts: Sequence[str]) -> list[Problem]:
    """Content text that the fonts of ``layouts`` cannot print; checked once per font family, reported per layout."""
    from factsheet_builder.config.load import unprintable

    sharing: dict[Any, list[Any]] = {}  # layouts by font family
    for name in layouts:
        sharing.setdefault(registry[name].fonts, []).append(registry[name])
    return [
        Problem(node.file, node.line, path, message)
        for family in sharing.values()
        for text, path, node in content.texts
        if unprintable(text, family[0]) is not None
        for layout in family
        if (message := unprintable(text, layout)) is not None
    ]
