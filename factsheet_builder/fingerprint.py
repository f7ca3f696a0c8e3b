"""Input fingerprints: hashes of everything that determines an output, taken from raw bytes.

Nothing here parses YAML or imports a renderer, so that deciding "nothing changed" costs only file reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
import hashlib
import os
from pathlib import Path
import sys
from typing import Any
import zlib

from factsheet_builder import __version__
from factsheet_builder.workspace import SchoolFile, Workspace

PACKAGE_DIR = Path(__file__).resolve().parent
BUILT_IN = "built-in"  # the registry's origin of the package's own layouts
RENDER_LIBRARIES = ("reportlab", "rl_accel", "python-docx", "lxml", "pillow")


def digest(*parts: str | bytes) -> str:
    """The sha256 of several parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(root: Path, pattern: str, skip_suffix: tuple[str, ...] = ()) -> str:
    """One hash of every file under ``root`` matching ``pattern``: relative names and bytes, in sorted order."""
    if not root.is_dir():
        return digest("absent")
    files = sorted(p for p in root.rglob(pattern)
                   if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(skip_suffix))
    return digest(*(part for p in files for part in (p.relative_to(root).as_posix(), p.read_bytes())))


def environment_stamp() -> str:
    """Changes when packages are installed or removed: the interpreter and the modification times of its
    import folders (sys.path[0], the script's or current folder, is left out as it changes with every build)."""
    entries = []
    for entry in sys.path[1:]:
        try:
            entries.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            entries.append(f"{entry}:-")
    return digest(sys.executable, sys.version, *entries)


def render_libraries() -> str:
    """Versions of the libraries that write the output bytes (imports importlib.metadata: slow path only)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in RENDER_LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)


class Fingerprints:
    """The input hashes of one workspace, each file read at most once per run."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._files: dict[Path, str] = {}
        self._codes: dict[tuple[str, str], str] = {}

    def file(self, path: Path) -> str:
        """A file's sha256, cached: a _defaults.yaml is shared by every school below it."""
        if path not in self._files:
            self._files[path] = file_sha256(path)
        return self._files[path]

    @cached_property
    def topic_names(self) -> tuple[str, ...]:
        """The names of the workspace's topics: its content/<topic>.yaml files."""
        return self.workspace.topic_names

    def topic(self, name: str) -> str:
        """The sha256 of one topic's content file."""
        return self.file(self.workspace.content_dir / f"{name}.yaml")

    @cached_property
    def package(self) -> str:
        """This package's code and fonts, its version, and the Python and zlib that write the bytes."""
        return digest(__version__, f"{sys.version_info[:2]}", zlib.ZLIB_RUNTIME_VERSION,
                      tree_digest(PACKAGE_DIR, "*.py"), tree_digest(PACKAGE_DIR / "fonts", "*"))

    @cached_property
    def workspace_layouts(self) -> str:
        """The workspace's layouts/ folder: its layouts and their private helpers."""
        return tree_digest(self.workspace.layouts_dir, "*.py")

    def registry(self, entry_points: str) -> str:
        """What decides which layouts exist: the workspace's layout files and the installed entry points."""
        return digest(self.workspace_layouts, entry_points)

    def code(self, origin: str, libraries: str) -> str:
        """A layout's code: the package (every layout uses its rendering helpers) and the layout's own source."""
        if (origin, libraries) not in self._codes:
            own = "" if origin == BUILT_IN else self.workspace_layouts if origin.startswith("layouts/") else origin
            # ReportLab dates a PDF from SOURCE_DATE_EPOCH when a packager sets it, and from nothing otherwise
            self._codes[origin, libraries] = digest(self.package, libraries, origin, own,
                                                    os.environ.get("SOURCE_DATE_EPOCH", ""))
        return self._codes[origin, libraries]

    def config(self, school: SchoolFile) -> str:
        """A school's file and every _defaults.yaml above it, in cascade order."""
        return digest(*(self.file(path) for path in (*school.defaults, school.path)))


def stat_record(path: Path, sha256: str | None = None) -> dict[str, object]:
    """Size, modification time and sha256 of a file, as kept in the manifest."""
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": sha256 or file_sha256(path)}


def unchanged(path: str, record: dict[str, object]) -> bool:
    """Whether a file still has the recorded bytes: the same size and time, or failing that the same sha256."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    if info.st_size != record.get("size"):
        return False
    if info.st_mtime_ns == record.get("mtime_ns"):
        return True
    if file_sha256(Path(path)) != record.get("sha256"):
        return False
    record["mtime_ns"] = info.st_mtime_ns  # touched, not changed: remember, so the bytes are read only once
    return True


@dataclass(frozen=True)
class Toolchain:
    """What draws the outputs: each layout's origin and formats, the render libraries and this package's code."""

    environment: str
    package: str
    workspace_layouts: str
    libraries: str
    layouts: dict[str, dict[str, Any]]  # name -> {"origin": ..., "formats": [...]}

    @classmethod
    def of(cls, registry: Any, fingerprints: Fingerprints, recorded: Toolchain | None = None) -> Toolchain:
        """The toolchain of a loaded layout registry; library versions come from importlib.metadata, unless the
        ``recorded`` toolchain saw the same installed packages."""
        stamp = environment_stamp()
        libraries = recorded.libraries if recorded and recorded.environment == stamp else render_libraries()
        return cls(stamp, fingerprints.package, fingerprints.workspace_layouts, libraries,
                   {name: {"origin": registry.origins[name], "formats": list(registry[name].formats)}
                    for name in registry})

    @classmethod
    def from_json(cls, value: Any) -> Toolchain | None:
        try:
            return cls(**value)
        except TypeError:
            return None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def is_current(self, fingerprints: Fingerprints) -> bool:
        """Whether a recorded toolchain still holds: same packages installed, same code, same workspace layouts."""
        return (self.package == fingerprints.package and self.workspace_layouts == fingerprints.workspace_layouts
                and self.environment == environment_stamp())

    def code(self, layout: str, fingerprints: Fingerprints) -> str:
        """The hash of the code that draws ``layout``."""
        return fingerprints.code(self.layouts[layout]["origin"], self.libraries)
