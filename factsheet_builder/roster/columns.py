"""Which school-file key each roster column fills: the roster's own column names, and ``--map`` options."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from factsheet_builder.config.fields import Field, Group, ListOf, ScalarField, shown, suggest
from factsheet_builder.exceptions import FactsheetError, Problem, clip
from factsheet_builder.roster.report import at_cell
from factsheet_builder.roster.table import Table, fold_heading

ID = "id"
DEPUTIES = "safeguarding.deputies"  # a list of people, filled from a cell of names separated by ';'
# The column names a roster may use without --map, and the school-file key each fills; after the deputies
# come the roles the topics declare (see roster_fields).
TEAM_FIELDS: Mapping[str, str] = {
    "school": "school.name",
    "dsl": "safeguarding.dsl.name",
    "dsl_phone": "safeguarding.dsl.phone",
    "dsl_email": "safeguarding.dsl.email",
    "deputies": DEPUTIES,
}
AGENCY_FIELDS: Mapping[str, str] = {
    "social_care_phone": "contacts.social_care.phone",
    "out_of_hours_phone": "contacts.social_care.out_of_hours",
}


def roster_fields(roles: Sequence[str]) -> dict[str, str]:
    """The column names a roster may use without --map: the fixed ones and a column for the name of each role
    the topics declare (``safeguarding.cse_lead`` -> ``cse_lead``)."""
    own = {key.split(".", 1)[1]: f"{key}.name" for key in roles}
    return {**TEAM_FIELDS, **own, **AGENCY_FIELDS}


@dataclass(frozen=True)
class Column:
    """A roster column and the school-file key it fills (``id`` for the school id)."""

    heading: str
    index: int
    target: str


def field_at(schema: Group, path: str) -> Field | None:
    """The field at a dotted key of the schema (None when there is no such key)."""
    node: Field | None = schema
    for key in path.split("."):
        node = node.fields.get(key) if isinstance(node, Group) else None
    return node


def cell_values(schema: Group, target: str, text: str) -> tuple[Field | None, str, list[str]]:
    """The field each value of a cell fills, its key, and the values: the deputies column holds names split by ';'."""
    if target != DEPUTIES:
        return field_at(schema, target), target, [text]
    deputies = field_at(schema, DEPUTIES)
    person = deputies.item if isinstance(deputies, ListOf) else None
    name = person.fields.get("name") if isinstance(person, Group) else None
    return name, f"{DEPUTIES}[].name", deputy_names(text)


def deputy_names(text: str) -> list[str]:
    """The names in a deputies cell: separated by ';'."""
    return [name.strip() for name in text.split(";") if name.strip()]


def run_together(names: list[str]) -> str | None:
    """Why a deputies cell cannot be read as it stands: a name holding a ',' or a line break (people run together,
    as a list written with commas or on lines is, or one person written surname first); None when no name does."""
    name = next((name for name in names if _RUN_TOGETHER.search(name)), None)
    if name is None:
        return None
    mark = "a ','" if "," in name else "a line break"
    several = "; ".join(part.strip() for part in _RUN_TOGETHER.split(name) if part.strip())
    return (
        f"{shown(name, 80)} holds {mark}, but the deputies in a cell are separated by ';': write "
        f"{shown(several, 80)} if they are several people, or one person's name as it is printed (first name first)"
    )


_RUN_TOGETHER = re.compile(r"[,\r\n]")


def is_person(schema: Group, path: str) -> bool:
    """True when the key is a person: a name with their own phone and email, which belong to that name only."""
    group = field_at(schema, path)
    return isinstance(group, Group) and {"name", "phone", "email"} <= set(group.fields)


def parse_maps(maps: Sequence[str], schema: Group, names: Mapping[str, str]) -> dict[str, str]:
    """``heading=field`` options as {heading (lower case): dotted key}; a field is a roster name or a school key."""
    mapping: dict[str, str] = {}
    for item in maps:
        heading, sep, target = (part.strip() for part in item.partition("="))
        if not sep or not heading or not target:
            raise FactsheetError(f"--map '{item}': write it as HEADING=FIELD, e.g. --map \"DSL name=dsl\"")
        resolved = _folded(names).get(fold_heading(target), ID if fold_heading(target) == ID else target)
        if resolved not in (ID, DEPUTIES) and not isinstance(field_at(schema, resolved), ScalarField):
            choices = [*names, ID]
            raise FactsheetError(
                f"--map '{item}': '{target}' is not a field{suggest(target, choices)}; use one of "
                f"{', '.join(choices)}, or a school-file key such as contacts.lado.phone (see 'factsheet schema')"
            )
        mapping[fold_heading(heading)] = resolved
    return mapping


def resolve_columns(
    table: Table, mapping: dict[str, str], names: Mapping[str, str]
) -> tuple[list[Column], list[Problem]]:
    """The columns to import; unknown headings are warnings, a field filled by two columns is an error."""
    columns: list[Column] = []
    problems: list[Problem] = []
    folded = [fold_heading(h) for h in table.headings]
    known = _folded(names)
    for heading in mapping:
        if heading not in folded:
            raise FactsheetError(
                f"{table.name}: --map names the heading {shown(heading, 60)}, which is not in row {table.header_row} "
                f"(the headings are: {_headings(table)})"
            )
    for index, heading in enumerate(table.headings):
        target = mapping.get(folded[index]) or known.get(folded[index])
        if target is None and folded[index] == ID:
            target = ID
        if target is None:
            if heading:
                problems.append(
                    at_cell(
                        table.name,
                        table.header_row,
                        heading,
                        f"not imported: not a known heading{suggest(folded[index].replace(' ', '_'), [*names, ID])} "
                        "(use --map HEADING=FIELD to import it)",
                        warning=True,
                    )
                )
            continue
        twin = next((c for c in columns if c.target == target), None)
        if twin is not None:
            raise FactsheetError(
                f"{table.name}: the columns {shown(twin.heading, 60)} and {shown(heading, 60)} both fill {target}; "
                "keep one of them"
            )
        columns.append(Column(heading, index, target))
    if not any(c.target in (ID, "school.name") for c in columns):
        raise FactsheetError(
            f"{table.name}: no 'school' or 'id' column, so the rows cannot be matched to schools "
            f"(the headings in row {table.header_row} are: {_headings(table)}); "
            "use --map HEADING=school"
        )
    return columns, problems


def _folded(names: Mapping[str, str]) -> dict[str, str]:
    """The roster's column names as headings are matched (see ``fold_heading``)."""
    return {fold_heading(name): target for name, target in names.items()}


def _headings(table: Table) -> str:
    return clip(", ".join(h for h in table.headings if h), 200)
