"""Hostile files and an unlucky file system: FIFOs, devices, symlink loops, costly templates, odd pictures,
hand-broken manifests and faults while building. Each ends in a short located message, never a traceback or a
hang, and nothing written by hand is lost."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
import subprocess
import sys

from click.testing import CliRunner, Result
import pytest

from conftest import docx_text, pdf_text
from factsheet_builder.cli import main
from factsheet_builder.config.phones import classify, misuse
from factsheet_builder.workspace import MAX_ID, id_problem, slugify

PDF = "out/st-aidans/st-aidans-cse-leaflet.pdf"
DOCX = "out/st-aidans/st-aidans-cse-leaflet.docx"


def run(workspace: Path, *args: str) -> Result:
    """Run ``factsheet`` in this process: no traceback, no exception other than the exit."""
    result = CliRunner().invoke(main, [*args, "-C", str(workspace)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def run_process(workspace: Path, *args: str, user: int | None = None) -> subprocess.CompletedProcess:
    """Run ``factsheet`` in a fresh process (as ``user``, when given); a hang fails the test instead of the suite."""
    command = [sys.executable, "-m", "factsheet_builder", *args, "-C", str(workspace)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def lines(text: str) -> list[str]:
    """The problem lines of a command's output."""
    return [line for line in text.splitlines() if line.startswith(("schools/", "content/", "out/", "warning: "))]


@pytest.fixture
def faults(fixture_workspace) -> Path:
    """Two schools: st-aidans (with a logo) and kenton-bar."""
    return fixture_workspace("faults")


# --- Values ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "use", "refused"), [
    ("999", "office", "is the emergency number"), ("112", "office", "is the emergency number"),
    ("101", "office", "is a national short number"), ("111", "office", "is a national short number"),
    ("116 123", "office", "is a national short number"), ("118 118", "office", "is a national short number"),
    ("0906 123 4567", "office", "premium-rate"), ("0871 123 4567", "office", "premium-rate"),
    ("070 2345 6789", "office", "personal (070)"), ("0906 123 4567", "non-emergency", "premium-rate"),
    ("0191 277 2500", "emergency", "is not an emergency number"), ("101", "emergency", "is not an emergency number"),
    ("999", "non-emergency", "is the emergency number, not a non-emergency one"),
])
def test_a_number_is_refused_where_it_cannot_be_used(typed: str, use: str, refused: str) -> None:
    formatted, kind = classify(typed)
    assert refused in misuse(kind, use)


@pytest.mark.parametrize(("typed", "use"), [
    ("0191 277 2500", "office"), ("0300 123 1234", "office"), ("0800 1111", "office"), ("07400 123456", "office"),
    ("999", "emergency"), ("112", "emergency"), ("101", "non-emergency"), ("0191 277 2500", "non-emergency"),
])
def test_a_number_is_accepted_where_it_belongs(typed: str, use: str) -> None:
    formatted, kind = classify(typed)
    assert misuse(kind, use) is None


@pytest.mark.parametrize("name", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9", "CON", "nul.txt",
                                  "com1.tar.gz"])
def test_names_windows_reserves_are_refused_and_never_suggested(name: str) -> None:
    problem = id_problem(name.lower()) if name.islower() and "." not in name else id_problem(name)
    assert problem is not None
    suggestion = slugify(name)
    assert id_problem(suggestion) is None, suggestion


def test_an_id_too_long_for_its_output_names_is_refused_with_a_short_message(faults: Path) -> None:
    long_id = "a" * 249
    (faults / "schools" / f"{long_id}.yaml").write_text("school: {name: Long School}\nsafeguarding:\n"
                                                       "  dsl: {name: Jane Smith}\n", "utf-8")
    result = run(faults, "check")
    [line] = [line for line in lines(result.stderr) if long_id[:20] in line]
    assert f"is 249 characters long; the limit is {MAX_ID}" in line
    assert len(line) < 400
    assert result.exit_code == 1
    suggested = slugify("word " * 100)
    assert len(suggested) <= MAX_ID and id_problem(suggested) is None
    # the longest allowed id still leaves room for its output and temporary file names
    assert len(f".{'a' * MAX_ID}-{'t' * 40}-large-print.docx.12345678.tmp".encode()) < 255


def make_cmyk_logo(path: Path) -> None:
    from PIL import Image

    Image.new("CMYK", (120, 60), (0, 200, 200, 0)).save(path, "JPEG")


