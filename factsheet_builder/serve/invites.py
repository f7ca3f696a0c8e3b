"""``factsheet invite``: issue, revoke and list the links to the server, printing each new link (its secret is
shown this once and stored nowhere)."""

from __future__ import annotations

from collections.abc import Sequence

from factsheet_builder.exceptions import UsageError
from factsheet_builder.project import select
from factsheet_builder.serve.access import ENTER, Links
from factsheet_builder.workspace import Workspace


def invite(workspace: Workspace, ids: Sequence[str], authority: bool, revoke: bool, show: bool, url: str) -> list[str]:
    """The lines to print: the new links, the links revoked, or the links in force."""
    links = Links(workspace)
    if show:
        return [
            f"{link.school or 'authority'}: link {link.id}, issued {link.issued.replace('T', ' ')}"
            for link in sorted(links.current().values(), key=lambda link: (link.school or "", link.id))
        ] or ["no link has been issued"]
    if not ids and not authority:
        raise UsageError("name the schools (IDS) or --authority to issue or revoke their links, or --list them")
    if not url.startswith(("http://", "https://")):
        raise UsageError(
            f"--url '{url}' is not a web address; give the server's, e.g. https://factsheets.example.gov.uk"
        )
    # a link is revoked by the id it was issued for, even once the school's file is gone; with no ids named (only
    # --authority), no school's link is touched: select() would take that to mean every school
    if revoke or not ids:
        named = list(dict.fromkeys(ids))
    else:
        named = [school.id for school in select(workspace.discover()[0], ids)]
    wanted: list[str | None] = [*named]
    wanted += [None] if authority else []
    if revoke:
        gone = {link.school for link in links.revoke(wanted)}
        return [
            f"{school or 'authority'}: " + ("link revoked" if school in gone else "had no link to revoke")
            for school in wanted
        ]
    base = url.rstrip("/")
    return [f"{link.school or 'authority'}: {base}{ENTER}{token}" for link, token in links.issue(wanted)]
