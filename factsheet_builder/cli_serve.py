"""The ``factsheet`` commands of the web editor: serve, invite and history (thin, like every command)."""

from __future__ import annotations

from pathlib import Path

import click

from factsheet_builder.cli_options import workspace_option


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Listen on this address; any but this computer's needs links (see invite).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Listen on this port.")
@workspace_option
def serve(host: str, port: int, workspace_dir: Path) -> None:
    """Edit schools' people and numbers in a browser, with a live preview of their leaflets (Ctrl-C stops)."""
    from factsheet_builder.serve.server import serve as run_serve
    from factsheet_builder.workspace import Workspace

    run_serve(Workspace.open(workspace_dir), host, port, lambda line: click.echo(line, err=True))


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--authority", is_flag=True, help="The authority's link, which opens and edits every school.")
@click.option("--revoke", is_flag=True, help="Withdraw the links of IDS (and --authority) instead of issuing them.")
@click.option("--list", "show", is_flag=True, help="List the links in force (never their secrets).")
@click.option(
    "--url", default="http://127.0.0.1:8000", show_default=True, help="The server's address, as people reach it."
)
@workspace_option
def invite(ids: tuple[str, ...], authority: bool, revoke: bool, show: bool, url: str, workspace_dir: Path) -> None:
    """Print a secret link to the server for each school ID (one school only) or the authority (every school)."""
    from factsheet_builder.serve.invites import invite as run_invite
    from factsheet_builder.workspace import Workspace

    for line in run_invite(Workspace.open(workspace_dir), ids, authority, revoke, show, url):
        click.echo(line)


@click.command()
@click.argument("ids", nargs=-1)
@workspace_option
def history(ids: tuple[str, ...], workspace_dir: Path) -> None:
    """Print the changes saved through the server to each school ID (all schools if none), oldest first."""
    from factsheet_builder.serve.history import lines
    from factsheet_builder.workspace import Workspace

    found, problems = lines(Workspace.open(workspace_dir), ids)
    for line in found:
        click.echo(line)
    for problem in problems:
        click.echo(str(problem), err=True)
