"""A new school's file started from the scaffold parsed once (``roster.newfile.Scaffold``) is, once filled in and
written, the very text that parsing the scaffold for that school gives: for names of every kind, quotes,
backslashes, other scripts, a '#', characters that are not printable and none at all, and for rows that hold the
stand-ins themselves. And a roster's new school made from its row's template (``roster.newfile.Templates``) is the
very text, with the very changes, that making it in full gives."""

from __future__ import annotations

import random

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from realistic import random_school
from ruamel.yaml.comments import CommentedMap

from factsheet_builder.config.load import school_schema
from factsheet_builder.project import open_project
from factsheet_builder.roster import yamledit
from factsheet_builder.roster.columns import resolve_columns, roster_fields
from factsheet_builder.roster.importer import _Importer
from factsheet_builder.roster.newfile import ID, NAME, Scaffold
from factsheet_builder.roster.table import read_table
from factsheet_builder.scaffold import school_text
from factsheet_builder.workspace import Workspace

SCAFFOLD = Scaffold()
NAMES = [
    "St Aidan's Primary School",
    'The "Old" School \\ Annexe',
    "Ysgol Gynradd Gymraeg Tŷ Coch",
    "Szkoła Podstawowa nr 7 im. Józefa Piłsudskiego",
    "Αγία Σοφία",
    "St Mary's #2",
    "  Spaced   out\tname  ",
    "",
    "yes",
    "null",
    "2024",
    "- dash: colon",
    "Name with \x07 bell",
    "Name\u2028with a line separator",
    f"Holds {NAME} a stand-in",
    "x" * 150,
]


def written(document: CommentedMap, yaml, dsl: str, phone: str) -> str:
    """The file's text once an import has filled in the DSL (as the importer edits a new school)."""
    yamledit.put(document, ["safeguarding", "dsl", "name"], dsl)
    yamledit.put(document, ["safeguarding", "dsl", "phone"], phone)
    return yamledit.dump(yaml, document, None)


def as_parsed(school_id: str, name: str, dsl: str, phone: str) -> str:
    """The text as the importer made it before: the scaffold written out for the school, parsed, filled in (or the
    error that refuses the row)."""
    try:
        document, yaml = yamledit.load(school_text(school_id, name), "schools/new.yaml")
    except yamledit.EditError as exc:
        return exc.message
    return written(document, yaml, dsl, phone)


def as_started(school_id: str, name: str, dsl: str, phone: str) -> str:
    try:
        document, yaml, finish = SCAFFOLD.start(school_id, name, [name, dsl, phone], "schools/new.yaml")
    except yamledit.EditError as exc:
        return exc.message
    return finish(written(document, yaml, dsl, phone))


def test_the_scaffold_is_parsed_once_with_its_stand_ins_in_comments_and_the_name_alone() -> None:
    assert SCAFFOLD.usable
    text = SCAFFOLD.source
    assert ID in text and NAME in text


@pytest.mark.parametrize("name", NAMES)
def test_a_new_file_is_the_text_parsing_the_scaffold_gives(name: str) -> None:
    assert as_started("st-aidans", name, "Jane Smith", "0191 498 0123") == as_parsed(
        "st-aidans", name, "Jane Smith", "0191 498 0123"
    )


def test_a_row_holding_a_stand_in_is_written_as_it_holds_it() -> None:
    dsl = f"Jane {NAME}{ID} Smith"
    text = as_started("st-aidans", "St Aidan's", dsl, "0191 498 0123")
    assert text == as_parsed("st-aidans", "St Aidan's", dsl, "0191 498 0123")
    assert dsl in text


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=60), dsl=st.text(st.characters(categories=("L", "Zs", "P")), min_size=1, max_size=30))
def test_any_name_gives_the_text_parsing_the_scaffold_gives(name: str, dsl: str) -> None:
    assert as_started("new-school", name, dsl, "0191 498 0123") == as_parsed("new-school", name, dsl, "0191 498 0123")