def make_headerless_jpeg(path: Path) -> None:
    """A valid JPEG without the JFIF or Exif header python-docx looks for."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(buffer, "JPEG")
    data = buffer.getvalue()
    start = data.index(b"\xff\xe0")
    path.write_bytes(data[:start] + data[start + 2 + int.from_bytes(data[start + 2:start + 4], "big"):])


@pytest.mark.parametrize("make", [make_cmyk_logo, make_headerless_jpeg], ids=["cmyk", "no-jfif"])
def test_a_logo_word_cannot_read_is_converted_so_check_and_build_agree(faults: Path, make) -> None:
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    logo = faults / "schools/logos/st-aidans.png"
    logo.unlink()
    make(faults / "schools/logos/st-aidans.jpg")
    with pytest.raises(UnrecognizedImageError):  # the file as it is: python-docx cannot embed it
        DocxImage.from_file(str(faults / "schools/logos/st-aidans.jpg"))
    school = faults / "schools/st-aidans.yaml"
    school.write_text(school.read_text("utf-8").replace("st-aidans.png", "st-aidans.jpg"), "utf-8")
    assert run(faults, "check", "st-aidans").exit_code == 0
    result = run(faults, "build", "st-aidans")
    assert result.exit_code == 0, result.output
    import docx

    document = docx.Document(str(faults / DOCX))
    images = [part for part in document.part.package.parts if part.partname.startswith("/word/media/")]
    assert any(DocxImage.from_blob(part.blob).content_type == "image/jpeg" for part in images)
    assert "St Aidan's Primary" in docx_text(faults / DOCX)


def test_a_logo_that_is_a_fifo_is_called_one_not_a_folder(faults: Path) -> None:
    logo = faults / "schools/logos/st-aidans.png"
    logo.unlink()
    os.mkfifo(logo)
    result = run_process(faults, "check", "st-aidans")
    assert lines(result.stderr) == ["schools/st-aidans.yaml:3: school.logo: 'logos/st-aidans.png' is a named pipe "
                                    "(FIFO), not an image file"]
    assert result.returncode == 1


# --- Scanning and reading -------------------------------------------------------------------------------------

def test_symlink_loops_anywhere_under_schools_are_skipped_and_every_command_runs(faults: Path) -> None:
    schools = faults / "schools"
    (schools / "trust").mkdir()
    (schools / "trust" / "up").symlink_to("..")  # a folder link back up
    (schools / "trust" / "workspace").symlink_to("../..")  # to the workspace root, above schools/
    (schools / "self").symlink_to("self")  # a link to itself
    (schools / "a.yaml").symlink_to("b.yaml")  # two school files linked in a circle
    (schools / "b.yaml").symlink_to("a.yaml")
    (schools / "logos" / "loop.png").symlink_to("loop.png")
    for command, exit_code in ((["check"], 1), (["build", "kenton-bar"], 0), (["status"], 1)):
        result = run(faults, *command)
        assert result.exit_code == exit_code, result.output
    checked = lines(run(faults, "check").stderr)
    assert checked == [
        "schools/a.yaml: cannot be read: it is a symbolic link that leads in a loop",
        "schools/b.yaml: cannot be read: it is a symbolic link that leads in a loop",
        "warning: schools/logos/loop.png: skipped: it is a symbolic link that leads in a loop",
        "warning: schools/self: skipped: it is a symbolic link that leads in a loop",
        "warning: schools/trust/up: skipped: a symbolic link back to a folder above it (a loop)",
        "warning: schools/trust/workspace: skipped: a symbolic link back to a folder above it (a loop)",
    ]
    assert (faults / "out/kenton-bar/kenton-bar-cse-leaflet.pdf").is_file()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_school_file_that_is_not_a_regular_file_is_skipped_with_a_warning(faults: Path, kind: str) -> None:
    path = faults / "schools" / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    result = run_process(faults, "check")
    what = {"fifo": "a named pipe (FIFO)", "dev-zero": "a device"}
    expected = [] if kind == "folder" else [f"warning: schools/odd.yaml: skipped: it is {what[kind]}, not a regular file"]
    assert lines(result.stderr) == expected
    assert result.returncode == 0
    assert "2 schools checked" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dangling"])
def test_a_defaults_file_that_cannot_be_read_fails_the_schools_below_it(faults: Path, kind: str) -> None:
    trust = faults / "schools" / "trust"
    trust.mkdir()
    (faults / "schools/kenton-bar.yaml").rename(trust / "kenton-bar.yaml")
    defaults = trust / "_defaults.yaml"
    if kind == "fifo":
        os.mkfifo(defaults)
    elif kind == "dev-zero":
        defaults.symlink_to("/dev/zero")
    else:
        defaults.symlink_to("gone.yaml")
    result = run_process(faults, "check")
    why = {"fifo": "is a named pipe (FIFO), not a regular file", "dev-zero": "is a device, not a regular file",
           "dangling": "cannot be read: No such file or directory"}[kind]
    assert lines(result.stderr) == [f"schools/trust/_defaults.yaml: {why}"]
    assert "2 schools checked: 1 with errors" in result.stderr
    assert result.returncode == 1


def test_a_content_file_that_is_a_device_is_refused_not_read(faults: Path) -> None:
    content = faults / "content/cse.yaml"
    content.unlink()
    content.symlink_to("/dev/zero")
    result = run_process(faults, "check")
    assert result.stderr.strip() == "content/cse.yaml: is a device, not a regular file"
    assert result.returncode == 1


def test_a_file_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    from factsheet_builder.files import NotReadable, read_limited

    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * 1001)
    with pytest.raises(NotReadable, match="is 1,001 bytes; the limit is 1,000"):
        read_limited(path, 1000)
    assert read_limited(path, 1001) == b"a" * 1001


# --- Content templates ----------------------------------------------------------------------------------------

LIMITS = ("(text up to 10,000 characters, small numbers, short loops); content text should only fill in names "
          "such as '{{ school.name }}'")
TEMPLATE_CASES = [
    ("{{ 10**5000 }}", "10 ** 5000 is a number larger than 1,000 binary digits"),
    ("{{ 9**(9**9) }}", "9 ** 387420489 is a number larger than 1,000 binary digits"),
    ("{{ 'x'*10**9 }}", "it repeats a text to more than 10,000 characters"),
    ("{{ [0]*10**9 }}", "it repeats a list to more than 1,000 items"),
    ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}"
     "{% endfor %}", "it takes more than 10,000 steps (loop turns and calls)"),
    ("{% for a in range(10**6) %}x{% endfor %}", "it passes the number 1000000 to a filter or method; the limit is "
     "10,000"),
    ("{{ 'x'|center(10**9) }}", "it passes the number 1000000000 to a filter or method; the limit is 10,000"),
    ("{{ '%999999999s'|format(1) }}", "its format asks for a width or precision of 10,000 or more"),
    ("{{ ('x'*9999)|replace('', 'y'*9999) }}", "it makes a text longer than 10,000 characters"),
    ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
     "it takes more than 10,000 steps (loop turns and calls)"),
]


@pytest.mark.parametrize(("expression", "reason"), TEMPLATE_CASES, ids=[c[0][:30] for c in TEMPLATE_CASES])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_costly_template_is_a_located_error_in_check_and_build(faults: Path, expression: str, reason: str,
                                                                 command: str) -> None:
    from factsheet_builder.config.fields import shown

    content = faults / "content/cse.yaml"
    text = content.read_text("utf-8")
    line = text.splitlines().index(next(ln for ln in text.splitlines() if "{{ authority.cse_service }} as soon" in ln))
    source = text.splitlines()[line].split('"')[1].replace("{{ authority.cse_service }}", expression)
    content.write_text(text.replace("{{ authority.cse_service }} as soon", expression + " as soon"), "utf-8")
    result = run(faults, command)
    [problem] = lines(result.stderr)
    assert problem == (f"content/cse.yaml:{line + 1}: sections[3].blocks[1].bullets[7]: {shown(source)} goes "
                       f"beyond the limits of content text: {reason} {LIMITS}")
    assert result.exit_code == 1
    assert not (faults / "out/st-aidans").exists()


def test_templates_within_the_limits_still_work() -> None:
    from factsheet_builder.content import TemplateText

    text = TemplateText("{{ school.name|upper }}: {% for i in range(3) %}{{ i * 2 }}{% endfor %} {{ 2**10 }}",
                        "content/cse.yaml", 1, "title")
    assert text.render({"school": {"name": "St Aidan's"}}) == "ST AIDAN'S: 024 1024"


# --- Messages -------------------------------------------------------------------------------------------------

def test_a_huge_key_or_value_gives_a_short_message(faults: Path) -> None:
    key, value = "k" * 100_000, "v" * 100_000
    (faults / "schools/kenton-bar.yaml").write_text(
        f"school:\n  name: Kenton Bar Primary\n  ? {key}\n  : 1\nsafeguarding:\n  dsl: {{name: {value}}}\n", "utf-8")
    result = run(faults, "check", "kenton-bar")
    found = lines(result.stderr)
    assert len(found) == 2
    assert found[0].startswith("schools/kenton-bar.yaml:3: school.kkkk")
    assert "unknown key 'kkkk" in found[0] and "allowed here: name, logo" in found[0]
    assert found[1].startswith("schools/kenton-bar.yaml:6: safeguarding.dsl.name: 'vvvv")
    assert all(len(line) < 500 for line in result.stderr.splitlines())
    assert result.exit_code == 1
