"""A careless or hostile roster: spreadsheet junk, clashing names, protected files and oversized input.

Whatever the roster holds, the import names each bad row and column in one short line, never changes a school the
row does not name, never writes a value `factsheet check` would refuse, exits non-zero and ends with its summary.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from pathlib import Path

import pytest
from test_workflow import snapshot, write_csv, write_xlsx

from factsheet_builder.check import check
from factsheet_builder.cli import main
from factsheet_builder.roster import table
from factsheet_builder.workspace import Workspace

KENTON = "schools/kenton-bar-primary.yaml"
AIDANS = "schools/st-aidans-primary.yaml"


def run_import(runner, example: Path, roster: Path, *args: str):
    """Run the import; every message is one line of a few hundred characters at most, and no traceback."""
    result = runner.invoke(main, ["import", str(roster), "-C", str(example), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert all(len(line) <= 400 for line in result.output.splitlines()), result.output
    return result


def edited_xlsx(path: Path, rows: list[list[object]], change) -> Path:
    """A workbook of ``rows`` whose first sheet's XML is then changed by ``change`` (bytes -> bytes)."""
    written = write_xlsx(path.with_name("written.xlsx"), rows)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item.filename, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return path


ROWS = [["school", "dsl"], ["Kenton Bar Primary School", "Ann Lee"]]


def assert_checks(example: Path) -> None:
    report = check(Workspace.open(example))
    assert not report.failed, report.all_problems


# --- spreadsheet junk ------------------------------------------------------------------------------------------------


def test_spreadsheet_errors_formulas_and_non_names_are_refused_and_never_replace_a_value(runner, example):
    roster = write_xlsx(
        example / "roster.xlsx",
        [
            ["School", "DSL", "DSL phone"],
            ["Kenton Bar Primary School", "#REF!", None],
            ["St Aidan's Primary School", "=VLOOKUP(A3,Staff!A:B,2,FALSE)", None],
            ["St Mary's and St Joseph's RC Primary School", 12345, None],
            ["Walker Riverside Academy", True, None],
            ["Benwell and Scotswood Community Academy", "Ruth Lee", "#N/A"],
            ["Ysgol Gŵyr", "@Ruth Lee", None],
        ],
    )
    before = snapshot(example)
    result = run_import(runner, example, roster, "--map", "DSL=dsl", "--map", "DSL phone=dsl_phone")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "roster.xlsx: row 2, column 'DSL': '#REF!' is a spreadsheet error, not a value; correct the cell's formula "
        "or type the value",
        "roster.xlsx: row 3, column 'DSL': is a formula with no saved result, so its value is unknown; open the "
        "workbook in Excel and save it, or type the value",
        "roster.xlsx: row 4, column 'DSL': '12345' has no letters; expected the name",
        "roster.xlsx: row 5, column 'DSL': is the true/false value TRUE, not text; type the value itself",
        "roster.xlsx: row 6, column 'DSL phone': '#N/A' is a spreadsheet error, not a value; correct the cell's "
        "formula or type the value",
        "roster.xlsx: row 7, column 'DSL': '@Ruth Lee' starts with '@', which a spreadsheet runs as a formula; type "
        "the value itself (without the formula)",
        "roster.xlsx: 6 rows: 0 created, 0 updated, 0 unchanged, 6 failed",
    ]
    assert snapshot(example) == before


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "=1+2",
            "'=1+2' starts with '=', which a spreadsheet runs as a formula; type the value itself (without the "
            "formula)",
        ),
        (
            "+SUM(A1)",
            "'+SUM(A1)' starts with '+', which a spreadsheet runs as a formula; type the value itself (without "
            "the formula)",
        ),
        (
            "-2+3",
            "'-2+3' starts with '-', which a spreadsheet runs as a formula; type the value itself (without the "
            "formula)",
        ),
        ("#DIV/0!", "'#DIV/0!' is a spreadsheet error, not a value; correct the cell's formula or type the value"),
        ("#name?", "'#name?' is a spreadsheet error, not a value; correct the cell's formula or type the value"),
        ("1234", "'1234' has no letters; expected the name"),
        ("TRUE", "'TRUE' is a true/false value, not the name"),
    ],
)
def test_csv_junk_is_refused_with_row_and_column(runner, example, cell, message):
    roster = write_csv(
        example / "roster.csv",
        f'school,dsl,deputies\nKenton Bar Primary School,Ann Lee,"{cell}"\nSt Aidan\'s Primary School,"{cell}",\n',
    )
    before = snapshot(example)
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"roster.csv: row 2, column 'deputies': {message}",
        f"roster.csv: row 3, column 'dsl': {message}",
        "roster.csv: 2 rows: 0 created, 0 updated, 0 unchanged, 2 failed",
    ]
    assert snapshot(example) == before


