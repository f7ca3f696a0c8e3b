"""A workspace: a folder with content/, schools/ and optionally layouts/; finding its school files."""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import re

from factsheet_builder.exceptions import Problem, WorkspaceError

DEFAULTS_NAME = "_defaults.yaml"
LEGACY_CONTENT = "leaflet.yaml"  # the single content file of workspaces made before topics
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

    def topic_files(self) -> list[Path]:
        """The content file of each topic, content/<topic>.yaml, by name (without reading them)."""
        return sorted(p for p in self.content_dir.glob("*.yaml")
                      if p.is_file() and p.name != LEGACY_CONTENT and not p.name.startswith("."))

    @property
    def topic_names(self) -> tuple[str, ...]:
        """The names of the topics: their content files' names."""
        return tuple(path.name[: -len(".yaml")] for path in self.topic_files())

    def label(self, path: Path) -> str:
        """The path as shown in messages: relative to the workspace, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def discover(self) -> tuple[list[SchoolFile], list[Problem]]:
        """Every school file under schools/ (sorted by id) and the problems with file names."""
        found: dict[str, list[SchoolFile]] = {}
        problems: list[Problem] = []
        visited: set[Path] = set()

        def walk(folder: Path, defaults: tuple[Path, ...]) -> None:
            if folder.resolve() in visited:  # a symlinked folder seen already (or a loop)
                return
            visited.add(folder.resolve())
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                problems.append(Problem(self.label(folder), None, None, f"the folder cannot be read: {exc.strerror}"))
                return
            if any(e.name == DEFAULTS_NAME and e.is_file() for e in entries):
                defaults = (*defaults, folder / DEFAULTS_NAME)
            for entry in entries:
                path = Path(entry.path)
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    walk(path, defaults)
                elif entry.name.lower().endswith((".yml", ".yaml")) and not entry.name.endswith(".yaml"):
                    stem = path.stem if path.stem.startswith("_") else slugify(path.stem) or "school"
                    problems.append(Problem(self.label(path), None, None,
                                            f"YAML files here must end in '.yaml'; rename it to '{stem}.yaml'"))
                elif entry.name.endswith(".yaml") and entry.name != DEFAULTS_NAME:
                    school_id = entry.name[: -len(".yaml")]
                    if SLUG.match(school_id):
                        found.setdefault(school_id, []).append(SchoolFile(school_id, path, self.label(path), defaults))
                    else:
                        problems.append(Problem(self.label(path), None, None,
                                                f"school id '{school_id}' is not a safe name (only lower-case letters, "
                                                "digits and single hyphens, because it names the output folder); rename "
                                                f"the file to '{slugify(school_id) or 'school'}.yaml'"))

        walk(self.schools_dir, ())
        schools = []
        for school_id, files in sorted(found.items()):
            if len(files) == 1:
                schools.extend(files)
                continue
            for school in files:
                others = ", ".join(other.label for other in files if other is not school)
                problems.append(Problem(school.label, None, None,
                                        f"school id '{school_id}' is also used by {others}; school ids must be unique "
                                        "(they name the output folders), so rename one of the files"))
        return schools, problems


def slugify(text: str) -> str:
    """A safe school id made from free text ("St Mary's & St Joseph's" -> "st-marys-st-josephs")."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
