"""Building one school: check and merge it with each of its topics, render each of its layouts in each format,
then write the files, the thumbnail of its first PDF and what the index page shows of it."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from factsheet_builder.cache import Cache
from factsheet_builder.check import CheckedSchool, Fits, check_school, located
from factsheet_builder.config.load import SchoolConfig
from factsheet_builder.exceptions import FactsheetError, OutputError, Problem
from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints, images_digest, output_inputs
from factsheet_builder.layouts import Layout, Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.output import LOCK, output_name, stops_every_school, write_together
from factsheet_builder.page_images import thumbnail, thumbnail_path
from factsheet_builder.project import Project
from factsheet_builder.records import FileRecord, IndexFacts, OutputRecord, SchoolRecord, Sources, Toolchain
from factsheet_builder.workspace import SchoolFile

T = TypeVar("T")


def build_school(
    project: Project,
    school: SchoolFile,
    *,
    cache: Cache | None = None,
    toolchain: Toolchain | None = None,
    layouts: Sequence[str] = (),
    topics: Sequence[str] = (),
    only: Sequence[str] = (),
    checked: CheckedSchool | None = None,
    fits: Fits | None = None,
) -> SchoolRecord:
    """Check, merge and render one school into out/<id>/ (its ``layouts`` and ``topics``, or the school's own;
    of those topics, ``only`` these when given), writing its files only when every one rendered; what happened, as
    the school's record.

    ``cache``: the work remembered between builds (none: remembered by this call alone); ``toolchain``: what draws
    the outputs, as recorded in the manifest (worked out when not given). A process that builds many schools opens
    the project once and passes the same cache and toolchain to every call. ``checked`` and ``fits``: what
    ``check_school`` and ``fit_school`` found of this school as it is now (with the same layouts and topics), when
    the caller has them already; the build then does neither again.

    Any fault of the school's own (an input deleted or unreadable while building, an output path that is a folder
    or too long, a layout that crashes) is the school's failure; one that would stop every school (a full or
    read-only disk) raises OutputError.
    """
    try:
        checked = checked if checked is not None else check_school(project, school, layouts, topics=topics)
        return _build_school(project, school, checked, fits or {}, cache or Cache(), toolchain, only)
    except OSError as exc:
        where = describe(exc, project.workspace.root)
        if stops_every_school(exc):
            raise OutputError(f"{where}; the build stopped (the leaflets built before are kept)") from None
        return _failed(school, f"could not be built: {where}")
    except (FactsheetError, RecursionError, MemoryError) as exc:
        return _failed(school, f"could not be built: {' '.join(str(exc).split()) or type(exc).__name__}")


def _failed(school: SchoolFile, message: str) -> SchoolRecord:
    return SchoolRecord(school.id, school.label, "failed", [Problem(school.label, None, None, message)])


def _build_school(
    project: Project,
    school: SchoolFile,
    checked: CheckedSchool,
    fits: Fits,
    cache: Cache,
    toolchain: Toolchain | None,
    only: Sequence[str],
) -> SchoolRecord:
    toolchain = toolchain or Fingerprints(project.workspace).toolchain(project.registry)
    config, sheets, problems = checked
    if config is None or sheets is None:
        return SchoolRecord(school.id, school.label, "failed", problems)
    if not config.topics:  # the command line names only topics this school does not build
        return SchoolRecord(school.id, school.label, "skipped", problems)
    # the hashes of exactly the bytes read and drawn: a file saved again meanwhile is then found changed
    images = {
        project.workspace.label(picture.path): FileRecord(len(picture.data), picture.mtime_ns, picture.sha256)
        for picture in config.images
    }
    content = {name: topic.sha256 for name, topic in project.topics.items()}
    sources = Sources(content, config.cascade, images_digest(images))
    out_dir = project.workspace.out_dir
    try:
        rendered, pictured = _render_all(project, config, sheets, only, fits, cache)
    except _Failed as failed:
        return _layout_failure(school, config, problems, failed)
    paths = [out_dir / school.id / output_name(school.id, topic, name, fmt) for topic, name, fmt, _ in rendered]
    facts, picture = _index_facts(sheets, out_dir, pictured)
    files = [(path, result.data) for path, (_, _, _, result) in zip(paths, rendered)] + picture
    _inside(out_dir, [path for path, _ in files])
    written_files = write_together(files, out_dir / LOCK)
    outputs = []
    for path, written, (topic, name, fmt, result) in zip(paths, written_files, rendered):
        outputs.append(
            OutputRecord(
                written.size,
                written.mtime_ns,
                written.sha256,
                topic,
                name,
                fmt,
                path.relative_to(out_dir).as_posix(),
                result.pages,
                output_inputs(sources, topic, toolchain.layouts[name].code, name, fmt),
            )
        )
    return SchoolRecord(
        school.id,
        school.label,
        "built",
        problems,
        sources,
        images,
        tuple(config.layouts),
        config.own_topics,
        tuple(project.topics),
        outputs,
        facts,
    )


class _Failed(Exception):
    """A layout failed for this school: its error (one of ours) or, for a bug, the words to report."""

    def __init__(self, topic: str, name: str, error: FactsheetError | None = None, bug: str = "") -> None:
        super().__init__(topic, name, error, bug)
        self.topic, self.name, self.error, self.bug = topic, name, error, bug


def _layout_failure(school: SchoolFile, config: SchoolConfig, problems: list[Problem], failed: _Failed) -> SchoolRecord:
    """The school's record when a layout failed: its error located at the value it names, or its bug in words."""
    if failed.error is not None:
        return SchoolRecord(
            school.id, school.label, "failed", [*problems, located(school, config, failed.error, failed.topic)]
        )
    return _failed(school, f"the '{failed.name}' layout failed: {failed.bug}")


