"""The build manifest, out/manifest.json: per school, the outputs built and the inputs they were built from,
or why the last build failed. A build reads it to skip what has not changed; ``status`` reads it to report."""

from __future__ import annotations

from dataclasses import dataclass
import json
import os
from typing import TYPE_CHECKING, Any

from factsheet_builder import __version__
from factsheet_builder.fingerprint import Fingerprints, Toolchain, digest, unchanged
from factsheet_builder.output import write_atomic
from factsheet_builder.workspace import SLUG, SchoolFile, Workspace

if TYPE_CHECKING:
    from factsheet_builder.build import SchoolResult

MANIFEST = "manifest.json"
FORMAT = 3  # 3: outputs are per topic


def deps_digest(deps: dict[str, dict[str, Any]]) -> str:
    """One hash of the image files a school uses (logo, photos)."""
    return digest(*(f"{label}\0{record['sha256']}" for label, record in sorted(deps.items())))


def output_inputs(sources: dict[str, Any], content: str, code: str, topic: str, layout: str, fmt: str) -> str:
    """The hash of everything that determines one output: its topic's content, the config cascade, images,
    layout code, format."""
    return digest(content, sources["config"], sources["deps"], code, topic, layout, fmt)


@dataclass(frozen=True)
class Freshness:
    """Whether a school's leaflets match its inputs: state is current, missing, stale, failed or orphaned;
    ``topics``: when only some topics' content changed, those topics (their outputs alone need building)."""

    id: str
    config: str
    state: str
    reason: str = ""
    topics: tuple[str, ...] = ()

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

    def __init__(self, workspace: Workspace, data: dict[str, Any], on_disk: bool = False) -> None:
        self.workspace = workspace
        self.data = data
        self.changed = not on_disk  # an unchanged manifest is not written again

    @classmethod
    def read(cls, workspace: Workspace) -> Manifest:
        """The manifest in out/, or an empty one if it is missing, unreadable or of an older format."""
        try:
            data = json.loads((workspace.out_dir / MANIFEST).read_bytes())
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("schools"), dict):
            return cls(workspace, {"format": FORMAT, "schools": {}})
        return cls(workspace, data, on_disk=True)

    def write(self) -> bool:
        """Write the manifest atomically if it changed; whether it did."""
        if not self.changed:
            return False
        self.data["generator"] = f"factsheet-builder {__version__}"
        write_atomic(self.workspace.out_dir / MANIFEST, _json(self.data))
        self.changed = False
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
        self.changed |= self.data.get("toolchain") != value.to_json()
        self.data["toolchain"] = value.to_json()

    def _intact(self, path: str, record: dict[str, Any]) -> bool:
        """``unchanged(path, record)``, noting a touched file's new time for the next build."""
        before = record.get("mtime_ns")
        intact = unchanged(path, record)
        self.changed |= record.get("mtime_ns") != before
        return intact

    def freshness(self, school: SchoolFile, fingerprints: Fingerprints, toolchain: Toolchain,
                  layouts: tuple[str, ...] = (), topics: tuple[str, ...] = ()) -> Freshness:
        """Whether ``school``'s outputs of ``topics`` and ``layouts`` (default: those its config chose) match
        its inputs now."""
        entry = self.schools.get(school.id)

        def state(name: str, reason: str, behind: tuple[str, ...] = ()) -> Freshness:
            if entry and entry.get("error") and name == "stale":
                reason, behind = f"the last build failed: {entry['error']}", ()
            return Freshness(school.id, school.label, name, reason, behind)

        if entry is None:
            return state("missing", "never built")
        if entry.get("status") == "failed":
            return Freshness(school.id, school.label, "failed", entry.get("error", ""))
        recorded = entry.get("sources", {})
        root, out_dir = str(self.workspace.root), str(self.workspace.out_dir)
        for label, record in entry.get("deps", {}).items():
            if not self._intact(f"{root}/{label}", record):
                return state("stale", f"{label} changed")
        names = fingerprints.topic_names
        if not topics and entry.get("topic_set") != list(names):
            return state("stale", "the topics in content/ changed")
        sources = {"config": fingerprints.config(school), "deps": deps_digest(entry.get("deps", {}))}
        outputs = {(o["topic"], o["layout"], o["format"]): o for o in entry.get("outputs", [])}
        behind: list[str] = []
        for topic in topics or entry.get("topics", ()):
            if topic not in names:
                return state("stale", f"the topic '{topic}' is no longer in content/")
            content, before = fingerprints.topic(topic), recorded.get("content", {}).get(topic, "")
            for name in layouts or entry.get("layouts", ()):
                if name not in toolchain.layouts:
                    return state("stale", f"the '{name}' layout is no longer available")
                code = toolchain.code(name, fingerprints)
                for fmt in toolchain.layouts[name]["formats"]:
                    output = outputs.get((topic, name, fmt))
                    if output is None:
                        return state("missing", f"no {fmt.upper()} of the '{name}' layout for topic '{topic}' yet")
                    if output.get("inputs") != output_inputs(sources, content, code, topic, name, fmt):
                        if output.get("inputs") != output_inputs(sources, before, code, topic, name, fmt):
                            return state("stale", _changed(recorded, sources))
                        behind.append(topic)  # only this topic's content changed
                    elif not self._intact(f"{out_dir}/{output['path']}", output):
                        return state("missing" if not os.path.exists(f"{out_dir}/{output['path']}") else "stale",
                                     f"out/{output['path']} is missing or was changed by hand")
        if behind:
            behind = list(dict.fromkeys(behind))
            return state("stale", f"the content of {', '.join(f'content/{t}.yaml' for t in behind)} changed",
                         tuple(behind))
        return Freshness(school.id, school.label, "current")

    def record(self, result: SchoolResult) -> None:
        """Note what happened to one school; a failed school keeps its last good outputs, marked stale."""
        entry = self.schools.get(result.id)
        self.changed |= result.status != "skipped" or (entry is not None and entry.get("status") != "built")
        if result.status == "built":
            new = {(o["topic"], o["layout"], o["format"]) for o in result.outputs}
            kept = [o for o in (entry or {}).get("outputs", []) if (o["topic"], o["layout"], o["format"]) not in new]
            self.schools[result.id] = {
                **{key: (entry or {})[key] for key in ("thumbnail", "thumbnail_layout") if key in (entry or {})},
                "config": result.label, "status": "built", "sources": result.sources, "deps": result.deps,
                "layouts": list(result.layouts), "topics": list(result.topics), "topic_set": list(result.topic_set),
                "outputs": sorted(kept + result.outputs, key=lambda o: (o["topic"], o["layout"], o["format"])),
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
                import shutil

                shutil.rmtree(folder)
                deleted.append(f"out/{orphan.id}/")
            del self.schools[orphan.id]
            self.changed = True
        return deleted


def _json(data: dict[str, Any]) -> bytes:
    """The manifest as JSON with sorted keys and one school to a line: easy to grep, and quick to write for
    thousands of schools (an indented dump of 500 took longer than all the rest of a build with nothing to do)."""
    head = json.dumps({key: value for key, value in data.items() if key != "schools"}, sort_keys=True,
                      ensure_ascii=False)
    schools = ",\n".join(f"{json.dumps(school_id, ensure_ascii=False)}: "
                         f"{json.dumps(entry, sort_keys=True, ensure_ascii=False)}"
                         for school_id, entry in sorted(data["schools"].items()))
    return f'{head[:-1]}, "schools": {{\n{schools}\n}}}}\n'.encode("utf-8")


def _changed(recorded: dict[str, Any], now: dict[str, str]) -> str:
    """Which input besides the content changed, in words."""
    if recorded.get("config") != now["config"]:
        return "its config file or a _defaults.yaml above it changed"
    return "the layout code, fonts or render libraries changed"
