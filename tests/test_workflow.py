"""Getting started and keeping schools up to date: init, new-school, import from a roster, and the editor schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, pdf_text, squash

from factsheet_builder.check import check
from factsheet_builder.cli import main
from factsheet_builder.config.jsonschema import DRAFT, json_schema
from factsheet_builder.layouts.registry import for_folder
from factsheet_builder.topics import load_topics
from factsheet_builder.workspace import Workspace

SKELETON = REPO / "factsheet_builder" / "skeleton"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.lstrip("\n"), encoding="utf-8", newline="")
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


# --- init ------------------------------------------------------------------------------------------------------------


def test_init_creates_a_workspace_that_checks_and_builds(runner, isolated_cwd):
    result = runner.invoke(main, ["init", "noticeboard"])
    assert result.exit_code == 0, result.output
    ws = isolated_cwd / "noticeboard"
    files = snapshot(ws)
    content = {f"content/{name}": data for name, data in snapshot(REPO / "content").items()}
    assert sorted(files) == sorted(
        [".gitignore", *content, "layouts/README.md", "schools/_defaults.yaml", "schools/example-primary.yaml"]
    )
    assert {name: files[name] for name in content} == content  # the example workspace's content, as it is
    assert "created schools/example-primary.yaml" in result.output
    assert (ws / ".gitignore").read_text().splitlines()[-1] == "out/"
    assert "docs/layouts.md" in (ws / "layouts" / "README.md").read_text()
    example = (ws / "schools" / "example-primary.yaml").read_text()
    assert "REPLACE THESE" in example and "REPLACE THESE" in (ws / "schools" / "_defaults.yaml").read_text()

    checked = runner.invoke(main, ["check", "-C", str(ws)])
    assert checked.exit_code == 0, checked.output
    assert "1 school checked: 0 with errors" in checked.output
    built = runner.invoke(main, ["build", "-C", str(ws)])
    assert built.exit_code == 0, built.output
    text = pdf_text(ws / "out" / "example-primary" / "example-primary-cse-leaflet.pdf")
    for expected in ("Example Primary School", "Alex Morgan", "0113 496 0321", "Example Child Exploitation Team"):
        assert squash(expected) in squash(text)


def test_init_uses_the_workspace_option_as_the_default_folder(runner, isolated_cwd):
    (isolated_cwd / "ws").mkdir()
    result = runner.invoke(main, ["init", "-C", "ws"])
    assert result.exit_code == 0, result.output
    assert (isolated_cwd / "ws" / "schools" / "_defaults.yaml").is_file()


def test_init_refuses_to_overwrite_and_writes_nothing(runner, isolated_cwd):
    ws = isolated_cwd / "ws"
    (ws / "schools").mkdir(parents=True)
    (ws / "schools" / "_defaults.yaml").write_text("authority: {name: Our Council}\n")
    (ws / ".gitignore").write_text("*.tmp\n")
    result = runner.invoke(main, ["init", "ws"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: ws: not creating a workspace here: .gitignore, schools/_defaults.yaml already exist; nothing was "
        "written (choose an empty folder, or move these away)\n"
    )
    assert snapshot(ws) == {".gitignore": b"*.tmp\n", "schools/_defaults.yaml": b"authority: {name: Our Council}\n"}


def test_init_that_fails_half_way_leaves_nothing_behind(runner, isolated_cwd):
    ws = isolated_cwd / "ws"
    ws.mkdir()
    (ws / "schools").write_text("a file where a folder goes")
    result = runner.invoke(main, ["init", "ws"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: 'ws': cannot create a workspace here: schools: it is a file, not a folder; nothing was written\n"
    )
    assert snapshot(ws) == {"schools": b"a file where a folder goes"} and sorted(ws.iterdir()) == [ws / "schools"]


def test_init_refuses_a_file(runner, isolated_cwd):
    (isolated_cwd / "notes.txt").write_text("x")
    result = runner.invoke(main, ["init", "notes.txt"])
    assert result.exit_code != 0
    assert "notes.txt" in result.output and "Traceback" not in result.output


# --- new-school ------------------------------------------------------------------------------------------------------


def test_new_school_writes_a_commented_file_to_fill_in(runner, example):
    result = runner.invoke(
        main, ["new-school", "st-annes-primary", "--name", "St Anne's Primary School", "-C", str(example)]
    )
    assert result.exit_code == 0, result.output
    path = example / "schools" / "st-annes-primary.yaml"
    text = path.read_text()
    assert text.startswith("# St Anne's Primary School: the details printed on this school's leaflet.\n")
    assert '  name: "St Anne\'s Primary School"\n' in text
    assert "factsheet check st-annes-primary" in text

    checked = runner.invoke(main, ["check", "st-annes-primary", "-C", str(example)])
    assert checked.exit_code == 1
    assert "schools/st-annes-primary.yaml:11: safeguarding.dsl.name: is empty; fill in the name" in checked.output

    path.write_text(text.replace("    name:         ", "    name: Ruth Lee"))
    assert runner.invoke(main, ["check", "st-annes-primary", "-C", str(example)]).exit_code == 0
    assert "# email: dsl@school.sch.uk" in path.read_text()


@pytest.mark.parametrize(
    ("school_id", "name", "message"),
    [
        (
            "St Annes",
            "St Anne's",
            "Error: school id 'St Annes' is not a safe name: use at most 100 lower-case letters, "
            "digits and single hyphens, and not a name Windows reserves, e.g. 'st-annes'\n",
        ),
        (
            "con",
            "Con Primary",
            "Error: school id 'con' is not a safe name: use at most 100 lower-case letters, digits "
            "and single hyphens, and not a name Windows reserves, e.g. 'con-school'\n",
        ),
        (
            "a" * 101,
            "Long",
            f"Error: school id '{'a' * 80}…' is not a safe name: use at most 100 lower-case letters, "
            f"digits and single hyphens, and not a name Windows reserves, e.g. '{'a' * 100}'\n",
        ),
        (
            "kenton-bar-primary",
            "Kenton Bar",
            "Error: schools/kenton-bar-primary.yaml already exists: school id "
            "'kenton-bar-primary' is taken; edit that file, or choose another id\n",
        ),
        (
            "walker-riverside-academy",
            "Walker",
            "Error: schools/tyne-valley-trust/walker-riverside-academy.yaml already "
            "exists: school id 'walker-riverside-academy' is taken; edit that file, "
            "or choose another id\n",
        ),
        ("new-school", "TBC", "--name: 'TBC' is a placeholder; replace it with the real text\n"),
    ],
)
def test_new_school_refuses(runner, example, school_id, name, message):
    before = snapshot(example)
    result = runner.invoke(main, ["new-school", school_id, "--name", name, "-C", str(example)])
    assert result.exit_code == 1
    assert result.output.removeprefix("Error: ") == message.removeprefix("Error: ")
    assert snapshot(example) == before


# --- import ----------------------------------------------------------------------------------------------------------

ROSTER = """
School,DSL,DSL_Phone,dsl_email,deputies,cse_lead,social_care_phone,out_of_hours_phone
Kenton Bar Primary School,Graham Whitfield,0191 498 0999,,Ann Lee; Bob Roe,,,
St Aidan's Primary School,Jane Smith,,,Tom Brown; Zara Khan,,,
Brand New Academy,Pat Jones,0191 498 0777,pat@brand-new.example,,,0191 498 0001,0191 498 0002
"""


def test_import_creates_and_updates_keeping_comments_and_other_keys(runner, example):
    roster = write_csv(example / "roster.csv", ROSTER)
    result = runner.invoke(main, ["import", str(roster), "-C", str(example)])
    assert result.exit_code == 0, result.output
    schools = example / "schools"
    assert (schools / "kenton-bar-primary.yaml").read_text() == (
        "# The smallest possible school file: a DSL name only, no deputies and no CSE lead,\n"
        "# so the leaflet says the DSL is also the designated lead person for CSE.\n"
        "school:\n"
        "  name: Kenton Bar Primary School\n"
        "safeguarding:\n"
        '  dsl: {name: Graham Whitfield, phone: "0191 498 0999"}\n'
        "  deputies:\n"
        "    - {name: Ann Lee}\n"
        "    - {name: Bob Roe}\n"
    )
    aidans = (schools / "st-aidans-primary.yaml").read_text()
    original = (REPO / "schools" / "st-aidans-primary.yaml").read_text()
    assert aidans == original.replace("    - {name: Tom Brown}\n", "    - {name: Tom Brown}\n    - {name: Zara Khan}\n")
    created = (schools / "brand-new-academy.yaml").read_text()
    assert created.startswith("# Brand New Academy: the details printed on this school's leaflet.\n")
    assert (
        "    name: Pat Jones                   # required: full name as printed\n"
        '    phone: "0191 498 0777"\n    email: pat@brand-new.example\n'
    ) in created
    assert 'contacts:\n  social_care:\n    phone: "0191 498 0001"\n    out_of_hours: "0191 498 0002"\n' in created
    assert created.endswith(
        "# review_date: 2027-09-01             # optional: when this school's leaflet must next "
        "be reviewed (YYYY-MM-DD)\n"
    )
    assert result.stdout.splitlines() == [
        "updated schools/kenton-bar-primary.yaml (row 2)",
        "  safeguarding.dsl.phone: '0191 498 0999'",
        "  safeguarding.deputies: 'Ann Lee; Bob Roe'",
        "updated schools/st-aidans-primary.yaml (row 3)",
        "  safeguarding.deputies: 'Tom Brown' -> 'Tom Brown; Zara Khan'",
        "created schools/brand-new-academy.yaml (row 4)",
        "  safeguarding.dsl.name: 'Pat Jones'",
        "  safeguarding.dsl.phone: '0191 498 0777'",
        "  safeguarding.dsl.email: 'pat@brand-new.example'",
        "  contacts.social_care.phone: '0191 498 0001'",
        "  contacts.social_care.out_of_hours: '0191 498 0002'",
    ]
    assert "roster.csv: 3 rows: 1 created, 2 updated, 0 unchanged, 0 failed" in result.stderr
    report = check(Workspace.open(example))
    assert not report.failed, report.all_problems

    again = runner.invoke(main, ["import", str(roster), "-C", str(example)])
    assert again.exit_code == 0
    assert "roster.csv: 3 rows: 0 created, 0 updated, 3 unchanged, 0 failed" in again.stderr


def test_dry_run_shows_the_changes_and_writes_nothing(runner, example):
    roster = write_csv(example / "roster.csv", ROSTER)
    before = snapshot(example)
    result = runner.invoke(main, ["import", str(roster), "--dry-run", "-C", str(example)])
    assert result.exit_code == 0, result.output
    assert snapshot(example) == before
    assert result.stdout.splitlines()[:3] == [
        "would update schools/kenton-bar-primary.yaml (row 2)",
        "  safeguarding.dsl.phone: '0191 498 0999'",
        "  safeguarding.deputies: 'Ann Lee; Bob Roe'",
    ]
    assert "would create schools/brand-new-academy.yaml (row 4)" in result.stdout
    assert result.stderr.endswith("0 failed (dry run: nothing was written)\n")


def test_bad_rows_are_named_by_row_and_column_and_good_rows_still_import(runner, example):
    roster = write_csv(
        example / "roster.csv",
        """
