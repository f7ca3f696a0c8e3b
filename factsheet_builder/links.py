"""``factsheet check --links``: every web address in the content and the school files fetched, in parallel and within
a time bound, and those that fail or now lead elsewhere reported where they are written.

httpx's asynchronous client does the fetching: a request that is cancelled (at the overall time bound) closes its
connection then and there, which a thread blocked in a socket read cannot do, so the check ends when it says it will
even against a server that accepts a connection and never answers.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from factsheet_builder import __version__
from factsheet_builder.config.load import load_yaml
from factsheet_builder.config.located import scalars
from factsheet_builder.config.yamlfile import Node, Scalar, YamlFileError
from factsheet_builder.exceptions import Problem
from factsheet_builder.project import Project

TIMEOUT = 10.0  # seconds one address may take to answer
TOTAL = 60.0  # seconds the whole check may take
CONCURRENCY = 8  # addresses fetched at once
MAX_REDIRECTS = 10
# A web address in text: with its scheme, or starting www. (fetched as https://); the punctuation that ends a
# sentence is not part of it.
_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+|(?<![\w.@/-])www\.[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'’”"


@dataclass(frozen=True)
class Outcome:
    """What fetching one address found: the address it ended at (when it answered) and, if it failed, why."""

    url: str
    final: str | None = None
    failure: str | None = None

    @property
    def moved(self) -> bool:
        """It answered from another address than the one written (a slash at the end of the path aside)."""
        return self.final is not None and _same(self.url) != _same(self.final)


def _same(url: str) -> tuple[str, str, str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query


def addresses(text: str) -> list[str]:
    """The web addresses written in ``text``, as written."""
    return [match.group().rstrip(_TRAILING) for match in _URL.finditer(text)]


def places(trees: Iterable[Node]) -> dict[str, list[tuple[str, Scalar]]]:
    """Every web address in ``trees``, with each field (path and value node) that gives it, in the order found."""
    found: dict[str, list[tuple[str, Scalar]]] = {}
    for tree in trees:
        for path, node in scalars(tree):
            for url in addresses(node.text):
                found.setdefault(url, []).append((path, node))
    return found


def project_trees(project: Project) -> list[Node]:
    """The content files and every school and _defaults.yaml file of the project, as read (unreadable ones left to
    the rest of the check to report)."""
    trees: list[Node] = [topic.tree for topic in project.topics.values() if topic.tree is not None]
    files = dict.fromkeys(path for school in project.schools for path in (*school.defaults, school.path))
    files.update(dict.fromkeys(sorted(project.workspace.defaults_files())))
    for path in files:
        with suppress(YamlFileError):
            trees.append(load_yaml(project.workspace, path)[0])
    return trees


def link_problems(
    project: Project, timeout: float = TIMEOUT, total: float = TOTAL, concurrency: int = CONCURRENCY
) -> list[Problem]:
    """A warning at each place a web address is written that fails, or that now leads elsewhere."""
    found = places(project_trees(project))
    outcomes = fetch_all(list(found), timeout, total, concurrency)
    return [
        Problem(node.file, node.line, path or None, message, warning=True)
        for url, outcome in outcomes.items()
        if (message := describe(outcome)) is not None
        for path, node in found[url]
    ]


def describe(outcome: Outcome) -> str | None:
    """What a warning says of an address that failed or moved; None when it is fine."""
    if outcome.failure is not None:
        return f"'{outcome.url}' {outcome.failure}"
    if outcome.moved:
        return (
            f"'{outcome.url}' now leads to '{outcome.final}'; check that it is the page meant, and write that "
            "address instead"
        )
    return None


def fetch_all(
    urls: list[str], timeout: float = TIMEOUT, total: float = TOTAL, concurrency: int = CONCURRENCY
) -> dict[str, Outcome]:
    """Fetch every address, at most ``concurrency`` at once, each within ``timeout`` seconds and all within
    ``total``; an outcome for each, in the order given."""
    if not urls:
        return {}
    return asyncio.run(_fetch_all(urls, timeout, total, concurrency))


async def _fetch_all(urls: list[str], timeout: float, total: float, concurrency: int) -> dict[str, Outcome]:
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=timeout,
        limits=httpx.Limits(max_connections=concurrency),
        headers={"User-Agent": f"factsheet-builder/{__version__} (checking the links of a printed leaflet)"},
    ) as client:
        tasks = {url: asyncio.create_task(_fetch(client, gate, url, timeout)) for url in dict.fromkeys(urls)}
        done, pending = await asyncio.wait(tasks.values(), timeout=total)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    late = f"had not answered when the check's {total:g} seconds were up"
    return {url: task.result() if task in done else Outcome(url, failure=late) for url, task in tasks.items()}


async def _fetch(client: httpx.AsyncClient, gate: asyncio.Semaphore, url: str, timeout: float) -> Outcome:
    """HEAD, then GET (reading no body) when HEAD is refused or fails other than by waiting too long."""
    target = url if "://" in url else f"https://{url}"
    if (invalid := _invalid(target)) is not None:
        return Outcome(url, failure=f"is not a web address that can be fetched ({invalid})")
    async with gate:
        try:
            try:
                response = await asyncio.wait_for(client.head(target), timeout)
                refused = response.status_code >= 400
            except (httpx.TimeoutException, httpx.TooManyRedirects):
                raise
            except httpx.HTTPError:  # some servers drop a HEAD they do not serve
                refused = True
            if refused:
                response = await asyncio.wait_for(_get(client, target), timeout)
        except (asyncio.TimeoutError, httpx.TimeoutException):
            return Outcome(url, failure=f"did not answer within {timeout:g} seconds")
        except httpx.TooManyRedirects:
            return Outcome(url, failure=f"redirects more than {MAX_REDIRECTS} times")
        except httpx.HTTPError as exc:
            return Outcome(url, failure=f"cannot be reached: {_reason(exc)}")
    if response.status_code >= 400:
        return Outcome(url, failure=f"answers {response.status_code} {response.reason_phrase}".rstrip())
    return Outcome(url, final=str(response.url))


def _invalid(url: str) -> str | None:
    """Why ``url`` cannot be fetched however the network is (a bad port, host name or character), or None."""
    try:
        host = httpx.URL(url).host
    except (httpx.InvalidURL, UnicodeError) as exc:  # idna's error for a bad host name is a UnicodeError
        return " ".join(str(exc).split()).rstrip(".")
    return None if host else "it names no server"


async def _get(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """The response to a GET, its body left unread."""
    async with client.stream("GET", url) as response:
        return response


def _reason(exc: Exception) -> str:
    """Why an address could not be reached, in a few words: from the system's error beneath httpx's, if any."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return "its name is not known (a mistyped address, or no network)"
        if isinstance(cause, ConnectionRefusedError):
            return "the server refused the connection"
        if isinstance(cause, ssl.SSLError):
            return f"its secure connection failed ({' '.join(str(cause).split())})"
        cause = cause.__cause__ or cause.__context__
    return " ".join(str(exc).split()) or type(exc).__name__
