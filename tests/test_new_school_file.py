"""A new school's file started from the scaffold parsed once (``roster.newfile.Scaffold``) is, once filled in and
written, the very text that parsing the scaffold for that school gives: for names of every kind, quotes,
backslashes, other scripts, a '#', characters that are not printable and none at all, and for rows that hold the
stand-ins themselves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap

from factsheet_builder.roster import yamledit
from factsheet_builder.roster.newfile import ID, NAME, Scaffold
from factsheet_builder.scaffold import school_text

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
