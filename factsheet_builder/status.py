"""``factsheet status``: which schools' outputs are missing, stale, failed or orphaned, without building."""

from __future__ import annotations

from collections.abc import Sequence

from factsheet_builder.exceptions import Problem
from factsheet_builder.fingerprint import Fingerprints
from factsheet_builder.freshness import freshness
from factsheet_builder.manifest import Manifest
from factsheet_builder.project import select
from factsheet_builder.records import STATES, Freshness
from factsheet_builder.workspace import Workspace


def status(workspace: Workspace, ids: Sequence[str] = ()) -> tuple[list[Freshness], list[Problem]]:
    """Whether each selected school's leaflets match its inputs, then the schools whose config was removed; and
    the warnings met on the way (files skipped under schools/, a manifest that cannot be used)."""
    schools, problems = workspace.discover()
    manifest = Manifest.read(workspace)
    warnings = sorted({*problems, *([manifest.problem] if manifest.problem else [])})
    fingerprints = Fingerprints(workspace)
    toolchain = manifest.toolchain
    if toolchain is None or not fingerprints.still_current(toolchain):
        from factsheet_builder.layouts.registry import discover

        toolchain = fingerprints.toolchain(discover(workspace.layouts_dir, workspace.root), toolchain)
    states = [freshness(manifest, school, fingerprints, toolchain) for school in select(schools, ids)]
    return (states if ids else states + manifest.orphans({school.id for school in schools})), warnings


def counts_line(states: list[Freshness]) -> str:
    """One line counting the schools in each state."""
    counts = {name: sum(s.state == name for s in states) for name in STATES}
    schools = len(states) - counts["orphaned"]
    return (
        f"{schools} school{'s' if schools != 1 else ''}: {counts['current']} up to date, {counts['missing']} "
        f"missing, {counts['stale']} stale, {counts['failed']} failed; {counts['orphaned']} orphaned"
    )
