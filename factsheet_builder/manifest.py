"""The build manifest, out/manifest.json: per school, the outputs built and the inputs they were built from,
or why the last build failed. A build reads it to skip what has not changed; ``status`` reads it to report."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from factsheet_builder import __version__
from factsheet_builder.exceptions import Problem
from factsheet_builder.files import NotReadable, read_limited
from factsheet_builder.output import LOCK, write_atomic
from factsheet_builder.records import Freshness, SchoolRecord, Toolchain, from_json, to_json
from factsheet_builder.workspace import SLUG, Workspace

MANIFEST = "manifest.json"
FORMAT = 4  # 4: entries are records as records.to_json writes them; 3: outputs are per topic
MAX_MANIFEST_BYTES = 1 << 30  # far above the kilobyte or so a school takes


class Manifest:
    """The manifest of one workspace's out/ folder: a record per school and the toolchain of the last build."""

    def __init__(
        self,
        workspace: Workspace,
        schools: dict[str, SchoolRecord] | None = None,
        toolchain: Toolchain | None = None,
        on_disk: bool = False,
        problem: Problem | None = None,
        lines: dict[str, str] | None = None,
    ) -> None:
        self.workspace = workspace
        self.schools = schools if schools is not None else {}
        self._toolchain = toolchain
        self.changed = not on_disk  # an unchanged manifest is not written again
        self.problem = problem  # a warning: why the manifest on disk was not used
        self._lines = lines or {}  # each school's line as read, written again while its entry is unchanged

    @classmethod
    def read(cls, workspace: Workspace) -> Manifest:
        """The manifest in out/, or an empty one (then everything is rebuilt) if it is missing or of an older
        format, or, with a warning, if it cannot be read or is not of the shape this version writes."""
        path = workspace.out_dir / MANIFEST
        if not os.path.lexists(path):
            return cls(workspace)
        try:
            data, lines = _parsed(read_limited(path, MAX_MANIFEST_BYTES))
        except NotReadable as exc:
            return cls(workspace, problem=_ignored(str(exc)))
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past Python's limit
            return cls(workspace, problem=_ignored("is not valid JSON"))
        if isinstance(data, dict) and isinstance(data.get("format"), int) and data["format"] != FORMAT:
            return cls(workspace)  # an older version's: rebuilt without a word
        try:
            schools = from_json(dict[str, SchoolRecord], data["schools"])
            toolchain = None if data.get("toolchain") is None else from_json(Toolchain, data["toolchain"])
        except (AttributeError, KeyError, TypeError, ValueError):
            schools, toolchain = None, None
        if schools is None or not all(_plausible(school_id, entry) for school_id, entry in schools.items()):
            return cls(workspace, problem=_ignored("is not of the shape this version writes (was it edited?)"))
        return cls(workspace, schools, toolchain, on_disk=True, lines=lines)

    def write(self) -> bool:
        """Write the manifest atomically if it changed; whether it did."""
        if not self.changed:
            return False
        write_atomic(self.workspace.out_dir / MANIFEST, self._json(), self.workspace.out_dir / LOCK)
        self.changed = False
        return True

    @property
    def toolchain(self) -> Toolchain | None:
        """The toolchain of the last build that rendered anything."""
        return self._toolchain

    @toolchain.setter
    def toolchain(self, value: Toolchain) -> None:
        self.changed |= self._toolchain != value
        self._toolchain = value

    def changed_entry(self, school_id: str) -> None:
        """Note that a school's entry changed, so that it is written again."""
        self.changed = True
        self._lines.pop(school_id, None)

    def record(self, result: SchoolRecord) -> None:
        """Note what a build made of one school: a built school's outputs (beside those of topics it did not
        build this time); a failed one keeps its last good outputs, marked stale; a skipped one is left as it was."""
        entry = self.schools.get(result.id)
        if result.status == "built":
            new = {(o.topic, o.layout, o.format) for o in result.outputs}
            kept = [o for o in (entry.outputs if entry else []) if (o.topic, o.layout, o.format) not in new]
            facts = result.facts
            if facts is not None and entry and entry.facts:  # some topics rebuilt: keep what the others gave
                before = entry.facts
                titles = {**before.titles, **facts.titles}
                facts = replace(facts, titles={topic: titles[topic] for topic in result.topics if topic in titles})
                if facts.thumbnail is None:
                    facts = replace(facts, thumbnail=before.thumbnail, thumbnail_layout=before.thumbnail_layout)
            outputs = sorted(kept + result.outputs, key=lambda o: (o.topic, o.layout, o.format))
            self.schools[result.id] = replace(result, outputs=outputs, facts=facts)
        elif result.status == "failed":
            if entry and entry.outputs:
                self.schools[result.id] = replace(entry, config=result.config, status="stale", problems=result.problems)
            else:
                self.schools[result.id] = result
        else:
            return
        self.changed_entry(result.id)

    def note_touched(self, school_id: str, touched: dict[str, int]) -> None:
        """Note the new times of a school's files that ``freshness`` found unchanged although touched (by path), so
        that the next build need not read them again."""
        entry = self.schools.get(school_id)
        if entry is None or not touched:
            return
        root, out_dir = self.workspace.root, self.workspace.out_dir
        for label, image in entry.images.items():
            image.mtime_ns = touched.get(f"{root}/{label}", image.mtime_ns)
        for output in entry.outputs:
            output.mtime_ns = touched.get(f"{out_dir}/{output.path}", output.mtime_ns)
        self.changed_entry(school_id)

    def orphans(self, known: set[str]) -> list[Freshness]:
        """Schools built before whose config file has since been removed."""
        return [
            Freshness(school_id, entry.config, "orphaned", "its config file was removed")
            for school_id, entry in sorted(self.schools.items())
            if school_id not in known
        ]

    def prune(self, known: set[str]) -> list[str]:
        """Delete the files the build made for each orphaned school (its outputs, its thumbnail and the preview
        pages of its PDFs), never any other file, and its out/<id>/ folder once that leaves it empty; what was
        deleted, in words. A school whose files cannot all be deleted stays listed as orphaned."""
        from factsheet_builder.page_images import PREVIEW_DIR  # a build with nothing to prune needs no pictures

        out_dir = self.workspace.out_dir.resolve()
        deleted = []
        for orphan in self.orphans(known):
            folder = out_dir / orphan.id
            if SLUG.fullmatch(orphan.id) and folder.is_dir() and folder.resolve().parent == out_dir:
                try:
                    for path in _made_for(self.schools[orphan.id], out_dir):
                        path.unlink(missing_ok=True)
                except OSError:
                    continue
                for empty in (folder / PREVIEW_DIR, folder):
                    with suppress(OSError):  # not empty: it holds files of someone else's
                        empty.rmdir()
                deleted.append(f"out/{orphan.id}/" + (" (kept: it holds other files)" if folder.exists() else ""))
            del self.schools[orphan.id]
            self.changed = True
        return deleted

    def _json(self) -> bytes:
        """The manifest as JSON with sorted keys and one school to a line: easy to grep, and quick to write for
        thousands of schools (an indented dump of 500 took longer than all the rest of a build with nothing to do)."""
        head: dict[str, Any] = {"format": FORMAT, "generator": f"factsheet-builder {__version__}"}
        if self._toolchain is not None:
            head["toolchain"] = to_json(self._toolchain)
        text = json.dumps(head, sort_keys=True, ensure_ascii=False)
        schools = ",\n".join(
            self._lines.get(school_id) or _line(school_id, entry) for school_id, entry in sorted(self.schools.items())
        )
        return f'{text[:-1]}, "schools": {{\n{schools}\n}}}}\n'.encode()


