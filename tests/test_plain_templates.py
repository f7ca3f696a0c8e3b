"""Content text whose only Jinja2 is plain references, filled in without Jinja2 (factsheet_builder.plain_templates):
the same text Jinja2 makes, the same references found, and Jinja2 left to do everything else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet_builder import content
from factsheet_builder.plain_templates import MAX_TEXT, filled_in, plain

CONTEXT = {
    "school": {"name": "Ysgol Gŵyr"},
    "authority": {"police_force": "South Wales Police", "_private": "kept", "items": "not a method here"},
    "contacts": {
        "lado": {"phone": "0113 496 0899", "email": "lado@example.org", "extension": 42},
        "police": {"emergency": "999", "desk": None},
    },
}


def by_jinja2(source: str, context: dict) -> str:
    return content._environment().render(content._compile(source), context)


def references_by_jinja2(source: str, monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setattr(content, "plain", lambda text: None)
    return content.references.__wrapped__(source)


@pytest.mark.parametrize(
    "source",
    [
        "Call {{ contacts.lado.phone }} or write to {{contacts.lado.email}}.",
        "{{ school.name }}",
        "Report it to {{ authority.police_force }} ({{ contacts.police.emergency }}); {{ authority._private }}.",
        "A brace-free text",
    ],
)
def test_plain_references_are_filled_in_as_jinja2_fills_them_in(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert filled_in(source, CONTEXT) == by_jinja2(source, CONTEXT)
    assert content.references.__wrapped__(source) == references_by_jinja2(source, monkeypatch)


@pytest.mark.parametrize(
    "source",
    [
        "{{ school.name | upper }}",
        "{% if school.name %}x{% endif %}",
        "{{- school.name }}",
        "{# a note #}",
        "{{ true }}",
        "{{ range }}",
        "{{ school.name if school else '' }}",
        "{{ contacts['lado'] }}",
        "a { brace",
        "a } brace {{ school.name }}",
        "{{ school.name }",
        "{{ school..name }}",
        "{{ 1 }}",
        "{{ school.name }}\n",
        "a\r\n{{ school.name }}",
        "\r{{ school.name }}",  # Jinja2 rewrites line breaks
    ],
)
def test_text_with_other_jinja2_is_not_plain(source: str) -> None:
    assert plain(source) is None and filled_in(source, CONTEXT) is None


@pytest.mark.parametrize(
    "source",
    [
        "{{ nobody }}",  # not set: Jinja2 says so
        "{{ school.name.first }}",  # a text has no such key
        "{{ contacts.lado.extension }}",  # a number: Jinja2 prints it
        "{{ contacts.police.desk }}",  # None
        "{{ contacts.lado }}",  # a mapping
        "{{ authority.items }}",  # a mapping's method in Jinja2's eyes, not its item
    ],
)
def test_a_reference_that_does_not_lead_to_a_text_is_left_to_jinja2(source: str) -> None:
    assert plain(source) is not None and filled_in(source, CONTEXT) is None


def test_text_longer_than_jinja2_may_render_is_left_to_it() -> None:
    long = {"a": {"b": "x" * 200}}
    assert filled_in("{{ a.b }}" * (MAX_TEXT // 200), long) == "x" * MAX_TEXT
    assert filled_in("{{ a.b }}" * (MAX_TEXT // 200) + "!", long) is None


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda name: plain(f"{{{{ {name} }}}}") is not None
)
texts = st.text(st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    context=st.dictionaries(names, st.one_of(texts, st.dictionaries(names, texts, max_size=3)), min_size=1, max_size=4),
)
def test_any_text_of_references_to_texts_is_filled_in_as_jinja2_does(data: st.DataObject, context: dict) -> None:
    paths = [name for name, value in context.items() if isinstance(value, str)] + [
        f"{name}.{key}" for name, value in context.items() if isinstance(value, dict) for key in value
    ]
    paths = [path for path in paths if plain(f"{{{{ {path} }}}}") is not None]
    if not paths:
        return
    pieces = data.draw(st.lists(st.tuples(texts, st.sampled_from(paths)), min_size=1, max_size=4))
    source = "".join(f"{literal}{{{{ {path} }}}}" for literal, path in pieces)
    expected = by_jinja2(source, context)
    assert filled_in(source, context) in (expected, None)
    if all(not hasattr(dict, part) for _, path in pieces for part in path.split(".")) and not any(
        mark in literal for literal, _ in pieces for mark in "\r\n"
    ):
        assert filled_in(source, context) == expected


def test_a_school_is_checked_and_merged_without_loading_jinja2(example: Path) -> None:
    script = (
        "import sys\n"
        "from factsheet_builder.workspace import Workspace\n"
        "from factsheet_builder.project import open_project\n"
        "from factsheet_builder.check import check_school\n"
        "project = open_project(Workspace.open(sys.argv[1]))\n"
        "config, sheets, problems = check_school(project, project.schools[0])\n"
        "assert sheets, problems\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'jinja2'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(example)], capture_output=True, text=True, timeout=300)
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")
