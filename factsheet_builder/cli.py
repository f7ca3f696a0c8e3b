"""The ``factsheet`` command: each subcommand parses its options and calls one library function."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from factsheet_builder import __version__
from factsheet_builder.cli_options import workspace_option
from factsheet_builder.cli_serve import history, invite, serve

if TYPE_CHECKING:
    from factsheet_builder.workspace import Workspace


class _Commands(click.Group):
    """The command group; a file system fault that nothing nearer handled is one line, never a traceback, and
    Click's own usage errors are cut to a few hundred characters like every other message."""

    def make_context(self, *args, **kwargs) -> click.Context:
        with _short_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        try:
            with _short_usage_errors():  # a subcommand's options are parsed here
                return super().invoke(ctx)
        except OSError as exc:
            from factsheet_builder.exceptions import FactsheetError
            from factsheet_builder.files import describe

            raise FactsheetError(describe(exc, Path.cwd())) from None


@contextmanager
def _short_usage_errors() -> Iterator[None]:
    """Cut the message of a Click usage error that echoes a long value (a 100,000-character option, say)."""
    try:
        yield
    except click.UsageError as exc:
        from factsheet_builder.exceptions import MAX_MESSAGE, clip

        if len(exc.message) > MAX_MESSAGE:
            raise click.UsageError(clip(exc.message, MAX_MESSAGE), exc.ctx) from None
        raise


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factsheet-builder")
def main() -> None:
    """Publish per-school safeguarding fact sheets (PDF and DOCX) from one canonical leaflet."""


for command in (serve, invite, history):
    main.add_command(command)


topic_option = click.option(
    "--topic",
    "topics",
    multiple=True,
    help="Only this topic, a file content/TOPIC.yaml (repeatable) [default: each school's own].",
)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--layout", "layouts", multiple=True, help="Check for this layout's fonts (repeatable).")
@topic_option
@click.option("--strict", is_flag=True, help="Treat warnings (a retired contact, say) as errors.")
@click.option(
    "--links", is_flag=True, help="Also fetch every web address in the content and school files (uses the network)."
)
@workspace_option
def check(
    ids: tuple[str, ...],
    layouts: tuple[str, ...],
    topics: tuple[str, ...],
    strict: bool,
    links: bool,
    workspace_dir: Path,
) -> None:
    """Validate content and school configs without rendering (all schools, or only IDS)."""
    from factsheet_builder.check import check as run_check
    from factsheet_builder.workspace import Workspace

    report = run_check(Workspace.open(workspace_dir), ids, layouts, topics, strict=strict, links=links)
    for problem in report.all_problems:
        click.echo(str(problem), err=True)
    failed = report.failed or (strict and bool(report.all_problems))
    checked = len(report.results)
    click.echo(
        f"{checked} school{'s' if checked != 1 else ''} checked: "
        f"{report.count('failed')} with errors, {len(report.all_problems)} problem(s) in all",
        err=True,
    )
    raise SystemExit(1 if failed else 0)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--layout", "layouts", multiple=True, help="Build this layout (repeatable); 'all' for every layout.")
@topic_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: the number of CPUs]; 1 builds in this process.",
)
@click.option("--force", is_flag=True, help="Rebuild even the leaflets whose inputs have not changed.")
@click.option("--prune", is_flag=True, help="Delete the outputs of schools whose config file was removed.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--verbose", "-v", is_flag=True, help="Print a line for every school built or failed.")
@click.option(
    "--strict", is_flag=True, help="Check first, and build nothing if the check finds a warning (a retired contact...)."
)
@workspace_option
def build(
    ids: tuple[str, ...],
    layouts: tuple[str, ...],
    topics: tuple[str, ...],
    jobs: int | None,
    force: bool,
    prune: bool,
    quiet: bool,
    verbose: bool,
    strict: bool,
    workspace_dir: Path,
) -> None:
    """Build the leaflets of every school (or only IDS) into out/, skipping those whose inputs have not changed."""
    from factsheet_builder.build import BuildRequest
    from factsheet_builder.build import build as run_build
    from factsheet_builder.progress import Progress
    from factsheet_builder.workspace import Workspace

    if strict:
        _stop_unless_checked(Workspace.open(workspace_dir), ids, layouts, topics)
    progress = Progress.to_stderr(quiet, verbose)
    request = BuildRequest(ids, layouts, topics, jobs, force, prune)
    report = run_build(Workspace.open(workspace_dir), request, progress)
    progress.conclude(report)
    raise SystemExit(1 if report.failed else 0)


def _stop_unless_checked(
    workspace: Workspace, ids: tuple[str, ...], layouts: tuple[str, ...], topics: tuple[str, ...]
) -> None:
    """``build --strict``: check the schools first, every warning an error, and stop before building if any."""
    from factsheet_builder.check import check as run_check

    report = run_check(workspace, ids, layouts, topics, strict=True)
    if report.failed:
        for problem in report.all_problems:
            click.echo(str(problem), err=True)
        click.echo(
            f"nothing built: --strict builds only when the check finds no problem ({len(report.all_problems)} found)",
            err=True,
        )
        raise SystemExit(1)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "show_all", is_flag=True, help="List the schools that are up to date too.")
@workspace_option
def status(ids: tuple[str, ...], show_all: bool, workspace_dir: Path) -> None:
    """List schools whose leaflets are missing, stale, failed or orphaned; exit 1 if there are any."""
    from factsheet_builder.status import counts_line
    from factsheet_builder.status import status as run_status
    from factsheet_builder.workspace import Workspace

    states, warnings = run_status(Workspace.open(workspace_dir), ids)
    for problem in warnings:
        click.echo(str(problem), err=True)
    for state in states:
        if show_all or not state.current:
            click.echo(str(state))
    click.echo(counts_line(states), err=True)
    raise SystemExit(0 if all(state.current for state in states) else 1)


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