def _line(school_id: str, entry: SchoolRecord) -> str:
    return (
        f"{json.dumps(school_id, ensure_ascii=False)}: {json.dumps(to_json(entry), sort_keys=True, ensure_ascii=False)}"
    )


def _parsed(raw: bytes) -> tuple[Any, dict[str, str]]:
    """The manifest's JSON and, if it is laid out as ``Manifest._json`` writes it (a line of its own for each
    school), each school's line: a build that changes one school writes the others' lines again as they were
    (serialising thousands of entries took longer than the rest of a one-school rebuild's bookkeeping)."""
    text = raw.decode("utf-8")
    lines = text.split("\n")
    if len(lines) > 3 and lines[0].endswith('"schools": {') and lines[-2:] == ["}}", ""]:
        body = lines[1:-2]
        try:
            data = json.loads(lines[0] + "}}")
            schools: dict[str, Any] = {}
            kept: dict[str, str] = {}
            for number, line in enumerate(body, 1):
                line = line.removesuffix(",") if number < len(body) else line
                entry = json.loads(f"{{{line}}}")
                school_id = next(iter(entry)) if len(entry) == 1 else None
                if school_id is None or school_id in kept:
                    break  # not one school to a line as written (edited, say): read as a whole below
                kept[school_id] = line
                schools.update(entry)
            else:
                if isinstance(data, dict) and isinstance(data.get("schools"), dict) and not data["schools"]:
                    data["schools"] = schools
                    return data, kept
        except ValueError:
            pass
    return json.loads(text), {}


def _ignored(why: str) -> Problem:
    return Problem(f"out/{MANIFEST}", None, None, f"{why}; it is ignored and every school is built again", warning=True)


def _own(school_id: str, path: str) -> bool:
    """Whether ``path`` names a file inside the school's own folder (no empty, '..' or backslashed step)."""
    first, *rest = path.split("/")
    return first == school_id and bool(rest) and all(step and step != ".." and "\\" not in step for step in rest)


def _plausible(school_id: str, entry: SchoolRecord) -> bool:
    """Whether an entry read back could have been written by this version: a safe id, a known status, paths
    inside the school's own folder, a real date."""
    paths = [output.path for output in entry.outputs]
    facts = entry.facts
    if facts is not None and facts.thumbnail is not None:
        paths.append(facts.thumbnail)
    if facts is not None and facts.review_date:
        try:
            dt.date.fromisoformat(facts.review_date)
        except ValueError:  # the index page prints it as a date
            return False
    return (
        bool(SLUG.fullmatch(school_id))
        and entry.id == school_id
        and entry.status in ("built", "stale", "failed")
        and all(_own(school_id, path) for path in paths)
        and all(not os.path.isabs(label) and ".." not in label.split("/") for label in entry.images)
    )


def _made_for(entry: SchoolRecord, out_dir: Path) -> list[Path]:
    """The files under out/ that builds and previews made for a school: its outputs, its thumbnail and the
    preview pages of its PDFs (named '<pdf's name>-pageNN.png')."""
    from factsheet_builder.page_images import PREVIEW_DIR

    made = [out_dir / output.path for output in entry.outputs]
    if entry.facts is not None and entry.facts.thumbnail is not None:
        made.append(out_dir / entry.facts.thumbnail)
    for pdf in (path for path in made if path.suffix == ".pdf"):
        page = re.compile(re.escape(pdf.stem) + r"-page\d{2,}\.png")
        previews = pdf.parent / PREVIEW_DIR
        if previews.is_dir():
            made += [path for path in previews.iterdir() if page.fullmatch(path.name)]
    return [path for path in made if path.is_file() and not path.is_symlink()]
