"""Building one school: check and merge it, render each of its layouts in each format, then write the files,
the thumbnail of its first PDF and what the index page shows of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from factsheet_builder.check import check_school, located
from factsheet_builder.exceptions import FactsheetError
from factsheet_builder.fingerprint import Fingerprints, output_inputs, stat_record
from factsheet_builder.layouts import Rendered
from factsheet_builder.model import FactSheet
from factsheet_builder.output import output_name, write_atomic
from factsheet_builder.page_images import write_thumbnail
from factsheet_builder.project import Project
from factsheet_builder.records import IndexFacts, OutputRecord, SchoolResult, Toolchain
from factsheet_builder.workspace import SchoolFile


def build_school(project: Project, school: SchoolFile, layouts: Sequence[str] = (),
                 fingerprints: Fingerprints | None = None, toolchain: Toolchain | None = None) -> SchoolResult:
    """Check, merge and render one school into out/<id>/, writing its files only when every one rendered."""
    fingerprints = fingerprints or Fingerprints(project.workspace)
    toolchain = toolchain or fingerprints.toolchain(project.registry)
    config, sheet, problems = check_school(project, school, layouts)
    if config is None or sheet is None:
        return SchoolResult(school.id, school.label, "failed", problems)
    images = {project.workspace.label(path): stat_record(path) for path in config.images}
    sources = fingerprints.sources(school, images)
    out_dir = project.workspace.out_dir
    rendered: list[tuple[str, str, Rendered]] = []
    try:
        for name in config.layouts:
            layout = project.registry[name](config.layout_options.get(name))
            rendered += [(name, fmt, layout.render(fmt, sheet)) for fmt in layout.formats]
    except FactsheetError as exc:
        problems.append(located(school, config, exc))
        return SchoolResult(school.id, school.label, "failed", problems)
    outputs = []
    for name, fmt, result in rendered:
        path = out_dir / school.id / output_name(school.id, project.content.slug, name, fmt)
        written = stat_record(path, write_atomic(path, result.data))
        outputs.append(OutputRecord(written.size, written.mtime_ns, written.sha256, name, fmt,
                                    path.relative_to(out_dir).as_posix(), result.pages,
                                    output_inputs(sources, toolchain.layouts[name].code, name, fmt)))
    return SchoolResult(school.id, school.label, "built", problems, outputs, sources, images, tuple(config.layouts),
                        _index_facts(sheet, out_dir, rendered))


def _index_facts(sheet: FactSheet, out_dir: Path, rendered: list[tuple[str, str, Rendered]]) -> IndexFacts:
    """What the index page shows of the school just built; writes its thumbnail, page 1 of its first PDF."""
    facts = IndexFacts(sheet.school_name, sheet.people[0].name, sheet.review_date.isoformat())  # merge() lists the DSL first
    layout, pdf = next(((name, result.data) for name, fmt, result in rendered if fmt == "pdf"), (None, None))
    if pdf is None:
        return facts
    return replace(facts, thumbnail=write_thumbnail(out_dir, sheet.school_id, pdf), thumbnail_layout=layout)
