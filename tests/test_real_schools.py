"""Schools shaped like a real authority's: within the limits every one builds legibly; past them, a located error."""

from __future__ import annotations

from pathlib import Path
import shutil

from click.testing import CliRunner

from conftest import REPO
from factsheet_builder.cli import main
from realistic import MAX_DEPUTIES, MAX_EMAIL, MAX_NAME, MAX_SCHOOL_NAME, school_yaml


def workspace_with(tmp_path: Path, schools: dict[str, dict]) -> Path:
    """A workspace of the example content and defaults holding ``schools`` (id -> settings)."""
    workspace = tmp_path / "ws"
    shutil.copytree(REPO / "content", workspace / "content")
    (workspace / "schools").mkdir(parents=True)
    shutil.copy(REPO / "schools/_defaults.yaml", workspace / "schools/_defaults.yaml")
    for school_id, settings in schools.items():
        (workspace / f"schools/{school_id}.yaml").write_text(school_yaml(settings), "utf-8")
    return workspace


def test_values_just_past_each_limit_are_located_errors_that_check_reports_without_rendering(tmp_path: Path) -> None:
    long_name = "Alexandra " * 8 + "X"  # 81 characters
    local = "a" * 50
    long_email = f"{local}@{'b' * (MAX_EMAIL - len(local) - len('@.sch.uk') + 1)}.sch.uk"
    school_name = ("St Aidan's " * 14)[:MAX_SCHOOL_NAME + 1]
    deputies = [{"name": f"Deputy {n}"} for n in range(MAX_DEPUTIES + 2)]
    assert (len(long_name), len(long_email), len(school_name)) == (MAX_NAME + 1, MAX_EMAIL + 1, MAX_SCHOOL_NAME + 1)
    workspace = workspace_with(tmp_path, {
        "long-values": {"school": {"name": school_name},
                        "safeguarding": {"dsl": {"name": long_name, "email": long_email}}},
        "big-team": {"school": {"name": "St Aidan's"}, "safeguarding": {"dsl": {"name": "Jane Smith"},
                                                                       "deputies": deputies}},
    })
    result = CliRunner().invoke(main, ["check", "-C", str(workspace)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("schools/")] == [
        "schools/big-team.yaml:25: safeguarding.deputies[5]: the list has 7 entries; the limit is 5: "
        "delete this one and the 1 after it",
        f"schools/long-values.yaml:3: school.name: '{school_name[:40]}…' is 151 characters long; the limit is 150",
        f"schools/long-values.yaml:7: safeguarding.dsl.name: '{long_name[:40]}…' is 81 characters long; "
        "the limit is 80",
        f"schools/long-values.yaml:8: safeguarding.dsl.email: '{long_email[:40]}…' is 81 characters long; "
        "the limit is 80",
    ]
    assert not (workspace / "out").exists()
