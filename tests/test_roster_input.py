"""What a roster import reads: only what its user sees in a workbook, headings as people type them, text in the
encoding it was saved in, and no value shared through a YAML alias changed behind the user's back."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import import run_import
from test_workflow import snapshot, write_csv

from factsheet_builder.exceptions import FactsheetError
from factsheet_builder.roster import parallel
from factsheet_builder.roster.encoding import decoded

KENTON = "schools/kenton-bar-primary.yaml"


def workbook(path: Path, sheets: dict[str, list[list[object]]], hidden_sheets=(), hidden_rows=(), hidden_columns=()):
    """A workbook of named sheets; the sheets, rows (of the last sheet) and columns (letters) given are hidden."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden_sheets:
            sheet.sheet_state = "hidden"
    for number in hidden_rows:
        sheet.row_dimensions[number].hidden = True
    for letter in hidden_columns:
        sheet.column_dimensions[letter].hidden = True
    book.active = len(sheets) - 1
    book.save(path)
    return path


def test_a_hidden_sheet_is_reported_and_never_imported(runner, example):
    roster = workbook(
        example / "roster.xlsx",
        {
            "2023 (old)": [
                ["school", "dsl", "dsl_phone"],
                ["Kenton Bar Primary School", "Old Person", "0191 498 0999"],
            ],
            "Current": [["school", "dsl"], ["Kenton Bar Primary School", "Ann Lee"]],
        },
        hidden_sheets=["2023 (old)"],
    )
    result = run_import(runner, example, roster)
    assert result.exit_code == 0
    assert "warning: roster.xlsx: sheet '2023 (old)' is not read: it is hidden" in result.stderr
    text = (example / KENTON).read_text("utf-8")
    assert "Ann Lee" in text
    assert "Old Person" not in text and "0191 498 0999" not in text


# A school's row twice: the first (to be hidden) would give the school another DSL
DUPLICATED = [
    ["school", "dsl", "dsl_phone"],
    ["Kenton Bar Primary School", "Hidden Duplicate", "0191 498 0998"],
    ["Kenton Bar Primary School", "Ann Lee", "0191 498 0999"],
]


def assert_hidden_row_and_column_left_out(result, example) -> None:
    """The import of DUPLICATED with row 2 and column C hidden: both reported, neither imported."""
    assert result.exit_code == 0, result.stderr
    assert "warning: roster.xlsx: row 2: not imported: the row is hidden (show it to import it)" in result.stderr
    assert "warning: roster.xlsx: not imported: the hidden column C (show it to import it)" in result.stderr
    text = (example / KENTON).read_text("utf-8")
    assert "Ann Lee" in text
    assert "Hidden Duplicate" not in text and "0191 498 099" not in text


def test_a_hidden_row_or_column_is_reported_and_never_imported(runner, example):
    roster = workbook(
        example / "roster.xlsx",
        {"Roster": DUPLICATED},
        hidden_rows=[2],
        hidden_columns=["C"],
    )
    assert_hidden_row_and_column_left_out(run_import(runner, example, roster), example)


def test_a_row_of_no_height_or_a_column_of_no_width_is_hidden(runner, example):
    """Excel shows a row whose height is 0, or a column whose width is 0, as hidden (openpyxl cannot write them)."""
    import zipfile

    made = workbook(
        example / "made.xlsx",
        {"Roster": DUPLICATED},
    )
    roster = example / "roster.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(roster, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="2">', b'<row r="2" ht="0" customHeight="1">')
                data = data.replace(
                    b"<sheetData>", b'<cols><col min="3" max="3" width="0" customWidth="1"/></cols><sheetData>'
                )
            target.writestr(item, data)
    assert_hidden_row_and_column_left_out(run_import(runner, example, roster), example)


def test_a_second_visible_sheet_is_reported_as_not_read(runner, example):
    roster = workbook(
        example / "roster.xlsx",
        {"Roster": [["school", "dsl"], ["Kenton Bar Primary School", "Ann Lee"]], "Notes": [["school"], ["x"]]},
    )
    result = run_import(runner, example, roster, "--dry-run")
    assert (
        "warning: roster.xlsx: sheet 'Notes' is not read: the roster is the first visible sheet alone" in result.stderr
    )


