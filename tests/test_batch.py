"""The batch engine: parallel builds, incremental rebuilds, status and prune, reproducible bytes, crash safety."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, copy_workspace, pdf_text, recorded_error, squash
from pypdf import PdfReader

from factsheet_builder import __version__
from factsheet_builder.cli import main
from factsheet_builder.output import exclusive
from factsheet_builder.progress import Progress

EXAMPLE_IDS = [
    "benwell-and-scotswood-community-academy",
    "hexham-abbey-middle",
    "kenton-bar-primary",
    "our-lady-and-st-annes",
    "st-aidans-primary",
    "st-marys-and-st-josephs",
    "walker-riverside-academy",
    "ysgol-gwyr",
]
HEAVY_MODULES = ("reportlab", "docx", "lxml", "yaml", "jinja2", "phonenumbers", "PIL")


def outputs(workspace: Path) -> dict[str, str]:
    """sha256 of every PDF and DOCX under out/, by path relative to out/."""
    out = workspace / "out"
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".pdf", ".docx")
    }


def build(runner, workspace: Path, *args: str):
    return runner.invoke(main, ["build", "-C", str(workspace), "--verbose", *args])


def add_schools(workspace: Path, count: int) -> None:
    """``count`` more schools in schools/many/, each a small variation on the minimal example school."""
    folder = workspace / "schools" / "many"
    folder.mkdir()
    for i in range(count):
        (folder / f"school-{i:03d}.yaml").write_text(
            f"school:\n  name: Test School Number {i}\nsafeguarding:\n  dsl: {{name: Person {i}}}\n", "utf-8"
        )


@pytest.fixture(scope="module")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace built once, in two worker processes."""
    from click.testing import CliRunner

    workspace = copy_workspace(REPO, tmp_path_factory.mktemp("batch") / "ws")
    result = CliRunner().invoke(main, ["build", "-C", str(workspace), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture
def built(built_example: Path, tmp_path: Path) -> Path:
    """A private copy of the built example workspace, out/ and file times included."""
    return Path(shutil.copytree(built_example, tmp_path / "built", copy_function=shutil.copy2))


@pytest.fixture(scope="module")
def many_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace with 40 more schools, built once."""
    from click.testing import CliRunner

    workspace = copy_workspace(REPO, tmp_path_factory.mktemp("many") / "ws")
    add_schools(workspace, 40)
    result = CliRunner().invoke(main, ["build", "-C", str(workspace), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return workspace


def test_parallel_build_equals_serial_build(built_example: Path, tmp_path: Path, runner) -> None:
    serial = copy_workspace(REPO, tmp_path / "serial")
    result = runner.invoke(main, ["build", "-C", str(serial), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert len(outputs(serial)) == 16
    assert outputs(serial) == outputs(built_example)
    parallel = json.loads((built_example / "out" / "manifest.json").read_text("utf-8"))["schools"]
    assert json.loads((serial / "out" / "manifest.json").read_text("utf-8"))["schools"].keys() == parallel.keys()


def test_second_build_skips_everything(built: Path, runner) -> None:
    before = outputs(built)
    mtimes = {p: p.stat().st_mtime_ns for p in (built / "out").rglob("*.pdf")}
    result = build(runner, built)
    assert result.exit_code == 0, result.output
    assert "built 0, skipped 8, failed 0" in result.output
    assert outputs(built) == before
    assert {p: p.stat().st_mtime_ns for p in (built / "out").rglob("*.pdf")} == mtimes


def rebuilt(runner, workspace: Path) -> list[str]:
    """Build with --verbose and return the ids of the schools that were built."""
    result = build(runner, workspace)
    assert result.exit_code == 0, result.output
    return sorted(
        line.split()[1] for line in result.output.splitlines() if line.startswith("built ") and len(line.split()) == 2
    )


def test_editing_one_school_rebuilds_only_it(built: Path, runner) -> None:
    path = built / "schools" / "kenton-bar-primary.yaml"
    path.write_text(path.read_text("utf-8").replace("Graham Whitfield", "Grace Whitfield"), "utf-8")
    assert rebuilt(runner, built) == ["kenton-bar-primary"]
    assert "Grace Whitfield" in pdf_text(built / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.pdf")


def test_touching_files_without_changing_them_rebuilds_nothing(built: Path, runner) -> None:
    for path in [*(built / "schools").rglob("*"), *(built / "content").rglob("*"), *(built / "out").rglob("*")]:
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert rebuilt(runner, built) == []


def test_the_manifest_keeps_each_change_to_an_entry_and_writes_the_other_lines_as_they_were(
    built: Path, runner
) -> None:
    manifest = built / "out" / "manifest.json"
    school = built / "schools" / "kenton-bar-primary.yaml"
    pdf = built / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.pdf"

    def entry() -> dict:
        return json.loads(manifest.read_text("utf-8"))["schools"]["kenton-bar-primary"]

    def others() -> list[str]:
        return [line for line in manifest.read_text("utf-8").splitlines() if '"kenton-bar-primary"' not in line]

    before = others()
    os.utime(pdf, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))  # touched, not changed
    assert rebuilt(runner, built) == []
    assert [o["mtime_ns"] for o in entry()["outputs"] if o["format"] == "pdf"] == [1_600_000_000_000_000_000]
    original = school.read_text("utf-8")
    school.write_text(
        original.replace("{name: Graham Whitfield}", '{name: Graham Whitfield, phone: "not a phone"}'), "utf-8"
    )
    assert build(runner, built).exit_code == 1
    assert entry()["status"] == "stale" and "not a phone" in recorded_error(entry())
    school.write_text(original, "utf-8")
    assert rebuilt(runner, built) == ["kenton-bar-primary"]  # the last build failed: never taken as up to date
    assert entry()["status"] == "built" and recorded_error(entry()) == ""
    assert others() == before
    lines = manifest.read_text("utf-8").splitlines()[1:-1]
    values = json.loads(manifest.read_text("utf-8"))["schools"]
    assert lines == [
        f"{json.dumps(school_id)}: {json.dumps(value, sort_keys=True, ensure_ascii=False)}"
        f"{',' if n < len(values) else ''}"
        for n, (school_id, value) in enumerate(values.items(), 1)
    ]


@pytest.mark.parametrize(
    ("defaults", "expected"),
    [
        ("schools/tyne-valley-trust/northumberland/_defaults.yaml", ["hexham-abbey-middle"]),
        ("schools/tyne-valley-trust/_defaults.yaml", ["hexham-abbey-middle", "walker-riverside-academy"]),
        ("schools/swansea/_defaults.yaml", ["ysgol-gwyr"]),
    ],
)
def test_editing_a_defaults_file_rebuilds_exactly_the_schools_under_it(
    built: Path, runner, defaults: str, expected: list[str]
) -> None:
    path = built / defaults
    path.write_text(path.read_text("utf-8") + "\n# reviewed\n", "utf-8")
    assert rebuilt(runner, built) == expected


def test_editing_the_top_defaults_or_the_content_rebuilds_everything(built: Path, runner) -> None:
    path = built / "schools" / "_defaults.yaml"
    path.write_text(path.read_text("utf-8") + "\n# reviewed\n", "utf-8")
    assert rebuilt(runner, built) == EXAMPLE_IDS
    content = built / "content" / "cse.yaml"
    content.write_text(content.read_text("utf-8").replace('version: "2026.1"', 'version: "2026.2"'), "utf-8")
    assert rebuilt(runner, built) == EXAMPLE_IDS
    assert "Content version 2026.2" in pdf_text(built / "out" / "ysgol-gwyr" / "ysgol-gwyr-cse-leaflet.pdf")


def test_editing_the_content_readme_rebuilds_nothing(built: Path, runner) -> None:
    readme = built / "content" / "README.md"
    readme.write_text(readme.read_text("utf-8") + "\nMore help.\n", "utf-8")
    assert rebuilt(runner, built) == []


def test_changing_a_logo_rebuilds_the_school_that_uses_it(built: Path, runner) -> None:
    from PIL import Image

    logo = built / "schools" / "logos" / "st-aidans.png"
    with Image.open(logo) as image:
        image.convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(logo)
    assert rebuilt(runner, built) == ["st-aidans-primary"]


def test_a_changed_or_deleted_output_is_rebuilt(built: Path, runner) -> None:
    pdf = built / "out" / "ysgol-gwyr" / "ysgol-gwyr-cse-leaflet.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(good[: len(good) // 2])
    (built / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.docx").unlink()
    assert rebuilt(runner, built) == ["kenton-bar-primary", "ysgol-gwyr"]
    assert pdf.read_bytes() == good


def test_force_rebuilds_everything(built: Path, runner) -> None:
    result = build(runner, built, "--force")
    assert result.exit_code == 0, result.output
    assert "built 8, skipped 0, failed 0" in result.output


def test_a_new_layout_selection_builds_only_the_missing_outputs(built: Path, runner) -> None:
    result = build(runner, built, "--layout", "leaflet")
    assert "built 0, skipped 8, failed 0" in result.output
    result = build(runner, built, "--layout", "large-print", "st-aidans-primary")
    assert result.exit_code == 0, result.output
    assert "built 1, skipped 0, failed 0" in result.output
    assert (built / "out" / "st-aidans-primary" / "st-aidans-primary-cse-large-print.pdf").is_file()
    assert "built 0, skipped 1, failed 0" in build(runner, built, "--layout", "large-print", "st-aidans-primary").output
    assert "built 0, skipped 8, failed 0" in build(runner, built).output


def break_phone(workspace: Path, school: str = "kenton-bar-primary") -> None:
    path = workspace / "schools" / f"{school}.yaml"
    path.write_text(
        path.read_text("utf-8").replace("{name: Graham Whitfield}", '{name: Graham Whitfield, phone: "0191 277"}'),
        "utf-8",
    )


def test_a_failing_school_keeps_its_last_good_leaflet_and_is_recorded_stale(built: Path, runner) -> None:
    pdf = built / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.pdf"
    good = pdf.read_bytes()
    break_phone(built)
    result = build(runner, built, "--jobs", "2")
    assert result.exit_code == 1
    assert "built 0, skipped 7, failed 1" in result.output
    assert (
        "  failed kenton-bar-primary: schools/kenton-bar-primary.yaml:6: safeguarding.dsl.phone: '0191 277'"
        in result.output
    )
    assert pdf.read_bytes() == good
    entry = json.loads((built / "out" / "manifest.json").read_text("utf-8"))["schools"]["kenton-bar-primary"]
    assert entry["status"] == "stale"
    assert recorded_error(entry).startswith("schools/kenton-bar-primary.yaml:6: safeguarding.dsl.phone: '0191 277'")
    assert [o["sha256"] for o in entry["outputs"] if o["format"] == "pdf"] == [hashlib.sha256(good).hexdigest()]
    status = runner.invoke(main, ["status", "-C", str(built)])
    assert status.exit_code == 1
    assert status.output.splitlines()[0].startswith(
        "stale     kenton-bar-primary: the last build failed: schools/kenton-bar-primary.yaml:6: "
    )
    path = built / "schools" / "kenton-bar-primary.yaml"
    path.write_text(path.read_text("utf-8").replace('"0191 277"', '"0191 277 0000"'), "utf-8")
    assert rebuilt(runner, built) == ["kenton-bar-primary"]
    entry = json.loads((built / "out" / "manifest.json").read_text("utf-8"))["schools"]["kenton-bar-primary"]
    assert entry["status"] == "built" and recorded_error(entry) == ""


def test_a_failed_school_is_retried_by_every_build(built: Path, runner) -> None:
    break_phone(built)
    for _ in range(2):
        result = build(runner, built)
        assert result.exit_code == 1
        assert "built 0, skipped 7, failed 1" in result.output


def test_status_lists_missing_stale_failed_and_orphaned_schools(built: Path, runner) -> None:
    result = runner.invoke(main, ["status", "-C", str(built)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "8 schools: 8 up to date, 0 missing, 0 stale, 0 failed; 0 orphaned"

    shutil.copy(built / "schools" / "kenton-bar-primary.yaml", built / "schools" / "new-school.yaml")
    shutil.copy(built / "schools" / "kenton-bar-primary.yaml", built / "schools" / "broken-school.yaml")
    break_phone(built, "broken-school")
    assert build(runner, built, "broken-school").exit_code == 1
    (built / "schools" / "st-aidans-primary.yaml").unlink()
    path = built / "schools" / "swansea" / "ysgol-gwyr.yaml"
    path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")
    (built / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.pdf").unlink()

    result = runner.invoke(main, ["status", "-C", str(built)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "failed    broken-school: schools/broken-school.yaml:6: safeguarding.dsl.phone: "
        "'0191 277' is not a valid UK phone number"
    )
    assert lines[1:] == [
        "missing   kenton-bar-primary: out/kenton-bar-primary/kenton-bar-primary-cse-leaflet.pdf is missing or was "
        "changed by hand",
        "missing   new-school: never built",
        "stale     ysgol-gwyr: its config file or a _defaults.yaml above it changed",
        "orphaned  st-aidans-primary: its config file was removed",
        "9 schools: 5 up to date, 2 missing, 1 stale, 1 failed; 1 orphaned",
    ]
    assert len(runner.invoke(main, ["status", "-C", str(built), "--all"]).output.splitlines()) == 11


def test_prune_deletes_only_the_outputs_of_removed_schools(built: Path, runner) -> None:
    (built / "schools" / "st-aidans-primary.yaml").unlink()
    result = build(runner, built)
    assert result.exit_code == 0
    assert (built / "out" / "st-aidans-primary").is_dir()
    result = build(runner, built, "--prune")
    assert result.exit_code == 0, result.output
    assert "deleted out/st-aidans-primary/" in result.output
    assert not (built / "out" / "st-aidans-primary").exists()
    assert "st-aidans-primary" not in json.loads((built / "out" / "manifest.json").read_text("utf-8"))["schools"]
    assert len(outputs(built)) == 14
    assert "0 orphaned" in runner.invoke(main, ["status", "-C", str(built)]).output


def test_prune_deletes_only_the_files_the_build_made(built: Path, runner) -> None:
    folder = built / "out" / "st-aidans-primary"
    notes = [folder / "notes.txt", folder / "preview" / "st-aidans-primary-cse-leaflet-page01-annotated.png"]
    for path in notes:
        path.write_text("someone's own", "utf-8")
    page = folder / "preview" / "st-aidans-primary-cse-leaflet-page01.png"  # as factsheet preview names them
    page.write_bytes(b"a preview page")
    (built / "schools" / "st-aidans-primary.yaml").unlink()
    result = build(runner, built, "--prune")
    assert result.exit_code == 0, result.output
    assert "deleted out/st-aidans-primary/ (kept: it holds other files)" in result.output
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == sorted(notes)
    assert "st-aidans-primary" not in json.loads((built / "out" / "manifest.json").read_text("utf-8"))["schools"]


def test_prune_never_deletes_outside_out(built: Path, runner) -> None:
    manifest_path = built / "out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["schools"]["../schools"] = {"config": "schools/gone.yaml", "status": "built", "outputs": []}
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    result = build(runner, built, "--prune")
    assert result.exit_code == 0, result.output
    assert "deleted" not in result.output
    assert (built / "schools" / "_defaults.yaml").is_file()
    assert "../schools" not in json.loads(manifest_path.read_text("utf-8"))["schools"]


def run_probe(workspace: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter and report which heavy libraries it imported."""
    probe = (
        "import sys\nfrom factsheet_builder.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY_MODULES!r}))\n"
        "print('heavy:', ','.join(heavy), 'exit:', code, file=sys.stderr)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe, *args, "-C", str(workspace)], capture_output=True, text=True, timeout=300
    )


def test_the_no_change_path_imports_no_renderer_nor_parser(built: Path) -> None:
    first = run_probe(built, "build")  # records this interpreter's environment
    assert "built 0, skipped 8, failed 0" in first.stderr, first.stderr
    second = run_probe(built, "build")
    assert "built 0, skipped 8, failed 0" in second.stderr
    assert second.stderr.splitlines()[-1] == "heavy:  exit: 0"
    status = run_probe(built, "status")
    assert status.stderr.splitlines()[-1] == "heavy:  exit: 0"


def test_a_rebuild_imports_only_the_layouts_it_draws(built: Path) -> None:
    path = built / "schools" / "kenton-bar-primary.yaml"
    path.write_text(path.read_text("utf-8") + "# edited\n", "utf-8")
    probe = (
        "import sys\nfrom factsheet_builder.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\n"
        "drawn = sorted(m for m in sys.modules if m.startswith('factsheet_builder.layouts.') and "
        "m.endswith(('.pdf', '.docx')))\n"
        "print('drawn:', ','.join(drawn), 'exit:', code, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "build", "-C", str(built)], capture_output=True, text=True, timeout=300
    )
    assert "built 1, skipped 7, failed 0" in result.stderr, result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == "drawn: factsheet_builder.layouts.leaflet.docx,factsheet_builder.layouts.leaflet.pdf exit: 0"
    )


def build_in_fresh_process(workspace: Path, *args: str) -> subprocess.CompletedProcess:
    """``factsheet build`` in a new interpreter, which has fitted nothing yet."""
    return subprocess.run(
        [sys.executable, "-m", "factsheet_builder", "build", "-C", str(workspace), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_command_leaves_with_its_exit_code_and_all_its_output(built: Path) -> None:
    """``python -m factsheet_builder`` (as the installed command) skips the interpreter's teardown, not its output:
    both streams are flushed into pipes before it leaves."""
    unknown = build_in_fresh_process(built, "no-such-school")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == (
        "Error: unknown school id 'no-such-school'; school ids are the file names under schools/ without '.yaml'\n"
    )
    status = subprocess.run(
        [sys.executable, "-m", "factsheet_builder", "status", "--all", "-C", str(built)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert status.returncode == 0, status.stderr
    assert [line.split()[0] for line in status.stdout.splitlines()] == ["current"] * 8
    handled = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "print('written before', file=sys.stderr, end='')\n"
            "sys.argv = ['factsheet', '--version']\n"
            "from factsheet_builder.cli import run\nrun()\nprint('never reached')",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (handled.returncode, handled.stdout, handled.stderr) == (
        0,
        f"factsheet-builder, version {__version__}\n",
        "written before",
    )


def remembered_work(workspace: Path) -> dict:
    """The cache file's contents."""
    return json.loads((workspace / "out" / ".cache.json").read_text("utf-8"))


def remembered_by_a_fresh_process(workspace: Path) -> dict:
    """The work a build in a fresh process remembers from nothing."""
    (workspace / "out" / ".cache.json").unlink()
    result = build_in_fresh_process(workspace, "--force", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return remembered_work(workspace)


def test_a_fresh_process_draws_at_the_remembered_body_size(built: Path) -> None:
    pdf = built / "out" / "ysgol-gwyr" / "ysgol-gwyr-cse-leaflet.pdf"
    before = pdf.read_bytes()
    remembered = remembered_work(built)
    assert remembered["format"] == 3
    # a levelled body is its size, leading, paragraph spacing and columns' bottoms; the ladder's next size fits too
    bodies = {
        key
        for key, value in remembered["entries"].items()
        if type(value) is list and len(value) == 5 and type(value[0]) is float
    }
    assert bodies
    smaller = {
        key: [round(value[0] - 0.1, 1), *value[1:]] if key in bodies else value
        for key, value in remembered["entries"].items()
    }
    (built / "out" / ".cache.json").write_text(json.dumps({**remembered, "entries": smaller}), "utf-8")
    result = build_in_fresh_process(built, "--force", "ysgol-gwyr")
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() != before  # drawn at the size in the file, not a size searched for again
    (built / "out" / ".cache.json").write_text(json.dumps(remembered), "utf-8")
    result = build_in_fresh_process(built, "--force", "ysgol-gwyr")
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() == before


def test_a_fresh_process_draws_the_remembered_qr_codes(built: Path) -> None:
    pdf = built / "out" / "ysgol-gwyr" / "ysgol-gwyr-cse-leaflet.pdf"
    before = pdf.read_bytes()
    remembered = remembered_work(built)
    symbols = {  # each link's QR code: its dark modules as (row, column, run length)
        key
        for key, value in remembered["entries"].items()
        if type(value) is list and len(value) > 4 and all(type(run) is list and len(run) == 3 for run in value)
    }
    assert symbols
    blank = {key: [[0, 0, 1]] if key in symbols else value for key, value in remembered["entries"].items()}
    (built / "out" / ".cache.json").write_text(json.dumps({**remembered, "entries": blank}), "utf-8")
    result = build_in_fresh_process(built, "--force", "ysgol-gwyr")
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() != before  # drawn from the file, not encoded again
    (built / "out" / ".cache.json").write_text(json.dumps(remembered), "utf-8")
    result = build_in_fresh_process(built, "--force", "ysgol-gwyr")
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() == before


def test_remembered_docx_sections_with_damaged_xml_or_pictures_are_written_again(built: Path) -> None:
    before = outputs(built)
    remembered = remembered_by_a_fresh_process(built)
    sections = [
        key
        for key, value in remembered["entries"].items()
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0], list)
    ]
    assert sections  # the DOCX's content sections, for each body size
    spoilt = dict(remembered["entries"])
    for number, key in enumerate(sections):
        elements, images, links = spoilt[key]
        spoilt[key] = (
            ([element[:-9] for element in elements], images, links)
            if number % 2
            else (elements, {rid: "not base64!" for rid in images}, links)
        )
    (built / "out" / ".cache.json").write_text(json.dumps({**remembered, "entries": spoilt}), "utf-8")
    result = build_in_fresh_process(built, "--force", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert outputs(built) == before
    assert remembered_work(built) == remembered


def test_the_work_of_another_stamp_is_replaced_not_kept(built: Path) -> None:
    remembered = remembered_by_a_fresh_process(built)
    older = {**remembered, "stamp": "an older build's", "entries": {**remembered["entries"], "0" * 64: 10.0}}
    (built / "out" / ".cache.json").write_text(json.dumps(older), "utf-8")
    result = build_in_fresh_process(built, "--force", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert remembered_work(built) == remembered


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '{"format": 3, "entries": []}',
        '{"format": 3, "entries": 7}',
        '{"format": 1, "fits": {}}',
        '{"format": 99, "entries": {}}',
        "[" * 100_000,
        '{"format": 2, "entries": {"0": 10.0}}',
    ],
)
def test_a_corrupt_or_wrong_shaped_cache_counts_as_empty(built: Path, text: str) -> None:
    before = outputs(built)
    remembered = remembered_by_a_fresh_process(built)
    (built / "out" / ".cache.json").write_text(text, "utf-8")
    result = build_in_fresh_process(built, "--force", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert outputs(built) == before
    assert remembered_work(built) == remembered


@pytest.mark.parametrize("wrong", ["twelve", -3, 10.05, [[2, 1]], [["a", 0, 1]], "bm90IGEgUE5H", {}])
def test_a_remembered_value_of_the_wrong_shape_is_worked_out_again(built: Path, wrong) -> None:
    before = outputs(built)
    remembered = remembered_by_a_fresh_process(built)
    kinds = {type(value) for value in remembered["entries"].values()}
    assert {list, str} <= kinds  # levelled bodies and the DOCX's sections; its styled templates
    spoilt = {key: wrong for key in remembered["entries"]}
    (built / "out" / ".cache.json").write_text(json.dumps({**remembered, "entries": spoilt}), "utf-8")
    result = build_in_fresh_process(built, "--force", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert outputs(built) == before
    assert remembered_work(built) == remembered


def test_editing_the_content_fits_it_again(built: Path, runner) -> None:
    def bodies(entries: dict) -> dict:  # the levelled bodies: size, leading, paragraph spacing and columns' bottoms
        return {key: value for key, value in entries.items() if type(value) is list and len(value) == 5}

    remembered = remembered_work(built)["entries"]
    path = built / "content" / "cse.yaml"
    path.write_text(
        path.read_text("utf-8").replace("a form of child sexual abuse", "a form of sexual abuse", 1), "utf-8"
    )
    result = build_in_fresh_process(built, "ysgol-gwyr")
    assert result.returncode == 0, result.stderr
    entries = remembered_work(built)["entries"]
    assert {key: entries.get(key) for key in remembered} == remembered  # the old content's entries are kept
    assert len(bodies(entries)) == len(bodies(remembered)) + 1


def test_same_inputs_give_byte_identical_files_on_another_day_and_folder(built_example: Path, tmp_path: Path) -> None:
    elsewhere = copy_workspace(REPO, tmp_path / "somewhere" / "else")
    for path in elsewhere.rglob("*"):
        os.utime(path, (1_500_000_000, 1_500_000_000))
    env = {**os.environ, "TZ": "Pacific/Auckland", "LC_ALL": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "factsheet_builder", "build", "-C", str(elsewhere), "--jobs", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert outputs(elsewhere) == outputs(built_example)
    first = next((elsewhere / "out").rglob("*.docx"))
    with zipfile.ZipFile(first) as docx:
        assert {info.date_time for info in docx.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_pinned_source_date_is_an_input(built: Path, runner) -> None:
    """ReportLab dates PDFs from SOURCE_DATE_EPOCH when a packager sets it, so setting it rebuilds."""
    result = runner.invoke(main, ["status", "-C", str(built)], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.output.splitlines()[-1] == "8 schools: 0 up to date, 0 missing, 8 stale, 0 failed; 0 orphaned"


def kill_midway(workspace: Path, sig: int, *args: str) -> subprocess.CompletedProcess:
    """Start a build of every school (the content changed) and send ``sig`` to its process group once six new
    leaflets are in place (so at least two schools are done and reported whichever two workers were busy): Ctrl-C
    in a terminal interrupts the whole group, and kill -9 stops it dead."""
    content = workspace / "content" / "cse.yaml"
    content.write_text(content.read_text("utf-8").replace('version: "2026.1"', 'version: "2026.2"'), "utf-8")
    started = time.time_ns()
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet_builder", "build", "-C", str(workspace), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    pdfs = list((workspace / "out").rglob("*.pdf"))
    while process.poll() is None and sum(p.stat().st_mtime_ns > started for p in pdfs) < 6:
        time.sleep(0.005)
    os.killpg(process.pid, sig)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def assert_every_output_whole(workspace: Path) -> tuple[int, int]:
    """Every PDF in out/ is a whole two-page leaflet and every DOCX a whole zip; the (old, new) PDF counts."""
    old = new = 0
    for pdf in (workspace / "out").rglob("*.pdf"):
        reader = PdfReader(io.BytesIO(pdf.read_bytes()), strict=True)
        assert len(reader.pages) == 2, pdf
        text = "".join(page.extract_text() for page in reader.pages)
        old += "Contentversion2026.1" in squash(text)  # a long school name takes the footer to two lines
        new += "Contentversion2026.2" in squash(text)
    for docx in (workspace / "out").rglob("*.docx"):
        with zipfile.ZipFile(docx) as archive:
            assert archive.testzip() is None, docx
    return old, new


def test_a_build_killed_midway_leaves_every_previous_leaflet_whole(many_built: Path, tmp_path: Path, runner) -> None:
    workspace = Path(shutil.copytree(many_built, tmp_path / "ws", copy_function=shutil.copy2))
    theirs = [workspace / "out" / ".notes.tmp", workspace / "out" / "ysgol-gwyr" / ".draft.docx.Ab12Cd34.tmp"]
    for path in theirs:  # files of someone else's, named like temporary files
        path.write_text("not the build's", "utf-8")
    result = kill_midway(workspace, signal.SIGKILL, "--jobs", "2")
    assert result.returncode == -signal.SIGKILL
    old, new = assert_every_output_whole(workspace)
    assert old + new == 48 and old > 0 and new > 0
    result = build(runner, workspace)
    assert result.exit_code == 0, result.output
    assert assert_every_output_whole(workspace) == (0, 48)
    assert sorted(p for p in (workspace / "out").rglob("*") if p.name.endswith(".tmp")) == sorted(theirs)
    assert all(path.read_text("utf-8") == "not the build's" for path in theirs)
    assert (workspace / "out" / ".factsheet.lock").read_bytes() == b""  # the next build has nothing to remove


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGINT, "1"), (signal.SIGINT, "2"), (signal.SIGTERM, "2")])
def test_ctrl_c_stops_cleanly_and_records_what_was_built(
    many_built: Path, tmp_path: Path, runner, sig: int, jobs: str
) -> None:
    workspace = Path(shutil.copytree(many_built, tmp_path / "ws", copy_function=shutil.copy2))
    result = kill_midway(workspace, sig, "--jobs", jobs)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: interrupted: ")
    assert not [p for p in (workspace / "out").rglob("*") if p.name.endswith(".tmp")]
    old, new = assert_every_output_whole(workspace)
    assert new > 0 and old > 0
    status = runner.invoke(main, ["status", "-C", str(workspace), "--all"]).output.splitlines()
    current = [line.split()[1] for line in status if line.startswith("current ")]
    assert len(current) >= 2  # the schools finished before the stop are recorded, with their new files
    for school_id in current:
        assert "Contentversion2026.2" in squash(
            pdf_text(workspace / "out" / school_id / f"{school_id}-cse-leaflet.pdf")
        )
    assert sorted(line.split(":")[1] for line in status if line.startswith("stale ")) == [
        " the content of content/cse.yaml changed"
    ] * (48 - len(current))


def test_quiet_prints_nothing_when_all_is_well(tmp_path: Path, example: Path, runner) -> None:
    result = runner.invoke(main, ["build", "-C", str(example), "--quiet", "kenton-bar-primary", "ysgol-gwyr"])
    assert result.exit_code == 0
    assert result.output == ""
    break_phone(example)
    result = runner.invoke(main, ["build", "-C", str(example), "--quiet"])
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "schools/kenton-bar-primary.yaml",
        "  failed kenton-bar-primary",
    ]


def test_one_bad_school_never_stops_the_others_in_parallel(example: Path, runner) -> None:
    break_phone(example)
    result = runner.invoke(main, ["build", "-C", str(example), "--jobs", "2"])
    assert result.exit_code == 1
    assert "built 7, skipped 0, failed 1" in result.output
    assert len(outputs(example)) == 14


def test_two_builds_never_write_into_one_out_folder_at_once(example: Path, runner) -> None:
    with exclusive(example / "out"):
        result = runner.invoke(main, ["build", "-C", str(example)])
    assert result.exit_code == 1
    assert result.output == "Error: another build is writing to out/ right now; wait for it to finish\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_bar_shows_done_total_failures_rate_and_time_left() -> None:
    from factsheet_builder.records import SchoolRecord

    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, "bar", clock=clock)
    progress.start(10)
    for i in range(4):
        clock.now += 0.5
        progress.advance(SchoolRecord(f"s{i}", "", "failed" if i == 1 else "built"))
    assert progress.status_text() == "4/10 schools, 1 failed, 2.0/s, 0:03 left"
    assert stream.getvalue().rsplit("\r", 1)[-1].endswith("4/10 schools, 1 failed, 2.0/s, 0:03 left")
    progress.finish()
    assert stream.getvalue().endswith("\r\033[K")


def test_progress_without_a_terminal_is_an_occasional_plain_line() -> None:
    from factsheet_builder.records import SchoolRecord

    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, "lines", clock=clock)
    progress.start(100)
    for i in range(60):
        clock.now += 0.25
        progress.advance(SchoolRecord(f"s{i}", "", "built"))
    assert stream.getvalue().splitlines() == ["40/100 schools, 0 failed, 4.0/s, 0:15 left"]
