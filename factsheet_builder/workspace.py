"""A workspace: a folder with content/, schools/ and optionally layouts/; finding its school files."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from factsheet_builder.exceptions import Problem, WorkspaceError, clip
from factsheet_builder.files import reason

DEFAULTS_NAME = "_defaults.yaml"
LEGACY_CONTENT = "leaflet.yaml"  # the single content file of workspaces made before topics
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # use fullmatch: '$' alone lets a final line break through
# Output names are '<id>-<topic>-<layout>.<ext>', written first as '.<name>.<8 random>.tmp': an id of at most
# MAX_ID characters leaves room in the 255 bytes most file systems allow a name for long topics and layouts.
MAX_ID = 100
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)


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
        """The content file of each topic, content/<topic>.yaml, by name (without reading them; anything there but
        a folder, so that the reader can refuse what is not a regular file, and say why)."""
        return sorted(
            p
            for p in self.content_dir.glob("*.yaml")
            if not p.is_dir() and p.name != LEGACY_CONTENT and not p.name.startswith(".")
        )

    def misnamed_topic_files(self) -> list[Path]:
        """Files in content/ that look meant as content files but are not read as one: '.yml', '.YAML'..."""
        return sorted(
            p
            for p in self.content_dir.glob("*")
            if p.suffix.lower() in (".yaml", ".yml") and p.suffix != ".yaml" and not p.name.startswith(".")
        )

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
        found, _, problems = self._scan()
        schools = []
        for school_id, files in sorted(found.items()):
            if len(files) == 1:
                schools.extend(files)
                continue
            for school in files:
                others = ", ".join(other.label for other in files if other is not school)
                problems.append(
                    Problem(
                        school.label,
                        None,
                        None,
                        f"school id '{school_id}' is also used by {others}; school ids must be unique "
                        "(they name the output folders), so rename one of the files",
                    )
                )
        return schools, problems

    def defaults_files(self) -> list[Path]:
        """Every _defaults.yaml under schools/, found as ``discover`` finds them (no loops, no hidden folders)."""
        return self._scan()[1]

    def _scan(self) -> tuple[dict[str, list[SchoolFile]], list[Path], list[Problem]]:
        """Walk schools/ once: the school files by id, every _defaults.yaml and the problems with names.

        Symbolic links are followed, but a folder is entered once only (a link back up is a loop, skipped with a
        warning); a school file that cannot be read (a FIFO, a device, a file without read permission) is a school
        all the same, which fails to load, so that a batch never reports success without it; a _defaults.yaml
        that cannot be read stays in the cascade, so that the schools below it fail rather than print without it.
        """
        found: dict[str, list[SchoolFile]] = {}
        defaults_seen: list[Path] = []
        problems: list[Problem] = []
        visited: dict[tuple[int, int], str] = {}

        def warn(path: Path, message: str) -> None:
            problems.append(Problem(self.label(path), None, None, message, warning=True))

        def walk(
            folder: Path, info: os.stat_result, defaults: tuple[Path, ...], chain: tuple[tuple[int, int], ...]
        ) -> list[tuple[Path, os.stat_result, tuple[Path, ...], tuple[tuple[int, int], ...]]]:
            """Read one folder; the sub-folders to walk next (a stack, not recursion: folders may nest deeply)."""
            key = (info.st_dev, info.st_ino)
            if key in chain:
                warn(folder, "skipped: a symbolic link back to a folder above it (a loop)")
                return []
            if key in visited:
                warn(folder, f"skipped: the same folder as {visited[key]}/ (each folder is read once)")
                return []
            label = visited[key] = self.label(folder)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                problems.append(Problem(self.label(folder), None, None, f"the folder cannot be read: {reason(exc)}"))
                return []
            if any(e.name == DEFAULTS_NAME for e in entries):
                defaults = (*defaults, folder / DEFAULTS_NAME)
                defaults_seen.append(folder / DEFAULTS_NAME)
            folders = []
            for entry in entries:
                if entry.name.startswith(".") or entry.name == DEFAULTS_NAME:
                    continue
                yaml_name = entry.name.lower().endswith((".yml", ".yaml"))
                path, path_label = folder / entry.name, f"{label}/{entry.name}"
                if _plain_file(entry):
                    if entry.name.endswith(".yaml"):
                        add_school(path, path_label, defaults)
                        continue
                    if not yaml_name:
                        continue
                try:
                    entry_info = os.stat(path)
                except OSError as exc:  # dangling or looping link, or gone since the scan: a school file fails to load
                    if entry.name.endswith(".yaml"):
                        add_school(path, path_label, defaults)
                    elif exc.errno == errno.ELOOP:
                        warn(path, f"skipped: {reason(exc)}")
                    continue
                if stat.S_ISDIR(entry_info.st_mode):
                    folders.append((path, entry_info, defaults, (*chain, key)))
                elif yaml_name and not entry.name.endswith(".yaml"):
                    stem = path.stem if path.stem.startswith("_") else slugify(path.stem) or "school"
                    problems.append(
                        Problem(
                            path_label, None, None, f"YAML files here must end in '.yaml'; rename it to '{stem}.yaml'"
                        )
                    )
                elif yaml_name:
                    add_school(path, path_label, defaults)
            return folders

        def add_school(path: Path, label: str, defaults: tuple[Path, ...]) -> None:
            school_id = path.name[: -len(".yaml")]
            problem = id_problem(school_id)
            if problem is None:
                found.setdefault(school_id, []).append(SchoolFile(school_id, path, label, defaults))
            else:
                problems.append(Problem(label, None, None, problem))

        try:
            root = os.stat(self.schools_dir)
            above = tuple((info.st_dev, info.st_ino) for info in map(os.stat, self.schools_dir.resolve().parents))
        except (OSError, RuntimeError) as exc:
            why = reason(exc) if isinstance(exc, OSError) else "it is a symbolic link that leads in a loop"
            problems.append(Problem(self.label(self.schools_dir), None, None, f"the folder cannot be read: {why}"))
        else:
            defaults: tuple[Path, ...] = ()
            stack = [(self.schools_dir, root, defaults, above)]  # a link to a folder above schools/ is a loop too
            while stack:
                stack.extend(reversed(walk(*stack.pop())))  # depth first, in name order
        return found, defaults_seen, problems


def _plain_file(entry: os.DirEntry) -> bool:
    """Whether a folder entry is a regular file and not a link, as the folder's listing says (no stat: a walk of
    thousands of schools would spend more on stat than on anything else)."""
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:  # the listing did not say, and the file cannot be looked at: the slow path finds out why
        return False


def id_problem(school_id: str) -> str | None:
    """Why ``school_id`` (a school file's name without .yaml) cannot be a school id, or None when it can."""
    if not SLUG.fullmatch(school_id):
        return (
            f"school id '{clip(school_id)}' is not a safe name (only lower-case letters, digits and single hyphens, "
            f"because it names the output folder); rename the file to '{slugify(school_id) or 'school'}.yaml'"
        )
    if is_reserved(school_id):
        return (
            f"school id '{school_id}' is a name Windows reserves for a device, so its output folder could not be "
            f"copied to a Windows shared drive; rename the file to '{slugify(school_id)}.yaml'"
        )
    if len(school_id) > MAX_ID:
        return (
            f"the school id (the file name without .yaml) is {len(school_id)} characters long; the limit is "
            f"{MAX_ID}, so that its output file names ('<id>-<topic>-<layout>.docx') fit every file system; "
            "rename the file to a shorter name"
        )
    return None


def is_reserved(name: str) -> bool:
    """Whether Windows reserves ``name`` for a device (con, nul, com1...), with or without an extension."""
    return bool(_RESERVED.match(name.split(".", 1)[0].rstrip(" ")))


def slugify(text: str) -> str:
    """A safe school id made from free text ("St Mary's & St Joseph's" -> "st-marys-st-josephs"), or "".

    The id is cut to MAX_ID characters at a hyphen, and a name Windows reserves gets "-school" added.
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[: MAX_ID + 1].rsplit("-", 1)[0] if "-" in slug[: MAX_ID + 1] else slug[:MAX_ID]
    return f"{slug}-school" if is_reserved(slug) else slug