school,dsl,dsl_phone,dsl_email,cse_lead
Kenton Bar Primary School,Graham Whitfield,0191 27,,
St Aidan's Primary School,Jane Smith,,jane@,TBC
Walker Riverside Academy,Stephen Milburn,0191 498 0629,,
Brand New Academy,,,,
,,,,
Walker Riverside Academy,Stephen Milburn,,,
""",
    )
    before = snapshot(example / "schools")
    result = runner.invoke(main, ["import", str(roster), "-C", str(example)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "roster.csv: row 2, column 'dsl_phone': '0191 27' is not a valid UK phone number "
        "(expected e.g. '0191 277 2500', '101' or '116 123')",
        "roster.csv: row 3, column 'dsl_email': 'jane@' is not an email address (expected e.g. 'name@school.sch.uk')",
        "roster.csv: row 3, column 'cse_lead': 'TBC' is a placeholder; replace it with the real name",
        "roster.csv: row 5, column 'dsl': is empty; fill in the name",
        "roster.csv: row 7: school 'walker-riverside-academy' is also on row 4; each school may appear only once",
        "roster.csv: 5 rows: 0 created, 1 updated, 0 unchanged, 4 failed",
    ]
    after = snapshot(example / "schools")
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == ["tyne-valley-trust/walker-riverside-academy.yaml"]
    assert 'phone: "0191 498 0629"' in after[changed[0]].decode()
    assert not (example / "schools" / "brand-new-academy.yaml").exists()


def test_a_new_dsl_does_not_inherit_the_old_dsls_number(runner, example):
    roster = write_csv(
        example / "roster.csv", "id,dsl,dsl_email\nst-marys-and-st-josephs,Ruth Lee,r.lee@smsj.example\n"
    )
    result = runner.invoke(main, ["import", str(roster), "-C", str(example)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "updated schools/st-marys-and-st-josephs.yaml (row 2)",
        "  safeguarding.dsl.name: 'Bernadette Keenan' -> 'Ruth Lee'",
        "  safeguarding.dsl.phone: '01914980345' -> (not set)",
        "  safeguarding.dsl.email: 'dsl@st-marys-st-josephs.example' -> 'r.lee@smsj.example'",
    ]
    text = (example / "schools" / "st-marys-and-st-josephs.yaml").read_text()
    assert "  dsl:\n    name: Ruth Lee\n    email: r.lee@smsj.example\n  deputies:\n" in text
    assert text.startswith("# A school whose name contains an ampersand and apostrophes, with a CSE lead,\n")


def test_xlsx_with_a_title_row_numbers_and_mapped_headings(runner, example):
    roster = write_xlsx(
        example / "audit.xlsx",
        [
            ["Safeguarding audit 2026"],
            ["Establishment", "Designated Safeguarding Lead", "DSL Tel", "LADO", "Review"],
            ["Kenton Bar Primary School", "Graham Whitfield", 1914980999, "0191 498 0500", dt.date(2027, 3, 1)],
            ["Hexham Abbey Middle School", "Someone New", "01434 60", None, None],
        ],
    )
    result = runner.invoke(
        main,
        [
            "import",
            str(roster),
            "-C",
            str(example),
            "--map",
            "establishment=school",
            "--map",
            "Designated Safeguarding Lead=dsl",
            "--map",
            "DSL tel=dsl_phone",
            "--map",
            "LADO=contacts.lado.phone",
            "--map",
            "Review=review_date",
        ],
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "updated schools/kenton-bar-primary.yaml (row 3)",
        "  safeguarding.dsl.phone: '1914980999'",
        "  contacts.lado.phone: '0191 498 0500'",
        "  review_date: '2027-03-01'",
    ]
    assert result.stderr.splitlines()[0] == (
        "audit.xlsx: row 4, column 'DSL Tel': '01434 60' is not a valid UK phone number "
        "(expected e.g. '0191 277 2500', '101' or '116 123')"
    )
    text = (example / "schools" / "kenton-bar-primary.yaml").read_text()
    assert text.endswith("contacts:\n  lado:\n    phone: \"0191 498 0500\"\nreview_date: '2027-03-01'\n")
    assert not check(Workspace.open(example), ["kenton-bar-primary"]).failed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--map", "DSL=dsl_mobile"],
            "Error: --map 'DSL=dsl_mobile': 'dsl_mobile' is not a field (did you mean "
            "'dsl_email'?); use one of school, dsl, dsl_phone, dsl_email, deputies, cse_lead, "
            "social_care_phone, out_of_hours_phone, id, or a school-file key such as "
            "contacts.lado.phone (see 'factsheet schema')\n",
        ),
        (
            ["--map", "Head teacher=school.name"],
            "Error: roster.csv: --map names the heading 'head teacher', which is "
            "not in row 1 (the headings are: School, DSL)\n",
        ),
        (["--map", "dsl"], "Error: --map 'dsl': write it as HEADING=FIELD, e.g. --map \"DSL name=dsl\"\n"),
        (
            ["--map", "DSL=school"],
            "Error: roster.csv: the columns 'School' and 'DSL' both fill school.name; keep one of them\n",
        ),
    ],
)
def test_bad_map_options_stop_before_anything_is_written(runner, example, args, message):
    roster = write_csv(example / "roster.csv", "School,DSL\nKenton Bar Primary School,Someone Else\n")
    before = snapshot(example)
    result = runner.invoke(main, ["import", str(roster), "-C", str(example), *args])
    assert result.exit_code == 1
    assert result.output == message
    assert snapshot(example) == before


def test_unknown_headings_are_reported_and_skipped(runner, example):
    roster = write_csv(example / "roster.csv", "school;dsl;Notes\nKenton Bar Primary School;Graham Whitfield;x\n")
    result = runner.invoke(main, ["import", str(roster), "-C", str(example)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "warning: roster.csv: row 1, column 'Notes': not imported: not a known "
        "heading (use --map HEADING=FIELD to import it)"
    )
    assert "unchanged schools/kenton-bar-primary.yaml (row 2)" in result.stdout


def test_a_roster_that_cannot_be_matched_or_read_is_refused(runner, example):
    write_csv(example / "a.csv", "Name,Phone\nKenton Bar,0191 498 0999\n")
    (example / "b.csv").write_bytes("school,dsl\nKenton Bar Primary School,Si\xe2n\n".encode("cp1252"))
    (example / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    messages = [
        runner.invoke(main, ["import", name, "-C", str(example)]).output
        for name in (str(example / "a.csv"), str(example / "b.csv"), str(example / "c.xls"))
    ]
    assert messages == [
        "Error: a.csv: no heading row found: expected headings such as school, dsl, dsl_phone (the first row has: "
        "Name, Phone); rename the headings or use --map HEADING=FIELD\n",
        "Error: b.csv: is not UTF-8 text, and its encoding is not certain: line 2 reads 'Siân' as Windows-1252 and "
        "'Si滱' as big5; in Excel use Save As > 'CSV UTF-8 (Comma delimited)', or save as .xlsx\n",
        "Error: c.xls: only .csv and .xlsx rosters can be read; save the spreadsheet in one of those\n",
    ]


def test_an_import_into_a_new_workspace_keeps_its_layout_and_drops_filled_in_hints(runner, isolated_cwd):
    assert runner.invoke(main, ["init", "ws"]).exit_code == 0
    ws = isolated_cwd / "ws"
    roster = write_csv(
        isolated_cwd / "roster.csv",
        """