def _render_all(
    project: Project,
    config: SchoolConfig,
    sheets: dict[str, FactSheet],
    only: Sequence[str],
    fits: Fits,
    cache: Cache,
) -> tuple[list[tuple[str, str, str, Rendered]], tuple[str, bytes] | None]:
    """Every file of the school (of the ``only`` topics, if given) as (topic, layout, format, result), each layout
    fitted first (unless ``fits`` has it), and the thumbnail (with its layout): page 1 of the first PDF of the
    school's first topic, if rendered. The first failure is raised."""
    fitted = {
        (topic, name): fits.get((topic, name)) or _fitted(project, config, sheets[topic], name, cache)
        for topic in config.topics
        if not only or topic in only
        for name in config.layouts
    }
    rendered = [
        (topic, name, fmt, _attempt(sheets[topic], name, lambda: layout.render(fmt, sheets[topic], fit)))
        for (topic, name), (layout, fit) in fitted.items()
        for fmt in layout.formats
    ]
    pictured = next(
        ((name, result) for topic, name, fmt, result in rendered if fmt == "pdf" and topic == config.own_topics[0]),
        None,
    )
    return rendered, None if pictured is None else (pictured[0], thumbnail(pictured[1].data))


def _fitted(
    project: Project, config: SchoolConfig, sheet: FactSheet, name: str, cache: Cache
) -> tuple[Layout[Any], Any]:
    """The school's ``name`` layout with its options, and its fit of ``sheet``."""
    layout = _attempt(sheet, name, lambda: project.registry[name](config.layout_options.get(name), cache))
    return layout, _attempt(sheet, name, lambda: layout.fit(sheet))


def _attempt(sheet: FactSheet, name: str, work: Callable[[], T]) -> T:
    """``work`` done by the ``name`` layout for ``sheet``; its errors and its bugs become _Failed (OSError stays
    what it is: build_school tells a fault of the school's from one that stops the build)."""
    try:
        return work()
    except FactsheetError as exc:
        raise _Failed(sheet.topic, name, error=exc) from None
    except OSError:
        raise
    except Exception as exc:  # a layout's bug (or a workspace layout's) fails this school, not the build
        raise _Failed(sheet.topic, name, bug=f"{type(exc).__name__}: {' '.join(str(exc).split())}") from None


def _inside(out_dir: Path, paths: list[Path]) -> None:
    """Refuse to write through a link that leads out of out/ (out/<id> made a link to a folder of one's own)."""
    root = out_dir.resolve()
    for path in paths:
        try:
            inside = path.parent.resolve().is_relative_to(root)
        except RuntimeError:  # Python 3.11's word for a symbolic link loop
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), os.fspath(path.parent)) from None
        if not inside:
            raise OSError(
                errno.EXDEV,
                "it leads outside out/ through a symbolic link; the build writes only under out/",
                os.fspath(path.parent),
            )


def _index_facts(
    sheets: dict[str, FactSheet], out_dir: Path, pictured: tuple[str, bytes] | None
) -> tuple[IndexFacts, list[tuple[Path, bytes]]]:
    """What the index page shows of the school, and its thumbnail to write (``pictured``: the layout and PNG)."""
    sheet = next(iter(sheets.values()))
    facts = IndexFacts(
        sheet.school_name,
        sheet.people[0].name,  # the DSL is first
        sheet.review_date.isoformat(),
        titles={topic: each.title for topic, each in sheets.items()},
        dsl_role=sheet.people[0].role,
    )
    if pictured is None:
        return facts, []
    layout, png = pictured
    path = thumbnail_path(out_dir, sheet.school_id)
    return replace(facts, thumbnail=path.relative_to(out_dir).as_posix(), thumbnail_layout=layout), [(path, png)]
