"""``factsheet serve`` kept live: edits made on disk (a school file, a _defaults.yaml, the content) rebuild what
they affect and reach the open pages as server-sent events, a burst of edits is rebuilt once, broken content
pauses saving; and a save that cannot be written leaves the old file whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import REPO, pdf_text
from serving import OTHER, SCHOOL, build_fixture, copy_built, form_fields

from factsheet_builder.serve.app import create_app
from factsheet_builder.serve.server import started
from factsheet_builder.workspace import Workspace

WAIT_SECONDS = 60.0  # for a rebuild to be reported: generous, as the machine may be busy; never a measure


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("serve-live") / "built")


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Path:
    return copy_built(built, tmp_path / "ws")


Event = dict[str, str]


@contextmanager
def listening(workspace: Path) -> Iterator[tuple[str, Callable[[Callable[[list[Event]], bool]], list[Event]]]]:
    """A watching server of ``workspace`` and a page's event stream: yields the server's URL and a function that
    reads events until the ones read so far satisfy a condition, and returns them."""
    with started(create_app(Workspace.open(workspace), hosted=False)) as url:
        with httpx.Client(base_url=url, timeout=WAIT_SECONDS) as client, client.stream("GET", "/events") as stream:
            lines = stream.iter_lines()
            assert next(lines) == "retry: 2000"  # subscribed: what happens from now on is told
            seen: list[Event] = []

            def until(done: Callable[[list[Event]], bool]) -> list[Event]:
                kind = ""
                while not done(seen):
                    line = next(lines)
                    if line.startswith("event: "):
                        kind = line.removeprefix("event: ")
                    elif line.startswith("data: "):
                        seen.append({"kind": kind, **json.loads(line.removeprefix("data: "))})
                return seen

            yield url, until


def built_event(school: str) -> Callable[[list[Event]], bool]:
    return lambda seen: any(e.get("school") == school and e.get("state") == "built" for e in seen)


def pdf_of(workspace: Path, school: str) -> str:
    return pdf_text(workspace / "out" / school / f"{school}-cse-leaflet.pdf")


def test_an_edit_on_disk_rebuilds_the_school_and_tells_its_pages(workspace: Path) -> None:
    path = workspace / "schools" / f"{SCHOOL}.yaml"
    with listening(workspace) as (_, until):
        path.write_text(path.read_text("utf-8").replace("0191 496 0101", "0191 496 0777"), "utf-8")
        seen = until(built_event(SCHOOL))
    assert "0191 496 0777" in pdf_of(workspace, SCHOOL)
    assert [e["state"] for e in seen if e["school"] == SCHOOL][-2:] == ["building", "built"]
    assert not any(e["school"] == OTHER for e in seen)


def test_a_burst_of_edits_is_rebuilt_once(workspace: Path) -> None:
    path = workspace / "schools" / f"{SCHOOL}.yaml"
    original = path.read_text("utf-8")
    with listening(workspace) as (_, until):
        for number in range(700, 710):
            path.write_text(original.replace("0191 496 0101", f"0191 496 0{number}"), "utf-8")
        until(built_event(SCHOOL))
        other = workspace / "schools" / f"{OTHER}.yaml"  # a later edit: its events come after any of the burst's
        other.write_text(other.read_text("utf-8").replace("0191 496 0201", "0191 496 0202"), "utf-8")
        seen = until(built_event(OTHER))
    assert [e["state"] for e in seen if e["school"] == SCHOOL].count("building") == 1
    assert "0191 496 0709" in pdf_of(workspace, SCHOOL)


def test_an_edit_to_defaults_rebuilds_the_schools_under_it(workspace: Path) -> None:
    defaults = workspace / "schools" / "_defaults.yaml"
    with listening(workspace) as (_, until):
        defaults.write_text(defaults.read_text("utf-8").replace("0191 433 8590", "0191 433 8591"), "utf-8")
        until(lambda seen: built_event(SCHOOL)(seen) and built_event(OTHER)(seen))
    assert "0191 433 8591" in pdf_of(workspace, SCHOOL) and "0191 433 8591" in pdf_of(workspace, OTHER)


def test_broken_content_pauses_saving_until_it_is_corrected(workspace: Path) -> None:
    content = workspace / "content" / "cse.yaml"
    good = content.read_text("utf-8")
    with listening(workspace) as (url, until):
        with httpx.Client(base_url=url) as browser:
            fields = form_fields(browser.get(f"/schools/{SCHOOL}").text)
            content.write_text(good.replace("version:", "version: [", 1), "utf-8")
            until(lambda seen: any(e["kind"] == "workspace" and e["state"] == "broken" for e in seen))
            page = browser.get("/").text
            assert "The leaflets cannot be rebuilt at the moment" in page and "content/cse.yaml" in page
            refused = browser.post(f"/schools/{SCHOOL}", data={**fields, "safeguarding.dsl.phone": "0191 496 0777"})
            assert refused.status_code == 503
            assert "0191 496 0101" in (workspace / "schools" / f"{SCHOOL}.yaml").read_text("utf-8")
            content.write_text(
                good.replace("subtitle: Both girls and boys", "subtitle: Girls and boys alike", 1), "utf-8"
            )
            until(
                lambda seen: built_event(SCHOOL)(
                    seen[next((i for i, e in enumerate(seen) if e["state"] == "loaded"), len(seen)) :]
                )
            )
    assert "Girls and boys alike can be exploited" in pdf_of(workspace, SCHOOL)


def test_a_save_that_cannot_be_written_leaves_the_old_file_whole(workspace: Path) -> None:
    """A file size limit makes the disk refuse the new file part-way, as a full disk would."""
    path = workspace / "schools" / f"{SCHOOL}.yaml"
    before = path.read_bytes()
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        from starlette.testclient import TestClient
        from serving import form_fields
        from factsheet_builder.serve.app import create_app
        from factsheet_builder.workspace import Workspace

        app = create_app(Workspace.open({str(workspace)!r}), hosted=False, watching=False)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            fields = form_fields(client.get("/schools/{SCHOOL}").text)
            resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 10}, {len(before) + 10}))
            name = "North Road Primary School and Nursery of the Parish of Saint Oswald, Gateshead"
            response = client.post("/schools/{SCHOOL}", data={{**fields, "school.name": name}})
            print(response.status_code)
            print(response.text)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO)])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    status, page = result.stdout.split("\n", 1)
    assert status == "500"
    assert f"schools/{SCHOOL}.yaml: could not be saved (File too large); the file was left as it was" in page
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        ["_defaults.yaml", f"{SCHOOL}.yaml", f"{OTHER}.yaml"]
    )
    log = (workspace / ".factsheet" / "history.jsonl").read_text("utf-8").splitlines()
    assert json.loads(log[-1])["failed"] == "File too large" and json.loads(log[0])["field"] == "school.name"
