"""Building one school: check and merge it with each of its topics, render each of its layouts in each format,
then write the files, the thumbnail of its first PDF and what the index page shows of it."""

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
                 fingerprints: Fingerprints | None = None, toolchain: Toolchain | None = None,
                 topics: Sequence[str] = (), only: Sequence[str] = ()) -> SchoolResult:
    """Check, merge and render one school into out/<id>/ (its ``topics``, or the school's own; of those, ``only``
    these when given), writing its files only when every one rendered."""
    fingerprints = fingerprints or Fingerprints(project.workspace)
    toolchain = toolchain or fingerprints.toolchain(project.registry)
    config, sheets, problems = check_school(project, school, layouts, topics=topics)
    if config is None or sheets is None:
        return SchoolResult(school.id, school.label, "failed", problems)
    images = {project.workspace.label(path): stat_record(path) for path in config.images}
    sources = fingerprints.sources(school, images)
    out_dir = project.workspace.out_dir
    rendered: list[tuple[str, str, str, Rendered]] = []
    for topic in [t for t in config.topics if not only or t in only]:
        try:
            for name in config.layouts:
                layout = project.registry[name](config.layout_options.get(name))
                rendered += [(topic, name, fmt, layout.render(fmt, sheets[topic])) for fmt in layout.formats]
        except FactsheetError as exc:
            problems.append(located(school, config, exc, topic))
            return SchoolResult(school.id, school.label, "failed", problems)
    outputs = []
    for topic, name, fmt, result in rendered:
        path = out_dir / school.id / output_name(school.id, topic, name, fmt)
        written = stat_record(path, write_atomic(path, result.data))
        outputs.append(OutputRecord(written.size, written.mtime_ns, written.sha256, topic, name, fmt,
                                    path.relative_to(out_dir).as_posix(), result.pages,
                                    output_inputs(sources, topic, toolchain.layouts[name].code, name, fmt)))
    return SchoolResult(school.id, school.label, "built", problems, outputs, sources, images, tuple(config.layouts),
                        config.topics, fingerprints.topic_names, _index_facts(sheets, out_dir, rendered))


def _index_facts(sheets: dict[str, FactSheet], out_dir: Path,
                 rendered: list[tuple[str, str, str, Rendered]]) -> IndexFacts:
    """What the index page shows of the school just built; writes its thumbnail, page 1 of the first topic's first
    PDF (when that topic was rendered)."""
    first, sheet = next(iter(sheets.items()))
    facts = IndexFacts(sheet.school_name, sheet.people[0].name, sheet.review_date.isoformat(),  # the DSL is first
                       titles={topic: each.title for topic, each in sheets.items()})
    layout, pdf = next(((name, result.data) for topic, name, fmt, result in rendered if fmt == "pdf"
                        and topic == first), (None, None))
    if pdf is None:
        return facts
    return replace(facts, thumbnail=write_thumbnail(out_dir, sheet.school_id, pdf), thumbnail_layout=layout)
