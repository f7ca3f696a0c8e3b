"""The panel's words for each role set per folder or school (role_names): checked like every other value, and
printed the same in the leaflet, poster and large print, PDF and DOCX, and on the index page."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from conftest import docx_text, html_text, pdf_text, squash

from factsheet_builder.cli import main

NORTHERN_IRELAND = ("Designated Teacher for Child Protection", "Deputy Designated Teacher", "CSE Lead Teacher")
TOPIC = ("Designated Safeguarding Lead (DSL)", "Deputy DSL", "Designated lead person for CSE")  # content/cse.yaml


def texts(out: Path, school: str) -> dict[str, str]:
    """The text of each file built for a school, squashed, by file name."""
    found = {}
    for path in sorted((out / school).glob(f"{school}-cse-*.*")):
        read = {".pdf": pdf_text, ".docx": docx_text, ".html": html_text}[path.suffix]
        found[path.name] = squash(read(path))
    return found


def test_a_folders_role_names_are_printed_in_every_layout_and_format_for_each_school_below_it(
    fixture_workspace,
) -> None:
    workspace = fixture_workspace("role-names")
    result = CliRunner().invoke(main, ["build", "--layout", "all", "--jobs", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    out = workspace / "out"
    files = texts(out, "st-malachys")
    assert sorted(files) == [
        f"st-malachys-cse-{layout}.{fmt}"
        for layout in ("large-print", "leaflet", "poster")
        for fmt in ("docx", "html", "pdf")
    ]
    for name, text in files.items():
        assert all(squash(word) in text for word in NORTHERN_IRELAND), name
        assert not any(squash(word) in text for word in TOPIC[1:]), (
            name
        )  # "Designated Safeguarding Lead" is in the prose
    # a school's own word wins over its folder's; the words it does not set come from the folder; the sentence for
    # a role nobody holds names the DSL's role in the school's words too ({{ role_names.dsl }} in content/cse.yaml)
    for name, text in texts(out, "holy-cross").items():
        assert squash("Designated Teacher") in text and squash("Deputy Designated Teacher") in text, name
        assert squash("Designated Teacher for Child Protection") not in text, name
        assert squash("Our Designated Teacher is also the designated lead person for CSE.") in text, name
        assert "Our DSL" not in text, name
    # a school outside the folder keeps the topic's words
    for name, text in texts(out, "st-aidans").items():
        assert squash(TOPIC[0]) in text and squash(TOPIC[1]) in text, name
        assert squash("Designated Teacher") not in text, name
    page = (out / "index.html").read_text(encoding="utf-8")
    # the schools call the role differently, so the column says what each school calls it
    assert '<th role="columnheader" scope="col">Designated person</th>' in page
    assert re.findall(r'<div class="role">([^<]*)</div>', page) == [
        "Designated Teacher",
        "Designated Safeguarding Lead (DSL)",
        "Designated Teacher for Child Protection",
    ]


def test_when_every_school_uses_one_word_the_index_page_heads_the_column_with_it(fixture_workspace) -> None:
    workspace = fixture_workspace("role-names")
    (workspace / "schools/st-aidans.yaml").unlink()
    (workspace / "schools/belfast/holy-cross.yaml").unlink()
    assert CliRunner().invoke(main, ["build", "--jobs", "1", "-C", str(workspace)]).exit_code == 0
    page = (workspace / "out/index.html").read_text(encoding="utf-8")
    assert '<th role="columnheader" scope="col">Designated Teacher for Child Protection</th>' in page
    assert 'class="role"' not in page


def test_role_names_are_checked_where_they_are_written(fixture_workspace) -> None:
    workspace = fixture_workspace("role-names")
    (workspace / "schools/st-aidans.yaml").write_text(
        "school:\n  name: St Aidan's Primary\nsafeguarding:\n  dsl: {name: Jane Smith}\nrole_names:\n"
        "  dls: Designated Safeguarding Person\n  deputy: ''\n"
        "  cse_lead: The person who leads this school's work on child sexual exploitation, day to day\n",
        encoding="utf-8",
    )
    (workspace / "schools/wales").mkdir()
    (workspace / "schools/wales/_defaults.yaml").write_text(
        "role_names:\n  - Designated Safeguarding Person\n", encoding="utf-8"
    )
    (workspace / "schools/belfast/holy-cross.yaml").write_text(
        "school: {name: Holy Cross}\nsafeguarding:\n  dsl: {name: Seán Kelly}\nrole_names:\n  dsl: Designated Teacher ✝\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "-C", str(workspace)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("schools/")] == [
        "schools/belfast/holy-cross.yaml:5: role_names.dsl: 'Designated Teacher ✝' contains '✝' (U+271D LATIN CROSS), "
        "which the 'leaflet' layout's font Liberation Sans cannot print; retype the value without it or use a layout "
        "whose font has it",
        "schools/st-aidans.yaml:6: role_names.dls: unknown key 'dls' (did you mean 'dsl'?); allowed here: dsl, "
        "deputy, cse_lead",
        "schools/st-aidans.yaml:7: role_names.deputy: is empty; fill in the deputy or delete the line",
        "schools/st-aidans.yaml:8: role_names.cse_lead: 'The person who leads this school's work …' is 80 characters "
        "long; the limit is 60",
        "schools/wales/_defaults.yaml:2: role_names: must be a mapping of keys (dsl, deputy, cse_lead), not a list",
    ]


def test_content_names_a_role_in_the_schools_words_and_a_name_that_is_not_a_role_is_located(fixture_workspace) -> None:
    workspace = fixture_workspace("role-names")
    content = workspace / "content/cse.yaml"
    text = content.read_text(encoding="utf-8")
    content.write_text(
        text.replace("{{ role_names.dsl }} is also", "{{ role_names.dls }} is also").replace(
            "  deputy: Deputy DSL", '  deputy: "{{ role_names.deputy }}"'
        ),
        encoding="utf-8",
    )
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "role_names.dsl" in row)
    deputy = next(n for n, row in enumerate(text.splitlines(), 1) if row == "  deputy: Deputy DSL")
    result = CliRunner().invoke(main, ["check", "-C", str(workspace)])
    assert result.exit_code == 1
    assert [row for row in result.stderr.splitlines() if "role_names" in row] == [
        f"content/cse.yaml:{deputy}: contacts_panel.deputy: '{{{{ role_names.deputy }}}}' refers to "
        "'role_names.deputy', in the words for a role itself; write the topic's words here (role_names replaces "
        "them)",
        f"content/cse.yaml:{line}: roles[0].when_absent: 'Our {{{{ role_names.dls }}}} is also the designated lead "
        "person for CSE.' refers to 'role_names.dls', which is not a role's words; the roles are role_names.dsl, "
        "role_names.deputy, role_names.cse_lead",
    ]
