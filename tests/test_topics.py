"""Topics: two fact sheets built side by side from one workspace, each with its own roles, numbers and outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, docx_text, pdf_pages, pdf_text, squash, without_retired

from factsheet_builder.cli import main

CSE_ROLE = "Designated lead person for CSE"


def run(workspace: Path, *args: str):
    return CliRunner().invoke(main, [*args, "-C", str(workspace)])


def lines(text: str) -> list[str]:
    return without_retired(line for line in text.splitlines() if line and not line.startswith(("built ", "  ")))


@pytest.fixture
def two_topics(fixture_workspace) -> Path:
    """The example's CSE topic beside the fixture's Prevent topic, with two schools (one wants only CSE)."""
    return fixture_workspace("topics")


@pytest.fixture
def built(two_topics: Path) -> Path:
    result = run(two_topics, "build", "--jobs", "1", "--layout", "all")
    assert result.exit_code == 0, result.output
    return two_topics


def test_two_topics_build_side_by_side_with_their_own_roles_and_numbers(built: Path) -> None:
    out = built / "out" / "st-aidans"
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".pdf", ".docx")) == sorted(
        f"st-aidans-{topic}-{layout}.{fmt}"
        for topic in ("cse", "prevent")
        for layout in ("large-print", "leaflet", "poster")
        for fmt in ("pdf", "docx")
    )
    for fmt, text_of in (("pdf", pdf_text), ("docx", docx_text)):
        cse, prevent = (squash(text_of(out / f"st-aidans-{topic}-leaflet.{fmt}")) for topic in ("cse", "prevent"))
        assert squash("Priya Patel") in cse and squash(CSE_ROLE) in cse
        assert squash("Omar Hussain") not in cse and squash("0191 277 1100") not in cse
        assert squash("Prevent lead") in prevent and squash("Omar Hussain") in prevent
        assert squash("Prevent team") in prevent and squash("0191 277 1100") in prevent
        assert squash("Our coordinator is Sam Khan.") in prevent
        assert squash("Priya Patel") not in prevent and squash("Northumbria Police") not in prevent
    assert pdf_pages(out / "st-aidans-prevent-leaflet.pdf") == 1  # a short topic: one page, counted as one
    assert "Page 1 of 1" in pdf_text(out / "st-aidans-prevent-leaflet.pdf")
    assert pdf_pages(out / "st-aidans-cse-leaflet.pdf") == 2


def test_each_docx_names_its_own_topic_in_its_keywords(built: Path) -> None:
    import docx

    out = built / "out" / "st-aidans"
    keywords = {path.name: docx.Document(str(path)).core_properties.keywords for path in sorted(out.glob("*.docx"))}
    assert keywords == {
        name: "safeguarding; Child Sexual Exploitation"
        if "-cse-" in name
        else "safeguarding; Radicalisation and Prevent"
        for name in keywords
    }
    assert len(keywords) == 6


def test_a_value_is_declared_by_the_topic_that_refers_to_it(two_topics: Path) -> None:
    (two_topics / "content" / "cse.yaml").unlink()  # the topic whose text names the local CSE service
    result = run(two_topics, "check")
    assert result.exit_code == 1
    assert any("authority.cse_service: unknown key 'cse_service'" in line for line in result.output.splitlines()), (
        result.output
    )


def test_a_poster_without_signs_draws_the_steps_alone(built: Path) -> None:
    poster = built / "out" / "st-aidans" / "st-aidans-prevent-poster.pdf"
    assert pdf_pages(poster) == 1
    text = squash(pdf_text(poster))
    assert squash("Worried about extremism?") in text
    assert squash("What to do") in text and squash("The DSL decides whether to refer the child to Channel.") in text
    assert squash("Warning Signs") not in text
    docx = squash(docx_text(poster.with_suffix(".docx")))
    assert squash("The DSL decides whether to refer the child to Channel.") in docx
    assert squash("Warning Signs") not in docx


def test_the_manifest_and_index_know_the_topic_of_every_output(built: Path) -> None:
    manifest = json.loads((built / "out" / "manifest.json").read_text("utf-8"))
    aidans, kenton = manifest["schools"]["st-aidans"], manifest["schools"]["kenton-bar"]
    assert {(o["topic"], o["path"].split("/")[-1]) for o in aidans["outputs"] if o["layout"] == "leaflet"} == {
        (topic, f"st-aidans-{topic}-leaflet.{fmt}") for topic in ("cse", "prevent") for fmt in ("pdf", "docx", "html")
    }
    assert aidans["topics"] == ["cse", "prevent"] and kenton["topics"] == ["cse"]
    assert {o["topic"] for o in kenton["outputs"]} == {"cse"}
    index = (built / "out" / "index.html").read_text("utf-8")
    assert 'data-topic="prevent"' in index and 'data-topic="cse"' in index
    assert '<option value="prevent">Radicalisation and Prevent</option>' in index


def test_a_school_that_chooses_one_topic_needs_only_its_values(two_topics: Path) -> None:
    defaults = two_topics / "schools" / "_defaults.yaml"
    defaults.write_text(defaults.read_text("utf-8").replace("  prevent_coordinator: Sam Khan\n", ""), "utf-8")
    result = run(two_topics, "check")
    assert lines(result.stderr)[:-1] == [
        "schools/st-aidans.yaml: authority.prevent_coordinator: required by topic 'prevent' (content/prevent.yaml:14)"
    ]
    assert result.exit_code == 1
    assert run(two_topics, "check", "kenton-bar").exit_code == 0  # topics: [cse]


def test_a_value_two_topics_need_is_reported_for_each(two_topics: Path) -> None:
    defaults = two_topics / "schools" / "_defaults.yaml"
    defaults.write_text(
        defaults.read_text("utf-8").replace('  social_care: {phone: "0191 277 2500", ', "  social_care: {"), "utf-8"
    )
    result = run(two_topics, "check", "st-aidans")
    assert lines(result.stderr)[:-1] == [
        "schools/st-aidans.yaml: contacts.social_care.phone: required by topic 'cse' (content/cse.yaml:164)",
        "schools/st-aidans.yaml: contacts.social_care.phone: required by topic 'prevent' (content/prevent.yaml:39)",
    ]


def test_a_role_key_is_known_because_a_topic_declares_it(two_topics: Path) -> None:
    school = two_topics / "schools" / "st-aidans.yaml"
    school.write_text(school.read_text("utf-8").replace("prevent_lead:", "prevent_led:"), "utf-8")
    result = run(two_topics, "check", "st-aidans")
    assert lines(result.stderr)[:-1] == [
        "schools/st-aidans.yaml:6: safeguarding.prevent_led: unknown key 'prevent_led' (did you mean 'prevent_lead'?); "
        "allowed here: dsl, deputies, cse_lead, prevent_lead"
    ]
    (two_topics / "content" / "prevent.yaml").unlink()
    school.write_text(school.read_text("utf-8").replace("prevent_led:", "prevent_lead:"), "utf-8")
    assert "unknown key 'prevent_lead'" in run(two_topics, "check", "st-aidans").stderr


def test_topic_option_builds_only_that_topic(two_topics: Path) -> None:
    result = run(two_topics, "build", "--topic", "prevent", "st-aidans")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (two_topics / "out" / "st-aidans").glob("*.pdf")) == ["st-aidans-prevent-leaflet.pdf"]
    result = run(two_topics, "build", "--topic", "prevnt")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: unknown topic 'prevnt' (did you mean 'prevent'?); the topics are the file "
        "names under content/ without '.yaml': cse, prevent"
    )


def test_editing_one_topic_rebuilds_only_its_outputs(built: Path) -> None:
    out = built / "out" / "st-aidans"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    content = built / "content" / "prevent.yaml"
    content.write_text(content.read_text("utf-8").replace('version: "2026.1"', 'version: "2026.2"'), "utf-8")
    status = run(built, "status")
    assert status.stdout.splitlines() == ["stale     st-aidans: the content of content/prevent.yaml changed"]
    result = run(built, "build", "--jobs", "1", "--layout", "all")
    assert result.exit_code == 0, result.output
    changed = sorted(name for name, mtime in before.items() if (out / name).stat().st_mtime_ns != mtime)
    assert changed == sorted(
        f"st-aidans-prevent-{layout}.{fmt}"
        for layout in ("large-print", "leaflet", "poster")
        for fmt in ("pdf", "docx", "html")
    )
    assert "Content version 2026.2" in pdf_text(out / "st-aidans-prevent-leaflet.pdf")
    assert run(built, "build").output.splitlines()[-1] == "built 0, skipped 2, failed 0"


def test_topics_lists_each_topic_and_warns_of_a_past_review_date(two_topics: Path) -> None:
    content = two_topics / "content" / "prevent.yaml"
    content.write_text(
        content.read_text("utf-8").replace("review_date: 2027-09-01", "review_date: 2020-09-01"), "utf-8"
    )
    result = run(two_topics, "topics")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "cse      Child Sexual Exploitation  (version 2026.1, review by 30 November 2027)",
        "prevent  Radicalisation and Prevent  (version 2026.1, review by 1 September 2020)",
    ]
    assert without_retired(result.stderr.splitlines()) == [
        "warning: content/prevent.yaml:3: review_date: '2020-09-01' is in the past; review the text of the fact "
        "sheet, then set the next review date"
    ]


def test_the_schema_includes_the_declared_roles(two_topics: Path) -> None:
    schema = json.loads(run(two_topics, "schema").output)
    team = schema["properties"]["safeguarding"]["properties"]
    assert list(team) == ["dsl", "deputies", "cse_lead", "prevent_lead"]
    assert schema["properties"]["authority"]["properties"]["prevent_coordinator"]["type"] == "string"
    assert schema["properties"]["topics"]["items"]["enum"] == ["cse", "prevent"]


def test_the_roster_has_a_column_for_each_declared_role(two_topics: Path) -> None:
    roster = two_topics / "roster.csv"
    roster.write_text("school,dsl,prevent_lead\nSt Aidan's Primary School,Jane Smith,Ayesha Begum\n", "utf-8")
    result = run(two_topics, "import", str(roster))
    assert result.exit_code == 0, result.output
    assert "prevent_lead: {name: Ayesha Begum" in (two_topics / "schools" / "st-aidans.yaml").read_text("utf-8")


def test_a_workspace_with_the_old_content_file_is_told_what_to_rename(example: Path) -> None:
    (example / "content" / "cse.yaml").rename(example / "content" / "leaflet.yaml")
    result = run(example, "check")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "content/leaflet.yaml: each fact sheet is now a file named after its topic: rename this file to "
        "content/cse.yaml and update it as docs/topics.md describes"
    )


def test_a_copy_of_the_cse_topic_with_a_new_title_builds_beside_it(tmp_path: Path) -> None:
    """The guide's flow: a fresh workspace, the CSE file copied under another name, its title changed."""
    workspace = tmp_path / "fresh"
    assert CliRunner().invoke(main, ["init", str(workspace)]).exit_code == 0
    copy = workspace / "content" / "online-safety.yaml"
    shutil.copyfile(workspace / "content" / "cse.yaml", copy)
    text = copy.read_text("utf-8")
    copy.write_text(text.replace("title: Child Sexual Exploitation", "title: Online Safety"), "utf-8")
    result = run(workspace, "build")
    assert result.exit_code == 0, result.output
    school = next(p for p in (workspace / "out").iterdir() if p.is_dir())
    names = sorted(p.name for p in school.glob("*.pdf"))
    assert names == [f"{school.name}-cse-leaflet.pdf", f"{school.name}-online-safety-leaflet.pdf"]
    assert "Online Safety" in pdf_text(school / f"{school.name}-online-safety-leaflet.pdf")
    assert "Online Safety" not in pdf_text(school / f"{school.name}-cse-leaflet.pdf")
    topics = run(workspace, "topics").stdout
    assert "online-safety  Online Safety" in topics


