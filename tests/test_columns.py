"""The leaflet's columns end level: on each page, within two body lines of each other.

The promise holds where the content allows it. It does not on a page whose second column is empty (the last page
of a topic short enough to end in its first column), which is the only exception these tests grant.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import REPO, copy_workspace, text_sizes
from realistic import biggest_school, random_school, school_yaml
from test_real_schools import body_size

from factsheet_builder.check import check_school
from factsheet_builder.cli import main
from factsheet_builder.layouts.leaflet import balance
from factsheet_builder.layouts.leaflet import pdf as leaflet
from factsheet_builder.layouts.leaflet.design import BODY_LADDER, P2_TOP, W
from factsheet_builder.output import output_name
from factsheet_builder.project import open_project
from factsheet_builder.workspace import Workspace

LINES = 2  # how far apart (in body lines) the columns of a page may end
TIGHTEST = min(leading for _, leading, _ in BODY_LADDER)  # a line is at least this many times the body size


def column_ends(pdf: Path, shape: leaflet.Shape) -> list[tuple[float | None, float | None]]:
    """For each page, where the text of each of its two columns ends (None: no text in it): the lowest descent of
    its letters (the font's, whatever the letter), the columns being where the body runs: between the title band
    and the panel on page 1, above the footer on page 2."""
    ends = []
    document = pdfium.PdfDocument(str(pdf))
    for number in range(len(document)):
        top, bottom = (shape.p1_top, shape.p1_bottom) if number == 0 else (P2_TOP, shape.p2_bottom)
        page = document[number].get_textpage()
        columns: list[float | None] = [None, None]
        for index in range(page.count_chars()):
            left, low, _, high = page.get_charbox(index, loose=True)
            if page.get_text_range(index, 1).strip() and bottom - 1 <= (low + high) / 2 <= top + 1:
                column = 0 if left < W / 2 else 1
                columns[column] = low if columns[column] is None else min(columns[column], low)
        ends.append((columns[0], columns[1]))
    assert ends and all(first is not None for first, _ in ends), ends  # every page has body text
    return ends


def unlevel_pages(workspace: Path) -> dict[str, list[str]]:
    """Each school's leaflet pages whose columns end more than ``LINES`` body lines apart (with the gap)."""
    project = open_project(Workspace.open(workspace))
    found: dict[str, list[str]] = {}
    for school in project.schools:
        config, sheets, problems = check_school(project, school)
        assert sheets is not None, problems
        layout = project.registry["leaflet"](config.layout_options.get("leaflet"))
        for topic, sheet in sheets.items():
            pdf = workspace / "out" / school.id / output_name(school.id, topic, "leaflet", "pdf")
            shape = leaflet.school_parts(sheet, layout.palette, layout.fonts).shape
            line = body_size(text_sizes(pdf)) * TIGHTEST
            for number, (first, second) in enumerate(column_ends(pdf, shape), 1):
                if second is not None and abs(first - second) > LINES * line:
                    found.setdefault(school.id, []).append(
                        f"page {number}: {abs(first - second) / line:.1f} lines apart"
                    )
    return found


def built(workspace: Path) -> Path:
    result = CliRunner().invoke(main, ["build", "-C", str(workspace), "--jobs", "1", "--layout", "leaflet"])
    assert result.exit_code == 0, result.output
    return workspace


def test_the_example_schools_columns_end_within_two_lines(tmp_path: Path) -> None:
    workspace = built(copy_workspace(REPO, tmp_path / "example"))
    assert unlevel_pages(workspace) == {}


def test_generated_teams_columns_end_within_two_lines(tmp_path: Path) -> None:
    workspace = copy_workspace(REPO, tmp_path / "generated")
    rng = random.Random(7)
    for number in range(5):
        (workspace / "schools" / f"generated-{number}.yaml").write_text(school_yaml(random_school(rng)), "utf-8")
    (workspace / "schools" / "generated-biggest.yaml").write_text(school_yaml(biggest_school(rng)), "utf-8")
    assert unlevel_pages(built(workspace)) == {}


def test_without_levelling_the_example_columns_end_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with no trial layouts to level them, the columns end as the text ran."""
    monkeypatch.setattr(balance, "TRIALS", 0)
    monkeypatch.setattr(balance, "STEPS_DOWN", 0)
    monkeypatch.setattr(balance, "SETTINGS", (*balance.SETTINGS, "unlevelled"))  # not the fit cache's levelled body
    found = unlevel_pages(built(copy_workspace(REPO, tmp_path / "example")))
    assert found["st-aidans-primary"] == ["page 2: 3.9 lines apart"], found  # an item of 5 lines did not fit
    assert len(found) >= 5, found
