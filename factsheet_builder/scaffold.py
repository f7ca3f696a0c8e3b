"""Creating files for people to fill in: a new workspace (``factsheet init``) and a new school (``new-school``)."""

from __future__ import annotations

import json
import sys
from contextlib import suppress
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from factsheet_builder.config.fields import Checker, Group, shown
from factsheet_builder.config.schema import school_fields
from factsheet_builder.config.yamlfile import Scalar
from factsheet_builder.exceptions import ConfigError, FactsheetError, WorkspaceError, clip
from factsheet_builder.files import describe, reason
from factsheet_builder.output import write_atomic
from factsheet_builder.workspace import MAX_ID, Workspace, id_problem, slugify

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

GITIGNORE = "# Built leaflets: made again by 'factsheet build'.\nout/\n"


def skeleton() -> Traversable:
    """The folder shipped inside the package that holds a new workspace's files."""
    return resources.files("factsheet_builder") / "skeleton"


def workspace_files() -> dict[str, bytes]:
    """Every file of a new workspace, by its path relative to the workspace."""
    files: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.startswith("."):
                files[prefix + entry.name] = entry.read_bytes()

    walk(skeleton() / "workspace", "")
    files[".gitignore"] = GITIGNORE.encode()
    return files


def init(folder: Path) -> list[Path]:
    """Create a ready-to-build workspace in ``folder``; refuses (writing nothing) if any of its files exist."""
    files = workspace_files()
    try:
        if folder.exists() and not folder.is_dir():
            raise WorkspaceError(f"{folder}: not creating a workspace here: it is a file, not a folder")
        existing = sorted(name for name in files if (folder / name).exists() or (folder / name).is_symlink())
        if existing:
            raise WorkspaceError(
                f"{folder}: not creating a workspace here: {', '.join(existing)} already exist"
                f"{'s' if len(existing) == 1 else ''}; nothing was written (choose an empty folder, or move these away)"
            )
        _write_all(folder, files)
    except OSError as exc:
        raise WorkspaceError(
            f"{shown(str(folder), 80)}: cannot create a workspace here: "
            f"{describe(exc, folder.absolute())}; nothing was written"
        ) from None
    return [folder / name for name in files]


def _write_all(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file, or (on an error, which is raised) none: all that was written so far was new."""
    folders = sorted({parent for name in files for parent in (folder / name).parents if not parent.exists()})
    try:
        for name, data in files.items():
            write_atomic(folder / name, data)
    except OSError:
        for name in files:
            with suppress(OSError):  # a path through a file, say
                (folder / name).unlink(missing_ok=True)
        for made in reversed(folders):  # deepest first
            with suppress(OSError):
                made.rmdir()
        raise


def school_text(school_id: str, name: str) -> str:
    """The commented settings file of a new school, with only its name filled in."""
    name = " ".join(name.split())
    template = Template((skeleton() / "school.yaml").read_text("utf-8"))
    return template.substitute(id=school_id, name=name, quoted_name=json.dumps(name, ensure_ascii=False))


def new_school(workspace: Workspace, school_id: str, name: str) -> Path:
    """Write schools/<id>.yaml for a new school; refuses an unsafe or taken id and a name check would reject."""
    if id_problem(school_id):
        suggestion = slugify(school_id) or slugify(name) or "school"
        raise FactsheetError(
            f"school id '{clip(school_id)}' is not a safe name: use at most {MAX_ID} lower-case letters, digits and "
            f"single hyphens, and not a name Windows reserves, e.g. '{suggestion}'"
        )
    checker = Checker(workspace.root, "--name")
    school = school_fields()["school"]
    assert isinstance(school, Group)
    given = Scalar(name, "tag:yaml.org,2002:str", "--name", None)  # type: ignore[arg-type]  # not from a file
    school.fields["name"].convert(given, "", checker)
    if checker.problems:
        raise ConfigError(checker.problems)
    schools, _ = workspace.discover()
    taken = next((s for s in schools if s.id == school_id), None)
    path = workspace.schools_dir / f"{school_id}.yaml"
    if taken is not None or path.exists():
        raise FactsheetError(
            f"{taken.label if taken else workspace.label(path)} already exists: school id '{school_id}' is taken; "
            "edit that file, or choose another id"
        )
    try:
        write_atomic(path, school_text(school_id, name).encode("utf-8"))
    except OSError as exc:
        raise FactsheetError(f"{workspace.label(path)}: cannot be written: {reason(exc)}") from None
    return path
