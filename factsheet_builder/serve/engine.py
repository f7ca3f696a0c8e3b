"""The server's one door into the build: the project opened once and kept loaded (topics, layouts, fonts, the work
remembered in out/.cache.json), each school checked and rebuilt in this process, and out/'s manifest and index
page kept up to date. A save checks and fits the school's would-be file; the rebuild that follows renders from that
check and fit when the file saved is the one checked, so a save does each once.

Everything the server asks of the library goes through here, so a change to how the library opens a project or
builds a school touches this module alone. Its methods are called from worker threads; ``lock`` makes them take
turns (ReportLab and PDFium are not made for two threads at once).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from factsheet_builder.cache import CACHE_NAME, Cache
from factsheet_builder.check import CheckedSchool, Fits, check_school, fit_school
from factsheet_builder.config.base_fields import Group
from factsheet_builder.config.load import school_schema
from factsheet_builder.config.yamlfile import MAX_FILE_BYTES
from factsheet_builder.exceptions import OutputError, Problem
from factsheet_builder.files import describe, read_limited
from factsheet_builder.fingerprint import Fingerprints
from factsheet_builder.freshness import freshness
from factsheet_builder.index_page import write_index
from factsheet_builder.manifest import MANIFEST, Manifest
from factsheet_builder.output import exclusive
from factsheet_builder.project import Project, open_project
from factsheet_builder.records import SchoolRecord, Toolchain
from factsheet_builder.school_build import build_school
from factsheet_builder.workspace import SchoolFile, Workspace

CHECKS_KEPT = 64  # checks' answers kept, by school file and defaults


@dataclass(frozen=True)
class Opened:
    """What is loaded once and shared by every request until content/ or layouts/ change."""

    project: Project
    toolchain: Toolchain
    cache: Cache  # the work remembered in out/.cache.json, written back after each rebuild that added to it
    schema: Group  # the school-file schema of these topics and layouts: the form is made from it
    unserved: tuple[Problem, ...]  # school files left out, each with why (a name that is not an id, an id twice)

    def school(self, school_id: str) -> SchoolFile | None:
        """The school file of ``school_id``, or None when the workspace has no such school."""
        return next((s for s in self.project.schools if s.id == school_id), None)


class Engine:
    """One workspace opened for serving: check a school's would-be file, rebuild a school, read what out/ holds."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.lock = threading.RLock()
        self._seen: tuple[int, int, int] | None = None  # the manifest file as last read or written
        self.manifest = self._read_manifest()
        self.opened = self._open()
        self._checked: dict[tuple[str, ...], list[Problem]] = {}
        self._fitted: tuple[CheckedSchool, Fits] | None = None  # the last school checked and fitted

    def reload(self) -> None:
        """Open the project again (content/, layouts/ or the school files changed); ConfigError if it cannot be."""
        with self.lock:
            self.manifest = self._read_manifest()
            self.opened = self._open()
            self._checked, self._fitted = {}, None

    def _open(self) -> Opened:
        fingerprints = Fingerprints(self.workspace)
        discovered = self.workspace.discover()
        project = open_project(self.workspace, discovered=discovered)
        toolchain = fingerprints.toolchain(project.registry, self.manifest.toolchain)
        cache = Cache.read(self.workspace.out_dir / CACHE_NAME, fingerprints.cache_stamp(toolchain))
        schema = school_schema(project.registry, project.topics)
        return Opened(project, toolchain, cache, schema, tuple(discovered[1]))

    def check(self, school: SchoolFile, text: str | None = None) -> list[Problem]:
        """What ``factsheet check`` says of the school (with its file's would-be ``text``): the same code, its answer
        kept for the same file and defaults (a save checks the text its page then shows)."""
        with self.lock:
            key = self._check_key(school, text)
            found = self._checked.get(key) if key else None
            if found is None:
                project = self.opened.project
                checked = check_school(project, school, text=text)
                found = list(checked.problems)
                if checked.config is not None and checked.sheets is not None:
                    fits, problems = fit_school(project, school, checked.config, checked.sheets, self.opened.cache)
                    found += problems
                    self._fitted = checked, fits
                if key:
                    self._checked = dict(list(self._checked.items())[-CHECKS_KEPT:]) | {key: found}
            return list(found)

    def _check_key(self, school: SchoolFile, text: str | None) -> tuple[str, ...] | None:
        """What a check's answer depends on besides the project: the school file's bytes and its defaults' state."""
        try:
            data = text.encode("utf-8") if text is not None else read_limited(school.path, MAX_FILE_BYTES)
            defaults = [os.stat(path) for path in school.defaults]
        except OSError:
            return None
        states = (f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}" for info in defaults)
        return (school.id, hashlib.sha256(data).hexdigest(), *states)

    def stale(self, ids: Sequence[str] = ()) -> list[str]:
        """The schools (of ``ids``, else all) whose outputs do not match their inputs now, as a build would see."""
        with self.lock:
            self._follow_manifest()
            fingerprints = Fingerprints(self.workspace)
            schools = [s for s in self.opened.project.schools if not ids or s.id in ids]
            stale = []
            for school in schools:
                state = freshness(self.manifest, school, fingerprints, self.opened.toolchain)
                self.manifest.note_touched(school.id, state.touched)
                if not state.current:
                    stale.append(school.id)
            return stale

    def rebuild(self, school_id: str) -> SchoolRecord | None:
        """Build one school into out/ and record it in the manifest and the index page; None if it is gone.

        BuildError when another build (``factsheet build``) is writing to out/ at this moment.
        """
        with self.lock, exclusive(self.workspace.out_dir):
            school = self.opened.school(school_id)
            if school is None:
                return None
            self._follow_manifest()
            checked, fits = self._fitted_now(school)
            opened = self.opened
            record = build_school(
                opened.project, school, cache=opened.cache, toolchain=opened.toolchain, checked=checked, fits=fits
            )
            self.manifest.toolchain = opened.toolchain
            self.manifest.record(record)
            with self._writing("the leaflets are built, but the manifest could not be written"):
                self.manifest.write()
                self._seen = self._manifest_stat()
            opened.cache.write()
            return record

    def _fitted_now(self, school: SchoolFile) -> tuple[CheckedSchool | None, Fits | None]:
        """The last check and fit, if they were of ``school`` with the very files it has now (the text a save
        checked, now written), else nothing: the build then checks and fits the school itself."""
        if self._fitted is None:
            return None, None
        checked, fits = self._fitted
        config = checked.config
        if config is None or config.id != school.id:
            return None, None
        try:
            now = Fingerprints(self.workspace).config(school)
        except OSError:
            return None, None
        return (checked, fits) if config.cascade == now else (None, None)

    def write_index(self) -> None:
        """Write out/index.html from the manifest, if what it shows changed (after a batch of rebuilds: its check
        alone reads every school's files, 20 ms for 500, which no save need wait for)."""
        with self.lock, exclusive(self.workspace.out_dir), self._writing("the index page could not be written"):
            self._follow_manifest()
            write_index(self.workspace.out_dir, self.manifest.schools)

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """A fault writing out/ as OutputError, in one line naming the file."""
        try:
            yield
        except OSError as exc:
            raise OutputError(f"{describe(exc, self.workspace.root)}; {what}") from None

    def record(self, school_id: str) -> SchoolRecord | None:
        """What the manifest says of a school: its outputs and status, or None if it was never built."""
        return self.manifest.schools.get(school_id)

    def _read_manifest(self) -> Manifest:
        manifest = Manifest.read(self.workspace)
        self._seen = self._manifest_stat()
        return manifest

    def _follow_manifest(self) -> None:
        """Read the manifest again if another process (``factsheet build``) wrote it since."""
        if self._manifest_stat() != self._seen:
            self.manifest = self._read_manifest()

    def _manifest_stat(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.workspace.out_dir / MANIFEST)
        except OSError:
            return None
        return info.st_ino, info.st_size, info.st_mtime_ns
