"""Every class of bad input: the exact one-line message, the exit code, and never a traceback."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, REPO, docx_text, pdf_text, squash, without_retired

from factsheet_builder.cli import main
from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import MAX_IMAGE_BYTES
from factsheet_builder.config.phones import format_uk
from factsheet_builder.config.placeholders import find_placeholder

PHONE_HINT = "is not a valid UK phone number (expected e.g. '0191 277 2500', '101' or '116 123')"
EMAIL_HINT = "is not an email address (expected e.g. 'name@school.sch.uk')"
MISSING = "is required but missing; set it in this file or in a _defaults.yaml above it"
FONT = "which the 'leaflet' layout's font Liberation Sans cannot print"
INVISIBLE = "contains the invisible or control character"
TAG = "is not allowed; delete it (only plain text, numbers, dates, lists and mappings are read)"
BAD_ID = "is not a safe name (only lower-case letters, digits and single hyphens, because it names the output folder)"
SAME_ID = "school ids must be unique (they name the output folders), so rename one of the files"
LOGO = "schools/{id}.yaml:3: school.logo: '{path}' {problem}"
EMERGENCY_OFFICE = (
    "is the emergency number, not a direct or office line; give the number that reaches this person "
    "or service, e.g. '0191 277 2500' (999 is printed from contacts.police.emergency)"
)
SHORT_OFFICE = (
    "is a national short number, not a direct or office line; give the number that reaches this person or "
    "service, e.g. '0191 277 2500'"
)
PREMIUM = "is a premium-rate number (callers pay extra); give a standard number, e.g. '0191 277 2500'"
SERVICE_CHARGE = "is a service-charge number (callers pay extra); give a standard number, e.g. '0191 277 2500'"


def problem_lines(result: Result) -> list[str]:
    """The problem lines a command printed (not its summary)."""
    return without_retired(
        line for line in result.stderr.splitlines() if line.startswith(("schools/", "content/", "warning: "))
    )


def run(workspace: Path, *args: str) -> Result:
    """Run ``factsheet`` on a workspace; whatever happens, no traceback and no unexpected exception."""
    result = CliRunner().invoke(main, [*args, "-C", str(workspace)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def add_outside_symlink(workspace: Path) -> None:
    """A logo that is a symlink inside schools/ pointing at an image outside the workspace."""
    outside = workspace.parent / "outside.png"
    outside.write_bytes((REPO / "schools/logos/st-aidans.png").read_bytes())
    (workspace / "schools/logos/linked.png").symlink_to(outside)
    (workspace / "schools/symlink.yaml").write_text(
        "school:\n  name: St Aidan's Primary\n  logo: logos/linked.png\nsafeguarding:\n  dsl: {name: Jane Smith}\n"
    )


def add_oversized_logo(workspace: Path) -> None:
    """A logo one byte over the size cap (made here rather than stored in the repository)."""
    (workspace / "schools/logos/huge.png").write_bytes(b"\0" * (MAX_IMAGE_BYTES + 1))
    (workspace / "schools/oversized.yaml").write_text(
        "school:\n  name: St Aidan's Primary\n  logo: logos/huge.png\nsafeguarding:\n  dsl: {name: Jane Smith}\n"
    )


DEPUTY_PLACEHOLDERS = [
    f"schools/st-aidans.yaml:{line}: safeguarding.deputies[{i}].name: '{value}' is a placeholder; replace it with the real name"
    for i, (line, value) in enumerate(zip(range(6, 14), ["TBC", "TBA", "tbd", "XXX", "N/A", "?", "[name]", "<name>"]))
]

CHECK_CASES: list[tuple[str, list[str], Callable[[Path], None] | None, int, list[str]]] = [
    (
        "yaml-syntax",
        [],
        None,
        1,
        [
            "schools/colon-in-value.yaml:6: YAML syntax error at column 18: mapping values are not allowed here; "
            "put quotes around a value that contains ': ', or check the indentation",
            "schools/tab-indent.yaml:2: YAML syntax error at column 1: found character '\\t' that cannot start any token; "
            "indent with spaces, not tabs",
            "schools/unclosed-quote.yaml:2: YAML syntax error at column 9: found unexpected end of stream "
            "(while scanning a quoted scalar that starts here); close the quote",
        ],
    ),
    (
        "not-utf8",
        [],
        None,
        1,
        [
            "schools/latin1.yaml:2: is not UTF-8 text (byte 0xe9 at column 12); save the file with the encoding UTF-8",
            "schools/utf16.yaml:1: is not UTF-8 text (byte 0xff at column 1); save the file with the encoding UTF-8",
        ],
    ),
    (
        "empty-file",
        [],
        None,
        1,
        [
            "schools/comments-only.yaml: the file is empty; it must contain a mapping of keys",
            "schools/empty.yaml: the file is empty; it must contain a mapping of keys",
        ],
    ),
    (
        "empty-file",
        [],
        lambda ws: (ws / "schools/gone.yaml").symlink_to(ws / "schools/moved-away.yaml"),
        1,
        [
            "schools/comments-only.yaml: the file is empty; it must contain a mapping of keys",
            "schools/empty.yaml: the file is empty; it must contain a mapping of keys",
            "schools/gone.yaml: cannot be read: No such file or directory",
        ],
    ),
    (
        "not-a-mapping",
        [],
        None,
        1,
        [
            "schools/a-list.yaml:1: the top level must be a mapping of keys, not a list",
            "schools/plain-text.yaml:1: the top level must be a mapping of keys, not a single value",
        ],
    ),
    (
        "duplicate-keys",
        [],
        None,
        1,
        [
            "schools/st-aidans.yaml:7: safeguarding.dsl: duplicate key 'dsl' (first set on line 4); keep only one",
        ],
    ),
    (
        "alias-bomb",
        [],
        None,
        1,
        [
            "schools/lol.yaml:2: anchors and aliases ('&' and '*') expand to more than 20,000 values, so the file is "
            "refused; write the values out instead of using '*' aliases",
        ],
    ),
    (
        "yaml-tags",
        [],
        None,
        1,
        [
            f"schools/custom-tag.yaml:1: school: the YAML tag '!school' {TAG}",
            f"schools/python-object.yaml:2: school.name: the YAML tag '!!python/object/apply:os.system' {TAG}",
        ],
    ),
    (
        "unknown-keys",
        [],
        None,
        1,
        [
            f"schools/st-aidans.yaml: safeguarding.dsl.name: {MISSING}",
            f"schools/st-aidans.yaml: school.name: {MISSING}",
            "schools/st-aidans.yaml:1: shool: unknown key 'shool' (did you mean 'school'?); allowed here: school, "
            "authority, safeguarding, contacts, review_date, confirmed_text, role_names, topics, layouts, layout_options",
            "schools/st-aidans.yaml:4: safeguarding.dls: unknown key 'dls' (did you mean 'dsl'?); "
            "allowed here: dsl, deputies, cse_lead",
            "schools/st-aidans.yaml:6: safeguarding.deputies[0].phone_number: unknown key 'phone_number' "
            "(did you mean 'phone'?); allowed here: name, phone, email, photo",
            "schools/st-aidans.yaml:8: contacts.police.non_emergancy: unknown key 'non_emergancy' "
            "(did you mean 'non_emergency'?); allowed here: non_emergency, emergency",
        ],
    ),
    (
        "wrong-types",
        [],
        None,
        1,
        [
            "schools/st-aidans.yaml:2: school.name: must be text, not a list",
            "schools/st-aidans.yaml:6: safeguarding.dsl.phone: must be a UK phone number, not a mapping",
            "schools/st-aidans.yaml:7: safeguarding.deputies: must be a list (lines starting with '- '), not a mapping",
            "schools/st-aidans.yaml:8: safeguarding.cse_lead: must be a mapping of keys (name, phone, email, photo), "
            "not 'Priya Patel'",
            "schools/st-aidans.yaml:9: contacts: must be a mapping of keys (social_care, lado, police), not '0191 277 2500'",
            "schools/st-aidans.yaml:10: review_date: 'next September' is not a date; write it as YYYY-MM-DD, "
            "e.g. '2027-09-01'",
        ],
    ),
    (
        "missing-values",
        [],
        None,
        1,
        [
            *(
                f"schools/st-aidans.yaml: {field}: required by topic 'cse' (content/cse.yaml:{line})"
                for field, line in (
                    ("authority.cse_service", 49),
                    ("authority.police_force", 109),
                    ("contacts.police.emergency", 171),
                    ("contacts.social_care.out_of_hours", 167),
                )
            ),
            *(f"schools/st-aidans.yaml: {field}: {MISSING}" for field in ("safeguarding.dsl.name", "school.name")),
        ],
    ),
    (
        "empty-values",
        [],
        None,
        1,
        [
            "schools/st-aidans.yaml:2: school.name: is empty; fill in the name",
            "schools/st-aidans.yaml:5: safeguarding.dsl.name: is empty; fill in the name",
            "schools/st-aidans.yaml:6: safeguarding.dsl.phone: is empty; fill in a UK phone number or delete the line",
            "schools/st-aidans.yaml:8: safeguarding.deputies[0].name: is empty; fill in the name",
            "schools/st-aidans.yaml:9: safeguarding.deputies[1].email: is empty; fill in an email address or delete the line",
        ],
    ),
    (
        "placeholders",
        [],
        None,
        1,
        [
            "schools/st-aidans.yaml:4: safeguarding.dsl.phone: 'Add number here' is a placeholder; "
            "replace it with the real phone number",
            *DEPUTY_PLACEHOLDERS,
            "schools/st-aidans.yaml:14: safeguarding.cse_lead.email: 'name@example.com' is a placeholder; "
            "replace it with the real email address",
            "schools/st-aidans.yaml:14: safeguarding.cse_lead.name: 'Lorem Ipsum' is a placeholder; "
            "replace it with the real name",
            "schools/st-aidans.yaml:16: contacts.lado.email: 'lado@example.gov.uk' is a placeholder; "
            "replace it with the real email address",
        ],
    ),
    (
        "phones",
        [],
        None,
        1,
        [
            f"schools/st-aidans.yaml:4: safeguarding.dsl.phone: '0191 277' {PHONE_HINT}",
            f"schools/st-aidans.yaml:6: safeguarding.deputies[0].phone: '+1 212 555 0100' {PHONE_HINT}",
            f"schools/st-aidans.yaml:7: safeguarding.deputies[1].phone: 'tel: 0191 277 2500' {PHONE_HINT}",
            f"schools/st-aidans.yaml:8: safeguarding.deputies[2].phone: '0800 CHILDLINE' {PHONE_HINT}",
            f"schools/st-aidans.yaml:9: safeguarding.deputies[3].phone: '1234' {PHONE_HINT}",
            f"schools/st-aidans.yaml:11: contacts.police.non_emergency: '0191 277 2500 ext 5' {PHONE_HINT}",
        ],
    ),
    (
        "emails",
        [],
        None,
        1,
        [
            f"schools/st-aidans.yaml:4: safeguarding.dsl.email: 'jane.smith' {EMAIL_HINT}",
            f"schools/st-aidans.yaml:6: safeguarding.deputies[0].email: 't.brown@st-aidans' {EMAIL_HINT}",
            f"schools/st-aidans.yaml:7: safeguarding.deputies[1].email: 'ann lee@st-aidans.example' {EMAIL_HINT}",
            f"schools/st-aidans.yaml:8: safeguarding.deputies[2].email: 'sam@@st-aidans.example' {EMAIL_HINT}",
        ],
    ),
    (
        "unprintable",
        [],
        None,
        1,
        [
            f"schools/st-aidans.yaml:2: school.name: 'St Aidan's Primary 🏫' contains '🏫' (U+1F3EB SCHOOL), {FONT}; "
            "retype the value without it or use a layout whose font has it",
            "schools/st-aidans.yaml:4: safeguarding.dsl.name: '王秀英' contains '王' (U+738B CJK UNIFIED IDEOGRAPH-738B), "
            "'秀' (U+79C0 CJK UNIFIED IDEOGRAPH-79C0) and '英' (U+82F1 CJK UNIFIED IDEOGRAPH-82F1), "
            f"{FONT}; retype the value without them or use a layout whose font has them",
            "schools/st-aidans.yaml:6: safeguarding.deputies[0].name: 'Tom\\u200bBrown' "
            f"{INVISIBLE} U+200B ZERO WIDTH SPACE; delete it and retype the value",
            f"schools/st-aidans.yaml:7: safeguarding.deputies[1].name: 'Ann\\u00adLee' {INVISIBLE} U+00AD SOFT HYPHEN; "
            "delete it and retype the value",
            f"schools/st-aidans.yaml:8: safeguarding.deputies[2].name: 'Sam\\u0007Hall' {INVISIBLE} U+0007; "
            "delete it and retype the value",
            "schools/st-aidans.yaml:9: safeguarding.deputies[3].name: 'Kim\\u202eRay' "
            f"{INVISIBLE} U+202E RIGHT-TO-LEFT OVERRIDE; delete it and retype the value",
            "schools/st-aidans.yaml:10: safeguarding.deputies[4].name: 'שרה כהן' contains right-to-left text "
            "('ש' U+05E9 HEBREW LETTER SHIN), which the 'leaflet' layout would print in the wrong order; "
            "write the value in a left-to-right script",
        ],
    ),
    (
        "logos",
        [],
        lambda ws: (add_outside_symlink(ws), add_oversized_logo(ws)),
        1,
        [
            LOGO.format(
                id="absolute",
                path="/etc/hostname",
                problem="is an absolute path; give the path relative to the YAML file, e.g. 'logos/school.png'",
            ),
            LOGO.format(
                id="backslash",
                path="logos\\crest.png",
                problem="contains '\\'; write paths with '/', e.g. 'logos/school.png'",
            ),
            LOGO.format(
                id="bomb",
                path="logos/bomb.png",
                problem="declares a picture too large to decode safely; the limit is 25,000,000 pixels",
            ),
            LOGO.format(id="folder", path="logos", problem="is a folder, not an image file"),
            LOGO.format(id="gif", path="logos/crest.gif", problem="is a GIF image; save it as PNG or JPEG"),
            LOGO.format(
                id="missing",
                path="logos/missing.png",
                problem="does not exist (looked for "
                "schools/logos/missing.png; paths are relative to the YAML file that names them)",
            ),
            LOGO.format(
                id="oversized",
                path="logos/huge.png",
                problem="is 5,000,001 bytes; the limit is 5,000,000 (save a smaller PNG or JPEG)",
            ),
            LOGO.format(
                id="parent",
                path="../../outside.png",
                problem="is outside the workspace; put the image inside the workspace folder, e.g. in schools/logos/",
            ),
            LOGO.format(
                id="renamed-text",
                path="logos/notes.png",
                problem="is not a PNG or JPEG image (its contents are not a picture Pillow recognises)",
            ),
            LOGO.format(
                id="symlink",
                path="logos/linked.png",
                problem="is outside the workspace; put the image inside the workspace folder, e.g. in schools/logos/",
            ),
        ],
    ),
    (
        "school-ids",
        [],
        None,
        1,
        [
            f"schools/St Aidan's.yaml: school id 'St Aidan's' {BAD_ID}; rename the file to 'st-aidans.yaml'",
            f"schools/gateshead/benwell.yaml: school id 'benwell' is also used by schools/newcastle/benwell.yaml; {SAME_ID}",
            f"schools/kenton_bar.yaml: school id 'kenton_bar' {BAD_ID}; rename the file to 'kenton-bar.yaml'",
            f"schools/newcastle/benwell.yaml: school id 'benwell' is also used by schools/gateshead/benwell.yaml; {SAME_ID}",
            "schools/walker.yml: YAML files here must end in '.yaml'; rename it to 'walker.yaml'",
        ],
    ),
    (
        "phone-uses",
        [],
        None,
        1,
        [
            f"schools/_defaults.yaml:3: contacts.social_care.out_of_hours: '112' {EMERGENCY_OFFICE}",
            f"schools/_defaults.yaml:3: contacts.social_care.phone: '999' {EMERGENCY_OFFICE}",
            f"schools/_defaults.yaml:4: contacts.lado.phone: '101' {SHORT_OFFICE}",
            "schools/_defaults.yaml:5: contacts.police.emergency: '0191 277 2500' is not an emergency number; the "
            "emergency number is '999' (or '112')",
            "schools/_defaults.yaml:5: contacts.police.non_emergency: '999' is the emergency number, not a non-emergency "
            "one; the police non-emergency number is '101'",
            f"schools/st-aidans.yaml:3: safeguarding.dsl.phone: '111' {SHORT_OFFICE}",
            f"schools/st-aidans.yaml:5: safeguarding.deputies[0].phone: '116 123' {SHORT_OFFICE}",
            f"schools/st-aidans.yaml:6: safeguarding.deputies[1].phone: '118 118' {SHORT_OFFICE}",
            f"schools/st-aidans.yaml:7: safeguarding.deputies[2].phone: '0906 123 4567' {PREMIUM}",
            "schools/st-aidans.yaml:8: safeguarding.deputies[3].phone: '070 2345 6789' is a personal (070) number, "
            "charged at premium rates; give a standard number, e.g. '0191 277 2500'",
            f"schools/st-aidans.yaml:9: safeguarding.cse_lead.phone: '0871 123 4567' {SERVICE_CHARGE}",
        ],
    ),
    (
        "reserved-ids",
        [],
        None,
        1,
        [
            f"schools/{name}.yaml: school id '{name}' is a name Windows reserves for a device, so its output folder could "
            f"not be copied to a Windows shared drive; rename the file to '{name}-school.yaml'"
            for name in ("aux", "com1", "con", "lpt9", "nul", "prn")
        ],
    ),
    (
        "defaults-once",
        [],
        None,
        1,
        [
            "schools/_defaults.yaml:4: authority.police_force: 'TBC' is a placeholder; replace it with the real police force",
            f"schools/_defaults.yaml:6: contacts.social_care.out_of_hours: '0191 278' {PHONE_HINT}",
        ],
    ),
    (
        "review-date",
        [],
        None,
        0,
        [
            "warning: schools/st-aidans.yaml:5: review_date: '2020-09-01' is in the past; check the leaflet's names and "
            "numbers, then set the next review date",
        ],
    ),
    (
        "review-date",
        ["--strict"],
        None,
        1,
        [  # an error under --strict
            "schools/st-aidans.yaml:5: review_date: '2020-09-01' is in the past; check the leaflet's names and "
            "numbers, then set the next review date",
        ],
    ),
]


@pytest.mark.parametrize(
    ("case", "args", "setup", "exit_code", "expected"),
    CHECK_CASES,
    ids=[f"{c[0]}{' '.join(['', *c[1]])}{' +setup' if c[2] else ''}" for c in CHECK_CASES],
)
def test_check_reports_each_bad_input_exactly(fixture_workspace, case, args, setup, exit_code, expected) -> None:
    workspace = fixture_workspace(case)
    if setup is not None:
        setup(workspace)
    result = run(workspace, "check", *args)
    assert problem_lines(result) == expected
    assert result.exit_code == exit_code


def test_build_runs_the_same_checks_and_writes_nothing_for_a_bad_school(fixture_workspace) -> None:
    workspace = fixture_workspace("phones")
    result = run(workspace, "build")
    assert f"schools/st-aidans.yaml:4: safeguarding.dsl.phone: '0191 277' {PHONE_HINT}" in problem_lines(result)
    assert result.exit_code == 1
    assert not (workspace / "out/st-aidans").exists()


def test_a_bad_defaults_value_is_reported_once_not_per_school(fixture_workspace) -> None:
    result = run(fixture_workspace("defaults-once"), "check")
    # 6 of the problems are the retired contacts in the example content
    assert "3 schools checked: 3 with errors, 8 problem(s) in all" in result.stderr


def test_a_value_missing_everywhere_in_the_cascade_is_found_but_deeper_defaults_supply_it(fixture_workspace) -> None:
    workspace = fixture_workspace("missing-values")
    result = run(workspace, "check", "kenton-bar")
    assert result.exit_code == 0, result.output
    assert run(workspace, "check", "st-aidans").exit_code == 1


@pytest.mark.parametrize("ids", [["st-aidan"], ["st-aidans", "nope"]])
def test_an_unknown_school_id_is_a_usage_error(fixture_workspace, ids) -> None:
    result = run(fixture_workspace("review-date"), "check", *ids)
    unknown = ids[-1]
    hint = " (did you mean 'st-aidans'?)" if unknown == "st-aidan" else ""
    assert result.stderr.strip() == (
        f"Error: unknown school id '{unknown}'{hint}; school ids are the file names under schools/ without '.yaml'"
    )
    assert result.exit_code == 2


def test_naming_a_school_whose_file_is_refused_shows_why(fixture_workspace) -> None:
    result = run(fixture_workspace("school-ids"), "check", "benwell")
    assert problem_lines(result) == [
        f"schools/gateshead/benwell.yaml: school id 'benwell' is also used by schools/newcastle/benwell.yaml; {SAME_ID}",
        f"schools/newcastle/benwell.yaml: school id 'benwell' is also used by schools/gateshead/benwell.yaml; {SAME_ID}",
    ]
    assert result.exit_code == 1


def test_alias_bomb_is_refused_with_bounded_memory() -> None:
    path = FIXTURES / "alias-bomb/schools/lol.yaml"
    tracemalloc.start()
    try:
        with pytest.raises(yamlfile.YamlFileError, match="anchors and aliases"):
            yamlfile.parse(yamlfile.read_text(path, "schools/lol.yaml"), "schools/lol.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000  # the expanded document would hold 9**9 strings


FIT_CASES = [
    (
        "fit-many-deputies",
        [
            "schools/st-aidans.yaml:14: safeguarding.deputies[8]: the list has 9 entries; the limit is 8: "
            "delete this one",
        ],
    ),
    (
        "fit-long-word",
        [
            "schools/st-aidans.yaml:4: safeguarding.dsl.email: 'jane.smith.designated.safeguarding.lead.…' is 88 "
            "characters long; the limit is 80",
        ],
    ),
]


@pytest.mark.parametrize(("case", "expected"), FIT_CASES, ids=[c[0] for c in FIT_CASES])
def test_values_that_cannot_fit_fail_check_and_build_naming_school_and_overflow(
    fixture_workspace, case, expected
) -> None:
    workspace = fixture_workspace(case)
    checked = run(workspace, "check")
    assert problem_lines(checked) == expected
    assert checked.exit_code == 1
    result = run(workspace, "build")
    assert problem_lines(result) == expected
    assert result.exit_code == 1
    assert not list((workspace / "out").glob("*/*.pdf"))


def test_config_values_print_literally_never_as_templates_or_markup(fixture_workspace) -> None:
    workspace = fixture_workspace("literal-values")
    result = run(workspace, "build")
    assert result.exit_code == 0, result.output
    pdf = pdf_text(workspace / "out/st-aidans/st-aidans-cse-leaflet.pdf")
    docx = docx_text(workspace / "out/st-aidans/st-aidans-cse-leaflet.docx")
    for value in (
        "{{ 7*7 }} Academy",
        "Jane O'Neill & <b>Partners</b>",
        'Tom "Tommy" Brown {% if true %}',
        "Ann <Lee> & Co's ${HOME}",
    ):
        assert squash(value) in squash(pdf)
        assert value in docx
    assert "49" not in pdf.split("Academy")[0]


def test_phone_numbers_print_in_grouped_national_form_however_typed(fixture_workspace) -> None:
    workspace = fixture_workspace("phone-formats")
    assert run(workspace, "build").exit_code == 0
    pdf = pdf_text(workspace / "out/st-aidans/st-aidans-cse-leaflet.pdf")
    docx = docx_text(workspace / "out/st-aidans/st-aidans-cse-leaflet.docx")
    for printed in (
        "0191 498 0123",
        "0191 498 0124",
        "01792 123456",
        "0800 1111",
        "0191 277 2500",
        "0191 278 7878",
        "0191 277 2501",
        "Non-emergency 101",
        "Emergency 999",
    ):
        assert printed in pdf
        assert printed in docx
    for typed in ("+44", "01914980124", "(01792)", "08001111", "0044", "0191.278", "0191-277"):
        assert typed not in pdf
        assert typed not in docx


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("01912772500", "0191 277 2500"),
        ("+44 191 277 2500", "0191 277 2500"),
        ("+44 (0)191 277 2500", "0191 277 2500"),
        ("0044 191 277 2500", "0191 277 2500"),
        ("0191-277-2500", "0191 277 2500"),
        ("01792 123456", "01792 123456"),
        ("0800 1111", "0800 1111"),
        ("08001111", "0800 1111"),
        ("101", "101"),
        ("999", "999"),
        ("111", "111"),
        ("116 123", "116 123"),
        ("116000", "116 000"),
        ("١٠١", "101"),
    ],
)
def test_valid_uk_numbers_are_formatted(typed: str, printed: str) -> None:
    assert format_uk(typed) == printed


@pytest.mark.parametrize(
    "typed",
    [
        "0191 277",
        "1234",
        "+1 212 555 0100",
        "0800 CHILDLINE",
        "tel: 0191 277 2500",
        "0191 277 2500 ext 5",
        "0191 2772500a",
        "+101",
        "0",
        "",
        "07700 900123",
    ],
)
def test_anything_else_is_not_a_uk_number(typed: str) -> None:
    assert format_uk(typed) is None


@pytest.mark.parametrize(
    "text",
    [
        "Add number here",
        "TBC",
        "TBA",
        "TBD",
        "XXX",
        "N/A",
        "?",
        "[name]",
        "<name>",
        "lorem ipsum",
        "name@example.com",
        "dsl@example.gov.uk",
        "{DSL name}",
        "Mrs X",
        "Name",
        "To be confirmed",
        "Joe Bloggs",
        "0000",
        "0000 000 0000",
    ],
)
def test_placeholders_are_recognised(text: str) -> None:
    assert find_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jane Smith",
        "j.smith@st-aidans.example",
        "{{ 7*7 }}",
        "Na Li",
        "Xavier Nash",
        "Test Valley School",
        "Email",
        "Tel",
        "Northumbria Police",
        "0191 277 2500",
        "01234 567 890",  # Bedford: its area code and exchange run from 0 to 9
        "0123 456 7890",
    ],
)
def test_real_values_are_not_placeholders(text: str) -> None:
    assert not find_placeholder(text)


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
@pytest.mark.parametrize("command", ["check", "build"])
def test_no_fixture_ever_produces_a_traceback(fixture_workspace, case: str, command: str) -> None:
    result = run(fixture_workspace(case), command)
    assert result.exit_code in (0, 1, 2)


def test_a_defaults_file_with_no_school_below_it_is_checked_too(example) -> None:
    trust = example / "schools" / "new-trust"
    trust.mkdir()
    (trust / "_defaults.yaml").write_text(
        'authority:\n  police_forse: Durham Constabulary\ncontacts:\n  social_care: {phone: "0191 277"}\n', "utf-8"
    )
    result = run(example, "check")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "schools/new-trust/_defaults.yaml:2: authority.police_forse: unknown key 'police_forse' (did you mean "
        "'police_force'?); allowed here: name, police_force, cse_service",
        "schools/new-trust/_defaults.yaml:4: contacts.social_care.phone: '0191 277' is not a valid UK phone number "
        "(expected e.g. '0191 277 2500', '101' or '116 123')",
    ]
