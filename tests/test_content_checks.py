"""Content files however they are wrong: every shape gets a located error, every number and address a topic types
is checked as a school's would be, and every filled-in value prints as text or is a located error."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import REPO, pdf_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validation import problem_lines, run

from factsheet_builder.exceptions import ConfigError
from factsheet_builder.topics import load_topic

EXAMPLE = yaml.safe_load((REPO / "content/cse.yaml").read_text("utf-8"))


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path into a parsed YAML tree."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


PATHS = [p for p in paths(EXAMPLE) if p]
SHAPES = st.one_of(
    st.none(),
    st.sampled_from(["", "text", 'https://x.org/"q', "0113 496 020", "{{ contacts }}", "{{ 1/0 }}"]),
    st.integers(),
    st.booleans(),
    st.lists(st.one_of(st.none(), st.text(max_size=5), st.just({})), max_size=3),
    st.dictionaries(
        st.sampled_from(["key", "label", "value", "id", "items"]), st.none() | st.text(max_size=5), max_size=2
    ),
)


def edited(changes: list[tuple[tuple, object, bool]]) -> dict:
    """The example content with each (path, value, delete) change made where the path still leads."""
    document = copy.deepcopy(EXAMPLE)
    for path, value, delete in changes:
        parent = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            if delete and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PATHS), SHAPES, st.booleans()), min_size=1, max_size=3))
def test_content_of_any_shape_is_loaded_or_refused_with_located_problems(tmp_path: Path, changes) -> None:
    path = tmp_path / "content" / "cse.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(edited(changes), allow_unicode=True), "utf-8")
    try:
        load_topic(path, tmp_path)
    except ConfigError as exc:
        assert exc.problems
        assert all(problem.file == "content/cse.yaml" and problem.message for problem in exc.problems)


def content_with(example: Path, old: str, new: str) -> Path:
    path = example / "content/cse.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "roles:\n  - key: safeguarding.cse_lead\n    label: Designated lead person for CSE\n"
            '    when_absent: "Our {{ role_names.dsl }} is also the designated lead person for CSE."\n',
            "roles:\n",
            "content/cse.yaml:155: roles: is empty; fill in the list (lines starting with '- ') or delete the line",
        ),
        (
            "roles:\n  - key: safeguarding.cse_lead\n",
            "roles:\n  cse:\n    key: safeguarding.cse_lead\n",
            "content/cse.yaml:156: roles: must be a list (lines starting with '- '), not a mapping",
        ),
        (
            "poster:\n  heading: Worried about a child?",
            "poster:\nposter_old:\n  heading: Worried about a child?",
            "content/cse.yaml:180: poster: is empty; fill in its keys (heading, steps, signs)",
        ),
        (
            "            url: https://paceuk.info",
            '            url: "https://paceuk.info/\\"onclick"',
            "content/cse.yaml:127: sections[9].blocks[0].links[0].url: 'https://paceuk.info/\"onclick' contains "
            "'\"', which a web address cannot hold as it is; write it as '%22'",
        ),
    ],
)
def test_content_easy_to_get_wrong_gets_a_located_error(example: Path, old: str, new: str, expected: str) -> None:
    content_with(example, old, new)
    result = run(example, "check")
    assert result.exit_code == 1
    assert expected in problem_lines(result)


def test_sections_left_empty_is_a_located_error(example: Path) -> None:
    path = example / "content/cse.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = lines.index("sections:\n")
    end = next(i for i, line in enumerate(lines) if line.startswith('# The "Who to talk to" panel'))
    path.write_text("".join(lines[: start + 1] + lines[end:]), "utf-8")
    result = run(example, "check")
    assert result.exit_code == 1
    assert problem_lines(result)[0].startswith("content/cse.yaml:11: sections: is empty")


# --- numbers and addresses a topic types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"0113 496 020"', "'0113 496 020' is not a valid UK phone number"),
        ('"0906 123 4567"', "'0906 123 4567' is a premium-rate number (callers pay extra)"),
        ('"0844 778 2406\u202e"', "contains the invisible or control character U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"ukhtc?cc=x@nca.gov.uk"', "'ukhtc?cc=x@nca.gov.uk' contains '?', which starts the extra fields of an email"),
        ('"Call 0113 496 020 today"', "'Call 0113 496 020 today' has the number '0113 496 020', which is not a valid"),
    ],
)
def test_a_number_or_address_typed_in_a_contact_block_is_checked(example: Path, value: str, problem: str) -> None:
    content_with(example, '{label: Tel, value: "0844 778 2406"}', f"{{label: Tel, value: {value}}}")
    result = run(example, "check")
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith("content/cse.yaml:142: sections[10].blocks[0].contacts[0].value: ")
    assert problem in line


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("dsl#x@school.sch.uk", "contains '#', which ends the address in an email link"),
        ("dsl%40evil.example@school.sch.uk", "contains '%', which writes another character in code in an email link"),
        ("dsl?cc=x@school.sch.uk", "contains '?', which starts the extra fields of an email link"),
        ("a..b@school.sch.uk", "is not an email address"),
    ],
)
def test_an_email_address_in_running_text_is_checked_as_its_link_would_be(
    example: Path, address: str, problem: str
) -> None:
    content_with(example, "heading: KCSIE", f'heading: "KCSIE: write to {address}, today"')
    [line] = problem_lines(run(example, "check"))
    assert line.startswith(
        f"content/cse.yaml:19: sections[1].heading: 'KCSIE: write to {address}, today' has the email address "
        f"'{address}', which {problem}"
    )


def test_an_email_address_in_running_text_keeps_its_sentences_punctuation(example: Path) -> None:
    content_with(example, "heading: KCSIE", "heading: 'KCSIE (write to ceop@nca.gov.uk).'")
    assert run(example, "build", "kenton-bar-primary").exit_code == 0
    assert "KCSIE (write to ceop@nca.gov.uk)." in pdf_text(
        example / "out/kenton-bar-primary/kenton-bar-primary-cse-leaflet.pdf"
    )


@pytest.mark.parametrize("when", ["contacts.lad0", "contacts.social_care", "safeguarding.cse_lead"])
def test_an_agency_listed_only_when_a_value_it_does_not_print_is_set_is_refused(example: Path, when: str) -> None:
    content_with(example, "    when: contacts.lado\n", f"    when: {when}\n")
    result = run(example, "check")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        f"content/cse.yaml:173: agencies[3].when: '{when}' is no value this agency prints (contacts.lado.phone, "
        "contacts.lado.email); an agency is listed only for a school that sets its 'when' value, so name one of "
        "them or a part of one, such as 'contacts.lado'"
    ]


def test_a_number_typed_in_an_agency_line_is_checked(example: Path) -> None:
    content_with(example, '      - value: "{{ contacts.social_care.phone }}"', '      - value: "0113 496 020"')
    [line] = problem_lines(run(example, "check"))
    assert line.startswith("content/cse.yaml:164: agencies[0].lines[0].value: '0113 496 020' is not a valid UK phone")


def test_national_short_and_service_charge_numbers_may_be_typed_in_a_topics_lines(example: Path) -> None:
    content_with(example, '{label: Tel, value: "0844 778 2406"}', '{label: Samaritans, value: "116 123"}')
    assert run(example, "build", "kenton-bar-primary").exit_code == 0
    text = pdf_text(example / "out/kenton-bar-primary/kenton-bar-primary-cse-leaflet.pdf")
    assert "Samaritans: 116 123" in text
    assert "Fax: 0870 496 5534" in text  # a national line on a service-charge number, as the source prints it


# --- filled-in values print as text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        (
            "{{ contacts.lado.phone[:5] }}",
            "prints part of contacts.lado.phone, or changes it; print a config value whole",
        ),
        ("{{ contacts.lado.phone | truncate(4) }}", "prints part of contacts.lado.phone"),
        ("{{ contacts.lado.phone.replace('0', '') }}", "prints part of contacts.lado.phone"),
        ("{{ contacts.lado.phone | trim('0') }}", "prints part of contacts.lado.phone"),
        ("{{ '%.6s' % contacts.lado.phone }}", "prints part of contacts.lado.phone"),
        ("{{ '{:.4}'.format(contacts.lado.phone) }}", "prints part of contacts.lado.phone"),
        ("{{ '%.4s' | format(contacts.lado.phone) }}", "prints part of contacts.lado.phone"),
        ("{{ '{0[phone]:.5}'.format(contacts.lado) }}", "prints part of contacts.lado, or changes it"),
        ("{{ (contacts.lado.phone ~ ' ')[:7] }}", "prints part of contacts.lado.phone"),
        # a number typed inside a template is checked as typed text
        ("Call {{ '0113 496 020' }} today", "prints '0113 496 020', which has the number '0113 496 020', which is not"),
        ("{{ '0906 123 4567' if contacts.lado else '' }}", "prints '0906 123 4567', which has the number '0906 123"),
    ],
)
def test_a_template_that_cuts_a_value_or_prints_a_bad_number_is_refused_when_loaded(
    example: Path, template: str, problem: str
) -> None:
    content_with(example, "heading: KCSIE", f'heading: "KCSIE {template}"')
    [line] = problem_lines(run(example, "check"))
    assert line.startswith("content/cse.yaml:19: sections[1].heading: ")
    assert problem in line


def test_a_template_may_print_a_value_whole_with_its_case_changed_trimmed_or_a_default(example: Path) -> None:
    template = (
        "{{ authority.police_force | upper }} {{ contacts.lado.phone ~ '' }} {{ contacts.lado.phone | trim }} "
        "{{ contacts.lado.phone | default('none') }}"
    )
    content_with(example, "heading: KCSIE", f'heading: "{template}"')
    assert run(example, "build", "kenton-bar-primary").exit_code == 0
    text = pdf_text(example / "out/kenton-bar-primary/kenton-bar-primary-cse-leaflet.pdf")
    assert "NORTHUMBRIA POLICE 0191 277 2500 0191 277 2500 0191 277 2500" in " ".join(text.split())


def test_a_number_typed_inside_a_template_in_an_agency_line_is_checked_as_a_number(example: Path) -> None:
    template = "{{ '0191 278 787' }}"
    content_with(example, '      - value: "{{ contacts.social_care.phone }}"', f'      - value: "{template}"')
    [line] = problem_lines(run(example, "check"))
    assert line.startswith(f"content/cse.yaml:164: agencies[0].lines[0].value: '{template}' prints '0191 278 787', ")
    assert "which is not a valid UK phone number" in line


@pytest.mark.parametrize(
    ("template", "printed"),
    [
        ("{{ contacts.lado }}", "a mapping (of phone) rather than one of its values"),
        ("{{ authority.name.upper }}", "the method or function 'upper' rather than text"),
        ("{{ none }}", "the value None rather than text"),
        ("{{ contacts.police.emergency is defined }}", "the value True rather than text"),
    ],
)
def test_a_template_that_prints_something_other_than_text_is_a_located_error(
    example: Path, template: str, printed: str
) -> None:
    content_with(example, "heading: KCSIE", f'heading: "KCSIE {template}"')
    result = run(example, "build", "kenton-bar-primary")
    assert result.exit_code == 1
    assert f"content/cse.yaml:19: sections[1].heading: 'KCSIE {template}' prints {printed}" in result.stderr
    assert not (example / "out/kenton-bar-primary/kenton-bar-primary-cse-leaflet.pdf").exists()


def test_the_ceop_example_of_the_topics_guide_is_accepted_when_copied(example: Path) -> None:
    guide = (REPO / "docs/topics.md").read_text("utf-8")
    agency = guide.split("agencies:\n  - label: CEOP")[1].split("```")[0]
    defaults = guide.split("authority:\n  online_safety_officer: Alex Morgan\ncontacts:\n")[1].split("```")[0]
    content_with(example, "agencies:\n", "agencies:\n  - label: CEOP" + agency)
    path = example / "schools/_defaults.yaml"
    path.write_text(path.read_text("utf-8").replace("contacts:\n", "contacts:\n" + defaults, 1), "utf-8")
    assert run(example, "check").exit_code == 0


@pytest.mark.parametrize("length", [200, 1500])
def test_a_web_address_too_long_for_a_readable_qr_code_is_refused_at_check(example: Path, length: int) -> None:
    url = "https://www.nspcc.org.uk/" + "a" * (length - 25)
    content_with(example, "url: https://www.nspcc.org.uk", f"url: {url}")
    result = run(example, "check")
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith("content/cse.yaml:")
    assert f"is too long for its QR code: {length} characters need " in line
    assert "and phones need 0.25 mm or more; give a shorter address to the same page" in line
