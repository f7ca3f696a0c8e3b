"""The ``factsheet`` command: each subcommand parses its options and calls one library function."""

from __future__ import annotations

from pathlib import Path

import click

from factsheet_builder import __version__

workspace_option = click.option(
    "--workspace", "-C", "workspace_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The workspace folder (holds content/ and schools/).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factsheet-builder")
def main() -> None:
    """Publish per-school safeguarding fact sheets (PDF and DOCX) from one canonical leaflet."""


def _print_problems(report, strict: bool) -> None:
    for problem in report.all_problems:
        click.echo(str(problem), err=True)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--layout", "layouts", multiple=True, help="Check for this layout's fonts (repeatable).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@workspace_option
def check(ids: tuple[str, ...], layouts: tuple[str, ...], strict: bool, workspace_dir: Path) -> None:
    """Validate content and school configs without rendering (all schools, or only IDS)."""
    from factsheet_builder.build import check as run_check
    from factsheet_builder.workspace import Workspace

    report = run_check(Workspace.open(workspace_dir), ids, layouts)
    _print_problems(report, strict)
    failed = report.failed or (strict and bool(report.all_problems))
    checked = len(report.results)
    click.echo(f"{checked} school{'s' if checked != 1 else ''} checked: "
               f"{report.count('failed')} with errors, {len(report.all_problems)} problem(s) in all", err=True)
    raise SystemExit(1 if failed else 0)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--layout", "layouts", multiple=True, help="Build this layout (repeatable); 'all' for every layout.")
@workspace_option
def build(ids: tuple[str, ...], layouts: tuple[str, ...], workspace_dir: Path) -> None:
    """Build the leaflets of every school (or only IDS) into out/."""
    from factsheet_builder.build import build as run_build
    from factsheet_builder.workspace import Workspace

    report = run_build(Workspace.open(workspace_dir), ids, layouts)
    _print_problems(report, False)
    failed = [r for r in report.results if r.status == "failed"]
    click.echo(f"built {report.count('built')}, skipped {report.count('skipped')}, failed {len(failed)}", err=True)
    for result in failed:
        click.echo(f"  failed {result.id}: {result.errors[0]}", err=True)
    raise SystemExit(1 if report.failed else 0)


@main.command("layouts")
@workspace_option
def layouts_command(workspace_dir: Path) -> None:
    """List the layouts: built-in, the workspace's layouts/ folder and installed packages."""
    from factsheet_builder.layouts.registry import for_folder

    registry = for_folder(workspace_dir)
    for line in registry.table():
        click.echo(line)
    for problem in registry.broken:
        click.echo(str(problem), err=True)