def test_each_deputy_in_a_cell_must_be_a_name_and_named_once(runner, example):
    roster = write_csv(
        example / "roster.csv",
        'school,deputies\nKenton Bar Primary School,"Tom Brown; 42"\n'
        "St Aidan's Primary School,Tom Brown; Ann Lee; tom  brown\n",
    )
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "roster.csv: row 2, column 'deputies': '42' has no letters; expected the name",
        "roster.csv: row 3, column 'deputies': 'tom  brown' is named twice; name each person once",
    ]


def test_a_name_with_no_latin_letters_asks_for_an_id(runner, example):
    roster = write_csv(example / "roster.csv", "school,dsl\nΑγία Σοφία,Ελένη Παπαδάκη\n")
    result = run_import(runner, example, roster, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "roster.csv: row 2, column 'school': 'Αγία Σοφία' has no letters a-z or digits to make a school id (a file "
        "name) from; add an id column to give it one"
    )
    with_id = write_csv(example / "roster.csv", "id,school,dsl\nagia-sofia,Αγία Σοφία,Ελένη Παπαδάκη\n")
    assert run_import(runner, example, with_id).exit_code == 0
    assert "Αγία Σοφία" in (example / "schools/agia-sofia.yaml").read_text("utf-8")


def test_deputies_run_together_with_commas_or_lines_are_refused_not_printed_as_one(runner, example):
    roster = write_csv(
        example / "roster.csv",
        'school,deputies\nKenton Bar Primary School,"Tom Brown, Zara Khan; Ann Lee"\n'
        'St Aidan\'s Primary School,"Brown, Tom"\n'
        'Walker Riverside Academy,"Tom Brown\nZara Khan"\n',
    )
    before = snapshot(example)
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "roster.csv: row 2, column 'deputies': 'Tom Brown, Zara Khan' holds a ',', but the deputies in a cell are "
        "separated by ';': write 'Tom Brown; Zara Khan' if they are several people, or one person's name as it is "
        "printed (first name first)",
        "roster.csv: row 3, column 'deputies': 'Brown, Tom' holds a ',', but the deputies in a cell are separated by "
        "';': write 'Brown; Tom' if they are several people, or one person's name as it is printed (first name first)",
        "roster.csv: row 4, column 'deputies': 'Tom Brown\\u000aZara Khan' holds a line break, but the deputies in a "
        "cell are separated by ';': write 'Tom Brown; Zara Khan' if they are several people, or one person's name as "
        "it is printed (first name first)",
    ]
    assert snapshot(example) == before


def test_an_international_number_is_a_phone_number_not_a_formula(runner, example):
    roster = write_csv(example / "roster.csv", "school,dsl_phone\nKenton Bar Primary School,+44 191 498 0999\n")
    result = run_import(runner, example, roster)
    assert result.exit_code == 0, result.output
    assert 'dsl: {name: Graham Whitfield, phone: "+44 191 498 0999"}' in (example / KENTON).read_text()
    assert_checks(example)


# --- never a school the row does not name ----------------------------------------------------------------------------