school,dsl,dsl_phone,deputies,cse_lead,social_care_phone
Example Primary School,Kim Hall,,,,
Riverside Academy,Sam Okoro,0113 496 0410,,Jo Patel,0113 496 0420
""",
    )
    result = runner.invoke(main, ["import", str(roster), "-C", str(ws)])
    assert result.exit_code == 0, result.output
    example = (ws / "schools" / "example-primary.yaml").read_text()
    skeleton = (SKELETON / "workspace" / "schools" / "example-primary.yaml").read_text()
    # a new DSL: the old DSL's number and email go; everything else, deputies' indentation too, stays as it was
    expected = [
        line.replace("name: Alex Morgan  ", "name: Kim Hall     ")
        for line in skeleton.splitlines()
        if "0113 496 0321" not in line and "dsl@example-primary" not in line
    ]
    assert example.splitlines() == expected
    assert "    - {name: Sam Taylor}\n" in example
    created = (ws / "schools" / "riverside-academy.yaml").read_text()
    assert (
        "  dsl:                                # the Designated Safeguarding Lead\n"
        "    name: Sam Okoro                   # required: full name as printed\n"
        '    phone: "0113 496 0410"\n'
        "    # email: dsl@school.sch.uk        # optional\n"
        "  cse_lead:\n    name: Jo Patel\n"
        "  # deputies:                         # optional: Deputy DSLs, one per line\n"
    ) in created
    assert "# phone:" not in created and "# cse_lead:" not in created
    assert runner.invoke(main, ["check", "-C", str(ws)]).exit_code == 0


def test_windows_line_endings_are_kept(runner, example):
    path = example / "schools" / "kenton-bar-primary.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    roster = write_csv(example / "roster.csv", "school,dsl_email\nKenton Bar Primary School,gw@kenton-bar.example\n")
    assert runner.invoke(main, ["import", str(roster), "-C", str(example)]).exit_code == 0
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == 6
    assert b"dsl: {name: Graham Whitfield, email: gw@kenton-bar.example}\r\n" in data


# --- schema ----------------------------------------------------------------------------------------------------------


def plain(value):
    """YAML values as an editor's YAML language server passes them to JSON Schema (dates are strings)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture(scope="module")
