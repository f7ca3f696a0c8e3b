"""Values checked where they are written: damaged text, marks that change a name, emails that change their link,
numbers for the wrong service, and people whose details never mix across the _defaults.yaml cascade."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import docx_text, pdf_text, squash
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validation import problem_lines, run

from factsheet_builder.config.characters import damage, mixed_word, unusual_character
from factsheet_builder.config.fields import email_problem

DAMAGED = "looks damaged: it"
CONFIRM = "or, if it is right as written, list it under confirmed_text: in the school's file (or a _defaults.yaml)"


def school(example: Path, body: str, name: str = "test-school") -> Path:
    """A school file of ``body`` (YAML) in the example workspace; the path."""
    path = example / "schools" / f"{name}.yaml"
    path.write_text(body, "utf-8")
    return path


def checked(example: Path, body: str) -> list[str]:
    """The problems ``factsheet check`` reports for one school file of ``body``."""
    school(example, body)
    return problem_lines(run(example, "check", "test-school"))


# --- damaged text ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Samarиs School", "mixes Latin and Cyrillic letters in the word 'Samarиs' ('и' U+0438 CYRILLIC SMALL"),
        ("Αthena Academy", "mixes Greek and Latin letters in the word 'Αthena'"),
        ("Оak Hill Primary", "mixes Cyrillic and Latin letters in the word 'Оak'"),
        ("T? Dan Y Coed", "has '?' where a letter should be (in 'T?')"),
        ("Gaelchol??iste Dhoire", "has '?' where a letter should be (in 'Gaelchol??iste')"),
        ("St Mary\ufffds", "contains U+FFFD, the mark left where a letter could not be read"),
        ("CafÃ© Academy", "has the marks of text decoded in the wrong encoding (it probably reads 'Café Academy')"),
        (
            "Oâ€™Neill Primary",
            "has the marks of text decoded in the wrong encoding (it probably reads 'O’Neill Primary')",
        ),
        ("Ysgol GÅµyr", "has the marks of text decoded in the wrong encoding (it probably reads 'Ysgol Gŵyr')"),
        ("StÂ Anne's", "has the marks of text decoded in the wrong encoding (it probably reads 'St\\u00a0Anne's')"),
        # 'García' read as Windows-1252 is 'GarcÃ' and a soft hyphen; without the hyphen ftfy sees nothing wrong
        (
            "Colegio GarcÃa",
            "has the marks of text decoded in the wrong encoding: the 'Ã' in 'GarcÃa' is what is left of a letter "
            "such as 'í' or 'Á' read in the wrong encoding",
        ),
        ("CÃtia Academy", "has the marks of text decoded in the wrong encoding: the 'Ã' in 'CÃtia' is what is left"),
    ],
)
def test_a_damaged_name_is_refused_naming_file_line_and_why(example: Path, text: str, why: str) -> None:
    body = f'school:\n  name: "{text}"\nsafeguarding:\n  dsl: {{name: Jane Smith}}\n'
    [line] = checked(example, body)
    assert line.startswith(f"schools/test-school.yaml:2: school.name: '{text}' {DAMAGED} {why}")
    assert line.endswith(CONFIRM + " to confirm it")


def test_damage_is_found_in_every_name_a_file_supplies(example: Path) -> None:
    body = (
        "school:\n  name: Hill Primary\nauthority:\n  name: Cardiff Сouncil\n"
        "safeguarding:\n  dsl: {name: Jane Smith}\n  deputies:\n    - {name: Ann Le?}\n"
        "  cse_lead: {name: ZoÃ« Brown}\n"
    )
    assert [line.split(": ")[1] for line in checked(example, body)] == [
        "authority.name",
        "safeguarding.deputies[0].name",
        "safeguarding.cse_lead.name",
    ]


def test_a_name_confirmed_as_written_is_printed(example: Path) -> None:
    school(
        example,
        'school:\n  name: "Samarиs School"\nsafeguarding:\n  dsl: {name: Jane Smith}\n'
        'confirmed_text: ["Samarиs School"]\n',
    )
    assert run(example, "build", "test-school").exit_code == 0
    assert "Samarиs School" in pdf_text(example / "out/test-school/test-school-cse-leaflet.pdf")


def test_a_confirmation_in_a_defaults_file_holds_for_the_schools_below_it(example: Path) -> None:
    defaults = example / "schools/_defaults.yaml"
    defaults.write_text(defaults.read_text("utf-8") + 'confirmed_text: ["Dr Ivan Petrоv"]\n', "utf-8")
    assert checked(example, "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Dr Ivan Petrоv}\n") == []
    assert checked(example, "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Dr Ivan Petrоvа}\n") != []


@pytest.mark.parametrize(
    "text",
    [
        "Ysgol Gyfun Gŵyr",
        "Siân Llŷr",
        "Tŷ Dan Y Coed",
        "Łucja Wąsowska",
        "Zoë O'Connor-Ní Bhriain",
        "Gaelcholáiste Dhoire",
        "Nguyễn Văn Anh",
        "Αλέξανδρος Παπαδόπουλος",
        "Анна Иванова",
        "Anna Иванова",
        "Ħal Għargħur",
        "Þórunn Dvořák",
        "O’Neill & Partners",
        "İlkay Şahin",
        "Ẹ́mẹ́ka Ọkafor",
        "JOÃO GONÇALVES",
        "Ângela São João",
    ],
)
def test_names_in_any_one_alphabet_and_with_any_accents_are_not_damaged(text: str) -> None:
    assert damage(text) is None
    assert unusual_character(unicodedata.normalize("NFC", text)) is None


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll"], max_codepoint=0x24F), min_size=1))
def test_latin_letters_alone_are_never_mixed(word: str) -> None:
    assert mixed_word(word) is None


@given(
    st.text(alphabet=st.characters(categories=["Ll"], min_codepoint=0x61, max_codepoint=0x7A), min_size=1),
    st.characters(categories=["Ll"], min_codepoint=0x430, max_codepoint=0x44F),
    st.text(alphabet=st.characters(categories=["Ll"], min_codepoint=0x61, max_codepoint=0x7A)),
)
def test_a_cyrillic_letter_anywhere_in_a_latin_word_is_found(head: str, letter: str, tail: str) -> None:
    assert mixed_word(f"Ms {head}{letter}{tail} Smith") is not None


def test_a_number_written_in_a_name_is_checked_as_it_is_printed(example: Path) -> None:
    body = (
        "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Jane Smith tel 0191 498 012}\n"
        "  deputies:\n    - {name: Tom Brown 0191 498 0123}\n"
    )
    assert checked(example, body) == [
        "schools/test-school.yaml:4: safeguarding.dsl.name: 'Jane Smith tel 0191 498 012' has the number "
        "'0191 498 012', which is not a valid UK phone number (expected e.g. '0191 277 2500', '101' or '116 123')"
    ]


def test_running_text_may_ask_a_question_but_not_lose_a_letter() -> None:
    assert damage("Worried about a child?", names=False) is None
    assert damage("Speak to the Caf??s manager", names=False) is not None


# --- marks that change a name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "Graham Whitfield\u0336",
            "contains the combining mark U+0336 COMBINING LONG STROKE OVERLAY, which draws over",
        ),
        ("Gra\u034fham Whitfield", "contains the combining mark U+034F COMBINING GRAPHEME JOINER, which is invisible"),
        ("Gra\ufe0fham Whitfield", "contains the combining mark U+FE0F VARIATION SELECTOR-16, which is invisible"),
        ("Graham\u20dd Whitfield", "contains the combining mark U+20DD COMBINING ENCLOSING CIRCLE, which draws over"),
        (
            "Graham \u0301Whitfield",
            "contains the combining mark U+0301 COMBINING ACUTE ACCENT with no letter before it",
        ),
        ("Gra\u0301\u0302\u0303\u0304ham", "stacks 3 combining marks on the letter 'á'"),
        ("G\u0305raham Whitfield", "contains the combining mark U+0305 COMBINING OVERLINE, which draws a line"),
        (
            "Graham Whit\u0353field",
            "contains the combining mark U+0353 COMBINING X BELOW, which draws a line or a sign",
        ),
        ("Graham \u0332W\u0332hitfield", "contains the combining mark U+0332 COMBINING LOW LINE, which draws a line"),
        ("Graham \u202eWhitfield", "contains the invisible or control character U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Graham\u200dWhitfield", "contains the invisible or control character U+200D ZERO WIDTH JOINER"),
    ],
)
def test_marks_that_change_a_name_are_refused_in_school_files(example: Path, text: str, why: str) -> None:
    [line] = checked(example, f'school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {{name: "{text}"}}\n')
    assert line.startswith("schools/test-school.yaml:4: safeguarding.dsl.name: '")
    assert why in line


@pytest.mark.parametrize(
    "name",
    [
        "Gurpreet Singh ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ",  # Gurmukhi: the tippi after the vowel sign 'ਿ'
        "सिंह शिंदे",  # Devanagari: the anusvara after the vowel sign 'ि'
        "ज़ुँ",  # nukta, vowel sign and candrabindu on one letter
        "عَبْدُ ٱللَّٰه",  # Arabic: shadda, vowel and dagger alif on one letter
        "שְׁמוּאֵל",  # Hebrew points
        "Nguyễn Thị Minh Khai",
        "Siân Gwenllïan Ŵyn",
    ],
)
def test_the_marks_of_other_writing_systems_are_a_names_own(name: str) -> None:
    assert unusual_character(unicodedata.normalize("NFC", name)) is None
    assert unusual_character(unicodedata.normalize("NFC", name + "\u0301\u0301\u0301\u0301\u0301")) is not None


def test_a_name_the_layout_cannot_print_is_refused_for_that_reason_not_its_marks(example: Path) -> None:
    [line] = checked(example, 'school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: "ਸਿੰਘ"}\n')
    assert line.startswith("schools/test-school.yaml:4: safeguarding.dsl.name: 'ਸਿੰਘ' contains 'ਸ' (U+0A38 GURMUKHI ")
    assert "which the 'leaflet' layout's font Liberation Sans cannot print" in line
    [line] = checked(example, 'school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: "ٱللَّٰه"}\n')
    assert "which the 'leaflet' layout's font Liberation Sans cannot print" in line


def test_marks_that_change_text_are_refused_in_content_too(example: Path) -> None:
    content = example / "content/cse.yaml"
    text = content.read_text("utf-8")
    content.write_text(
        text.replace("heading: KCSIE", 'heading: "KCSIE\u0336"').replace("Absent from", "Ab\u202esent from")
    )
    result = run(example, "check")
    assert result.exit_code == 1
    lines = problem_lines(result)
    assert any(
        "content/cse.yaml:19: sections[1].heading: 'KCSIE\u0336' contains the combining mark U+0336" in x for x in lines
    )
    assert any("contains the invisible or control character U+202E RIGHT-TO-LEFT OVERRIDE" in x for x in lines)


def test_accents_typed_decomposed_print_as_the_letters_they_make(example: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Siân Llŷr-Wąsowska")
    assert decomposed != "Siân Llŷr-Wąsowska"
    school(example, f"school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {{name: {decomposed}}}\n")
    assert run(example, "build", "test-school").exit_code == 0
    assert "Siân Llŷr-Wąsowska" in pdf_text(example / "out/test-school/test-school-cse-leaflet.pdf")
    assert "Siân Llŷr-Wąsowska" in docx_text(example / "out/test-school/test-school-cse-leaflet.docx")


# --- emails and their links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "why"),
    [
        (
            "dsl?cc=someone%40elsewhere&x=@hill-primary.sch.uk",
            "contains '?', which starts the extra fields of an email link",
        ),
        ("dsl#x@hill-primary.sch.uk", "contains '#', which ends the address in an email link"),
        ("dsl%40evil.com@hill-primary.sch.uk", "contains '%', which writes another character in code in an email link"),
        ("a&b@hill-primary.sch.uk", "contains '&', which joins extra fields of an email link"),
        ("dsl/x@hill-primary.sch.uk", "contains '/', which is no part of a school's or a service's address"),
    ],
)
def test_an_email_that_would_change_its_link_is_refused(example: Path, email: str, why: str) -> None:
    assert email_problem(email).startswith(why)
    [line] = checked(
        example, f'school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {{name: Jane Smith, email: "{email}"}}\n'
    )
    assert line.startswith(f"schools/test-school.yaml:4: safeguarding.dsl.email: '{email}' {why}")


@pytest.mark.parametrize(
    "email", ["j.smith@hill-primary.sch.uk", "sean.o'brien@hill-primary.org.uk", "dsl+cse@x-y.sch.uk"]
)
def test_ordinary_emails_pass(email: str) -> None:
    assert email_problem(email) is None


# --- numbers for the wrong service, and real numbers ------------------------------------------------------------


@pytest.mark.parametrize("number", ["111", "118 118", "123"])
def test_the_police_non_emergency_number_is_not_another_services(example: Path, number: str) -> None:
    [line] = checked(
        example,
        f'school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {{name: Jane Smith}}\ncontacts:\n  police: {{non_emergency: "{number}"}}\n',
    )
    assert line == (
        f"schools/test-school.yaml:6: contacts.police.non_emergency: '{number}' is the national short number of "
        "another service, not the police's; the police non-emergency number is '101' (or a force's own standard number)"
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            '  name: "Hill Primary (tel 0113 496 020)"',
            "school.name: 'Hill Primary (tel 0113 496 020)' has the number '0113 496 020', which is not a valid UK",
        ),
        (
            '  name: "Hill Primary (tel 0113 496 02)"',
            "school.name: 'Hill Primary (tel 0113 496 02)' has the number '0113 496 02', which is not a valid UK",
        ),
        (
            '  name: "Hill Primary (dsl#x@hill.sch.uk)"',
            "school.name: 'Hill Primary (dsl#x@hill.sch.uk)' has the email address 'dsl#x@hill.sch.uk', which "
            "contains '#', which ends the address in an email link",
        ),
    ],
)
def test_a_number_or_address_written_in_a_schools_text_is_checked(example: Path, line: str, problem: str) -> None:
    [found] = checked(example, f"school:\n{line}\nsafeguarding:\n  dsl: {{name: Jane Smith}}\n")
    assert found.startswith(f"schools/test-school.yaml:2: {problem}")


def test_a_number_written_in_a_service_or_a_role_name_is_checked(example: Path) -> None:
    lines = checked(
        example,
        "school:\n  name: Hill Primary\nauthority:\n  cse_service: Exploitation Team, 0191 277 250\n"
        "safeguarding:\n  dsl: {name: Jane Smith}\nrole_names:\n  dsl: DSL (ring 0191 498 012)\n",
    )
    assert [line.split(" has the number ")[0] for line in lines] == [
        "schools/test-school.yaml:4: authority.cse_service: 'Exploitation Team, 0191 277 250'",
        "schools/test-school.yaml:8: role_names.dsl: 'DSL (ring 0191 498 012)'",
    ]


def test_a_real_number_whose_digits_run_in_order_is_printed(example: Path) -> None:
    school(example, 'school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Jane Smith, phone: "01234 567 890"}\n')
    assert run(example, "build", "test-school").exit_code == 0
    assert "01234 567890" in pdf_text(example / "out/test-school/test-school-cse-leaflet.pdf")


# --- people are whole values in the cascade ----------------------------------------------------------------------


def test_a_person_named_in_a_deeper_file_is_never_given_the_shallower_persons_details(example: Path) -> None:
    trust = example / "schools/trust"
    trust.mkdir()
    (trust / "_defaults.yaml").write_text(
        "safeguarding:\n  cse_lead: {name: Trust Lead, phone: '0191 498 0999', email: lead@trust.example}\n"
        "contacts:\n  lado: {phone: '0191 498 0888', email: lado@trust.example}\n",
        "utf-8",
    )
    (trust / "hill.yaml").write_text(
        "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Jane Smith}\n  cse_lead: {name: Ann Lee}\n"
        "contacts:\n  lado: {phone: '0191 498 0777'}\n",
        "utf-8",
    )
    assert run(example, "build", "hill").exit_code == 0
    for path in (example / "out/hill/hill-cse-leaflet.pdf", example / "out/hill/hill-cse-leaflet.docx"):
        text = squash(pdf_text(path) if path.suffix == ".pdf" else docx_text(path))
        assert "AnnLee" in text
        assert "01914980777" in text
        for trust_value in ("01914980999", "lead@trust.example", "lado@trust.example", "01914980888"):
            assert trust_value not in text


def test_a_deeper_file_that_gives_a_person_a_number_but_no_name_is_refused(example: Path) -> None:
    (example / "schools/trust").mkdir()
    (example / "schools/trust/_defaults.yaml").write_text("safeguarding:\n  dsl: {name: Trust DSL}\n", "utf-8")
    (example / "schools/trust/hill.yaml").write_text(
        "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {phone: '0191 498 0777'}\n", "utf-8"
    )
    assert problem_lines(run(example, "check", "hill")) == [
        "schools/trust/hill.yaml: safeguarding.dsl.name: is required but missing; set it in this file or in a "
        "_defaults.yaml above it"
    ]


def test_a_file_naming_another_authority_never_keeps_the_first_authoritys_service_or_numbers(example: Path) -> None:
    county = example / "schools/county"
    county.mkdir()
    (county / "_defaults.yaml").write_text(
        "authority:\n  name: Northumberland County Council\ncontacts:\n  social_care: {phone: '01670 536400'}\n",
        "utf-8",
    )
    (county / "hill.yaml").write_text("school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Jane Smith}\n")
    result = run(example, "build", "hill")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "schools/county/_defaults.yaml:2: authority.name: names 'Northumberland County Council', but "
        "authority.cse_service, authority.police_force, contacts.social_care.out_of_hours, contacts.lado.phone are "
        "still taken from schools/_defaults.yaml, which names 'Newcastle City Council'; set them here too, for this authority"
    ]
    assert not (example / "out/hill").exists()
    (county / "_defaults.yaml").write_text(
        "authority:\n  name: Northumberland County Council\n  cse_service: Northumberland Child Exploitation Service\n"
        "  police_force: Northumbria Police\n"
        "contacts:\n  social_care: {phone: '01670 536400', out_of_hours: '01670 822386'}\n"
        "  lado: {phone: '01670 623980'}\n",
        "utf-8",
    )
    assert run(example, "build", "hill").exit_code == 0
    text = squash(pdf_text(example / "out/hill/hill-cse-leaflet.pdf"))
    assert "01670822386" in text
    assert "01912787878" not in text and "01912772500" not in text and "Newcastle" not in text


# --- smaller cases ------------------------------------------------------------------------------------------------


def test_a_choice_in_the_wrong_case_gets_a_suggestion(example: Path) -> None:
    [line] = checked(
        example,
        "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Jane Smith}\nlayouts: [poster]\n"
        "layout_options:\n  poster: {paper: a4}\n",
    )
    assert line == (
        "schools/test-school.yaml:7: layout_options.poster.paper: 'a4' is not allowed; expected one of 'A3', 'A4' "
        "(did you mean 'A4'?)"
    )


def test_an_empty_list_of_layouts_is_refused(example: Path) -> None:
    [line] = checked(example, "school:\n  name: Hill Primary\nsafeguarding:\n  dsl: {name: Jane Smith}\nlayouts: []\n")
    assert line.startswith(
        "schools/test-school.yaml:5: layouts: lists no layout; list at least one of large-print, leaflet, poster"
    )


def test_a_content_file_ending_in_yml_is_reported(example: Path) -> None:
    (example / "content/online.yml").write_text("title: Online safety\n", "utf-8")
    result = run(example, "check")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/online.yml: is not read: content files must end in '.yaml'; rename it to 'online.yaml'"
    ]


def test_new_school_refuses_an_id_with_a_line_break(example: Path) -> None:
    result = run(example, "new-school", "hill\n", "--name", "Hill Primary")
    assert result.exit_code == 1
    assert "school id 'hill\\u000a' is not a safe name" in result.stderr
    assert not list((example / "schools").glob("hill*"))


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_checking_text_never_fails_whatever_it_holds(text: str) -> None:
    normal = unicodedata.normalize("NFC", text)
    assert unusual_character(normal) is None or isinstance(unusual_character(normal), str)
    assert damage(normal) is None or isinstance(damage(normal), str)
