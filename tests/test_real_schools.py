"""Schools shaped like a real authority's: within the limits every one builds legibly; past them, a located error."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, docx_text, pdf_text, squash, text_sizes
from glyphs import collisions
from hypothesis import HealthCheck, example, given, settings
from pdfua import validate
from pypdf import PdfReader
from realistic import (
    MAX_DEPUTIES,
    MAX_EMAIL,
    MAX_NAME,
    MAX_SCHOOL_NAME,
    biggest_school,
    capitals_school,
    extreme_school,
    school_yaml,
    schools,
)
from test_tagging import walk

from factsheet_builder.cli import main
from factsheet_builder.config.phones import format_uk


def workspace_with(tmp_path: Path, schools: dict[str, dict]) -> Path:
    """A workspace of the example content and defaults holding ``schools`` (id -> settings)."""
    workspace = tmp_path / "ws"
    shutil.copytree(REPO / "content", workspace / "content")
    (workspace / "schools").mkdir(parents=True)
    shutil.copy(REPO / "schools/_defaults.yaml", workspace / "schools/_defaults.yaml")
    for school_id, values in schools.items():
        (workspace / f"schools/{school_id}.yaml").write_text(school_yaml(values), "utf-8")
    return workspace


def test_values_just_past_each_limit_are_located_errors_that_check_reports_without_rendering(tmp_path: Path) -> None:
    long_name = "Alexandra " * 8 + "X"  # 81 characters
    local = "a" * 50
    long_email = f"{local}@{'b' * (MAX_EMAIL - len(local) - len('@.sch.uk') + 1)}.sch.uk"
    school_name = ("St Aidan's " * 14)[: MAX_SCHOOL_NAME + 1]
    deputies = [{"name": f"Deputy {n}"} for n in range(MAX_DEPUTIES + 2)]
    assert (len(long_name), len(long_email), len(school_name)) == (MAX_NAME + 1, MAX_EMAIL + 1, MAX_SCHOOL_NAME + 1)
    workspace = workspace_with(
        tmp_path,
        {
            "long-values": {
                "school": {"name": school_name},
                "safeguarding": {"dsl": {"name": long_name, "email": long_email}},
            },
            "big-team": {
                "school": {"name": "St Aidan's"},
                "safeguarding": {"dsl": {"name": "Jane Smith"}, "deputies": deputies},
            },
        },
    )
    result = CliRunner().invoke(main, ["check", "-C", str(workspace)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("schools/")] == [
        "schools/big-team.yaml:34: safeguarding.deputies[8]: the list has 10 entries; the limit is 8: "
        "delete this one and the 1 after it",
        f"schools/long-values.yaml:3: school.name: '{school_name[:40]}…' is 151 characters long; the limit is 150",
        f"schools/long-values.yaml:7: safeguarding.dsl.name: '{long_name[:40]}…' is 81 characters long; "
        "the limit is 80",
        f"schools/long-values.yaml:8: safeguarding.dsl.email: '{long_email[:40]}…' is 81 characters long; "
        "the limit is 80",
    ]
    assert not (workspace / "out").exists()


# --- within the limits: every school builds in every layout, legibly -------------------------------------------------

LEAFLET_BODY_FLOOR, PANEL_FLOOR, LEAFLET_FLOOR = 9.5, 9.0, 8.0
POSTER_NAME_FLOOR, POSTER_EMAIL_FLOOR, POSTER_FLOOR = 24.0, 14.0, 9.0
LARGE_PRINT_FLOOR = 16.0


def team(settings: dict) -> list[dict]:
    """The school's people in panel order."""
    safeguarding = settings["safeguarding"]
    return [safeguarding["dsl"], *safeguarding.get("deputies", []), *filter(None, [safeguarding.get("cse_lead")])]


def printed_values(settings: dict) -> list[str]:
    """Every name, number and email of the school as the leaflet prints it."""
    found = [settings["school"]["name"]]
    for member in team(settings):
        found += [member["name"], format_uk(member["phone"]) if "phone" in member else "", member.get("email", "")]
    return [v for v in found if v]


