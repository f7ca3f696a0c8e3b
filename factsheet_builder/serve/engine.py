"""The server's one door into the build: the project opened once and kept loaded (topics, layouts, fonts, the work
remembered in out/.cache.json), each school checked and rebuilt in this process, and out/'s manifest and index
page kept up to date.

Everything the server asks of the library goes through here, so a change to how the library opens a project or
builds a school touches this module alone. Its methods are called from worker threads; ``lock`` makes them take
turns (ReportLab and PDFium are not made for two threads at once).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from factsheet_builder import cache
from factsheet_builder.check import check_school, fit_problems
from factsheet_builder.config.base_fields import Group
from factsheet_builder.config.load import school_schema
from factsheet_builder.exceptions import OutputError, Problem
from factsheet_builder.files import describe
from factsheet_builder.fingerprint import Fingerprints
from factsheet_builder.freshness import freshness
from factsheet_builder.index_page import write_index
from factsheet_builder.manifest import MANIFEST, Manifest
from factsheet_builder.output import exclusive
from factsheet_builder.project import Project, open_project
from factsheet_builder.records import SchoolRecord, SchoolResult, Toolchain
from factsheet_builder.school_build import build_school
from factsheet_builder.workspace import SchoolFile, Workspace


@dataclass(frozen=True)
class Opened:
    """What is loaded once and shared by every request until content/ or layouts/ change."""

    project: Project
    toolchain: Toolchain
    schema: Group  # the school-file schema of these topics and layouts: the form is made from it

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

    def reload(self) -> None:
        """Open the project again (content/, layouts/ or the school files changed); ConfigError if it cannot be."""
        with self.lock:
            self.manifest = self._read_manifest()
            self.opened = self._open()

    def _open(self) -> Opened:
        fingerprints = Fingerprints(self.workspace)
        cache.use(self.workspace.out_dir / cache.CACHE_NAME, fingerprints.cache_stamp(self.manifest.toolchain))
        project = open_project(self.workspace)
        toolchain = fingerprints.toolchain(project.registry, self.manifest.toolchain)
        return Opened(project, toolchain, school_schema(project.registry, project.topics))

    def check(self, school: SchoolFile, text: str | None = None) -> list[Problem]:
        """What ``factsheet check`` says of the school (with its file's would-be ``text``): the same code."""
        with self.lock:
            project = self.opened.project
            config, sheets, problems = check_school(project, school, text=text)
            if config is not None and sheets is not None:
                problems += fit_problems(project, school, config, sheets)
            return problems

    def stale(self, ids: Sequence[str] = ()) -> list[str]:
        """The schools (of ``ids``, else all) whose outputs do not match their inputs now, as a build would see."""
        with self.lock:
            self._follow_manifest()
            fingerprints = Fingerprints(self.workspace)
            schools = [s for s in self.opened.project.schools if not ids or s.id in ids]
            return [
                s.id for s in schools if not freshness(self.manifest, s, fingerprints, self.opened.toolchain).current
            ]

    def rebuild(self, school_id: str) -> SchoolResult | None:
        """Build one school into out/ and record it in the manifest and the index page; None if it is gone.

        BuildError when another build (``factsheet build``) is writing to out/ at this moment.
        """
        with self.lock, exclusive(self.workspace.out_dir):
            school = self.opened.school(school_id)
            if school is None:
                return None
            self._follow_manifest()
            result = build_school(
                self.opened.project, school, fingerprints=Fingerprints(self.workspace), toolchain=self.opened.toolchain
            )
            self.manifest.toolchain = self.opened.toolchain
            self.manifest.record(result)
            try:
                self.manifest.write()
                self._seen = self._manifest_stat()
                write_index(self.workspace.out_dir, self.manifest.schools)
            except OSError as exc:
                raise OutputError(
                    f"{describe(exc, self.workspace.root)}; the leaflets are built, but the manifest or index page "
                    "could not be written"
                ) from None
            return result

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
