"""Is a school's output stale, and why: its inputs' hashes now against the manifest's record of its last build.

A question only: nothing here writes, not even to the manifest in memory (a file found unchanged although its time
changed is reported in ``Freshness.touched`` for the build to note).
"""

from __future__ import annotations

import os
from dataclasses import replace

from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints, output_inputs, unchanged
from factsheet_builder.manifest import Manifest
from factsheet_builder.records import FileRecord, Freshness, SchoolRecord, Sources, Toolchain
from factsheet_builder.workspace import SchoolFile


def freshness(
    manifest: Manifest,
    school: SchoolFile,
    fingerprints: Fingerprints,
    toolchain: Toolchain,
    layouts: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
) -> Freshness:
    """Whether ``school``'s outputs of ``topics`` and ``layouts`` (default: those its config chose) match its
    inputs now. A school never built, or whose last build failed, is never current."""
    entry = manifest.schools.get(school.id)
    if entry is None:
        return Freshness(school.id, school.label, "missing", "never built")
    if entry.status == "failed":
        return Freshness(school.id, school.label, "failed", entry.error)
    if entry.status != "built":  # stale: its earlier outputs are kept, but its inputs since could not be built
        return Freshness(school.id, school.label, "stale", f"the last build failed: {entry.error}")
    wanted = tuple(t for t in topics if t in entry.topics) if topics else entry.topics  # of the school's own
    if not topics and entry.topic_set != fingerprints.topic_names:  # a school may build every topic there is
        return Freshness(school.id, school.label, "stale", "the topics in content/ changed")
    if not wanted:
        return Freshness(school.id, school.label, "current")
    touched: dict[str, int] = {}
    try:
        state, reason, behind = _compare(
            manifest, entry, school, fingerprints, toolchain, layouts or entry.layouts, wanted, touched
        )
    except OSError as exc:  # a school file or image that cannot be read now: building it will say why it fails
        state, reason, behind = "stale", describe(exc, manifest.workspace.root), ()
    return Freshness(school.id, school.label, state, reason, behind, touched)


def _compare(
    manifest: Manifest,
    entry: SchoolRecord,
    school: SchoolFile,
    fingerprints: Fingerprints,
    toolchain: Toolchain,
    layouts: tuple[str, ...],
    topics: tuple[str, ...],
    touched: dict[str, int],
) -> tuple[str, str, tuple[str, ...]]:
    """The state, its reason and the topics whose content alone changed, from the first other difference found
    (cheapest checks first); files found unchanged although touched go into ``touched``."""
    root, out_dir = manifest.workspace.root, manifest.workspace.out_dir
    for label, record in entry.images.items():
        if not _intact(f"{root}/{label}", record, touched):
            return "stale", f"{label} changed", ()
    sources = fingerprints.sources(school, entry.images)
    recorded = entry.sources
    before = replace(sources, content=recorded.content) if recorded and recorded.content != sources.content else sources
    outputs = {(o.topic, o.layout, o.format): o for o in entry.outputs}
    behind: dict[str, None] = {}
    for topic in topics:
        if topic not in fingerprints.topic_names:
            return "stale", f"the topic '{topic}' is no longer in content/", ()
        for name in layouts:
            layout = toolchain.layouts.get(name)
            if layout is None:
                return "stale", f"the '{name}' layout is no longer available", ()
            for fmt in layout.formats:
                output = outputs.get((topic, name, fmt))
                if output is None:
                    return "missing", f"no {fmt.upper()} of the '{name}' layout for topic '{topic}' yet", ()
                if output.inputs != output_inputs(sources, topic, layout.code, name, fmt):
                    if output.inputs != output_inputs(before, topic, layout.code, name, fmt):
                        return "stale", _changed(entry.sources, sources), ()
                    behind[topic] = None  # only this topic's content changed
                    continue
                path = f"{out_dir}/{output.path}"
                if not _intact(path, output, touched):
                    return (
                        "missing" if not os.path.exists(path) else "stale",
                        f"out/{output.path} is missing or was changed by hand",
                        (),
                    )
    if behind:
        return "stale", f"the content of {', '.join(f'content/{t}.yaml' for t in behind)} changed", tuple(behind)
    return "current", "", ()


def _intact(path: str, record: FileRecord, touched: dict[str, int]) -> bool:
    """``unchanged(path, record)``, noting a touched file's new time in ``touched``."""
    mtime_ns = unchanged(path, record)
    if mtime_ns is None:
        return False
    if mtime_ns != record.mtime_ns:
        touched[path] = mtime_ns
    return True


def _changed(recorded: Sources | None, now: Sources) -> str:
    """Which input besides the content changed, in words."""
    if recorded is None or recorded.config != now.config:
        return "its config file or a _defaults.yaml above it changed"
    return "the layout code, fonts or render libraries changed"