def test_a_name_the_scaffold_cannot_hold_is_refused_alike() -> None:
    assert as_started("new-school", "Bell \x07", "Jane", "101") == (
        "schools/new.yaml: cannot be updated: unacceptable character #x0007: special characters are not allowed\n"
        '  in "<unicode string>", position 7'
    )


# A roster's new schools made from a template for each shape of row (``roster.newfile.Templates``): the same text
# and the same changes as made in full, whatever the values; values ruamel.yaml would quote or escape take the
# slow path, and rows shaped as an authority's take the template's.

HEADINGS = ["school", "dsl", "dsl_phone", "dsl_email", "deputies", "cse_lead", "social_care_phone"]


@pytest.fixture(scope="module")
def importer(tmp_path_factory):
    """An importer of the example workspace reading a roster of every heading, and its columns by heading."""
    roster = tmp_path_factory.mktemp("roster") / "roster.csv"
    roster.write_text(",".join(HEADINGS) + "\n", "utf-8")
    project = open_project(Workspace(REPO))
    schema = school_schema(project.registry, project.topics)
    names = roster_fields(["safeguarding.cse_lead"])
    table = read_table(roster, set(names))
    columns, _ = resolve_columns(table, {}, names)
    return _Importer(project, table, columns, schema), {c.heading: c for c in columns}


def both(importer, school_id: str, values: dict) -> tuple[object, object]:
    """The row's file and changes from its shape's template (None: the slow path), and made in full (None: the row
    is refused)."""
    made, columns = importer
    row = {columns[heading]: text for heading, text in values.items()}
    return made.templates.filled(school_id, row), made._new_file(school_id, row)


def realistic_row(rng: random.Random) -> dict[str, str]:
    school = random_school(rng)
    team = school["safeguarding"]
    row = {"school": school["school"]["name"], "dsl": team["dsl"]["name"]}
    row.update({f"dsl_{key}": team["dsl"][key] for key in ("phone", "email") if key in team["dsl"]})
    if team.get("deputies"):
        row["deputies"] = "; ".join(d["name"] for d in team["deputies"])
    if "cse_lead" in team:
        row["cse_lead"] = team["cse_lead"]["name"]
    return dict(rng.sample(sorted(row.items()), len(row))) if rng.random() < 0.2 else row


def test_rows_shaped_as_an_authoritys_take_the_template_and_give_the_full_text(importer) -> None:
    rng, fast = random.Random(21), 0
    for number in range(300):
        row = realistic_row(rng)
        quick, full = both(importer, f"school-{number}", row)
        if quick is not None:
            fast += 1
            assert quick == full, row
    assert fast >= 290  # almost every one: a school name of any marks is written quoted


@pytest.mark.parametrize(
    "name",
    [
        "Jane O'Neill",
        "Siân Llewelyn-Jones",
        "Mrs A. Smith",
        "yes",
        "No",
        "Null",
        "true",
        "Smith, Jane",
        "Jane: Head",
        "Jane #1",
        "'Quoted'",
        '"Quoted"',
        "Back\\slash",
        "- Dash",
        "@handle",
        "Ωmega Σmith",
        "Name  with  spaces",
        "Trailing ",
        "Qzjaabjz Q",
        "QzjaabjzQ",
        "x" * 1200,
    ],
)
def test_a_value_ruamel_yaml_would_write_otherwise_gives_the_full_text(importer, name: str) -> None:
    for heading in ("dsl", "deputies", "dsl_phone", "school"):
        quick, full = both(importer, "new-school", {"school": "Holy Trinity", "dsl": "Jane Smith", heading: name})
        assert quick is None or quick == full, (heading, name)


@settings(max_examples=200, deadline=None)
@given(
    values=st.dictionaries(
        st.sampled_from(HEADINGS),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
        min_size=1,
    )
)
def test_any_row_gives_the_full_text_or_takes_the_slow_path(importer, values: dict[str, str]) -> None:
    quick, full = both(importer, "new-school", values)
    assert quick is None or quick == full