@main.command("topics")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 if there are any).")
@workspace_option
def topics_command(strict: bool, workspace_dir: Path) -> None:
    """List the topics (content/*.yaml): name, title, version and review date; warn of a past review date and of
    retired contacts in the text."""
    from dataclasses import replace

    from factsheet_builder.topics import overview
    from factsheet_builder.workspace import Workspace

    lines, warnings = overview(Workspace.open(workspace_dir))
    for line in lines:
        click.echo(line)
    for warning in warnings:
        click.echo(str(replace(warning, warning=not strict)), err=True)
    raise SystemExit(1 if strict and warnings else 0)


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@workspace_option
def init(folder: Path, workspace_dir: Path) -> None:
    """Create a ready-to-build workspace in FOLDER (relative to --workspace; default: that folder itself)."""
    from factsheet_builder.scaffold import init as run_init

    target = workspace_dir / folder
    for path in run_init(target):
        click.echo(f"created {path.relative_to(target).as_posix()}")
    click.echo(
        f"Next: replace the made-up details in {(target / 'schools').as_posix()}/, "
        f"then run: factsheet build -C {target.as_posix()}",
        err=True,
    )


@main.command("new-school")
@click.argument("school_id", metavar="ID")
@click.option("--name", required=True, help="The school's full name as printed on the leaflet.")
@workspace_option
def new_school(school_id: str, name: str, workspace_dir: Path) -> None:
    """Write schools/ID.yaml, a commented settings file for a new school."""
    from factsheet_builder.scaffold import new_school as run_new_school
    from factsheet_builder.workspace import Workspace

    workspace = Workspace.open(workspace_dir)
    path = run_new_school(workspace, school_id, name)
    click.echo(f"created {workspace.label(path)}: fill in the DSL's name, then run: factsheet check {school_id}")


@main.command("import")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADING=FIELD",
    help="Read FIELD (e.g. dsl, dsl_phone or contacts.lado.phone) from the column HEADING (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes checking rows [default: the number of CPUs]; 1 checks them in this process.",
)
@workspace_option
def import_command(roster: Path, maps: tuple[str, ...], dry_run: bool, jobs: int | None, workspace_dir: Path) -> None:
    """Create or update school files from a CSV or XLSX roster with one row per school."""
    from factsheet_builder.roster.importer import import_roster
    from factsheet_builder.workspace import Workspace

    with _row_progress() as progress:
        report = import_roster(Workspace.open(workspace_dir), roster, maps, dry_run, progress, jobs)
    for line in report.lines():
        click.echo(line)
    for problem in [*report.problems, *(p for r in report.results for p in r.problems)]:
        click.echo(str(problem), err=True)
    click.echo(report.summary(), err=True)
    raise SystemExit(1 if report.failed else 0)


@contextmanager
def _row_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar of the rows checked, on a terminal only (nothing when stderr is a file or a pipe)."""
    if not sys.stderr.isatty():
        yield None
        return
    with ExitStack() as stack:
        bars: list[Any] = []

        def advance(done: int, total: int) -> None:
            if not bars:  # the number of rows is known once the roster is read
                # rows done of how many, and no time left: its first guess would count the rows' matching and the
                # workers' start, and be hours
                bar = click.progressbar(
                    length=total,
                    label="checking rows",
                    file=sys.stderr,
                    show_eta=False,
                    show_pos=True,
                    show_percent=True,
                )
                bars.append(stack.enter_context(bar))
            bars[0].update(done - bars[0].pos)

        yield advance


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file (as UTF-8) instead of printing it.",
)
@workspace_option
def schema(output: Path | None, workspace_dir: Path) -> None:
    """Print the JSON Schema of school and _defaults.yaml files, for autocompletion and checking in editors."""
    from factsheet_builder.config.jsonschema import json_schema_text
    from factsheet_builder.layouts.registry import for_folder
    from factsheet_builder.output import write_atomic
    from factsheet_builder.topics import topics_in

    text = json_schema_text(for_folder(workspace_dir), topics_in(workspace_dir))
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))


@main.command()
@click.argument("school_id", metavar="ID")
@click.option("--layout", help="Preview only this layout (default: every layout the school uses).")
@click.option("--dpi", type=click.FloatRange(10, 600), default=100, show_default=True, help="Resolution of the images.")
@workspace_option
def preview(school_id: str, layout: str | None, dpi: float, workspace_dir: Path) -> None:
    """Render one school's PDF pages to PNG in out/ID/preview/ (building it if needed) and print their paths."""
    from factsheet_builder.preview import preview as run_preview
    from factsheet_builder.workspace import Workspace

    for path in run_preview(Workspace.open(workspace_dir), school_id, layout, dpi):
        click.echo(path)


def run() -> NoReturn:
    """The installed ``factsheet`` command: ``main``, then leave as soon as both streams are flushed. The
    interpreter's usual teardown frees every object the renderers loaded one by one, which takes about a tenth of a
    second after a build; nothing this command does leaves work for exit handlers (worker pools are joined, files
    closed)."""
    # Collect garbage every 100,000 new objects rather than 700: the libraries a command loads allocate some 90,000
    # objects that live to the end of the process, which the default threshold would walk a hundred times or more.
    gc.set_threshold(100_000, 20, 20)
    try:
        main()
    except SystemExit as stop:
        code = stop.code
    else:  # main() always ends by raising SystemExit; should it return, that is success
        code = 0
    if code is not None and not isinstance(code, int):  # as the interpreter does with sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a closed pipe (``factsheet status | head``): what was printed is all it wanted
            code = code or 1
    os._exit(code or 0)
