"""A layout's failure, in a worker process or in this one, is the school's located error, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from factsheet_builder.cli import main


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("school", "expected"),
    [
        (
            "picky-school",
            "schools/picky-school.yaml:4: safeguarding.dsl.name: 'Jane Smith' does not fit the picky layout",
        ),
        (
            "clumsy-school",
            "schools/clumsy-school.yaml: clumsy-school: the 'clumsy' layout failed to render PDF: "
            "KeyError: 'missing key'",
        ),
    ],
)
def test_a_layouts_failure_is_reported_alike_in_a_worker_or_not(
    fixture_workspace, jobs: str, school: str, expected: str
) -> None:
    workspace = fixture_workspace("failing-layouts", with_example_schools=True)
    result = CliRunner().invoke(main, ["build", "-C", str(workspace), "--jobs", jobs, school, "st-aidans-primary"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("schools/")] == [expected]
    assert not (workspace / "out" / school).exists()
    assert (workspace / "out" / "st-aidans-primary" / "st-aidans-primary-cse-leaflet.pdf").is_file()
