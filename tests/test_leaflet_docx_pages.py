"""The DOCX of the largest teams when LibreOffice lays it out: the leaflet on exactly two pages, the poster on one."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner
from conftest import libreoffice_pages, needs_libreoffice
from docx import Document
from realistic import biggest_school, capitals_school, extreme_school, roster
from test_real_schools import team, workspace_with

from factsheet_builder.cli import main


def size_of(school: dict) -> int:
    """How much a school prints: its name and every value of its people, in characters."""
    return len(school["school"]["name"]) + sum(len("".join(member.values())) for member in team(school))


def largest_schools() -> dict[str, dict]:
    """The biggest schools the limits allow (every value of the biggest team at its limit, with its names in
    capitals too, and the biggest team with two names at it), and the two schools of the realistic roster that print
    the most."""
    big = sorted(roster(), key=size_of, reverse=True)[:2]
    return {
        "extreme": extreme_school(random.Random(1)),
        "capitals": capitals_school(random.Random(2)),
        "biggest": biggest_school(random.Random(9)),
        "roster-first": big[0],
        "roster-second": big[1],
    }


@needs_libreoffice
def test_libreoffice_lays_the_largest_teams_leaflets_on_two_pages(tmp_path: Path) -> None:
    schools = largest_schools()
    assert len(team(schools["biggest"])) == len(team(schools["extreme"])) == len(team(schools["capitals"])) == 10
    workspace = workspace_with(tmp_path, schools)
    result = CliRunner().invoke(main, ["build", *schools, "--layout", "leaflet", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    docs = [workspace / "out" / school / f"{school}-cse-leaflet.docx" for school in schools]
    assert min(Document(str(doc)).styles["Normal"].font.size.pt for doc in docs) >= 9.5
    assert libreoffice_pages(docs, tmp_path) == {f"{school}-cse-leaflet": 2 for school in schools}


@needs_libreoffice
def test_libreoffice_lays_the_poster_of_the_biggest_team_the_limits_allow_on_one_page(tmp_path: Path) -> None:
    workspace = workspace_with(tmp_path, {"extreme": extreme_school(random.Random(1))})
    result = CliRunner().invoke(main, ["build", "--layout", "poster", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    assert libreoffice_pages([workspace / "out/extreme/extreme-cse-poster.docx"], tmp_path) == {"extreme-cse-poster": 1}
