"""Which school a roster's row is about: its id, else an existing school of that name, else a new id from the name;
each school at most once in a roster."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import shown
from factsheet_builder.config.load import load_yaml
from factsheet_builder.exceptions import Problem
from factsheet_builder.roster.columns import ID, Column
from factsheet_builder.roster.report import RowResult
from factsheet_builder.workspace import DEFAULTS_NAME, MAX_ID, SchoolFile, Workspace, id_problem, slugify


@dataclass(frozen=True)
class Matched:
    """A row matched to its school, with the values of its cells by column."""

    number: int
    school: SchoolFile
    values: dict[Column, str]


class Matcher:
    """The workspace's schools by id and by the name in their own file, and the ids rows have named so far."""

    def __init__(
        self, workspace: Workspace, schools: tuple[SchoolFile, ...], at: Callable[[int, Column | None, str], Problem]
    ) -> None:
        self.workspace, self._at = workspace, at
        self.by_id = {s.id: s for s in schools}
        self.own_names = {s.id: _own_name(workspace, s) for s in schools}
        self.by_name: dict[str, list[SchoolFile]] = {}
        for school in schools:
            own = self.own_names[school.id]
            if own:
                self.by_name.setdefault(fold(own), []).append(school)
        self.seen: dict[str, int] = {}

    def school(self, number: int, values: dict[Column, str], result: RowResult) -> SchoolFile | None:
        """The school a row is about: its id, else an existing school of that name, else a new id from the name.

        A row whose id and name point at different schools, or whose name is new but whose id would be an existing
        school's, is refused: an import never overwrites a school the row does not name.
        """
        given = {c.target: (c, text) for c, text in values.items()}
        name_column, name = given.get("school.name", (None, None))
        named = self.by_name.get(fold(name), []) if name else []
        if ID in given:
            column, school_id = given[ID]
            if id_problem(school_id):
                result.problems.append(
                    self._at(
                        number,
                        column,
                        (
                            f"{shown(school_id, 80)} cannot be a school id: use at most {MAX_ID} lower-case letters, digits "
                            f"and single hyphens, and not a name Windows reserves (e.g. '{slugify(school_id) or 'school'}')"
                        ),
                    )
                )
                return None
            if named and school_id not in {s.id for s in named}:
                known = self.by_id.get(school_id)
                result.problems.append(
                    self._at(
                        number,
                        None,
                        (
                            f"the id '{school_id}' is {known.label if known else 'not a school yet'}, but the name "
                            f"{shown(name or '', 80)} is {', '.join(s.label for s in named)}; correct the id or the name so that "
                            "both name the same school"
                        ),
                    )
                )
                return None
        elif name:
            if len(named) > 1:
                result.problems.append(
                    self._at(
                        number,
                        name_column,
                        (
                            f"{shown(name, 80)} is the name of several schools ({', '.join(s.label for s in named)}); "
                            "add an id column to say which"
                        ),
                    )
                )
                return None
            school_id = named[0].id if named else slugify(name)
            if not school_id:
                result.problems.append(
                    self._at(
                        number,
                        name_column,
                        f"{shown(name, 80)} has no letters a-z or digits to make a school id (a file name) from; add "
                        "an id column to give it one",
                    )
                )
                return None
            if not named and self.own_names.get(school_id):
                taken = self.by_id[school_id]
                result.problems.append(
                    self._at(
                        number,
                        name_column,
                        (
                            f"{shown(name, 80)} is not the name of any school, but the id it would get, '{school_id}', is "
                            f"{taken.label} ({shown(self.own_names[school_id] or '', 80)}); add an id column to say which school "
                            "this row is, or correct the name"
                        ),
                    )
                )
                return None
        else:
            result.problems.append(self._at(number, None, "no school name or id; fill in the school column"))
            return None
        if school_id in self.seen:
            result.problems.append(
                self._at(
                    number,
                    None,
                    (f"school '{school_id}' is also on row {self.seen[school_id]}; each school may appear only once"),
                )
            )
            return None
        self.seen[school_id] = number
        if school_id in self.by_id:
            return self.by_id[school_id]
        path = self.workspace.schools_dir / f"{school_id}.yaml"
        if path.exists() or path.is_symlink():  # there, but not a school the workspace could read
            result.problems.append(
                self._at(
                    number,
                    None,
                    (
                        f"{self.workspace.label(path)} is in the way of the new school: it is not a school file that "
                        "'factsheet check' can read (see what it says); move it away, then import again"
                    ),
                )
            )
            return None
        defaults = tuple(p for p in [self.workspace.schools_dir / DEFAULTS_NAME] if p.is_file())
        return SchoolFile(school_id, path, self.workspace.label(path), defaults)


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"'})


def fold(text: str) -> str:
    """A name as compared: case, spacing and the kind of apostrophe (spreadsheets curl them) do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())


def _own_name(workspace: Workspace, school: SchoolFile) -> str | None:
    """The school name set in a school's own file (not its defaults), if readable."""
    try:
        tree, _ = load_yaml(workspace, school.path)
    except yamlfile.YamlFileError:
        return None
    section = tree.items.get("school")
    name = section.items.get("name") if isinstance(section, yamlfile.Map) else None
    return name.text if isinstance(name, yamlfile.Scalar) else None