def test_a_new_name_whose_id_is_taken_is_refused_naming_both(runner, example):
    roster = write_csv(example / "roster.csv", "school,dsl\nKenton Bar Primary,Pat Jones\n")
    before = snapshot(example)
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "roster.csv: row 2, column 'school': 'Kenton Bar Primary' is not the name of any school, but the id it would "
        "get, 'kenton-bar-primary', is schools/kenton-bar-primary.yaml ('Kenton Bar Primary School'); add an id "
        "column to say which school this row is, or correct the name",
        "roster.csv: 1 row: 0 created, 0 updated, 0 unchanged, 1 failed",
    ]
    assert snapshot(example) == before


def test_an_id_and_a_name_of_different_schools_are_refused_naming_both(runner, example):
    roster = write_csv(
        example / "roster.csv", "id,school,dsl\nkenton-bar-primary,St Aidan's Primary School,Pat Jones\n"
    )
    before = snapshot(example)
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "roster.csv: row 2: the id 'kenton-bar-primary' is schools/kenton-bar-primary.yaml, but the name "
        "'St Aidan's Primary School' is schools/st-aidans-primary.yaml; correct the id or the name so that both "
        "name the same school"
    )
    assert snapshot(example) == before


def test_a_name_with_curly_apostrophes_is_the_same_school(runner, example):
    roster = write_csv(example / "roster.csv", "school,dsl_phone\nST AIDAN’S  Primary School,0191 498 0111\n")
    result = run_import(runner, example, roster)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "updated schools/st-aidans-primary.yaml (row 2)",
        "  safeguarding.dsl.phone: '0191 498 0123' -> '0191 498 0111'",
    ]
    assert "  name: St Aidan's Primary School\n" in (example / AIDANS).read_text()


def test_a_new_id_with_an_existing_schools_name_is_refused(runner, example):
    roster = write_csv(example / "roster.csv", "id,school,dsl\nkenton-bar,Kenton Bar Primary School,Pat Jones\n")
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "roster.csv: row 2: the id 'kenton-bar' is not a school yet, but the name 'Kenton Bar Primary School' is "
        "schools/kenton-bar-primary.yaml; correct the id or the name so that both name the same school"
    )
    assert not (example / "schools" / "kenton-bar.yaml").exists()


def test_an_id_windows_reserves_is_refused_and_a_name_gets_a_safe_id(runner, example):
    roster = write_csv(example / "roster.csv", "id,school,dsl\ncon,Con Primary,Pat Jones\n,Nul,Sam Okoro\n")
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "roster.csv: row 2, column 'id': 'con' cannot be a school id: use at most 100 lower-case letters, digits and "
        "single hyphens, and not a name Windows reserves (e.g. 'con-school')"
    )
    assert result.stdout.splitlines()[0] == "created schools/nul-school.yaml (row 3)"


def test_an_id_may_rename_its_school(runner, example):
    roster = write_csv(example / "roster.csv", "id,school\nkenton-bar-primary,Kenton Bar Academy\n")
    result = run_import(runner, example, roster)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "updated schools/kenton-bar-primary.yaml (row 2)",
        "  school.name: 'Kenton Bar Primary School' -> 'Kenton Bar Academy'",
    ]


# --- files and folders -----------------------------------------------------------------------------------------------


def test_a_write_protected_school_file_is_refused_and_kept(runner, example):
    kenton = example / KENTON
    kenton.chmod(0o444)
    before = kenton.read_bytes()
    roster = write_csv(
        example / "roster.csv",
        "school,dsl_phone\nKenton Bar Primary School,0191 498 0999\nSt Aidan's Primary School,0191 498 0111\n",
    )
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "roster.csv: row 2: schools/kenton-bar-primary.yaml: is write-protected (read-only); not changed: make it "
        "writable to import into it",
        "roster.csv: 2 rows: 0 created, 1 updated, 0 unchanged, 1 failed",
    ]
    assert kenton.read_bytes() == before and stat.S_IMODE(kenton.stat().st_mode) == 0o444
    assert '"0191 498 0111"' in (example / AIDANS).read_text()


