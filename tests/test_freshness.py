"""What a build records is what it read: a file saved again while the build runs is found changed by the next build
and by ``status``; a school that failed or was never built is never up to date."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, pdf_text

from factsheet_builder.cli import main


def run(workspace: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "-C", str(workspace)])
    assert "Traceback" not in result.output
    return result


def states(workspace: Path) -> dict[str, str]:
    """``factsheet status --all``: each school's line, by id."""
    result = run(workspace, "status", "--all")
    return {line.split()[1].rstrip(":"): line for line in result.output.splitlines() if line[:1].isalpha()}


@pytest.fixture
def faults(fixture_workspace) -> Path:
    """Two schools: st-aidans (with a logo) and kenton-bar."""
    return fixture_workspace("faults")


def red_png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "PNG")
    return buffer.getvalue().decode("latin-1")


SAVED = {
    "the school's file": ("schools/st-aidans.yaml", "0191 498 0123", "0191 498 0999"),
    "a _defaults.yaml above it": ("schools/_defaults.yaml", "0191 277 2500", "0191 277 2999"),
    "its logo": ("schools/logos/st-aidans.png", None, None),
}
REASONS = {
    "the school's file": "its config file or a _defaults.yaml above it changed",
    "a _defaults.yaml above it": "its config file or a _defaults.yaml above it changed",
    "its logo": "schools/logos/st-aidans.png changed",
}


@pytest.mark.parametrize("saved", SAVED)
def test_a_file_saved_after_the_build_read_it_is_found_changed(faults: Path, monkeypatch, saved: str) -> None:
    from factsheet_builder import school_build

    path, old, new = SAVED[saved]
    checked = school_build.check_school

    def check_then_save(project, school, *args, **kwargs):
        result = checked(project, school, *args, **kwargs)
        if school.id == "st-aidans":  # read; saved again before the build records what it built
            target = faults / path
            if old is None:
                target.write_bytes(red_png().encode("latin-1"))
            else:
                target.write_text(target.read_text("utf-8").replace(old, new), "utf-8")
        return result

    monkeypatch.setattr(school_build, "check_school", check_then_save)
    first = run(faults, "build", "--force", "--jobs", "1")
    assert first.exit_code == 0, first.output
    monkeypatch.setattr(school_build, "check_school", checked)
    pdf = faults / "out/st-aidans/st-aidans-cse-leaflet.pdf"
    if old is not None and path.endswith("st-aidans.yaml"):
        assert old in pdf_text(pdf)  # drawn from the bytes read
    assert states(faults)["st-aidans"] == f"stale     st-aidans: {REASONS[saved]}"
    shared = path.endswith("_defaults.yaml")  # kenton-bar, built first, read it before it was saved too
    assert states(faults)["kenton-bar"].startswith("stale" if shared else "current")
    assert run(faults, "status").exit_code == 1
    again = run(faults, "build", "--verbose")
    assert "built st-aidans" in again.output
    assert f"built {2 if shared else 1}, skipped {0 if shared else 1}, failed 0" in again.output
    if old is not None and path.endswith("st-aidans.yaml"):
        assert new in pdf_text(pdf)
    assert run(faults, "status").exit_code == 0


def test_content_saved_while_a_layout_draws_is_found_changed(faults: Path) -> None:
    shutil.copytree(FIXTURES / "saving-layout" / "layouts", faults / "layouts", dirs_exist_ok=True)
    (faults / "save-while-drawing.txt").write_text(
        "content/cse.yaml\ta form of child sexual abuse\ta form of sexual abuse\n", "utf-8"
    )
    first = run(faults, "build", "--layout", "saving", "st-aidans")
    assert first.exit_code == 0, first.output
    assert not (faults / "save-while-drawing.txt").exists()  # saved while the PDF was drawn
    assert states(faults)["st-aidans"] == "stale     st-aidans: the content of content/cse.yaml changed"
    again = run(faults, "build", "--layout", "saving", "st-aidans", "--verbose")
    assert "built st-aidans" in again.output
    assert states(faults)["st-aidans"].startswith("current")


def test_a_school_that_failed_or_was_never_built_is_never_up_to_date(faults: Path) -> None:
    school = faults / "schools/kenton-bar.yaml"
    good = school.read_text("utf-8")
    school.write_text(good.replace("dsl: {", 'dsl: {phone: "not a phone", '), "utf-8")
    assert run(faults, "build").exit_code == 1
    (faults / "schools/new-school.yaml").write_text((faults / "schools/st-aidans.yaml").read_text("utf-8"), "utf-8")
    found = states(faults)
    assert found["kenton-bar"].startswith("failed    kenton-bar: schools/kenton-bar.yaml:")
    assert found["new-school"] == "missing   new-school: never built"
    assert found["st-aidans"].startswith("current")
    # fixed: built; then broken and put back as it was when it built: the failed build is not forgotten
    school.write_text(good, "utf-8")
    assert run(faults, "build").exit_code == 0
    school.write_text(good.replace("dsl: {", 'dsl: {phone: "not a phone", '), "utf-8")
    assert run(faults, "build").exit_code == 1
    school.write_text(good, "utf-8")
    assert states(faults)["kenton-bar"].startswith(
        "stale     kenton-bar: the last build failed: schools/kenton-bar.yaml"
    )
    rebuilt = run(faults, "build", "--verbose")
    assert "built kenton-bar" in rebuilt.output
    assert states(faults)["kenton-bar"].startswith("current")


def test_out_linked_to_a_shared_folder_loses_only_what_a_killed_build_made_there(faults: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (faults / "out").symlink_to(shared)
    assert run(faults, "build").exit_code == 0
    theirs = {
        shared / ".lock": b"another program's lock",
        shared / ".notes.tmp": b"someone's notes",
        shared / ".agenda.docx.Ab12Cd34.tmp": b"named like a temporary file of the build's",
        shared / "st-aidans" / ".minutes.pdf.Zz99Yy88.tmp": b"in a school's folder",
    }
    for path, data in theirs.items():
        path.write_bytes(data)
    # what a build killed while writing leaves: a half-written file it made, listed in the lock file
    left = shared / "st-aidans" / ".st-aidans-cse-leaflet.pdf.K1ll3dAb.tmp"
    left.write_bytes(b"%PDF-1.4 half a file")
    (shared / ".factsheet.lock").write_bytes(bytes(left) + b"\0" + bytes(shared / "gone.pdf.Q1w2E3r4.tmp") + b"\0")
    result = run(faults, "build", "--force")
    assert result.exit_code == 0, result.output
    assert not left.exists()
    assert {path: path.read_bytes() for path in theirs} == theirs
    assert (shared / ".factsheet.lock").read_bytes() == b""
    made = sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*") if p.is_file() and p not in theirs)
    assert made == [
        ".cache.json",
        ".factsheet.lock",
        "index.html",
        "kenton-bar/kenton-bar-cse-leaflet.docx",
        "kenton-bar/kenton-bar-cse-leaflet.html",
        "kenton-bar/kenton-bar-cse-leaflet.pdf",
        "kenton-bar/preview/thumbnail.png",
        "manifest.json",
        "st-aidans/preview/thumbnail.png",
        "st-aidans/st-aidans-cse-leaflet.docx",
        "st-aidans/st-aidans-cse-leaflet.html",
        "st-aidans/st-aidans-cse-leaflet.pdf",
    ]
