"""A workspace: a folder with content/, schools/ and optionally layouts/; finding its school files."""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import re

from factsheet_builder.exceptions import Problem, WorkspaceError

DEFAULTS_NAME = "_defaults.yaml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SchoolFile:
    """One school's YAML file and the _defaults.yaml files above it, shallowest first."""

    id: str
    path: Path
    label: str
    defaults: tuple[Path, ...]


@dataclass(frozen=True)
class Workspace:
    """The folders a build reads and writes."""

    root: Path

    @classmethod
    def open(cls, folder: Path | str = ".") -> Workspace:
        """The workspace at ``folder``, refusing a folder without content/ and schools/."""
        root = Path(folder).resolve()
        missing = [name for name in ("content", "schools") if not (root / name).is_dir()]
        if missing:
            raise WorkspaceError(
                f"{root.name or root}: not a workspace: no {' or '.join(m + '/' for m in missing)} folder "
                "(a workspace is a folder with content/ and schools/; run 'factsheet init DIR' to create one)"
            )
        return cls(root)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def schools_dir(self) -> Path:
        return self.root / "schools"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    def label(self, path: Path) -> str:
        """The path as shown in messages: relative to the workspace, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def discover(self) -> tuple[list[SchoolFile], list[Problem]]:
        """Every school file under schools/ (sorted by id) and the problems with file names."""
        schools: list[SchoolFile] = []
        problems: list[Problem] = []
        seen: dict[str, str] = {}

        def walk(folder: Path, defaults: tuple[Path, ...]) -> None:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
            if any(e.name == DEFAULTS_NAME and e.is_file() for e in entries):
                defaults = (*defaults, folder / DEFAULTS_NAME)
            for entry in entries:
                path = Path(entry.path)
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    walk(path, defaults)
                elif entry.name.endswith((".yml", ".YAML", ".YML")):
                    problems.append(Problem(self.label(path), None, None,
                                            f"school files must end in '.yaml'; rename it to '{path.stem}.yaml'"))
                elif entry.name.endswith(".yaml") and entry.name != DEFAULTS_NAME:
                    school_id, label = entry.name[: -len(".yaml")], self.label(path)
                    if not SLUG.match(school_id):
                        problems.append(Problem(label, None, None,
                                                f"school id '{school_id}' is not a safe name (lower-case letters, digits "
                                                f"and single hyphens); rename the file to '{slugify(school_id) or 'school'}.yaml'"))
                    elif school_id in seen:
                        problems.append(Problem(label, None, None,
                                                f"school id '{school_id}' is already used by {seen[school_id]}; "
                                                "school ids must be unique, so rename one of the files"))
                    else:
                        seen[school_id] = label
                        schools.append(SchoolFile(school_id, path, label, defaults))

        walk(self.schools_dir, ())
        schools.sort(key=lambda s: s.id)
        return schools, problems


def slugify(text: str) -> str:
    """A safe school id made from free text ("St Mary's & St Joseph's" -> "st-marys-st-josephs")."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