@pytest.mark.parametrize(
    "heading", ["DSL Phone ", " dsl  phone", "Dsl_Phone", "DSL PHONE", "DSL-Phone", "\ufeffDSL Phone\u200b"]
)
def test_headings_match_whatever_their_case_and_spacing(runner, example, heading):
    roster = write_csv(
        example / "roster.csv", f'school,DSL,"{heading}"\nKenton Bar Primary School,Ann Lee,0191 498 0999\n'
    )
    result = run_import(runner, example, roster)
    assert result.exit_code == 0, result.stderr
    assert "not a known heading" not in result.stderr
    assert '"0191 498 0999"' in (example / KENTON).read_text("utf-8")


@pytest.mark.parametrize("heading", ["dsl fone", "DSL Fone"])
def test_an_unknown_heading_near_a_known_one_is_named(runner, example, heading):
    roster = write_csv(
        example / "roster.csv", f"school,dsl,{heading}\nKenton Bar Primary School,Ann Lee,0191 498 0999\n"
    )
    result = run_import(runner, example, roster, "--dry-run")
    assert (
        f"warning: roster.csv: row 1, column '{heading}': not imported: not a known heading (did you mean "
        "'dsl_phone'?) (use --map HEADING=FIELD to import it)"
    ) in result.stderr


@pytest.mark.parametrize(
    ("cell", "first", "second"),
    [
        ("01556 502821/2", "01556 502821", "01556 502822"),
        ("01389 804438 and 01389 804439", "01389 804438", "01389 804439"),
        ("0191 498 0123 / 0191 498 0124", "0191 498 0123", "0191 498 0124"),
        ("01248 752733 or 752734", "01248 752733", "01248 752734"),
        ("0141 555 0100 / 0101", "0141 555 0100", "0141 555 0101"),
    ],
)
def test_a_cell_with_two_numbers_says_so_and_where_the_second_can_go(runner, example, cell, first, second):
    roster = write_csv(
        example / "roster.csv",
        f'school,dsl,dsl_phone,social_care_phone\nKenton Bar Primary School,Ann Lee,"{cell}",\n'
        f'St Aidan\'s Primary School,Jane Smith,,"{cell}"\n',
    )
    before = snapshot(example / "schools")
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"roster.csv: row 2, column 'dsl_phone': '{cell}' holds two numbers, '{first}' and '{second}'; it takes one: "
        "keep the one that reaches this person; a number that reaches someone else goes with them (a deputy's own "
        "phone, or the school's number in contacts)",
        f"roster.csv: row 3, column 'social_care_phone': '{cell}' holds two numbers, '{first}' and '{second}'; it "
        "takes one: keep the daytime number here; the out-of-hours one goes in contacts.social_care.out_of_hours (a "
        "roster's out_of_hours_phone column)",
    ]
    assert snapshot(example / "schools") == before


def test_a_change_to_a_value_shared_through_an_alias_is_refused_naming_it(runner, example):
    school = example / KENTON
    school.write_text(
        "school:\n  name: Kenton Bar Primary School\nsafeguarding:\n"
        "  dsl: &dsl {name: Graham Whitfield, phone: '0191 498 0500'}\n  cse_lead: *dsl\n",
        "utf-8",
    )
    before = snapshot(example / "schools")
    roster = write_csv(example / "roster.csv", "school,dsl\nKenton Bar Primary School,Ann Lee\n")
    for args in ((), ("--dry-run",)):
        result = run_import(runner, example, roster, *args)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            "roster.csv: row 2, column 'dsl': would change safeguarding.cse_lead too: the school's file gives "
            "safeguarding.dsl and safeguarding.cse_lead the same values through the YAML alias '*dsl'; write "
            "safeguarding.cse_lead out in full instead of '*dsl', then import again"
        )
    assert snapshot(example / "schools") == before
    unchanged = write_csv(example / "same.csv", "school,dsl\nKenton Bar Primary School,Graham Whitfield\n")
    assert run_import(runner, example, unchanged).exit_code == 0  # a value the alias keeps is no change


