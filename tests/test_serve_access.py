"""Who may open what when ``factsheet serve`` is hosted for other computers: secret links per school and for the
authority, stored only as hashes, revocable; a school's link opens its own school alone."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from serving import OTHER, SCHOOL, build_fixture, copy_built, form_fields
from starlette.testclient import TestClient

from factsheet_builder.cli import main
from factsheet_builder.serve.app import create_app
from factsheet_builder.serve.server import started
from factsheet_builder.workspace import Workspace

HOSTED = "http://factsheets.example.gov.uk"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("serve-access") / "built")


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Path:
    return copy_built(built, tmp_path / "ws")


def invite(workspace: Path, *args: str) -> dict[str, str]:
    """Run ``factsheet invite`` and return the links it printed, by school (or 'authority')."""
    result = CliRunner().invoke(main, ["invite", *args, "--url", HOSTED, "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    return dict(line.split(": ", 1) for line in result.output.splitlines())


def browser(workspace: Path) -> TestClient:
    """A browser of its own (its own cookies) on the hosted server of ``workspace``."""
    return TestClient(create_app(Workspace.open(workspace), hosted=True, watching=False), base_url=HOSTED)


def enter(client: TestClient, link: str):
    return client.get(link.removeprefix(HOSTED), follow_redirects=False)


def test_links_hold_a_random_token_of_at_least_128_bits_stored_only_as_its_hash(workspace: Path) -> None:
    links = invite(workspace, SCHOOL, "--authority")
    assert set(links) == {SCHOOL, "authority"}
    stored = (workspace / ".factsheet" / "links.json").read_text("utf-8")
    for link in links.values():
        token = re.fullmatch(re.escape(HOSTED) + r"/enter/([A-Za-z0-9_-]+)", link).group(1)
        assert len(token) * 6 >= 128
        assert token not in stored and hashlib.sha256(token.encode()).hexdigest() in stored
    again = invite(workspace, SCHOOL)  # a new link replaces the old one
    assert again[SCHOOL] != links[SCHOOL]
    assert len(json.loads(stored)["links"]) == 2
    listed = CliRunner().invoke(main, ["invite", "--list", "-C", str(workspace)]).output
    assert listed.count("link ") == 2 and HOSTED not in listed


def test_the_authoritys_link_alone_leaves_every_schools_link_as_it_was(workspace: Path) -> None:
    school = invite(workspace, SCHOOL)
    assert set(invite(workspace, "--authority")) == {"authority"}
    assert set(invite(workspace, "--authority", "--revoke")) == {"authority"}
    with browser(workspace) as client:
        assert enter(client, school[SCHOOL]).headers["location"] == f"/schools/{SCHOOL}"
    listed = CliRunner().invoke(main, ["invite", "--list", "-C", str(workspace)]).output
    assert len(listed.splitlines()) == 1 and listed.startswith(f"{SCHOOL}: link ")


def test_without_a_link_nothing_opens(workspace: Path) -> None:
    invite(workspace, "--authority")
    with browser(workspace) as client:
        for url in ("/", f"/schools/{SCHOOL}", f"/schools/{SCHOOL}/files/{SCHOOL}-cse-leaflet.pdf", "/events", "/rows"):
            assert client.get(url).status_code == 403, url
        assert enter(client, "/enter/not-a-real-token").status_code == 403


def test_a_schools_link_opens_that_school_alone(workspace: Path) -> None:
    links = invite(workspace, SCHOOL)
    with browser(workspace) as client:
        entered = enter(client, links[SCHOOL])
        assert entered.status_code == 303 and entered.headers["location"] == f"/schools/{SCHOOL}"
        assert client.get(f"/schools/{SCHOOL}").status_code == 200
        assert client.get("/", follow_redirects=False).headers["location"] == f"/schools/{SCHOOL}"
        refused = [
            f"/schools/{OTHER}",
            f"/schools/{OTHER}/leaflets",
            f"/schools/{OTHER}/history",
            f"/schools/{OTHER}/files/{OTHER}-cse-leaflet.pdf",
            f"/schools/{OTHER}/pages/{OTHER}-cse-leaflet.pdf/1",
            f"/schools/{OTHER}/thumbnail",
            "/schools/no-such-school",  # whether a school exists is not told either
            "/rows",
        ]
        for url in refused:
            assert client.get(url).status_code == 403, url
        other = form_fields(client.get(f"/schools/{SCHOOL}").text)
        before = (workspace / "schools" / f"{OTHER}.yaml").read_bytes()
        posted = client.post(f"/schools/{OTHER}", data={**other, "school.name": "Taken Over"}, follow_redirects=False)
        assert posted.status_code == 403
        assert (workspace / "schools" / f"{OTHER}.yaml").read_bytes() == before


def test_the_authority_link_opens_and_edits_every_school_and_the_log_names_it(workspace: Path) -> None:
    links = invite(workspace, "--authority")
    with browser(workspace) as client:
        enter(client, links["authority"])
        assert "Hillside Academy" in client.get("/").text
        fields = form_fields(client.get(f"/schools/{OTHER}").text)
        saved = client.post(
            f"/schools/{OTHER}", data={**fields, "safeguarding.dsl.phone": "0191 496 0299"}, follow_redirects=False
        )
        assert saved.status_code == 303
    log = CliRunner().invoke(main, ["history", OTHER, "-C", str(workspace)]).output
    link_id = json.loads((workspace / ".factsheet" / "links.json").read_text("utf-8"))["links"]
    assert log.rstrip().endswith(f"(authority link {next(iter(link_id))})")


def test_a_revoked_link_stops_working_at_once_even_when_signed_in(workspace: Path) -> None:
    links = invite(workspace, SCHOOL)
    with browser(workspace) as client:
        enter(client, links[SCHOOL])
        assert client.get(f"/schools/{SCHOOL}").status_code == 200
        result = CliRunner().invoke(main, ["invite", "--revoke", SCHOOL, "-C", str(workspace)])
        assert result.output.strip() == f"{SCHOOL}: link revoked"
        assert client.get(f"/schools/{SCHOOL}").status_code == 403
        assert enter(client, links[SCHOOL]).status_code == 403


def test_a_revoked_link_is_told_nothing_more_on_a_page_left_open(workspace: Path) -> None:
    links = invite(workspace, SCHOOL, "--authority")
    with started(create_app(Workspace.open(workspace), hosted=True, watching=False)) as url:
        school, authority = httpx.Client(base_url=url, timeout=60), httpx.Client(base_url=url, timeout=60)
        enter(school, links[SCHOOL].replace(HOSTED, url))
        enter(authority, links["authority"].replace(HOSTED, url))
        with school.stream("GET", "/events") as stream:
            lines = stream.iter_lines()
            assert next(lines) == "retry: 2000"
            CliRunner().invoke(main, ["invite", "--revoke", SCHOOL, "-C", str(workspace)])
            fields = form_fields(authority.get(f"/schools/{SCHOOL}").text)
            saved = authority.post(f"/schools/{SCHOOL}", data={**fields, "safeguarding.dsl.phone": "0191 496 0299"})
            assert saved.status_code == 303
            assert next((line for line in lines if line), None) is None  # it ends at the school's first event


def test_signing_out_needs_the_csrf_token_and_ends_the_session(workspace: Path) -> None:
    links = invite(workspace, SCHOOL)
    with browser(workspace) as client:
        enter(client, links[SCHOOL])
        token = form_fields(client.get(f"/schools/{SCHOOL}").text, "leave")["csrf"]
        assert client.post("/leave", data={"csrf": "forged"}).status_code == 403
        assert client.get(f"/schools/{SCHOOL}").status_code == 200
        assert client.post("/leave", data={"csrf": token}).status_code == 200
        assert client.get(f"/schools/{SCHOOL}").status_code == 403


def test_serving_beyond_this_computer_needs_links(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "-C", str(workspace)])
    assert result.exit_code == 2
    assert "every page needs a link, and none has been issued: run 'factsheet invite --authority'" in result.output


def test_only_this_computers_names_are_answered_when_not_hosted(workspace: Path) -> None:
    app = create_app(Workspace.open(workspace), hosted=False, watching=False)
    with TestClient(app, base_url="http://attacker.example") as client:
        assert client.get("/").status_code == 400  # a rebinding attack's page cannot read this one
    with TestClient(app, base_url="http://localhost:8000") as client:
        assert client.get("/").status_code == 200
    other_loopback = create_app(Workspace.open(workspace), hosted=False, watching=False, host="127.0.0.2")
    with TestClient(other_loopback, base_url="http://127.0.0.2:8000") as client:  # the address 'serve' printed
        assert client.get("/").status_code == 200


def test_a_port_in_use_is_one_clear_line(workspace: Path) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "-C", str(workspace)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(f"Error: cannot listen on 127.0.0.1 port {port}: ")


def test_a_damaged_links_file_lets_nobody_in_and_says_so(workspace: Path) -> None:
    links = invite(workspace, SCHOOL)
    with browser(workspace) as client:
        enter(client, links[SCHOOL])
        (workspace / ".factsheet" / "links.json").write_text("{not json", "utf-8")
        assert client.get(f"/schools/{SCHOOL}").status_code == 403
        assert enter(client, links[SCHOOL]).status_code == 403
    result = CliRunner().invoke(main, ["invite", "--list", "-C", str(workspace)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: .factsheet/links.json: cannot be read as the server's links (JSONDecodeError); revoke and issue the "
        "links again: delete the file, then run 'factsheet invite'"
    )
