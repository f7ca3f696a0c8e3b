"""Building one school: check and merge it with each of its topics, render each of its layouts in each format,
then write the files, the thumbnail of its first PDF and what the index page shows of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
import errno
import os
from pathlib import Path

from factsheet_builder.check import check_school, located
from factsheet_builder.exceptions import FactsheetError, OutputError, Problem
from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints, output_inputs, stat_record
from factsheet_builder.layouts import Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.output import output_name, stops_every_school, write_together
from factsheet_builder.page_images import thumbnail, thumbnail_path
from factsheet_builder.project import Project
from factsheet_builder.records import IndexFacts, OutputRecord, SchoolResult, Toolchain
from factsheet_builder.workspace import SchoolFile


def build_school(project: Project, school: SchoolFile, layouts: Sequence[str] = (),
                 fingerprints: Fingerprints | None = None, toolchain: Toolchain | None = None,
                 topics: Sequence[str] = (), only: Sequence[str] = ()) -> SchoolResult:
    """Check, merge and render one school into out/<id>/ (its ``topics``, or the school's own; of those, ``only``
    these when given), writing its files only when every one rendered.

    Any fault of the school's own (an input deleted or unreadable while building, an output path that is a folder
    or too long, a layout that crashes) is the school's failure; one that would stop every school (a full or
    read-only disk) raises OutputError.
    """
    try:
        return _build_school(project, school, layouts, fingerprints, toolchain, topics, only)
    except OSError as exc:
        where = describe(exc, project.workspace.root)
        if stops_every_school(exc):
            raise OutputError(f"{where}; the build stopped (the leaflets built before are kept)") from None
        return _failed(school, f"could not be built: {where}")
    except (FactsheetError, RecursionError, MemoryError) as exc:
        return _failed(school, f"could not be built: {' '.join(str(exc).split()) or type(exc).__name__}")


def _failed(school: SchoolFile, message: str) -> SchoolResult:
    return SchoolResult(school.id, school.label, "failed", [Problem(school.label, None, None, message)])


def _build_school(project: Project, school: SchoolFile, layouts: Sequence[str], fingerprints: Fingerprints | None,
                  toolchain: Toolchain | None, topics: Sequence[str], only: Sequence[str]) -> SchoolResult:
    fingerprints = fingerprints or Fingerprints(project.workspace)
    toolchain = toolchain or fingerprints.toolchain(project.registry)
    config, sheets, problems = check_school(project, school, layouts, topics=topics)
    if config is None or sheets is None:
        return SchoolResult(school.id, school.label, "failed", problems)
    if not config.topics:  # the command line names only topics this school does not build
        return SchoolResult(school.id, school.label, "skipped", problems)
    images = {project.workspace.label(path): stat_record(path) for path in config.images}
    sources = fingerprints.sources(school, images)
    out_dir = project.workspace.out_dir
    rendered: list[tuple[str, str, str, Rendered]] = []
    for topic in [t for t in config.topics if not only or t in only]:
        for name in config.layouts:
            try:
                layout = project.registry[name](config.layout_options.get(name))
                rendered += [(topic, name, fmt, layout.render(fmt, sheets[topic])) for fmt in layout.formats]
            except FactsheetError as exc:
                problems.append(located(school, config, exc, topic))
                return SchoolResult(school.id, school.label, "failed", problems)
            except OSError:
                raise
            except Exception as exc:  # a layout's bug (or a workspace layout's) fails this school, not the build
                return _failed(school, f"the '{name}' layout failed: {type(exc).__name__}: "
                                       f"{' '.join(str(exc).split())}")
    paths = [out_dir / school.id / output_name(school.id, topic, name, fmt) for topic, name, fmt, _ in rendered]
    facts, thumbnail = _index_facts(sheets, config.own_topics[0], out_dir, rendered)
    files = [(path, result.data) for path, (_, _, _, result) in zip(paths, rendered)] + thumbnail
    _inside(out_dir, [path for path, _ in files])
    hashes = write_together(files)
    outputs = []
    for path, sha, (topic, name, fmt, result) in zip(paths, hashes, rendered):
        written = stat_record(path, sha)
        outputs.append(OutputRecord(written.size, written.mtime_ns, written.sha256, topic, name, fmt,
                                    path.relative_to(out_dir).as_posix(), result.pages,
                                    output_inputs(sources, topic, toolchain.layouts[name].code, name, fmt)))
    return SchoolResult(school.id, school.label, "built", problems, outputs, sources, images, tuple(config.layouts),
                        config.own_topics, fingerprints.topic_names, facts)


def _inside(out_dir: Path, paths: list[Path]) -> None:
    """Refuse to write through a link that leads out of out/ (out/<id> made a link to a folder of one's own)."""
    root = out_dir.resolve()
    for path in paths:
        try:
            inside = path.parent.resolve().is_relative_to(root)
        except RuntimeError:  # Python 3.11's word for a symbolic link loop
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), os.fspath(path.parent)) from None
        if not inside:
            raise OSError(errno.EXDEV, "it leads outside out/ through a symbolic link; the build writes only under "
                          "out/", os.fspath(path.parent))


def _index_facts(sheets: dict[str, FactSheet], first: str, out_dir: Path,
                 rendered: list[tuple[str, str, str, Rendered]]) -> tuple[IndexFacts, list[tuple[Path, bytes]]]:
    """What the index page shows of the school, and its thumbnail to write (page 1 of the first PDF of its
    ``first`` topic, when that topic was rendered)."""
    sheet = next(iter(sheets.values()))
    facts = IndexFacts(sheet.school_name, sheet.people[0].name, sheet.review_date.isoformat(),  # the DSL is first
                       titles={topic: each.title for topic, each in sheets.items()})
    layout, pdf = next(((name, result.data) for topic, name, fmt, result in rendered if fmt == "pdf"
                        and topic == first), (None, None))
    if pdf is None:
        return facts, []
    path = thumbnail_path(out_dir, sheet.school_id)
    return (replace(facts, thumbnail=path.relative_to(out_dir).as_posix(), thumbnail_layout=layout),
            [(path, thumbnail(pdf))])
