"""Work in a second process: ``workers.alongside`` on its own, and a lone school's files rendered in two processes
(the PDFs in a forked child, the DOCX files in the parent), which must give what one process gives."""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet_builder import workers
from factsheet_builder.cli import main
from factsheet_builder.exceptions import FitError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the second process is forked")


def test_the_child_returns_its_result_and_is_reaped() -> None:
    with workers.alongside(lambda: (os.getpid(), [1, 2, 3])) as theirs:
        mine = os.getpid()
        pid, value = theirs()
    assert value == [1, 2, 3] and pid != mine
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped


def test_the_childs_exception_is_raised_here_with_what_it_carries() -> None:
    def fail() -> None:
        raise FitError("too long", value="Jane Smith")

    with workers.alongside(fail) as theirs, pytest.raises(FitError) as raised:
        theirs()
    assert (raised.value.message, raised.value.value) == ("too long", "Jane Smith")


def test_an_exception_that_cannot_be_pickled_comes_back_as_its_words() -> None:
    class Local(Exception):  # a class pickle cannot find by name
        pass

    def fail() -> None:
        raise Local("the words")

    with workers.alongside(fail) as theirs, pytest.raises(RuntimeError, match="^Local: the words \\(and then "):
        theirs()


def test_leaving_without_the_result_ends_the_child(tmp_path: Path) -> None:
    marker = tmp_path / "pid"

    def linger() -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(60)

    with pytest.raises(KeyError), workers.alongside(linger):
        while not marker.exists():
            time.sleep(0.01)
        raise KeyError("the parent's own failure")
    pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended and reaped: no such process


def test_a_killed_child_is_a_clear_error() -> None:
    with (
        workers.alongside(lambda: os.kill(os.getpid(), signal.SIGKILL)) as theirs,
        pytest.raises(RuntimeError, match="ended without a result"),
    ):
        theirs()


def digests(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".pdf", ".docx", ".png")
    }


def test_garbage_is_collected_rarely_until_a_process_starts_its_second_task(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_tasks_started", 0)
    before = gc.get_threshold()
    try:
        workers.collect_rarely()
        workers.task_starts()
        first = gc.get_threshold()
        workers.task_starts()
        second = gc.get_threshold()
        workers.task_starts()
        assert (first[0], second, gc.get_threshold()) == (100_000, (700, 10, 10), (700, 10, 10))
    finally:
        gc.set_threshold(*before)


def test_a_lone_school_built_in_two_processes_equals_one_built_in_one(example: Path) -> None:
    built = {}
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main, ["build", "-C", str(example), "--force", "--jobs", jobs, "st-aidans-primary", "--layout", "all"]
        )
        assert result.exit_code == 0, result.output
        built[jobs] = digests(example / "out")
    assert built["1"] == built["2"]
    assert {
        "st-aidans-primary/st-aidans-primary-cse-leaflet.pdf",
        "st-aidans-primary/preview/thumbnail.png",
        "st-aidans-primary/st-aidans-primary-cse-poster.docx",
    } <= set(built["2"])


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
def test_a_layouts_failure_in_either_process_is_reported_alike(
    fixture_workspace, jobs: str, school: str, expected: str
) -> None:
    workspace = fixture_workspace("split-render", with_example_schools=True)
    result = CliRunner().invoke(main, ["build", "-C", str(workspace), "--jobs", jobs, school])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("schools/")] == [expected]
    assert not (workspace / "out" / school).exists()