def test_a_new_school_never_replaces_a_file_the_workspace_skipped(runner, example):
    (example / "schools" / "brand-new-academy.yaml").symlink_to("/dev/zero")
    roster = write_csv(example / "roster.csv", "school,dsl\nBrand New Academy,Pat Jones\n")
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2] == (
        "roster.csv: row 2: schools/brand-new-academy.yaml: is a device, not a regular file; correct the file, then "
        "import again"
    )
    assert os.readlink(example / "schools" / "brand-new-academy.yaml") == "/dev/zero"


def test_an_updated_file_keeps_its_permissions(runner, example):
    (example / KENTON).chmod(0o640)
    roster = write_csv(example / "roster.csv", "school,dsl_phone\nKenton Bar Primary School,0191 498 0999\n")
    assert run_import(runner, example, roster).exit_code == 0
    assert stat.S_IMODE((example / KENTON).stat().st_mode) == 0o640


def test_a_read_only_schools_folder_is_one_line(runner, example):
    schools = example / "schools"
    roster = write_csv(example / "roster.csv", "school,dsl\nBrand New Academy,Pat Jones\n")
    before = snapshot(example)
    schools.chmod(0o555)
    try:
        result = run_import(runner, example, roster)
    finally:
        schools.chmod(0o755)
    assert result.exit_code == 1
    assert result.output == (
        "Error: schools: the folder is read-only, so no school file can be created or updated; "
        "make it writable, then import again\n"
    )
    assert snapshot(example) == before


def test_a_file_that_cannot_be_written_fails_its_row_and_the_others_are_written(runner, example, monkeypatch):
    from factsheet_builder import output

    real = output._write_temporary

    def full_disk(path: Path, data: bytes, journal: Path | None) -> tuple[str, object]:
        if path.name == "kenton-bar-primary.yaml":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data, journal)

    monkeypatch.setattr(output, "_write_temporary", full_disk)
    before = (example / KENTON).read_bytes()
    roster = write_csv(
        example / "roster.csv",
        "school,dsl_phone\nKenton Bar Primary School,0191 498 0999\nSt Aidan's Primary School,0191 498 0111\n",
    )
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "roster.csv: row 2: schools/kenton-bar-primary.yaml: cannot be written: no space left on the disk",
        "roster.csv: 2 rows: 0 created, 1 updated, 0 unchanged, 1 failed",
    ]
    assert result.stdout.splitlines()[0] == "updated schools/st-aidans-primary.yaml (row 3)"
    assert (example / KENTON).read_bytes() == before
    assert not list((example / "schools").glob(".*.tmp"))  # nor a temporary file left beside it


def test_an_import_stopped_while_rows_are_checked_replaces_no_file_and_leaves_none_behind(runner, example, monkeypatch):
    from factsheet_builder.roster import importer

    real = importer.checked_rows

    def stopped(*args, **kwargs):
        for number, outcome in enumerate(real(*args, **kwargs)):
            if number == 2:  # two good rows' files already being written beside the old ones
                raise KeyboardInterrupt
            yield outcome

    monkeypatch.setattr(importer, "checked_rows", stopped)
    before = snapshot(example / "schools")
    roster = write_csv(
        example / "roster.csv",
        "school,dsl_phone\nKenton Bar Primary School,0191 498 0999\nSt Aidan's Primary School,0191 498 0111\n"
        "New School One,0191 498 0222\nNew School Two,0191 498 0333\n",
    )
    result = runner.invoke(main, ["import", str(roster), "-C", str(example)])
    assert isinstance(result.exception, KeyboardInterrupt) or result.exit_code != 0
    assert snapshot(example / "schools") == before


def test_crlf_line_endings_and_comments_are_kept_byte_for_byte(runner, example, tmp_path):
    text = (
        (example / AIDANS)
        .read_text()
        .replace("safeguarding:\n", "# The team, checked each September.\nsafeguarding:\n")
    )
    (example / AIDANS).write_text(text)
    roster = write_csv(
        tmp_path / "roster.csv", "school,dsl_phone,cse_lead\nSt Aidan's Primary School,0191 498 0111,Ruth Lee\n"
    )
    assert run_import(runner, example, roster).exit_code == 0
    expected = (example / AIDANS).read_bytes()
    assert b"# The team, checked each September.\n" in expected and b"0191 498 0111" in expected

    (example / AIDANS).write_bytes(text.replace("\n", "\r\n").encode())
    assert run_import(runner, example, roster).exit_code == 0
    assert (example / AIDANS).read_bytes() == expected.replace(b"\n", b"\r\n")


