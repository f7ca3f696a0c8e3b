"""The build manifest, out/manifest.json: per school, the outputs built and the inputs they were built from,
or why the last build failed. A build reads it to skip what has not changed; ``status`` reads it to report."""

from __future__ import annotations

from dataclasses import dataclass
import json
import shutil
from typing import TYPE_CHECKING, Any

from factsheet_builder import __version__
from factsheet_builder.fingerprint import Fingerprints, Toolchain, digest, unchanged
from factsheet_builder.output import json_bytes, write_atomic
from factsheet_builder.workspace import SLUG, SchoolFile, Workspace

if TYPE_CHECKING:
    from factsheet_builder.build import SchoolResult

MANIFEST = "manifest.json"
FORMAT = 2


def deps_digest(deps: dict[str, dict[str, Any]]) -> str:
    """One hash of the image files a school uses (logo, photos)."""
    return digest(*(f"{label}\0{record['sha256']}" for label, record in sorted(deps.items())))


def output_inputs(sources: dict[str, str], code: str, layout: str, fmt: str) -> str:
    """The hash of everything that determines one output: content, config cascade, images, layout code, format."""
    return digest(sources["content"], sources["config"], sources["deps"], code, layout, fmt)


@dataclass(frozen=True)
class Freshness:
    """Whether a school's leaflets match its inputs: state is current, missing, stale, failed or orphaned."""

    id: str
    config: str
    state: str
    reason: str = ""

    @property
    def current(self) -> bool:
        return self.state == "current"

    def __str__(self) -> str:
        return f"{self.state:<9} {self.id}" + (f": {self.reason}" if self.reason else "")


STATES = ("current", "missing", "stale", "failed", "orphaned")


def summary(states: list[Freshness]) -> str:
    """One line counting the schools in each state."""
    counts = {name: sum(s.state == name for s in states) for name in STATES}
    schools = len(states) - counts["orphaned"]
    return (f"{schools} school{'s' if schools != 1 else ''}: {counts['current']} up to date, {counts['missing']} "
            f"missing, {counts['stale']} stale, {counts['failed']} failed; {counts['orphaned']} orphaned")


class Manifest:
    """The manifest of one workspace's out/ folder, as a plain JSON-able dict of small records."""

    def __init__(self, workspace: Workspace, data: dict[str, Any], raw: bytes = b"") -> None:
        self.workspace = workspace
        self.data = data
        self._raw = raw  # the bytes on disk, so that an unchanged manifest is not rewritten

    @classmethod
    def read(cls, workspace: Workspace) -> Manifest:
        """The manifest in out/, or an empty one if it is missing, unreadable or of an older format."""
        try:
            raw = (workspace.out_dir / MANIFEST).read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError):
            raw, data = b"", None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("schools"), dict):
            data = {"format": FORMAT, "schools": {}}
        return cls(workspace, data, raw)

    def write(self) -> bool:
        """Write the manifest atomically if it changed; whether it did."""
        self.data["generator"] = f"factsheet-builder {__version__}"
        raw = json_bytes(self.data)
        if raw == self._raw:
            return False
        write_atomic(self.workspace.out_dir / MANIFEST, raw)
        self._raw = raw
        return True

    @property
    def schools(self) -> dict[str, dict[str, Any]]:
        return self.data["schools"]

    @property
    def toolchain(self) -> Toolchain | None:
        """The toolchain of the last build that rendered anything."""
        return Toolchain.from_json(self.data.get("toolchain"))

    @toolchain.setter
    def toolchain(self, value: Toolchain) -> None:
        self.data["toolchain"] = value.to_json()

    def freshness(self, school: SchoolFile, fingerprints: Fingerprints, toolchain: Toolchain,
                  layouts: tuple[str, ...] = ()) -> Freshness:
        """Whether ``school``'s outputs of ``layouts`` (default: those its config chose) match its inputs now."""
        entry = self.schools.get(school.id)

        def state(name: str, reason: str) -> Freshness:
            if entry and entry.get("error") and name == "stale":
                reason = f"the last build failed: {entry['error']}"
            return Freshness(school.id, school.label, name, reason)

        if entry is None:
            return state("missing", "never built")
        if entry.get("status") == "failed":
            return Freshness(school.id, school.label, "failed", entry.get("error", ""))
        recorded = entry.get("sources", {})
        for label, record in entry.get("deps", {}).items():
            if not unchanged(self.workspace.root / label, record):
                return state("stale", f"{label} changed")
        sources = {"content": fingerprints.content, "config": fingerprints.config(school),
                   "deps": deps_digest(entry.get("deps", {}))}
        outputs = {(o["layout"], o["format"]): o for o in entry.get("outputs", [])}
        for name in layouts or entry.get("layouts", ()):
            if name not in toolchain.layouts:
                return state("stale", f"the '{name}' layout is no longer available")
            code = toolchain.code(name, fingerprints)
            for fmt in toolchain.layouts[name]["formats"]:
                output = outputs.get((name, fmt))
                if output is None:
                    return state("missing", f"no {fmt.upper()} of the '{name}' layout yet")
                if output.get("inputs") != output_inputs(sources, code, name, fmt):
                    return state("stale", _changed(recorded, sources))
                if not unchanged(self.workspace.out_dir / output["path"], output):
                    return state("missing" if not (self.workspace.out_dir / output["path"]).exists() else "stale",
                                 f"out/{output['path']} is missing or was changed by hand")
        return Freshness(school.id, school.label, "current")

    def record(self, result: SchoolResult) -> None:
        """Note what happened to one school; a failed school keeps its last good outputs, marked stale."""
        entry = self.schools.get(result.id)
        if result.status == "built":
            new = {(o["layout"], o["format"]) for o in result.outputs}
            kept = [o for o in (entry or {}).get("outputs", []) if (o["layout"], o["format"]) not in new]
            self.schools[result.id] = {
                "config": result.label, "status": "built", "sources": result.sources, "deps": result.deps,
                "layouts": list(result.layouts),
                "outputs": sorted(kept + result.outputs, key=lambda o: (o["layout"], o["format"])),
                **result.summary,
            }
        elif result.status == "failed":
            error = str(result.errors[0]) if result.errors else "failed"
            if entry and entry.get("outputs"):
                entry.update(config=result.label, status="stale", error=error)
            else:
                self.schools[result.id] = {"config": result.label, "status": "failed", "error": error}
        elif entry is not None and entry.get("status") != "built":  # skipped: its inputs are back to the built ones
            entry["status"] = "built"
            entry.pop("error", None)

    def orphans(self, known: set[str]) -> list[Freshness]:
        """Schools built before whose config file has since been removed."""
        return [Freshness(school_id, entry.get("config", ""), "orphaned", "its config file was removed")
                for school_id, entry in sorted(self.schools.items()) if school_id not in known]

    def prune(self, known: set[str]) -> list[str]:
        """Delete the out/<id>/ folder of each orphaned school, never anything outside out/; the folders deleted."""
        out_dir = self.workspace.out_dir.resolve()
        deleted = []
        for orphan in self.orphans(known):
            folder = out_dir / orphan.id
            if SLUG.match(orphan.id) and folder.is_dir() and folder.resolve().parent == out_dir:
                shutil.rmtree(folder)
                deleted.append(f"out/{orphan.id}/")
            del self.schools[orphan.id]
        return deleted


def _changed(recorded: dict[str, str], now: dict[str, str]) -> str:
    """Which input changed, in words."""
    if recorded.get("content") != now["content"]:
        return "the content changed"
    if recorded.get("config") != now["config"]:
        return "its config file or a _defaults.yaml above it changed"
    return "the layout code, fonts or render libraries changed"
