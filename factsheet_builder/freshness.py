"""Is a school's output stale, and why: its inputs' hashes now against the manifest's record of its last build."""

from __future__ import annotations

import os

from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints, output_inputs, unchanged
from factsheet_builder.manifest import Manifest
from factsheet_builder.records import FileRecord, Freshness, SchoolRecord, Sources, Toolchain
from factsheet_builder.workspace import SchoolFile


def freshness(manifest: Manifest, school: SchoolFile, fingerprints: Fingerprints, toolchain: Toolchain,
              layouts: tuple[str, ...] = ()) -> Freshness:
    """Whether ``school``'s outputs of ``layouts`` (default: those its config chose) match its inputs now."""
    entry = manifest.schools.get(school.id)
    if entry is None:
        return Freshness(school.id, school.label, "missing", "never built")
    if entry.status == "failed":
        return Freshness(school.id, school.label, "failed", entry.error)
    try:
        state, reason = _compare(manifest, entry, school, fingerprints, toolchain, layouts or entry.layouts)
    except OSError as exc:  # a school file or image that cannot be read now: building it will say why it fails
        state, reason = "stale", describe(exc, manifest.workspace.root)
    if state == "stale" and entry.error:
        reason = f"the last build failed: {entry.error}"
    return Freshness(school.id, school.label, state, reason)


def _compare(manifest: Manifest, entry: SchoolRecord, school: SchoolFile, fingerprints: Fingerprints,
             toolchain: Toolchain, layouts: tuple[str, ...]) -> tuple[str, str]:
    """The state and its reason, from the first difference found (cheapest checks first)."""
    root, out_dir = manifest.workspace.root, manifest.workspace.out_dir
    for label, record in entry.images.items():
        if not _intact(manifest, f"{root}/{label}", record):
            return "stale", f"{label} changed"
    sources = fingerprints.sources(school, entry.images)
    outputs = {(o.layout, o.format): o for o in entry.outputs}
    for name in layouts:
        layout = toolchain.layouts.get(name)
        if layout is None:
            return "stale", f"the '{name}' layout is no longer available"
        for fmt in layout.formats:
            output = outputs.get((name, fmt))
            if output is None:
                return "missing", f"no {fmt.upper()} of the '{name}' layout yet"
            if output.inputs != output_inputs(sources, layout.code, name, fmt):
                return "stale", _changed(entry.sources, sources)
            path = f"{out_dir}/{output.path}"
            if not _intact(manifest, path, output):
                return ("missing" if not os.path.exists(path) else "stale",
                        f"out/{output.path} is missing or was changed by hand")
    return "current", ""


def _intact(manifest: Manifest, path: str, record: FileRecord) -> bool:
    """``unchanged(path, record)``, noting a touched file's new time in the manifest for the next build."""
    before = record.mtime_ns
    intact = unchanged(path, record)
    manifest.changed |= record.mtime_ns != before
    return intact


def _changed(recorded: Sources | None, now: Sources) -> str:
    """Which input changed, in words."""
    if recorded is None or recorded.content != now.content:
        return "the content changed"
    if recorded.config != now.config:
        return "its config file or a _defaults.yaml above it changed"
    return "the layout code, fonts or render libraries changed"