def test_a_byte_order_mark_is_kept(runner, example):
    path = example / KENTON
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    roster = write_csv(example / "roster.csv", "school,dsl_phone\nKenton Bar Primary School,0191 498 0999\n")
    assert run_import(runner, example, roster).exit_code == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbf# The smallest possible school file")
    assert path.read_bytes().count(b"\xef\xbb\xbf") == 1


# --- oversized and broken input --------------------------------------------------------------------------------------


def test_a_one_megabyte_cell_fails_its_row_only(runner, example):
    roster = write_csv(
        example / "roster.csv",
        f"school,dsl\nKenton Bar Primary School,{'x' * 1_000_000}\nSt Aidan's Primary School,Ruth Lee\n",
    )
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "roster.csv: row 2, column 'dsl': is 1,000,000 characters long; a roster cell may hold at most 1,000 "
        "('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…')",
        "roster.csv: 2 rows: 0 created, 1 updated, 0 unchanged, 1 failed",
    ]
    assert "name: Ruth Lee" in (example / AIDANS).read_text()


def test_a_very_long_school_name_is_refused_cleanly(runner, example):
    name = "The " + "Very " * 60 + "Long Academy"
    roster = write_csv(example / "roster.csv", f"school,dsl\n{name},Pat Jones\n")
    before = snapshot(example)
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "roster.csv: 1 row: 0 created, 0 updated, 0 unchanged, 1 failed"
    assert result.stderr.startswith("roster.csv: row 2, column 'school': ")
    assert snapshot(example) == before


def test_a_roster_past_the_row_or_column_bounds_is_refused(runner, example):
    rows = "".join(f"School {n},Pat Jones\n" for n in range(table.MAX_ROWS + 1))
    many = write_csv(example / "many.csv", "school,dsl\n" + rows)
    wide = write_csv(example / "wide.csv", "school,dsl" + ",x" * table.MAX_COLUMNS + "\n")
    before = snapshot(example / "schools")
    assert run_import(runner, example, many).output == (
        f"Error: many.csv: has more than {table.MAX_ROWS:,} rows (row {table.MAX_ROWS + 1:,} is filled in); a roster "
        "has one row per school: remove the rows below the table\n"
    )
    assert run_import(runner, example, wide).output == (
        "Error: wide.csv: row 1 has more than 200 columns; a roster has one column per detail: remove the columns "
        "beyond the table\n"
    )
    assert snapshot(example / "schools") == before