def sizes_of(spans: list[tuple[str, float]], wanted: list[str]) -> dict[str, float]:
    """The smallest size each wanted value is drawn at, from the spans of its lines."""
    found: dict[str, float] = {}
    for value in wanted:
        key = squash(value)
        parts = [size for text, size in spans if len(squash(text)) >= min(4, len(key)) and squash(text) in key]
        if parts:
            found[value] = min(parts)
    return found


def body_size(spans: list[tuple[str, float]]) -> float:
    """The size most long runs of text are set at."""
    body = [round(size, 2) for text, size in spans if len(text) > 30]
    return max(set(body), key=body.count)


def assert_legible_leaflet(pdf: Path, settings: dict) -> None:
    spans = text_sizes(pdf)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 2
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]
    assert body_size(spans) >= LEAFLET_BODY_FLOOR
    assert min(size for _, size in spans) >= LEAFLET_FLOOR - 0.01, min(spans, key=lambda s: s[1])
    people = [v for v in printed_values(settings)[1:]]
    small = {v: s for v, s in sizes_of(spans, people).items() if s < PANEL_FLOOR - 0.01}
    assert not small, small


def assert_legible_poster(pdf: Path, settings: dict) -> None:
    spans = text_sizes(pdf)
    assert len(PdfReader(str(pdf)).pages) == 1
    assert min(size for _, size in spans) >= POSTER_FLOOR - 0.01
    members = team(settings)
    names = [m["name"] for m in members] + [format_uk(m["phone"]) for m in members if "phone" in m]
    emails = [m["email"] for m in members if "email" in m]
    assert min(sizes_of(spans, names).values()) >= POSTER_NAME_FLOOR - 0.01
    assert min(sizes_of(spans, emails).values(), default=99) >= POSTER_EMAIL_FLOOR - 0.01


def assert_built_exactly(workspace: Path, school_id: str, settings: dict) -> None:
    """Every layout built; each PDF and DOCX prints every value exactly (lines joined), nothing in a PDF overlaps
    or leaves its box; the floors hold."""
    folder = workspace / "out" / school_id
    for layout in ("leaflet", "poster", "large-print"):
        pdf, docx = folder / f"{school_id}-cse-{layout}.pdf", folder / f"{school_id}-cse-{layout}.docx"
        assert collisions(pdf) == [], layout
        printed_pdf, printed_docx = squash(pdf_text(pdf)), squash(docx_text(docx))
        assert [v for v in printed_values(settings) if squash(v) not in printed_pdf] == [], (layout, "pdf")
        assert [v for v in printed_values(settings) if squash(v) not in printed_docx] == [], (layout, "docx")
    assert_legible_leaflet(folder / f"{school_id}-cse-leaflet.pdf", settings)
    assert_legible_poster(folder / f"{school_id}-cse-poster.pdf", settings)
    large = text_sizes(folder / f"{school_id}-cse-large-print.pdf")
    assert min(size for _, size in large) >= LARGE_PRINT_FLOOR - 0.01
    # large print: the panel's heading and intro with its first person, on page 1 or 2, never alone at a page's foot
    pages = [squash(page.extract_text()) for page in PdfReader(str(folder / f"{school_id}-cse-large-print.pdf")).pages]
    first = [n for n, text in enumerate(pages) if squash(team(settings)[0]["name"]) in text][:1]
    assert first in ([0], [1]) and [n for n, text in enumerate(pages) if squash("Who to talk to") in text] == first