def validator():
    schema = json_schema(for_folder(REPO), load_topics(Workspace(REPO)))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_command_prints_draft_2020_12(runner, isolated_cwd):
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["safeguarding"]["properties"]["dsl"]["properties"]["phone"]["description"]
    assert runner.invoke(main, ["schema", "-o", "school.schema.json"]).exit_code == 0
    assert json.loads((isolated_cwd / "school.schema.json").read_text("utf-8")) == schema


def test_every_field_has_a_description(validator):
    def walk(node, path):
        assert node.get("description"), f"{path or 'the root'} has no description"
        for key, child in node.get("properties", {}).items():
            walk(child, f"{path}.{key}".lstrip("."))
        if "items" in node:
            walk(node["items"], f"{path}[]")

    walk(validator.schema, "")


@pytest.mark.parametrize(
    "path",
    sorted(
        [*(REPO / "schools").rglob("*.yaml"), *(SKELETON / "workspace" / "schools").rglob("*.yaml")],
    ),
    ids=lambda p: p.relative_to(REPO).as_posix(),
)
def test_every_example_config_matches_the_schema(validator, path):
    errors = [e.message for e in validator.iter_errors(plain(yaml.safe_load(path.read_text("utf-8"))))]
    assert errors == []


@pytest.mark.parametrize(
    "text",
    [
        "colour: blue\n",
        "school: {name: Kenton Bar Primary School, moto: Learn}\n",
        "safeguarding: {dsl: {name: A Person, mobile: '0191 498 0999'}}\n",
        "school: Kenton Bar Primary School\n",
        "safeguarding: {dsl: {name: A Person}, deputies: Tom Brown}\n",
        "safeguarding: {dsl: {name: [A, Person]}}\n",
        "safeguarding: {dsl: {name: A Person, phone: ['0191 498 0999']}}\n",
        "safeguarding: {dsl: {name: A Person, email: }}\n",
        "review_date: [2027-01-01]\n",
        "layouts: poster\n",
        "layouts: [no-such-layout]\n",
        "contacts: {police: {emergency: {number: '999'}}}\n",
    ],
)
def test_the_schema_rejects_what_check_rejects(validator, example, text):
    path = example / "schools" / "kenton-bar-primary.yaml"
    path.write_text(path.read_text() + text)
    report = check(Workspace.open(example), ["kenton-bar-primary"])
    assert report.failed
    assert list(validator.iter_errors(plain(yaml.safe_load(path.read_text()))))