def test_the_example_workspace_keeps_cse_as_its_one_topic() -> None:
    assert sorted(p.name for p in (REPO / "content").glob("*.yaml")) == ["cse.yaml"]


def test_a_topic_option_builds_only_the_schools_that_have_that_topic_then_the_rest_follows(two_topics: Path) -> None:
    result = run(two_topics, "build", "--topic", "prevent")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "built 1, skipped 1, failed 0"  # kenton-bar builds cse only
    assert not (two_topics / "out" / "kenton-bar").exists()
    assert run(two_topics, "status").stdout.splitlines() == [
        "missing   kenton-bar: never built",
        "missing   st-aidans: no PDF of the 'leaflet' layout for topic 'cse' yet",
    ]
    result = run(two_topics, "build")
    assert result.output.splitlines()[-1] == "built 2, skipped 0, failed 0"
    assert sorted(p.name for p in (two_topics / "out" / "st-aidans").glob("*.pdf")) == [
        "st-aidans-cse-leaflet.pdf",
        "st-aidans-prevent-leaflet.pdf",
    ]


def test_a_poster_without_steps_or_signs_is_drawn_without_them(two_topics: Path) -> None:
    content = two_topics / "content" / "prevent.yaml"
    text = content.read_text("utf-8")
    content.write_text(text[: text.index("  steps:")], "utf-8")
    result = run(two_topics, "build", "st-aidans", "--topic", "prevent", "--layout", "poster")
    assert result.exit_code == 0, result.output
    poster = two_topics / "out" / "st-aidans" / "st-aidans-prevent-poster.pdf"
    assert pdf_pages(poster) == 1
    assert "What to do" not in pdf_text(poster) and "Omar Hussain" in pdf_text(poster)
    assert "What to do" not in docx_text(poster.with_suffix(".docx"))


def test_the_values_a_text_needs_are_found_in_its_syntax_tree() -> None:
    from factsheet_builder.content import references

    assert references(
        "Call {{ contacts.police.emergency }} or {{ contacts['lado'].phone }} at {{ school.name|upper }}"
    ) == (("contacts.police.emergency", False), ("contacts.lado.phone", False), ("school.name", False))
    assert references("{% if contacts.lado %}LADO {{ contacts.lado.phone }}{% endif %}{{ authority.name }}") == (
        ("contacts.lado", True),
        ("contacts.lado.phone", True),
        ("authority.name", False),
    )
    assert references("{% for n in [1, 2] %}{{ n }}{% endfor %}{{ 'set' if authority.name is defined else '' }}") == (
        ("authority.name", True),
    )
