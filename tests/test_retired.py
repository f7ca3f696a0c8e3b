"""The register of retired contacts: what it ships, what matches and what does not, a workspace's own entries and
their mistakes, and the warnings that check, build and topics print (errors under --strict)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factsheet_builder.cli import main
from factsheet_builder.config.retired import Register, Retired, shipped

UKBA = (
    "the UK Border Agency (UKBA), retired 1 April 2013; replaced by UK Visas and Immigration, Immigration "
    "Enforcement and Border Force, all part of the Home Office (source: "
    "https://commonslibrary.parliament.uk/research-briefings/sn06719/)"
)
UKHTC = (
    "the UK Human Trafficking Centre (UKHTC), as a separate body, retired 7 October 2013; replaced by the National "
    "Crime Agency's Modern Slavery and Human Trafficking Unit (MSHTU) (source: "
    "https://www.nationalcrimeagency.gov.uk/what-we-do/crime-threats/modern-slavery-and-human-trafficking)"
)
GSI = (
    "the government's gsi-family email domains (.gsi.gov.uk, .gsx.gov.uk, .gcsx.gov.uk, .gse.gov.uk), retired "
    "31 March 2019; replaced by the organisation's own domain, such as gov.uk, gov.scot, llyw.cymru or gov.wales "
    "(see its website for the current address) (source: "
    "https://civilservice.blog.gov.uk/2017/12/14/why-government-email-is-changing-for-the-better/)"
)
# What the example content, kept in its source's 2008 wording, gives: every new workspace sees these.
EXAMPLE_CONTENT = [
    f"warning: content/cse.yaml:118: sections[8].blocks[8].paragraph: 'United Kingdom Border Agency': {UKBA}",
    f"warning: content/cse.yaml:118: sections[8].blocks[8].paragraph: 'United Kingdom Human Trafficking Centre': "
    f"{UKHTC}",
    f"warning: content/cse.yaml:136: sections[9].blocks[0].links[4].name: 'UK Border Agency': {UKBA}",
    f"warning: content/cse.yaml:139: sections[10].heading: 'UK Human Trafficking Centre': {UKHTC}",
    f"warning: content/cse.yaml:144: sections[10].blocks[0].contacts[2].value: 'UKHTC': {UKHTC}",
    f"warning: content/cse.yaml:144: sections[10].blocks[0].contacts[2].value: 'UKHTC@nca.x.gsi.gov.uk': {GSI}",
]


def run(workspace: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "-C", str(workspace)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def problems(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": " in line and not line[0].isdigit()]


def test_the_shipped_register_names_the_retired_contacts_with_a_public_source_for_each() -> None:
    entries = {entry.name: entry for entry in shipped()}
    assert [(e.retired, e.abbreviations, e.domains) for e in entries.values()] == [
        (dt.date(2013, 4, 1), ("UKBA",), ("ukba.homeoffice.gov.uk",)),
        (dt.date(2013, 10, 7), ("UKHTC",), ()),
        (dt.date(2019, 3, 31), (), ("gsi.gov.uk", "gsx.gov.uk", "gse.gov.uk", "gcsx.gov.uk")),
    ]
    assert all(e.sources and all(s.startswith("https://") for s in e.sources) for e in entries.values())


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Refer to the UK Border Agency (UKBA).", ["UK Border Agency"]),
        ("(UKBA)", ["UKBA"]),
        ("the united kingdom  border\nagency's office", ["united kingdom  border\nagency"]),
        ("UKBAX, theUKBA, UKBA_2, ukbax, Ukba and U.K.B.A_ are other words", []),
        ("write to the ukba", ["ukba"]),
        ("the U.K.H.T.C. and the U.K.B.A", ["U.K.H.T.C.", "U.K.B.A"]),
        ("the U.K. Border Agency's office", ["U.K. Border Agency"]),
        ("UKHTC@nca.x.gsi.gov.uk", ["UKHTC", "UKHTC@nca.x.gsi.gov.uk"]),
        ("write to lado@newcastle.gcsx.gov.uk.", ["lado@newcastle.gcsx.gov.uk"]),
        (
            "see www.ukba.homeoffice.gov.uk/visas, or https://GSX.gov.uk/x",
            ["www.ukba.homeoffice.gov.uk/visas", "https://GSX.gov.uk/x"],
        ),
        ("name@notgsi.gov.uk, gsi.gov.uk@nspcc.org.uk, https://nspcc.org.uk/gsi.gov.uk", []),
        (".gsi.gov.uk addresses were retired in 2019", []),
    ],
)
def test_a_match_is_a_whole_word_in_the_ways_people_write_it_or_an_address_at_the_domain(
    text: str, found: list[str]
) -> None:
    assert [match for _, match in Register(shipped()).find(text)] == found


def test_each_entry_is_found_once_with_the_first_text_that_matches_it() -> None:
    register = Register(shipped())
    text = "Practitioners should refer to the UKHTC and The United Kingdom Border Agency (UKBA), or email UKBA."
    assert [(entry.abbreviations, match) for entry, match in register.find(text)] == [
        (("UKHTC",), "UKHTC"),
        (("UKBA",), "United Kingdom Border Agency"),
    ]


def test_numbers_match_however_they_are_written_and_ranges_by_value() -> None:
    register = Register(
        [
            Retired("a switchboard", dt.date(2024, 4, 1), "the new one", ("https://x.org",), numbers=("01912787000",)),
            Retired(
                "a hub's lines",
                dt.date(2025, 1, 6),
                "its main number",
                ("https://x.org",),
                number_ranges=(("01912116000", "01912116099"),),
            ),
        ]
    )

    def found(text: str) -> list[str]:
        return [match for _, match in register.find(text)]

    for written in ("0191 278 7000", "01912787000", "+44 191 278 7000", "+44 (0)191-278-7000", "(0191) 278 7000"):
        assert found(f"Call {written} today") == [written], written
    assert found("0191 211 6000 or 0191 211 6099") == ["0191 211 6000"]
    assert found("0191 211 6042") == ["0191 211 6042"]
    for other in ("0191 211 6100", "0191 211 5999", "10191 278 7000", "0191 278 70001", "0191 278 7001"):
        assert found(other) == [], other


def test_the_example_content_keeps_its_source_wording_so_check_warns_of_it(example: Path) -> None:
    result = run(example, "check")
    assert result.exit_code == 0
    assert problems(result) == EXAMPLE_CONTENT
    assert "8 schools checked: 0 with errors, 6 problem(s) in all" in result.stderr


def test_strict_makes_the_warnings_errors(example: Path) -> None:
    result = run(example, "check", "st-aidans-primary", "--strict")
    assert result.exit_code == 1
    assert problems(result) == [line.removeprefix("warning: ") for line in EXAMPLE_CONTENT]
    assert "1 school checked: 0 with errors, 6 problem(s) in all" in result.stderr  # the errors are the content's


def test_topics_warns_of_the_content_and_strict_makes_it_fail(example: Path) -> None:
    result = run(example, "topics")
    assert result.exit_code == 0
    assert sorted(problems(result)) == EXAMPLE_CONTENT
    strict = run(example, "topics", "--strict")
    assert strict.exit_code == 1
    assert sorted(problems(strict)) == [line.removeprefix("warning: ") for line in EXAMPLE_CONTENT]


def test_a_build_warns_of_the_content_and_of_the_school_files(fixture_workspace) -> None:
    workspace = fixture_workspace("retired")
    (workspace / "retired.yaml").unlink()  # the shipped register alone
    result = run(workspace, "build", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert problems(result) == [
        *EXAMPLE_CONTENT,
        f"warning: schools/_defaults.yaml:7: contacts.lado.email: 'lado@newcastle.gcsx.gov.uk': {GSI}",
        f"warning: schools/st-aidans.yaml:4: safeguarding.dsl.email: 'j.smith@st-aidans.gsi.gov.uk': {GSI}",
    ]
    assert (workspace / "out/st-aidans/st-aidans-cse-leaflet.pdf").is_file()  # a warning never stops a leaflet


def test_a_workspace_adds_its_own_entries_and_every_school_and_defaults_file_is_searched(fixture_workspace) -> None:
    result = run(fixture_workspace("retired"), "check")
    assert result.exit_code == 0, result.stderr
    switchboard = (
        "the council's old children's services switchboard, retired 1 April 2024; replaced by the Children's Front "
        "Door, 0191 277 2500 (source: https://www.newcastle.gov.uk/services/care-and-support/children)"
    )
    hub = (
        "the Safeguarding Hub's direct lines, retired 6 January 2025; replaced by the Safeguarding Hub's main number "
        "(source: https://www.newcastle.gov.uk/safeguarding-hub)"
    )
    assert [line for line in problems(result) if not line.startswith("warning: content/")] == [
        # the school file overrides this number, but _defaults.yaml still gives it
        f"warning: schools/_defaults.yaml:6: contacts.social_care.phone: '0191 278 7000': {switchboard}",
        f"warning: schools/_defaults.yaml:7: contacts.lado.email: 'lado@newcastle.gcsx.gov.uk': {GSI}",
        f"warning: schools/st-aidans.yaml:4: safeguarding.dsl.email: 'j.smith@st-aidans.gsi.gov.uk': {GSI}",
        f"warning: schools/st-aidans.yaml:4: safeguarding.dsl.phone: '+44 (0)191 211 6042': {hub}",
        # a _defaults.yaml with no school under it yet is searched too
        f"warning: schools/unused/_defaults.yaml:3: contacts.lado.email: 'lado@ukba.homeoffice.gov.uk': {UKBA}",
    ]


def test_mistakes_in_a_workspaces_register_are_located_errors_that_stop_the_check(fixture_workspace) -> None:
    workspace = fixture_workspace("retired-errors", with_example_schools=True)
    result = run(workspace, "check")
    assert result.exit_code == 1
    assert problems(result) == [
        "retired.yaml:3: entries[0].retired: '2024-13-01' is not a real date; write it as YYYY-MM-DD, e.g. '2027-09-01'",
        "retired.yaml:5: entries[0].sources[0]: 'not a web address' is not a web address; expected e.g. "
        "'https://www.nspcc.org.uk'",
        "retired.yaml:11: entries[1].domains[0]: 'gsi gov uk' is not a domain; write it as e.g. 'gsi.gov.uk'",
        "retired.yaml:12: entries[2]: matches nothing; give at least one of names, abbreviations, domains, numbers, "
        "number_ranges",
        "retired.yaml:20: entries[3].number_ranges[0]: '0191 211 6099' to '0191 211 6000' is not a range; give two "
        "numbers of the same length, the lower first",
        "retired.yaml:21: entries[4].sources: is missing; every entry needs name, retired, replaced_by, sources",
        "retired.yaml:24: entries[4].abbreviations[1]: 'two words' is not an abbreviation; write one word of two or "
        "more letters, e.g. 'UKBA'",
        "retired.yaml:25: entries[4].numbr: unknown key 'numbr' (did you mean 'numbers'?); allowed here: name, "
        "retired, replaced_by, sources, names, abbreviations, domains, numbers, number_ranges",
    ]
    assert run(workspace, "topics").exit_code == 1


def test_a_register_that_is_not_yaml_or_lists_nothing_is_one_located_error(tmp_path: Path, example: Path) -> None:
    (example / "retired.yaml").write_text("entries: [unclosed\n", encoding="utf-8")
    result = run(example, "check")
    assert result.exit_code == 1
    assert problems(result)[0].startswith("retired.yaml:2: YAML syntax error")
    (example / "retired.yaml").write_text("entry: []\n", encoding="utf-8")
    assert problems(run(example, "check")) == [
        "retired.yaml:1: entries: is missing; list the retired contacts under 'entries:'",
        "retired.yaml:1: entry: unknown key 'entry' (did you mean 'entries'?); allowed here: entries",
    ]


def test_a_strict_build_builds_nothing_while_the_check_finds_a_warning(example: Path) -> None:
    result = run(example, "build", "st-aidans-primary", "--strict", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *(line.removeprefix("warning: ") for line in EXAMPLE_CONTENT),
        "nothing built: --strict builds only when the check finds no problem (6 found)",
    ]
    assert not (example / "out").exists()
