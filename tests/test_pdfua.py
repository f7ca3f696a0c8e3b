"""PDF/UA-1 to the letter, in every example school's PDFs in every layout and in those of a realistic roster:
page-validation (most of the standard's machine-checkable rules) and pdfua find nothing, nor does ``qpdf --check``;
marked content nests with text objects; every table's rows are of equal width; the fonts' ToUnicode maps give every
code a character; every email address is a mailto: link."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import page
import pikepdf
import pytest
from click.testing import CliRunner
from conftest import REPO, copy_workspace
from marked_content import read_page, unicode_map
from realistic import roster, write_roster

from factsheet_builder.check import check_school
from factsheet_builder.cli import main
from factsheet_builder.project import open_project
from factsheet_builder.render import ADDRESS
from factsheet_builder.workspace import Workspace

LAYOUTS = ("leaflet", "poster", "large-print")
ROSTER = 30  # schools of the realistic roster
CELLS = ("/TH", "/TD")


def built(workspace: Path) -> Path:
    """``workspace`` with every school built in every layout."""
    result = CliRunner().invoke(main, ["build", "--layout", "all", "-j", "2", "-q", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace, built."""
    return built(copy_workspace(REPO, tmp_path_factory.mktemp("examples") / "ws"))


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of the example content and the first schools of the realistic roster, built."""
    workspace = tmp_path_factory.mktemp("roster") / "ws"
    shutil.copytree(REPO / "content", workspace / "content")
    (workspace / "schools").mkdir()
    shutil.copy(REPO / "schools/_defaults.yaml", workspace / "schools/_defaults.yaml")
    write_roster(workspace / "schools", roster(ROSTER))
    return built(workspace)


def pdfs(workspace: Path) -> list[Path]:
    """Every PDF built in ``workspace``: one a layout for each school."""
    found = sorted((workspace / "out").glob("*/*.pdf"))
    schools = [p for p in (workspace / "schools").rglob("*.yaml") if not p.name.startswith("_")]
    assert len(found) == len(LAYOUTS) * len(schools)
    return found


WORKSPACES = ("examples", "realistic")


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_page_validation_finds_no_failed_rule_of_pdfua1(request: pytest.FixtureRequest, workspace: str) -> None:
    failed = {}
    for path in pdfs(request.getfixturevalue(workspace)):
        report = page.validate_pdf(str(path), profile="ua1")
        if not report.is_compliant:
            failed[path.name] = sorted({(f.rule_id, f.message) for f in report.failures})
    assert failed == {}


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_pdfua_finds_nothing_and_skips_no_rule(request: pytest.FixtureRequest, workspace: str) -> None:
    from pdfua import validate

    found = {}
    for path in pdfs(request.getfixturevalue(workspace)):
        report = validate(str(path))
        problems = [(f.rule_id, f.message) for f in report.findings]
        problems += [(o.rule_id, o.skipped_reason) for o in report.outcomes if o.skipped_reason]
        if problems:
            found[path.name] = problems
    assert found == {}


@pytest.mark.skipif(
    shutil.which("qpdf") is None and not os.environ.get("CI"), reason="qpdf is not installed (CI installs it)"
)
@pytest.mark.parametrize("workspace", WORKSPACES)
def test_qpdf_check_reports_nothing(request: pytest.FixtureRequest, workspace: str) -> None:
    reports = {}
    for path in pdfs(request.getfixturevalue(workspace)):
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        clean = "No syntax or stream encoding errors found" in result.stdout and "WARNING" not in result.stdout
        if result.returncode or result.stderr or not clean:
            reports[path.name] = (result.returncode, result.stdout[-300:], result.stderr[-300:])
    assert reports == {}


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_marked_content_nests_with_text_objects_and_marks_all_text(
    request: pytest.FixtureRequest, workspace: str
) -> None:
    problems = {}
    for path in pdfs(request.getfixturevalue(workspace)):
        with pikepdf.open(path) as pdf:
            found = [(n + 1, problem) for n, p in enumerate(pdf.pages) for problem in read_page(p).problems]
        if found:
            problems[path.name] = found[:3]
    assert problems == {}


def table_widths(pdf: pikepdf.Pdf) -> list[list[int]]:
    """The width of each row (its cells' column spans added up, with cells that span down from rows above) of every
    Table element in the structure tree."""
    tables: list[list[int]] = []

    def kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
        k = element.get("/K")
        items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
        return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]

    def rows(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
        found = []
        for kid in kids(element):
            if kid.S == "/TR":
                found.append(kid)
            elif kid.S in ("/THead", "/TBody", "/TFoot"):
                found += rows(kid)
        return found

    def span(cell: pikepdf.Dictionary, key: str) -> int:
        return int(cell.get("/A", {}).get(key, 1))

    def widths(table: pikepdf.Dictionary) -> list[int]:
        """Each row's width: its own cells' column spans, and those of cells above it that span down into it."""
        found, above = [], []  # above: (rows still to cover, column span) of cells spanning down
        for row in rows(table):
            cells = [cell for cell in kids(row) if cell.S in CELLS]
            found.append(sum(span(cell, "/ColSpan") for cell in cells) + sum(cols for _, cols in above))
            above = [(left - 1, cols) for left, cols in above if left > 1]
            above += [
                (span(cell, "/RowSpan") - 1, span(cell, "/ColSpan")) for cell in cells if span(cell, "/RowSpan") > 1
            ]
        return found

    def visit(element: pikepdf.Dictionary) -> None:
        if element.S == "/Table":
            tables.append(widths(element))
        for kid in kids(element):
            visit(kid)

    visit(pdf.Root.StructTreeRoot.K)
    return tables


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_tables_rows_are_of_equal_width(request: pytest.FixtureRequest, workspace: str) -> None:
    uneven = {}
    for path in pdfs(request.getfixturevalue(workspace)):
        with pikepdf.open(path) as pdf:
            widths = [table for table in table_widths(pdf) if len(set(table)) > 1]
        if widths:
            uneven[path.name] = widths
    assert uneven == {}


def test_table_widths_count_column_spans() -> None:
    """The walk the test above relies on: rows of TH and TD, a ColSpan counting as that many columns, a RowSpan
    as that many rows."""
    pdf = pikepdf.new()
    row = pikepdf.Dictionary(
        S=pikepdf.Name.TR,
        K=pikepdf.Array(
            [
                pikepdf.Dictionary(S=pikepdf.Name.TH),
                pikepdf.Dictionary(S=pikepdf.Name.TD, A=pikepdf.Dictionary(ColSpan=3)),
            ]
        ),
    )
    short = pikepdf.Dictionary(S=pikepdf.Name.TR, K=pikepdf.Array([pikepdf.Dictionary(S=pikepdf.Name.TD)]))
    table = pikepdf.Dictionary(S=pikepdf.Name.Table, K=pikepdf.Array([row, short]))
    pdf.Root.StructTreeRoot = pikepdf.Dictionary(K=pikepdf.Dictionary(S=pikepdf.Name.Document, K=table))
    assert table_widths(pdf) == [[4, 1]]
    # a header cell spanning two rows counts in the second too: a role shared by two people on the poster
    shared = pikepdf.Dictionary(
        S=pikepdf.Name.TR,
        K=pikepdf.Array(
            [
                pikepdf.Dictionary(S=pikepdf.Name.TH, A=pikepdf.Dictionary(RowSpan=2)),
                pikepdf.Dictionary(S=pikepdf.Name.TD),
            ]
        ),
    )
    table.K = pikepdf.Array([shared, short, short])
    assert table_widths(pdf) == [[2, 2, 1]]


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_fonts_unicode_map_gives_each_code_a_character(request: pytest.FixtureRequest, workspace: str) -> None:
    wrong = {}
    for path in pdfs(request.getfixturevalue(workspace)):
        with pikepdf.open(path) as pdf:
            for font in {f.objgen: f for p in pdf.pages for f in p.obj.Resources.Font.values()}.values():
                blocks = re.findall(rb"(\d+) beginbfchar", font.ToUnicode.read_bytes())
                values = set(unicode_map(font).values())
                if values & {"\0", "\ufeff", "\ufffe"} or any(int(n) > 100 for n in blocks):
                    wrong[path.name] = str(font.BaseFont)
    assert wrong == {}


def test_every_email_printed_is_a_mailto_link_in_every_layout(examples: Path) -> None:
    project = open_project(Workspace(examples))
    checked = 0
    for school in project.schools:
        _, sheets, problems = check_school(project, school, LAYOUTS)
        assert sheets is not None, problems
        sheet = next(iter(sheets.values()))
        printed = {found.group("email") for text in sheet.all_text() for found in ADDRESS.finditer(text)}
        printed.discard(None)
        for layout in LAYOUTS:
            with pikepdf.open(examples / "out" / sheet.school_id / f"{sheet.school_id}-cse-{layout}.pdf") as pdf:
                linked = {
                    str(annot.A.URI)[len("mailto:") :]
                    for p in pdf.pages
                    for annot in p.obj.get("/Annots", [])
                    if str(annot.A.URI).startswith("mailto:")
                }
            expected = printed if layout != "poster" else {e for e in printed if e in poster_emails(sheet)}
            assert expected <= linked, (sheet.school_id, layout, expected - linked)
            checked += len(expected)
    assert checked > 8 * 3


def poster_emails(sheet) -> set[str]:
    """The emails the poster prints: the team's and the agencies' (not the content's sections)."""
    emails = {person.email for person in sheet.people if person.email}
    return emails | {value for agency in sheet.agencies for _, value in agency.lines if "@" in value}