@pytest.fixture(scope="module")
def roster_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace the property test writes one school into per example."""
    return workspace_with(tmp_path_factory.mktemp("roster"), {})


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(school=schools)
@example(school=biggest_school(random.Random(9)))
@example(school=extreme_school(random.Random(3)))
@example(school=capitals_school(random.Random(2)))
def test_every_school_within_the_limits_builds_in_every_layout_legibly(roster_workspace: Path, school: dict) -> None:
    (roster_workspace / "schools/drawn.yaml").write_text(school_yaml(school), "utf-8")
    result = CliRunner().invoke(main, ["build", "drawn", "--layout", "all", "-j", "1", "-C", str(roster_workspace)])
    assert result.exit_code == 0, result.output
    assert_built_exactly(roster_workspace, "drawn", school)


def natural_breaks(value: str) -> set[int]:
    """Where a line may end inside ``value``, counted in its characters other than spaces: an address after '@'
    or before a '.', a name at a space or after a hyphen; a phone number nowhere."""
    allowed, count = set(), 0
    for i, char in enumerate(value):
        if char == " ":
            allowed.add(count)
            continue
        count += 1
        if char in ("@" if "@" in value else "-") or "@" in value and value[i + 1 : i + 2] == ".":
            allowed.add(count)
    return set() if value[:1].isdigit() else allowed


def broken_only_at_natural_points(text: str, value: str) -> bool:
    """True when ``value`` is in ``text``, any line breaks within it falling at its natural points."""
    flat, cuts = "", set()
    for line in text.split("\n"):
        cuts.add(len(flat))
        flat += squash(line)
    wanted, start = squash(value), flat.find(squash(value))
    while start >= 0:
        if {cut - start for cut in cuts if start < cut < start + len(wanted)} <= natural_breaks(value):
            return True
        start = flat.find(wanted, start + 1)
    return False


def test_the_biggest_team_the_limits_allow_builds_in_every_layout(tmp_path: Path) -> None:
    """Seven people, each with an 80-character name, an 80-character address and a phone, at a school with a
    150-character name: every layout builds, legibly, and prints every value exactly."""
    drawn = {f"extreme-{seed}": extreme_school(random.Random(seed)) for seed in (1, 2)}
    for school in drawn.values():
        assert len(school["school"]["name"]) == MAX_SCHOOL_NAME
        assert len(team(school)) == MAX_DEPUTIES + 2
        assert {(len(m["name"]), len(m["email"])) for m in team(school)} == {(MAX_NAME, MAX_EMAIL)}
    workspace = workspace_with(tmp_path, drawn)
    result = CliRunner().invoke(main, ["build", "--layout", "all", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    for school_id, school in drawn.items():
        assert_built_exactly(workspace, school_id, school)
        page_1 = PdfReader(str(workspace / "out" / school_id / f"{school_id}-cse-leaflet.pdf")).pages[0]
        text = page_1.extract_text()
        for member in team(school):
            for value in (member["name"], format_uk(member["phone"]), member["email"]):
                assert broken_only_at_natural_points(text, value), (value, text)
        for layout in ("leaflet", "poster", "large-print"):
            report = validate(str(workspace / "out" / school_id / f"{school_id}-cse-{layout}.pdf"))
            assert [(f.rule_id, f.message) for f in report.findings] == [], layout
        # the panel reads as a table: a row per person, headed by the role, then the name, phone and email
        tree = walk(workspace / "out" / school_id / f"{school_id}-cse-leaflet.pdf")
        rows = [
            [text for d, _, _, text in tree[i + 1 : i + 3] if d == depth + 1]
            for i, (depth, kind, _, _) in enumerate(tree)
            if kind == "TR"
        ][: len(team(school))]
        assert [squash(" ".join(row)) for row in rows] == [
            squash(" ".join([role, member["name"], format_uk(member["phone"]), member["email"]]))
            for role, member in zip(
                [
                    "Designated Safeguarding Lead (DSL)",
                    *["Deputy DSL"] * MAX_DEPUTIES,
                    "Designated lead person for CSE",
                ],
                team(school),
            )
        ]


def test_the_longest_names_in_capitals_build_in_every_layout(tmp_path: Path) -> None:
    """Seven 80-character names typed in capitals, the widest the limits allow, with 80-character addresses: the
    leaflet's panel sets each name across it, the role, phone and email beneath, and every layout builds legibly,
    each value copying out of the PDF exactly and broken only at its natural points."""
    drawn = {f"capitals-{seed}": capitals_school(random.Random(seed)) for seed in (2, 20)}
    for school in drawn.values():
        assert {(len(m["name"]), m["name"].isupper(), len(m["email"])) for m in team(school)} == {
            (MAX_NAME, True, MAX_EMAIL)
        }
    workspace = workspace_with(tmp_path, drawn)
    result = CliRunner().invoke(main, ["build", "--layout", "all", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    for school_id, school in drawn.items():
        assert_built_exactly(workspace, school_id, school)
        leaflet = workspace / "out" / school_id / f"{school_id}-cse-leaflet.pdf"
        text = PdfReader(str(leaflet)).pages[0].extract_text()
        for member in team(school):
            for value in (member["name"], format_uk(member["phone"]), member["email"]):
                assert broken_only_at_natural_points(text, value), (value, text)
        assert [(f.rule_id, f.message) for f in validate(str(leaflet)).findings] == []


def large_print_pages(tmp_path: Path, school: dict) -> list[str]:
    """The text of each page of ``school``'s large-print copy, squashed."""
    workspace = workspace_with(tmp_path, {"big": school})
    result = CliRunner().invoke(main, ["build", "--layout", "large-print", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(workspace / "out/big/big-cse-large-print.pdf"))
    return [squash(page.extract_text()) for page in reader.pages]


def test_large_print_keeps_a_big_team_on_one_page_and_the_agencies_after_it(tmp_path: Path) -> None:
    """Six people, every address at the 80-character limit and two names at it: too many lines for the whole panel
    to fit a page at 16 pt, so its heading, intro and team take page 2 (the title and review date page 1) and the
    agencies follow on page 3, above the text."""
    school = biggest_school(random.Random(9))
    school["safeguarding"]["deputies"] = school["safeguarding"]["deputies"][:4]
    pages = large_print_pages(tmp_path, school)
    assert [n for n, text in enumerate(pages) if "Whototalkto" in text] == [1]
    assert [n for member in team(school) for n, text in enumerate(pages) if squash(member["name"]) in text] == [1] * 6
    assert [n for n, text in enumerate(pages) if squash("Local Authority Designated Officer (LADO)") in text][0] == 2
    assert pages[2].index(squash("Children’s Social Care")) < pages[2].index("WhatisCSE?")


def test_large_print_runs_a_team_taller_than_a_page_on_a_person_at_a_time(tmp_path: Path) -> None:
    """The biggest team the limits allow, every address at the 80-character limit: taller than a page at 16 pt, so
    the panel starts under the title and runs on a person at a time, each person whole on one page, in order; the
    agencies follow the team, above the text."""
    school = biggest_school(random.Random(9))
    pages = large_print_pages(tmp_path, school)
    assert [n for n, text in enumerate(pages) if "Whototalkto" in text] == [0]
    found = []
    for member in team(school):
        values = [squash(value) for value in (member["name"], format_uk(member["phone"]), member["email"])]
        found.append([n for n, text in enumerate(pages) if all(value in text for value in values)])
    assert all(len(on) == 1 for on in found), found  # each person whole, on one page
    assert [on[0] for on in found] == sorted(on[0] for on in found) and found[-1][0] > found[0][0]
    agencies = next(n for n, text in enumerate(pages) if squash("Local Authority Designated Officer (LADO)") in text)
    assert agencies >= found[-1][0]
    assert pages[agencies].index(squash("Children’s Social Care")) < pages[agencies].index("WhatisCSE?")


def test_long_official_names_build_with_the_band_and_footer_taking_more_lines(fixture_workspace) -> None:
    workspace = fixture_workspace("fit-long-name")
    result = CliRunner().invoke(main, ["build", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    for school_id in ("kenton-bar", "st-aidans"):
        pdf = workspace / "out" / school_id / f"{school_id}-cse-leaflet.pdf"
        sheet_name = (
            (workspace / "schools" / f"{school_id}.yaml").read_text("utf-8").split("name: ", 1)[1].split("\n")[0]
        )
        assert squash(sheet_name) in squash(pdf_text(pdf))
        assert min(size for _, size in text_sizes(pdf)) >= LEAFLET_FLOOR