def test_a_password_protected_or_old_workbook_is_named_so(runner, example):
    (example / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    assert run_import(runner, example, example / "locked.xlsx").output == (
        "Error: locked.xlsx: is an Excel 97-2003 workbook or a password-protected one; in Excel, save it as an .xlsx "
        "workbook without a password\n"
    )


def test_a_broken_workbook_is_refused(runner, example):
    broken = edited_xlsx(example / "broken.xlsx", ROWS, lambda data: data[:200])
    result = run_import(runner, example, broken)
    assert result.exit_code == 1
    assert result.output.startswith("Error: broken.xlsx: is not a readable .xlsx workbook (")
    assert result.output.endswith("); open it in Excel and save it again\n")


def test_xml_entities_are_refused_before_parsing(runner, example):
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    bomb = edited_xlsx(
        example / "laughs.xlsx",
        ROWS,
        lambda data: laughs + data[data.index(b"<worksheet") :].replace(b"Ann Lee", b"&b;"),
    )
    assert run_import(runner, example, bomb).output == (
        "Error: laughs.xlsx: its part 'xl/worksheets/sheet1.xml' is not XML as a spreadsheet program saves it; open "
        "the workbook in Excel and save it again\n"
    )


def test_rows_beyond_the_size_a_sheet_declares_are_read(runner, example):
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Far Away School</t></is></c></row></sheetData>'
    roster = edited_xlsx(example / "roster.xlsx", ROWS, lambda data: data.replace(b"</sheetData>", far))
    assert b'<dimension ref="A1:B2"/>' in zipfile.ZipFile(roster).read("xl/worksheets/sheet1.xml")
    assert run_import(runner, example, roster).output == (
        f"Error: roster.xlsx: has more than {table.MAX_ROWS:,} rows (row 1,048,576 is filled in); a roster has one "
        "row per school: remove the rows below the table\n"
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(runner, example):
    good = write_xlsx(example / "good.xlsx", [["school", "dsl"], ["Kenton Bar Primary School", "Pat Jones"]])
    bomb = example / "bomb.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item))
        with target.open("xl/sharedStrings.xml", "w") as part:
            for _ in range(table.MAX_PART_BYTES // 1_000_000 + 1):
                part.write(b" " * 1_000_000)
    assert bomb.stat().st_size < 200_000
    result = run_import(runner, example, bomb, "--dry-run")
    assert result.exit_code == 1
    assert result.output == (
        "Error: bomb.xlsx: its part 'xl/sharedStrings.xml' would unpack to 21,000,000 bytes, "
        "more than a roster can need (20 MB); is it the right file?\n"
    )


@pytest.mark.parametrize(
    ("element", "count", "message"),
    [
        (
            b"<si><t>x</t></si>",
            table.MAX_STRINGS + 1,
            f"{table.MAX_STRINGS + 1:,} different texts, more than a roster can need (at most {table.MAX_STRINGS:,})",
        ),
        (
            b'<x:c r="Z9"><x:v>1</x:v></x:c>',
            table.MAX_CELLS,
            f"{table.MAX_CELLS + 4:,} cells, more than a roster can need (at most {table.MAX_CELLS:,})",
        ),
    ],
)
def test_a_workbook_with_more_cells_or_texts_than_a_roster_is_refused_before_parsing(
    runner, example, element, count, message
):
    roster = edited_xlsx(
        example / "roster.xlsx", ROWS, lambda data: data.replace(b"</sheetData>", b"</sheetData>" + element * count)
    )
    assert run_import(runner, example, roster).output == (
        f"Error: roster.xlsx: holds {message}; copy the roster's sheet alone into a new workbook\n"
    )


def test_a_pipe_or_an_oversized_file_is_refused_without_reading_it(runner, example):
    pipe = example / "roster.csv"
    os.mkfifo(pipe)
    assert run_import(runner, example, pipe).output == (
        "Error: roster.csv: is not a regular file; save the roster as a .csv or .xlsx file\n"
    )
    large = example / "large.csv"
    with large.open("wb") as stream:
        stream.truncate(table.MAX_FILE_BYTES + 1)
    assert run_import(runner, example, large).output == (
        "Error: large.csv: is larger than 20 MB, far more than a roster needs; is it the right file?\n"
    )


def test_a_value_past_the_leaflet_limits_is_not_written(runner, example):
    roster = write_csv(example / "roster.csv", f"school,dsl\nKenton Bar Primary School,{'W' * 81}\n")
    before = snapshot(example)
    result = run_import(runner, example, roster)
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == f"roster.csv: row 2, column 'dsl': '{'W' * 40}…' is 81 characters long; the limit is 80"
    )
    assert snapshot(example) == before


def test_a_formula_is_read_as_its_saved_result(runner, example):
    saved = edited_xlsx(
        example / "saved.xlsx",
        [["school", "dsl"], ["Kenton Bar Primary School", '="Ruth"&" Lee"']],
        lambda data: data.replace(b'<c r="B2"><f>', b'<c r="B2" t="str"><f>').replace(b"<v></v>", b"<v>Ruth Lee</v>"),
    )  # as Excel saves it
    result = run_import(runner, example, saved)
    assert result.exit_code == 0, result.output
    assert "dsl: {name: Ruth Lee}" in (example / KENTON).read_text()