# --- an installed wheel ----------------------------------------------------------------------------------------------


def test_an_installed_wheel_can_init_and_build(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            (source / name).write_bytes((REPO / name).read_bytes())
    for folder in (
        "factsheet_builder",
        "content",
        "layouts",
    ):  # the skeleton's content/ and layouts/ link to the example's
        subprocess.run(["cp", "-r", str(REPO / folder), str(source)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("factsheet_builder-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "installed")
    content = sorted(p.name for p in (REPO / "content").iterdir() if p.is_file())
    for expected in (
        "factsheet_builder/skeleton/school.yaml",
        *(f"factsheet_builder/skeleton/workspace/content/{name}" for name in content),
        "factsheet_builder/skeleton/workspace/schools/_defaults.yaml",
        "factsheet_builder/skeleton/workspace/schools/example-primary.yaml",
        "factsheet_builder/skeleton/workspace/layouts/README.md",
        "factsheet_builder/fonts/LiberationSans-Regular.ttf",
    ):
        assert expected in names

    env = {**os.environ, "PYTHONPATH": str(tmp_path / "installed")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "factsheet_builder", *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )

    where = subprocess.run(
        [sys.executable, "-c", "import factsheet_builder; print(factsheet_builder.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(tmp_path / "installed"))
    assert run("init", "ws").returncode == 0
    assert snapshot(tmp_path / "ws" / "content") == snapshot(REPO / "content")
    built = run("build", "-C", "ws")
    assert built.returncode == 0, built.stderr
    assert "Alex Morgan" in pdf_text(tmp_path / "ws" / "out" / "example-primary" / "example-primary-cse-leaflet.pdf")