# --- encodings ---------------------------------------------------------------------------------------------------


def test_a_windows_1252_roster_is_read_when_the_detector_agrees(runner, example):
    rows = "school,dsl,deputies\nKenton Bar Primary School,Seán O’Neill,Renée Dupré; Siân Evans\n"
    roster = example / "roster.csv"
    roster.write_bytes(rows.encode("cp1252"))
    assert decoded(roster.read_bytes(), "roster.csv") == rows
    result = run_import(runner, example, roster)
    assert result.exit_code == 0, result.stderr
    text = (example / KENTON).read_text("utf-8")
    assert "Seán O’Neill" in text and "Renée Dupré" in text


@pytest.mark.parametrize(
    ("text", "encoding", "shown"),
    [
        (
            "school,dsl,dsl_phone\nKenton Bar Primary School,Graham Whitfield,0191 498 0123\n"
            "St Aidan's Primary School,Jane Smith,0191 498 0124\nWalker Riverside Academy,Zoë Brown,0191 498 0125\n",
            "cp1252",
            "line 4 reads 'Zoë' as Windows-1252 and 'Zoė' as Windows-1257",
        ),
        ("school,dsl\nKenton Bar Primary School,Анна Иванова\n", "cp1251", "as Windows-1251"),
        # the word is shown without the quotes around its cell
        ('school,dsl\n"Kenton Bar Primary School","Mòrag Rothach"\n', "cp1252", "line 2 reads 'Mòrag' as Windows-1252"),
    ],
)
def test_a_roster_whose_encoding_is_not_certain_is_refused_naming_it(runner, example, text, encoding, shown):
    roster = example / "roster.csv"
    roster.write_bytes(text.encode(encoding))
    before = snapshot(example / "schools")
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.output.startswith("Error: roster.csv: is not UTF-8 text, and its encoding is not certain: line ")
    assert shown in result.output
    assert result.output.endswith("; in Excel use Save As > 'CSV UTF-8 (Comma delimited)', or save as .xlsx\n")
    assert snapshot(example / "schools") == before


def test_bytes_that_are_no_text_are_refused() -> None:
    with pytest.raises(FactsheetError, match="is not"):
        decoded(bytes(range(256)) * 4, "roster.csv")


# --- many rows ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_long_roster_is_checked_by_workers_with_the_same_result(runner, example, jobs):
    count = parallel.ALONE + 20
    rows = "".join(
        f"New School {n} Academy,Pat Jones{'' if n % 50 else '?'},0191 498 {n % 1000:04d}\n" for n in range(count)
    )
    roster = write_csv(example / "roster.csv", "school,dsl,dsl_phone\n" + rows)
    result = run_import(runner, example, roster, "--jobs", jobs)
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("roster.csv: row ")]
    assert [line.split(",")[0] for line in failed] == [f"roster.csv: row {n + 2}" for n in range(0, count, 50)]
    assert result.stderr.splitlines()[-1] == (
        f"roster.csv: {count} rows: {count - len(failed)} created, 0 updated, 0 unchanged, {len(failed)} failed"
    )
    assert len(list((example / "schools").glob("new-school-*-academy.yaml"))) == count - len(failed)
    assert "checking rows" not in result.output  # no progress bar when stderr is not a terminal


def test_progress_is_told_of_every_row(example):
    from factsheet_builder.roster.importer import import_roster
    from factsheet_builder.workspace import Workspace

    rows = "".join(f"School {n},Pat Jones\n" for n in range(5))
    roster = write_csv(example / "roster.csv", f"school,dsl\n{rows}=SUM(A1:A2),Pat Jones\n")
    seen: list[tuple[int, int]] = []
    import_roster(
        Workspace.open(example), roster, dry_run=True, progress=lambda done, total: seen.append((done, total))
    )
    # told of the rows as soon as the roster is read, before any is matched; the junk row is done when refused
    assert seen == [(0, 6)] + [(n, 6) for n in range(2, 7)]
