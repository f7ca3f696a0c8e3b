"""Who may see and edit what: the secret links (a random token per school, and the authority's), stored only as
hashes in .factsheet/links.json; what a request's link allows; and the CSRF token every form carries.

A link's token has 192 random bits and the file holds its SHA-256 alone, so the file gives nobody a way in. A
school has at most one link and the authority one: issuing a new link revokes the old one, and revoking takes
effect at the next request (the server reads the file again whenever it changes).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from factsheet_builder.exceptions import FactsheetError
from factsheet_builder.output import write_atomic
from factsheet_builder.serve import STATE_DIR, state_path
from factsheet_builder.workspace import Workspace

LINKS = "links.json"
FORMAT = 1
TOKEN_BYTES = 24  # 192 bits; the issue asks for at least 128
ENTER = "/enter/"  # a link is the server's address, this, and the token


@dataclass(frozen=True)
class Link:
    """One issued link: its public id (named in the change log), its school (None: the authority's), the hash of
    its token and when it was issued."""

    id: str
    school: str | None
    sha256: str
    issued: str

    @property
    def who(self) -> str:
        """The link as the change log names it."""
        return f"authority link {self.id}" if self.school is None else f"{self.school}'s link {self.id}"


@dataclass(frozen=True)
class Access:
    """What a request may do: see and edit one school (``school``) or every school (None), and who it is."""

    school: str | None
    who: str

    def allows(self, school_id: str) -> bool:
        return self.school is None or self.school == school_id


def local_access() -> Access:
    """Whoever sits at the computer the server runs on (it listens on the loopback address only): every school."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = "unknown user"
    return Access(None, f"this computer ({user})")


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Links:
    """The workspace's links file, read again whenever it changes (``factsheet invite`` writes it meanwhile)."""

    def __init__(self, workspace: Workspace) -> None:
        self.path = state_path(workspace.root, LINKS)
        self.label = f"{STATE_DIR}/{LINKS}"
        self._seen: tuple[int, int, int] | None = None
        self._links: dict[str, Link] = {}

    def current(self) -> dict[str, Link]:
        """The links in force, by id."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            self._seen, self._links = None, {}
            return self._links
        seen = (info.st_ino, info.st_size, info.st_mtime_ns)
        if seen != self._seen:
            self._links, self._seen = self._read(), seen
        return self._links

    def _read(self) -> dict[str, Link]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError
            return {
                str(key): Link(
                    str(key), None if v["school"] is None else str(v["school"]), str(v["sha256"]), str(v["issued"])
                )
                for key, v in data["links"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FactsheetError(
                f"{self.label}: cannot be read as the server's links ({type(exc).__name__}); revoke and issue the "
                "links again: delete the file, then run 'factsheet invite'"
            ) from None

    def find(self, token: str) -> Link | None:
        """The link whose token this is, if it is in force."""
        digest = hashed(token)
        return next((link for link in self.current().values() if hmac.compare_digest(link.sha256, digest)), None)

    def by_id(self, link_id: str) -> Link | None:
        return self.current().get(link_id)

    def issue(self, schools: Sequence[str | None]) -> list[tuple[Link, str]]:
        """A new link for each of ``schools`` (None: the authority), replacing its old one; each with its token."""
        links = dict(self.current())
        made = []
        for school in dict.fromkeys(schools):
            token = secrets.token_urlsafe(TOKEN_BYTES)
            link = Link(
                secrets.token_hex(4), school, hashed(token), dt.datetime.now().astimezone().isoformat("T", "seconds")
            )
            links = {key: old for key, old in links.items() if old.school != school}
            links[link.id] = link
            made.append((link, token))
        self._write(links)
        return made

    def revoke(self, schools: Sequence[str | None]) -> list[Link]:
        """Revoke the links of ``schools`` (None: the authority's); those revoked."""
        links = self.current()
        gone = [link for link in links.values() if link.school in schools]
        if gone:
            self._write({key: link for key, link in links.items() if link not in gone})
        return gone

    def _write(self, links: dict[str, Link]) -> None:
        self.path.parent.mkdir(exist_ok=True)
        data: dict[str, Any] = {
            "format": FORMAT,
            "links": {
                link.id: {"school": link.school, "sha256": link.sha256, "issued": link.issued}
                for link in sorted(links.values(), key=lambda link: (link.school or "", link.id))
            },
        }
        write_atomic(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
        self._seen = None


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's CSRF token, made on first use: every form carries it, and a post without it is refused."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(session: MutableMapping[str, Any], given: object) -> bool:
    """Whether a form's CSRF token is the session's."""
    token = session.get("csrf")
    return isinstance(token, str) and isinstance(given, str) and hmac.compare_digest(token, given)
