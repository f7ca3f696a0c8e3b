"""Editing a school file in place (what ``factsheet serve`` and ``factsheet import`` write): every line not
changed is kept byte for byte, however the file spaces it, and no comment is lost when a list is rewritten."""

from __future__ import annotations

from collections.abc import Callable

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from factsheet_builder.roster import yamledit

ODD = (
    "# spaced by hand\r\n"
    "school:   # the school\r\n"
    "    name:    'Odd Indent Academy'   # quoted, spaced\r\n"
    "safeguarding:\r\n"
    "    dsl:\r\n"
    "        name: Pat Jones     # DSL since 2024\r\n"
    "        phone: 0191 498 0700   # unquoted\r\n"
    "    deputies:   # two\r\n"
    "      -   name: Bob Ray\r\n"
    "          email: bob@odd.example   # odd spacing\r\n"
    "      - {name: Chloé Dubois}\r\n"
    "\r\n"
    "# the end\r\n"
)


def edited(source: str, edit: Callable[[CommentedMap], object]) -> str:
    document, yaml = yamledit.load(source.replace("\r\n", "\n"), "odd.yaml")
    edit(document)
    return yamledit.dump(yaml, document, source)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


def test_a_value_changed_changes_its_line_alone_however_the_file_is_spaced() -> None:
    after = edited(ODD, lambda d: yamledit.put(d, ["safeguarding", "dsl", "phone"], "0191 498 0799"))
    assert changed_lines(ODD, after) == [
        ("        phone: 0191 498 0700   # unquoted\r\n", "        phone: 0191 498 0799   # unquoted\r\n")
    ]


def test_a_name_changed_in_an_oddly_spaced_list_changes_its_line_alone() -> None:
    def rename(document: CommentedMap) -> None:
        document["safeguarding"]["deputies"][0]["name"] = "Robert Ray"

    after = edited(ODD, rename)
    assert changed_lines(ODD, after) == [("      -   name: Bob Ray\r\n", "      -   name: Robert Ray\r\n")]


def test_a_flow_mapping_written_over_two_lines_stays_so_unless_it_changes() -> None:
    source = "safeguarding:\n  dsl: {name: Pat Jones,\n        phone: '0191 498 0700'}  # split\n  deputies:\n  - {name: A}\n"

    def deputy(document: CommentedMap) -> None:
        document["safeguarding"]["deputies"][0]["name"] = "B"

    assert edited(source, deputy) == source.replace("{name: A}", "{name: B}")
    assert edited(source, lambda d: yamledit.put(d, ["safeguarding", "dsl", "phone"], "0191 498 0799")).startswith(
        "safeguarding:\n  dsl: {name: Pat Jones, phone: '0191 498 0799'} # split\n"
    )


def test_a_value_whose_only_change_is_its_spaces_is_written_as_changed() -> None:
    after = edited(ODD, lambda d: yamledit.put(d, ["school", "name"], "Odd  Indent Academy"))
    assert "    name: 'Odd  Indent Academy'     # quoted, spaced\r\n" in after


def test_a_list_rewritten_keeps_the_comment_after_its_last_entry_written_in_flow_style() -> None:
    def reorder(document: CommentedMap) -> None:
        deputies = document["safeguarding"]["deputies"]
        yamledit.put(document, ["safeguarding", "deputies"], CommentedSeq([deputies[1], deputies[0]]))

    def empty(document: CommentedMap) -> None:
        yamledit.put(document, ["safeguarding", "deputies"], CommentedSeq())

    assert edited(ODD, reorder).endswith(
        "    deputies:   # two\r\n      -   {name: Chloé Dubois}\r\n      -   name: Bob Ray\r\n"
        "          email: bob@odd.example   # odd spacing\r\n\r\n# the end\r\n"
    )
    assert edited(ODD, empty).endswith("    deputies: [] # two\r\n\r\n# the end\r\n")
    assert edited(ODD, lambda d: yamledit.remove(d["safeguarding"], "deputies")).endswith(
        "        phone: 0191 498 0700   # unquoted\r\n\r\n# the end\r\n"
    )
