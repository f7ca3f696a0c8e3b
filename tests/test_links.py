"""``factsheet check --links`` against HTTP servers the tests start on this machine: addresses that answer, move,
are gone, refuse HEAD, redirect forever, answer slowly, or accept a connection and never answer."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet_builder.cli import main
from factsheet_builder.links import addresses, fetch_all


class Server(ThreadingHTTPServer):
    """A local web server that records the requests it gets and how many it served at once."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.active = self.most = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up on a slow answer closed its end; nothing to report


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        self.server.seen.append((self.command, self.path))
        path = self.path
        if path == "/moved":
            self.send("301 Moved", location="/ok")
        elif path == "/slash":
            self.send("301 Moved", location="/slash/")
        elif path == "/loop":
            self.send("302 Found", location="/loop")
        elif path == "/gone":
            self.send("404 Not Found")
        elif path == "/no-head" and self.command == "HEAD":
            self.send("405 Method Not Allowed")
        elif path == "/slow":
            time.sleep(3)
            self.send("200 OK")
        elif path.startswith("/busy"):
            with self.server.lock:
                self.server.active += 1
                self.server.most = max(self.server.most, self.server.active)
            time.sleep(0.2)
            with self.server.lock:
                self.server.active -= 1
            self.send("200 OK")
        else:
            self.send("200 OK")

    def send(self, status: str, location: str | None = None) -> None:
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        if location:
            self.send_header("Location", location)
        body = b"" if self.command == "HEAD" else b"a page"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The servers are on this machine: a proxy set in the environment must not stand between."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


@pytest.fixture
def silent() -> Iterator[str]:
    """The address of a server that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()
    for connection in held:
        connection.close()


def refused_address() -> str:
    """An address on this machine where nothing listens."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_each_address_is_fetched_head_first_and_failures_and_moves_are_told(server: Server) -> None:
    base = server.base
    urls = [f"{base}/ok", f"{base}/moved", f"{base}/slash", f"{base}/gone", f"{base}/no-head", f"{base}/loop"]
    outcomes = fetch_all(urls, timeout=5, total=30)
    assert [(o.url, o.final if o.moved else None, o.failure) for o in outcomes.values()] == [
        (f"{base}/ok", None, None),
        (f"{base}/moved", f"{base}/ok", None),
        (f"{base}/slash", None, None),  # a slash added at the end is the same address
        (f"{base}/gone", None, "answers 404 Not Found"),
        (f"{base}/no-head", None, None),  # refused HEAD, answered GET
        (f"{base}/loop", None, "redirects more than 10 times"),
    ]
    # HEAD alone for what answers it; GET after a HEAD that was refused (the order between addresses varies)
    assert sorted(r for r in server.seen if r[1] in ("/ok", "/no-head", "/gone")) == [
        ("GET", "/gone"),
        ("GET", "/no-head"),
        ("HEAD", "/gone"),
        ("HEAD", "/no-head"),
        ("HEAD", "/ok"),
        ("HEAD", "/ok"),  # where /moved leads
    ]


def test_a_server_that_never_answers_or_answers_too_slowly_or_refuses_is_a_failure(server: Server, silent: str) -> None:
    refused = refused_address()
    outcomes = fetch_all([silent, f"{server.base}/slow", refused], timeout=0.5, total=30)
    assert [o.failure for o in outcomes.values()] == [
        "did not answer within 0.5 seconds",
        "did not answer within 0.5 seconds",
        "cannot be reached: the server refused the connection",
    ]


def test_an_address_no_network_could_fetch_is_a_failure_not_a_crash() -> None:
    outcomes = fetch_all(["http://[::1", "https://xn--zz.org/", "http://user@:80/"], timeout=1, total=5)
    assert [o.failure for o in outcomes.values()] == [
        "is not a web address that can be fetched (Invalid port: ':1')",
        "is not a web address that can be fetched (Invalid A-label)",
        "is not a web address that can be fetched (it names no server)",
    ]


def test_the_whole_check_ends_at_its_time_bound(silent: str, server: Server) -> None:
    outcomes = fetch_all([silent, f"{server.base}/ok"], timeout=60, total=0.5)
    assert [o.failure for o in outcomes.values()] == ["had not answered when the check's 0.5 seconds were up", None]


def test_no_more_addresses_are_fetched_at_once_than_allowed(server: Server) -> None:
    outcomes = fetch_all([f"{server.base}/busy?{i}" for i in range(8)], timeout=10, total=60, concurrency=2)
    assert all(o.failure is None for o in outcomes.values())
    assert server.most == 2


def test_addresses_are_found_in_text_without_the_punctuation_around_them() -> None:
    assert addresses("See https://www.nspcc.org.uk/help, (www.barnardos.org.uk) or “http://x.org/a?b=1”.") == [
        "https://www.nspcc.org.uk/help",
        "www.barnardos.org.uk",
        "http://x.org/a?b=1",
    ]
    assert addresses("name@www.example.org and email.www.org are not web addresses") == []


def test_check_links_reports_each_address_that_fails_or_moved_where_it_is_written(
    example: Path, server: Server
) -> None:
    base = server.base
    content = example / "content/cse.yaml"
    text = re.sub(r"\n *url: https://\S+", "", content.read_text(encoding="utf-8"))  # no fetching the internet
    text = text.replace(
        "- paragraph: Further support is available below.",
        f'- paragraph: "Further support: {base}/moved, {base}/ok and {base}/gone."',
    )
    content.write_text(text, encoding="utf-8")
    school = example / "schools/st-aidans-primary.yaml"
    school.write_text(
        school.read_text(encoding="utf-8") + f"authority:\n  cse_service: Newcastle CSE Service ({base}/gone)\n",
        encoding="utf-8",
    )
    assert "https://" not in text
    result = CliRunner().invoke(main, ["check", "--links", "-C", str(example)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if base in line]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if f"{base}/moved" in row)
    paragraph = f"content/cse.yaml:{line}: sections[8].blocks[9].paragraph"
    school_line = len(school.read_text(encoding="utf-8").splitlines())
    assert lines == [
        f"warning: {paragraph}: '{base}/gone' answers 404 Not Found",
        f"warning: {paragraph}: '{base}/moved' now leads to '{base}/ok'; check that it is the page meant, and "
        "write that address instead",
        f"warning: schools/st-aidans-primary.yaml:{school_line}: authority.cse_service: '{base}/gone' answers 404 "
        "Not Found",
    ]
    fetched = len(server.seen)
    assert CliRunner().invoke(main, ["check", "-C", str(example)]).exit_code == 0
    assert len(server.seen) == fetched  # without --links, nothing is fetched
