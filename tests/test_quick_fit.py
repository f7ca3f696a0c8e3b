"""The leaflet's quick test that a school fits (``LeafletLayout.surely_fits``, used for long rosters) says so only
when the full fit passes: for teams of every size, names and addresses up to their limits, other scripts, long
official school names and many agencies; and an import that uses it reports every row as one that fits each school
in full."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from conftest import REPO, layered_workspace
from realistic import OTHER_SCRIPTS, person, school_name
from test_panel_geometry import agencies, people

import factsheet_builder.roster.importer as importer
from factsheet_builder.cache import Cache
from factsheet_builder.check import check_school
from factsheet_builder.config.schema import MAX_DEPUTIES
from factsheet_builder.exceptions import FitError
from factsheet_builder.layouts.leaflet import LeafletLayout
from factsheet_builder.model import FactSheet, Person
from factsheet_builder.project import open_project
from factsheet_builder.workspace import Workspace


@pytest.fixture(scope="module")
def base() -> FactSheet:
    """St Aidan's fact sheet, whose school name, team and agencies each case replaces."""
    project = open_project(Workspace(REPO), ("st-aidans-primary",))
    _, sheets, problems = check_school(project, project.schools[0])
    assert sheets is not None, problems
    return sheets["cse"]


def team(rng: random.Random) -> tuple[Person, ...]:
    """A DSL and up to the most deputies, often a CSE lead: names of every length, in capitals or other scripts."""
    if rng.random() < 0.2:  # the longest names and addresses allowed, the whole team
        return people(rng.randrange(MAX_DEPUTIES + 1), rng.randrange(3), rng, capitals=rng.random() < 0.5)
    small = rng.random() < 0.5  # as most schools are: up to three deputies, few names at the limit
    roles = ["Designated Safeguarding Lead (DSL)", *["Deputy DSL"] * rng.randrange(4 if small else MAX_DEPUTIES + 1)]
    roles += ["Designated lead person for CSE"] * (rng.random() < 0.5)
    found = []
    for role in roles:
        values = person(rng, "stmarysandstjosephs", longest=rng.random() < (0.05 if small else 0.2))
        name = rng.choice(OTHER_SCRIPTS) if rng.random() < 0.1 else values["name"]
        found.append(
            Person(role, name.upper() if rng.random() < 0.1 else name, values.get("phone"), values.get("email"))
        )
    return tuple(found)


def cases(base: FactSheet, count: int) -> list[FactSheet]:
    rng = random.Random(2026)
    return [
        replace(
            base,
            school_name=school_name(rng) if rng.random() < 0.7 else base.school_name,
            people=(found := team(rng)),
            deputies=sum(p.role == "Deputy DSL" for p in found),
            agencies=agencies(rng.randrange(1, 11), rng) if rng.random() < 0.5 else base.agencies,
        )
        for _ in range(count)
    ]


def test_a_school_the_quick_test_passes_fits_in_full(base: FactSheet) -> None:
    layout = LeafletLayout(cache=Cache())
    sure, fitting, failing = 0, 0, 0
    for sheet in cases(base, 150):
        quick = layout.surely_fits(sheet)
        try:
            layout.fit(sheet)
        except FitError:
            assert not quick, (sheet.school_name, sheet.people)
            failing += 1
        else:
            fitting += 1
        sure += quick
    # the cases hold schools that do not fit, and many that the quick test knows fit
    assert failing >= 3 and sure >= 20, (sure, fitting, failing)


def test_a_layout_made_from_the_leaflet_is_always_fitted(base: FactSheet) -> None:
    class Wider(LeafletLayout):
        name = "wider"

    assert LeafletLayout().surely_fits(base)
    assert not Wider().surely_fits(base)


def test_an_import_with_the_quick_test_reports_each_row_as_the_full_check_does(tmp_path, monkeypatch) -> None:
    root = layered_workspace("roster-real", tmp_path / "ws")  # real-shaped rows of the four nations, some damaged
    reports = []
    for quick_from in (0, 10**9):
        monkeypatch.setattr(importer, "QUICK_FROM", quick_from)
        report = importer.import_roster(Workspace.open(root), root / "roster.csv", dry_run=True, jobs=1)
        reports.append([(r.row, r.action, [str(p) for p in r.problems]) for r in report.results])
    quick, full = reports
    assert quick == full
    assert any(action == "failed" for _, action, _ in full) and any(action == "created" for _, action, _ in full)
