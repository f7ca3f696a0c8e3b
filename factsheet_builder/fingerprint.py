"""Input fingerprints: hashes of everything that determines an output, taken from raw bytes.

Nothing here parses YAML or imports a renderer, so that deciding "nothing changed" costs only file reads.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet_builder import __version__
from factsheet_builder.environment import environment_stamp, render_libraries
from factsheet_builder.files import digest, read_limited
from factsheet_builder.records import FileRecord, LayoutRecord, Sources, Toolchain
from factsheet_builder.workspace import SchoolFile, Workspace

if TYPE_CHECKING:
    from factsheet_builder.layouts.registry import Registry

PACKAGE_DIR = Path(__file__).resolve().parent
MAX_HASHED = 1 << 30  # no input or output of a leaflet comes near a gigabyte


def file_sha256(path: Path) -> str:
    """The sha256 of a regular file's bytes; an OSError for anything else (a FIFO or device would never end)."""
    return hashlib.sha256(read_limited(path, MAX_HASHED)).hexdigest()


def tree_digest(root: Path, pattern: str, skip_suffix: tuple[str, ...] = ()) -> str:
    """One hash of every file under ``root`` matching ``pattern``: relative names and bytes, in sorted order."""
    if not root.is_dir():
        return digest("absent")
    files = sorted(
        p
        for p in root.rglob(pattern)
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(skip_suffix)
    )
    return digest(*(part for p in files for part in (p.relative_to(root).as_posix(), _bytes_or_why(p))))


def _bytes_or_why(path: Path) -> bytes | str:
    """A file's bytes, or why they cannot be read (the file that needs them reports it; this hash only changes)."""
    try:
        return read_limited(path, MAX_HASHED)
    except OSError as exc:
        return f"unreadable: {exc}"


class Fingerprints:
    """The input hashes of one workspace, each file read at most once per run."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._files: dict[str, str] = {}  # by path as a string: hashing a Path object is slow in a loop of thousands

    def file(self, path: Path) -> str:
        """A file's sha256, cached: a _defaults.yaml is shared by every school below it."""
        key = os.fspath(path)
        found = self._files.get(key)
        if found is None:
            found = self._files[key] = file_sha256(path)
        return found

    @cached_property
    def topic_names(self) -> tuple[str, ...]:
        """The names of the workspace's topics: its content/<topic>.yaml files."""
        return self.workspace.topic_names

    def topic(self, name: str) -> str:
        """The sha256 of one topic's content file (a file that cannot be read gets a hash of its own: loading the
        topic says why)."""
        try:
            return self.file(self.workspace.content_dir / f"{name}.yaml")
        except OSError:
            return digest("unreadable")

    @cached_property
    def content(self) -> dict[str, str]:
        """The sha256 of each topic's content file, by topic."""
        return {name: self.topic(name) for name in self.topic_names}

    @cached_property
    def package(self) -> str:
        """This package's code, templates and fonts, its version, and the Python and zlib that write the bytes."""
        return digest(
            __version__,
            f"{sys.version_info[:2]}",
            zlib.ZLIB_RUNTIME_VERSION,
            tree_digest(PACKAGE_DIR, "*.py"),
            tree_digest(PACKAGE_DIR / "fonts", "*"),
            tree_digest(PACKAGE_DIR / "templates", "*.j2"),
        )

    @cached_property
    def workspace_layouts(self) -> str:
        """The workspace's layouts/ folder: its layouts and their private helpers."""
        return tree_digest(self.workspace.layouts_dir, "*.py")

    def config(self, school: SchoolFile) -> str:
        """A school's file and every _defaults.yaml above it, in cascade order."""
        return digest(*(self.file(path) for path in (*school.defaults, school.path)))

    def sources(self, school: SchoolFile, images: dict[str, FileRecord]) -> Sources:
        """The hashes of a school's inputs now, given the image files it uses (by workspace-relative label)."""
        return Sources(dict(self.content), self.config(school), images_digest(images))

    def toolchain(self, registry: Registry, recorded: Toolchain | None = None) -> Toolchain:
        """The toolchain of a loaded layout registry; library versions come from importlib.metadata, unless the
        ``recorded`` toolchain saw the same installed packages."""
        libraries = self._libraries(recorded)
        return Toolchain(
            environment_stamp(),
            self.package,
            self.workspace_layouts,
            libraries,
            {
                name: LayoutRecord(
                    registry.origins[name],
                    tuple(registry[name].formats),
                    self._code(registry.origins[name], registry.sources(name), libraries),
                )
                for name in registry
            },
        )

    def cache_stamp(self, recorded: Toolchain | None = None) -> str:
        """What all work remembered between builds depends on besides its own key: this package's code and fonts,
        the workspace's layouts, the render libraries' versions and SOURCE_DATE_EPOCH (no layout need be loaded)."""
        return digest(
            self.package, self.workspace_layouts, self._libraries(recorded), os.environ.get("SOURCE_DATE_EPOCH", "")
        )

    def _libraries(self, recorded: Toolchain | None) -> str:
        """The render libraries' versions: the ``recorded`` toolchain's if it saw the same installed packages."""
        return recorded.libraries if recorded and recorded.environment == environment_stamp() else render_libraries()

    def _code(self, origin: str, sources: Sequence[Path], libraries: str) -> str:
        """A layout's code: its source files, and this package (whose model and helpers every layout draws with)."""
        own = (part for path in sources for part in (path.name, self.file(path)))
        return digest(self.package, libraries, origin, *own, os.environ.get("SOURCE_DATE_EPOCH", ""))

    def still_current(self, toolchain: Toolchain) -> bool:
        """Whether a recorded toolchain still holds: same packages installed, same code, same workspace layouts."""
        return (
            toolchain.package == self.package
            and toolchain.workspace_layouts == self.workspace_layouts
            and toolchain.environment == environment_stamp()
        )


def images_digest(images: dict[str, FileRecord]) -> str:
    """One hash of the images a school uses (by workspace-relative label)."""
    return digest(*(f"{label}\0{record.sha256}" for label, record in sorted(images.items())))


def output_inputs(sources: Sources, topic: str, code: str, layout: str, fmt: str) -> str:
    """The hash of everything that determines one output: its topic's content, the config cascade, images,
    layout code, format."""
    return digest(sources.content.get(topic, ""), sources.config, sources.images, code, topic, layout, fmt)


def unchanged(path: str, record: FileRecord) -> int | None:
    """The file's modification time if it still has the recorded bytes (the same size and time, or failing that the
    same sha256), else None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if info.st_size != record.size:
        return None
    if info.st_mtime_ns == record.mtime_ns or file_sha256(Path(path)) == record.sha256:
        return info.st_mtime_ns
    return None
