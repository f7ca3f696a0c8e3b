"""A roster as a local authority has it: real-shaped rows from the four nations (official names up to 98
characters, Welsh, Scottish and Northern Irish numbers, names in several alphabets, up to eight deputies) and rows
damaged by earlier copies. Every clean row is built in every layout, every other row is refused naming its row and
column, and the leaflets print what the roster says and nothing else.

The fixture's ``expect`` column (which the import does not know, so it warns and ignores it) says which rows are
clean; a clean row with more deputies than the schema allows is expected to be refused by that limit, so the test
holds whatever the limit is.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, docx_text, pdf_text, squash
from test_validation import run

from factsheet_builder.check import check_school
from factsheet_builder.config.phones import format_uk
from factsheet_builder.config.schema import school_fields
from factsheet_builder.project import open_project
from factsheet_builder.workspace import Workspace

LAYOUTS = ("leaflet", "poster", "large-print")
MAX_DEPUTIES = school_fields()["safeguarding"].fields["deputies"].max_items  # type: ignore[attr-defined]
ROWS = {
    number: row
    for number, row in enumerate(
        csv.DictReader((FIXTURES / "roster-real/roster.csv").open(encoding="utf-8", newline="")), start=2
    )
}


def deputies(row: dict[str, str]) -> list[str]:
    return [name.strip() for name in row["deputies"].split(";") if name.strip()]


def builds(row: dict[str, str]) -> bool:
    return row["expect"] == "clean" and len(deputies(row)) <= MAX_DEPUTIES


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, dict[int, str]]:
    """The fixture workspace after importing its roster and building: the workspace, the import's result and the
    school id created for each row."""
    from conftest import layered_workspace

    workspace = layered_workspace("roster-real", tmp_path_factory.mktemp("roster") / "ws")
    result = run(workspace, "import", str(workspace / "roster.csv"))
    created = {
        int(row): school_id
        for school_id, row in re.findall(r"^created schools/(.+)\.yaml \(row (\d+)\)$", result.stdout, re.M)
    }
    return workspace, result, created


def test_the_fixture_is_real_shaped() -> None:
    names = [row["school"] for row in ROWS.values()]
    assert max(map(len, names)) > 90
    numbers = {row["dsl_phone"][:3] for row in ROWS.values() if row["expect"] == "clean"}
    assert {"029", "013", "028"} <= numbers  # Welsh, Scottish and Northern Irish numbers
    assert max(len(deputies(row)) for row in ROWS.values()) >= 7
    assert any(row["expect"] == "refused" for row in ROWS.values())


def test_each_clean_row_is_created_and_every_other_row_refused_naming_its_row_and_column(imported) -> None:
    workspace, result, created = imported
    assert result.exit_code == 1
    assert sorted(created) == sorted(n for n, row in ROWS.items() if builds(row))
    problems = [line for line in result.stderr.splitlines() if line.startswith("roster.csv: row ")]
    for number, row in ROWS.items():
        if builds(row):
            assert not any(line.startswith(f"roster.csv: row {number},") for line in problems), number
            continue
        [line] = [line for line in problems if line.startswith(f"roster.csv: row {number}, column '")]
        if row["expect"] == "clean":  # only its team is too big for the layouts
            assert line.startswith(f"roster.csv: row {number}, column 'deputies': the list has {len(deputies(row))} ")
            assert f"the limit is {MAX_DEPUTIES}" in line
    assert result.stderr.splitlines()[-1] == (
        f"roster.csv: {len(ROWS)} rows: {len(created)} created, 0 updated, 0 unchanged, {len(ROWS) - len(created)} failed"
    )


def test_every_clean_row_is_built_in_every_layout_with_what_the_roster_says(imported) -> None:
    workspace, _, created = imported
    result = run(workspace, "build")
    assert result.exit_code == 0, result.stderr
    for number, school_id in created.items():
        row = ROWS[number]
        expected = [row["school"], row["dsl"], format_uk(row["dsl_phone"]), *deputies(row)]
        for layout in LAYOUTS:
            for suffix, read in ((".pdf", pdf_text), (".docx", docx_text)):
                text = squash(read(workspace / "out" / school_id / f"{school_id}-cse-{layout}{suffix}"))
                for value in expected:
                    assert squash(value) in text, (school_id, layout, suffix, value)


def test_the_leaflets_print_no_person_or_number_the_roster_did_not_give(imported) -> None:
    workspace, _, created = imported
    project = open_project(Workspace.open(workspace))
    schools = {school.id: school for school in project.schools}
    defaults = {"0113 496 0100", "0113 496 0199", "0113 496 0150", "101", "999"}
    for number, school_id in created.items():
        row = ROWS[number]
        checked = check_school(project, schools[school_id])
        assert checked.sheets is not None, checked.problems
        sheet = checked.sheets["cse"]
        assert sheet.school_name == row["school"]
        assert [(p.name, p.phone, p.email) for p in sheet.people] == [
            (row["dsl"], format_uk(row["dsl_phone"]), row["dsl_email"] or None),
            *((name, None, None) for name in deputies(row)),
        ]
        given = {format_uk(row[key]) for key in ("social_care_phone", "out_of_hours_phone") if row[key]}
        printed = {value for agency in sheet.agencies for _, value in agency.lines}
        replaced = {"0113 496 0100", "0113 496 0199"} if given else set()
        assert printed <= (defaults - replaced) | given, (school_id, printed)
        assert given <= printed
