"""Hostile files and an unlucky file system: FIFOs, devices, symlink loops, costly templates, odd pictures,
hand-broken manifests and faults while building. Each ends in a short located message, never a traceback or a
hang, and nothing written by hand is lost."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import docx_text, pdf_text, recorded_error, without_retired

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
    return without_retired(
        line for line in text.splitlines() if line.startswith(("schools/", "content/", "out/", "warning: "))
    )


@pytest.fixture
def faults(fixture_workspace) -> Path:
    """Two schools: st-aidans (with a logo) and kenton-bar."""
    return fixture_workspace("faults")


# --- Values ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "use", "refused"),
    [
        ("999", "office", "is the emergency number"),
        ("112", "office", "is the emergency number"),
        ("101", "office", "is a national short number"),
        ("111", "office", "is a national short number"),
        ("116 123", "office", "is a national short number"),
        ("118 118", "office", "is a national short number"),
        ("0906 123 4567", "office", "premium-rate"),
        ("0871 123 4567", "office", "service-charge"),
        ("070 2345 6789", "office", "personal (070)"),
        ("0906 123 4567", "non-emergency", "premium-rate"),
        ("0191 277 2500", "emergency", "is not an emergency number"),
        ("101", "emergency", "is not an emergency number"),
        ("999", "non-emergency", "is the emergency number, not a non-emergency one"),
    ],
)
def test_a_number_is_refused_where_it_cannot_be_used(typed: str, use: str, refused: str) -> None:
    formatted, kind = classify(typed)
    assert refused in misuse(kind, use)


@pytest.mark.parametrize(
    ("typed", "use"),
    [
        ("0191 277 2500", "office"),
        ("0300 123 1234", "office"),
        ("0800 1111", "office"),
        ("07400 123456", "office"),
        ("999", "emergency"),
        ("112", "emergency"),
        ("101", "non-emergency"),
        ("0191 277 2500", "non-emergency"),
    ],
)
def test_a_number_is_accepted_where_it_belongs(typed: str, use: str) -> None:
    formatted, kind = classify(typed)
    assert misuse(kind, use, formatted) is None


@pytest.mark.parametrize("typed", ["111", "118 118", "123", "116 123", "100", "155"])
def test_only_101_is_the_police_non_emergency_short_number(typed: str) -> None:
    formatted, kind = classify(typed)
    assert "not the police's; the police non-emergency number is '101'" in misuse(kind, "non-emergency", formatted)


@pytest.mark.parametrize("typed", ["001", "00 1", "0011", "00 44 1"])
def test_an_international_prefix_with_too_little_after_it_is_not_a_number(faults: Path, typed: str) -> None:
    assert classify(typed) is None
    path = faults / "schools" / "kenton-bar.yaml"
    path.write_text(
        path.read_text("utf-8").replace("{name: Graham Whitfield}", f'{{name: Graham Whitfield, phone: "{typed}"}}'),
        "utf-8",
    )
    result = run(faults, "check")
    assert result.exit_code == 1
    [line] = [line for line in lines(result.stderr) if line.startswith("schools/kenton-bar.yaml")]
    assert line.endswith(
        f"'{typed}' is not a valid UK phone number (expected e.g. '0191 277 2500', '101' or '116 123')"
    )


@pytest.mark.parametrize(
    "name", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9", "CON", "nul.txt", "com1.tar.gz"]
)
def test_names_windows_reserves_are_refused_and_never_suggested(name: str) -> None:
    problem = id_problem(name.lower()) if name.islower() and "." not in name else id_problem(name)
    assert problem is not None
    suggestion = slugify(name)
    assert id_problem(suggestion) is None, suggestion


def test_an_id_too_long_for_its_output_names_is_refused_with_a_short_message(faults: Path) -> None:
    long_id = "a" * 249
    (faults / "schools" / f"{long_id}.yaml").write_text(
        "school: {name: Long School}\nsafeguarding:\n  dsl: {name: Jane Smith}\n", "utf-8"
    )
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
    path.write_bytes(data[:start] + data[start + 2 + int.from_bytes(data[start + 2 : start + 4], "big") :])


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
    assert lines(result.stderr) == [
        "schools/st-aidans.yaml:3: school.logo: 'logos/st-aidans.png' is a named pipe (FIFO), not an image file"
    ]
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


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_school_file_that_cannot_be_read_fails_that_school_and_the_others_are_built(
    faults: Path, kind: str, command: str
) -> None:
    path = faults / "schools" / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = run_process(faults, command)
    what = {"fifo": "a named pipe (FIFO)", "dev-zero": "a device"}[kind]
    assert f"schools/odd.yaml: is {what}, not a regular file" in lines(result.stderr)
    assert result.returncode == 1
    if command == "check":
        assert "3 schools checked: 1 with errors" in result.stderr
    else:
        assert "failed 1" in result.stderr
        assert (faults / "out/kenton-bar/kenton-bar-cse-leaflet.pdf").is_file()


def test_a_folder_named_like_a_school_file_is_a_folder(faults: Path) -> None:
    (faults / "schools" / "odd.yaml").mkdir()
    result = run_process(faults, "check")
    assert lines(result.stderr) == []
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
    why = {
        "fifo": "is a named pipe (FIFO), not a regular file",
        "dev-zero": "is a device, not a regular file",
        "dangling": "cannot be read: No such file or directory",
    }[kind]
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

LIMITS = "content text should only fill in names such as '{{ school.name }}'"
TEMPLATE_CASES = [
    ("{{ 10**5000 }}", "10 ** 5000 is a number larger than 1,000 binary digits"),
    ("{{ 9**(9**9) }}", "9 ** 387420489 is a number larger than 1,000 binary digits"),
    ("{{ 'x'*10**9 }}", "it repeats a text to more than 10,000 characters"),
    ("{{ [0]*10**9 }}", "it repeats a list to more than 1,000 items"),
    (
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}"
        "{% endfor %}",
        "it takes more than 10,000 steps (loop turns and calls)",
    ),
    (
        "{% for a in range(10**6) %}x{% endfor %}",
        "it passes the number 1000000 to a filter or method; the limit is 1,000",
    ),
    ("{{ 'x'|center(10**9) }}", "it passes the number 1000000000 to a filter or method; the limit is 1,000"),
    ("{{ '%999999999s'|format(1) }}", "its format asks for a width or precision of 1,000 or more, or from an argument"),
    ("{{ '%*d' % (10**9, 1) }}", "its format asks for a width or precision of 1,000 or more, or from an argument"),
    ("{{ ('x'*9999)|replace('', 'y'*9999) }}", "it makes a text longer than 10,000 characters"),
    (
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "it takes more than 10,000 steps (loop turns and calls)",
    ),
]


@pytest.mark.parametrize(("expression", "reason"), TEMPLATE_CASES, ids=[c[0][:30] for c in TEMPLATE_CASES])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_costly_template_is_a_located_error_in_check_and_build(
    faults: Path, expression: str, reason: str, command: str
) -> None:
    from factsheet_builder.config.fields import shown

    content = faults / "content/cse.yaml"
    text = content.read_text("utf-8")
    line = text.splitlines().index(next(ln for ln in text.splitlines() if "{{ authority.cse_service }} as soon" in ln))
    source = text.splitlines()[line].split('"')[1].replace("{{ authority.cse_service }}", expression)
    content.write_text(text.replace("{{ authority.cse_service }} as soon", expression + " as soon"), "utf-8")
    defaults = faults / "schools/_defaults.yaml"  # no text names the CSE service now, which then is not a key
    defaults.write_text("".join(ln for ln in defaults.read_text("utf-8").splitlines(True) if "cse_service" not in ln))
    result = run(faults, command)
    [problem] = lines(result.stderr)
    assert problem == (
        f"content/cse.yaml:{line + 1}: sections[3].blocks[1].bullets[7]: {shown(source)} goes "
        f"beyond the limits of content text: {reason}; {LIMITS}"
    )
    assert result.exit_code == 1
    assert not (faults / "out/st-aidans").exists()


def test_templates_within_the_limits_still_work() -> None:
    from factsheet_builder.content import TemplateText

    text = TemplateText(
        "{{ school.name|upper }}: {% for i in range(3) %}{{ i * 2 }}{% endfor %} {{ 2**10 }} "
        "{{ 'since %d' % 1990 }} {{ '{:,}'.format(123456) }} {{ '%s'|format(2027) }}",
        "content/cse.yaml",
        1,
        "title",
    )
    assert text.render({"school": {"name": "St Aidan's"}}) == "ST AIDAN'S: 024 1024 since 1990 123,456 2027"


# --- Messages -------------------------------------------------------------------------------------------------


def test_a_huge_key_or_value_gives_a_short_message(faults: Path) -> None:
    key, value = "k" * 100_000, "v" * 100_000
    (faults / "schools/kenton-bar.yaml").write_text(
        f"school:\n  name: Kenton Bar Primary\n  ? {key}\n  : 1\nsafeguarding:\n  dsl: {{name: {value}}}\n", "utf-8"
    )
    result = run(faults, "check", "kenton-bar")
    found = lines(result.stderr)
    assert len(found) == 2
    assert found[0].startswith("schools/kenton-bar.yaml:3: school.kkkk")
    assert "unknown key 'kkkk" in found[0] and "allowed here: name, logo" in found[0]
    assert found[1].startswith("schools/kenton-bar.yaml:6: safeguarding.dsl.name: 'vvvv")
    assert all(len(line) < 500 for line in result.stderr.splitlines())
    assert result.exit_code == 1


# --- Manifest -------------------------------------------------------------------------------------------------

MANIFEST_SHAPES = {
    "a list": lambda m: [],
    "schools a list": lambda m: {**m, "schools": []},
    "an entry a number": lambda m: {**m, "schools": {**m["schools"], "st-aidans": 5}},
    "outputs a text": lambda m: {**m, "schools": {"st-aidans": {**m["schools"]["st-aidans"], "outputs": "x"}}},
    "an output without a path": lambda m: {
        **m,
        "schools": {
            "st-aidans": {
                **m["schools"]["st-aidans"],
                "outputs": [{k: v for k, v in o.items() if k != "path"} for o in m["schools"]["st-aidans"]["outputs"]],
            }
        },
    },
    "a path outside the folder": lambda m: {
        **m,
        "schools": {
            "st-aidans": {
                **m["schools"]["st-aidans"],
                "outputs": [{**o, "path": "../schools/st-aidans.yaml"} for o in m["schools"]["st-aidans"]["outputs"]],
            }
        },
    },
    "the toolchain a list": lambda m: {**m, "toolchain": [1, 2]},
    "a status unknown": lambda m: {**m, "schools": {"st-aidans": {**m["schools"]["st-aidans"], "status": "great"}}},
    "a review date not a date": lambda m: {
        **m,
        "schools": {
            "st-aidans": {
                **m["schools"]["st-aidans"],
                "facts": {**m["schools"]["st-aidans"]["facts"], "review_date": "soon"},
            }
        },
    },
    "a field unknown": lambda m: {**m, "schools": {"st-aidans": {**m["schools"]["st-aidans"], "colour": "red"}}},
    "an id not its key": lambda m: {**m, "schools": {"st-aidans": {**m["schools"]["st-aidans"], "id": "kenton-bar"}}},
    "a size a text": lambda m: {
        **m,
        "schools": {
            "st-aidans": {
                **m["schools"]["st-aidans"],
                "outputs": [{**o, "size": "big"} for o in m["schools"]["st-aidans"]["outputs"]],
            }
        },
    },
}


@pytest.mark.parametrize("shape", MANIFEST_SHAPES)
def test_a_manifest_of_the_wrong_shape_is_treated_as_missing_with_a_warning(faults: Path, shape: str) -> None:
    (faults / "schools/kenton-bar.yaml").unlink()
    assert run(faults, "build").exit_code == 0
    manifest = faults / "out/manifest.json"
    manifest.write_text(json.dumps(MANIFEST_SHAPES[shape](json.loads(manifest.read_text("utf-8")))), "utf-8")
    result = run(faults, "build")
    assert lines(result.stderr) == [
        "warning: out/manifest.json: is not of the shape this version writes (was it "
        "edited?); it is ignored and every school is built again"
    ]
    assert result.exit_code == 0
    rebuilt = json.loads(manifest.read_text("utf-8"))
    assert rebuilt["schools"]["st-aidans"]["status"] == "built"
    assert "Jane Smith" in pdf_text(faults / PDF)
    status = run(faults, "status")
    assert status.exit_code == 0, status.output


def test_status_says_when_the_manifest_is_ignored_and_counts_every_school_as_missing(faults: Path) -> None:
    (faults / "schools/kenton-bar.yaml").unlink()
    assert run(faults, "build").exit_code == 0
    (faults / "out/manifest.json").write_text("[]", "utf-8")
    status = run(faults, "status")
    assert status.exit_code == 1
    assert lines(status.stderr)[0] == (
        "warning: out/manifest.json: is not of the shape this version writes (was it "
        "edited?); it is ignored and every school is built again"
    )
    assert status.stderr.splitlines()[-1] == "1 school: 0 up to date, 1 missing, 0 stale, 0 failed; 0 orphaned"


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        (lambda path: path.write_text("{not json", "utf-8"), "is not valid JSON"),
        (lambda path: (path.unlink(), os.mkfifo(path)), "is a named pipe (FIFO), not a regular file"),
    ],
)
def test_a_manifest_that_cannot_be_read_is_ignored_with_a_warning_never_read_forever(
    faults: Path, setup, why: str
) -> None:
    assert run(faults, "build").exit_code == 0
    setup(faults / "out/manifest.json")
    result = run_process(faults, "build")
    assert lines(result.stderr) == [f"warning: out/manifest.json: {why}; it is ignored and every school is built again"]
    assert result.returncode == 0
    assert json.loads((faults / "out/manifest.json").read_text("utf-8"))["schools"]["st-aidans"]["status"] == "built"


# --- A fault of one school ------------------------------------------------------------------------------------


def built_files(workspace: Path) -> dict[str, bytes]:
    """Every output under out/ (not the manifest, index or lock), by path."""
    out = workspace / "out"
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.parent != out
    }


def assert_recorded(workspace: Path, failed: str, built: str, error: str) -> None:
    """The build went on: the other school built, the manifest and index page written, the failure recorded."""
    manifest = json.loads((workspace / "out/manifest.json").read_text("utf-8"))
    assert manifest["schools"][built]["status"] == "built"
    assert manifest["schools"][failed]["status"] in ("failed", "stale")
    assert error in recorded_error(manifest["schools"][failed])
    assert (workspace / f"out/{built}/{built}-cse-leaflet.pdf").is_file()
    assert error.split(": ")[-1] in (workspace / "out/index.html").read_text("utf-8")


@pytest.mark.parametrize("first", [True, False], ids=["first build", "rebuild"])
def test_an_output_path_that_is_a_folder_fails_that_school_only(faults: Path, first: bool) -> None:
    if not first:
        assert run(faults, "build").exit_code == 0
        (faults / DOCX).unlink()
        (faults / "schools/kenton-bar.yaml").write_text(
            (faults / "schools/kenton-bar.yaml").read_text("utf-8").replace("Graham", "Ann"), "utf-8"
        )
    before = (faults / PDF).read_bytes() if not first else None
    (faults / DOCX).mkdir(parents=True)
    result = run(faults, "build", "--force")
    message = f"could not be built: {DOCX}: it is a folder, not a file"
    assert lines(result.stderr) == [f"schools/st-aidans.yaml: {message}"]
    assert result.exit_code == 1
    assert_recorded(faults, "st-aidans", "kenton-bar", message)
    assert ((faults / PDF).read_bytes() if not first else None) == before  # never a new PDF beside an old DOCX
    assert not list((faults / "out").rglob("*.tmp"))


def test_a_school_file_deleted_after_it_was_read_is_built_from_what_was_read(faults: Path, monkeypatch) -> None:
    from factsheet_builder import school_build

    checked = school_build.check_school

    def check_then_delete(project, school, *args, **kwargs):
        result = checked(project, school, *args, **kwargs)
        if school.id == "st-aidans":
            school.path.unlink()  # gone after it was read, before its outputs are recorded
        return result

    monkeypatch.setattr(school_build, "check_school", check_then_delete)
    result = run(faults, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Jane Smith" in pdf_text(faults / PDF)
    status = run(faults, "status")
    assert status.output.splitlines()[0] == "orphaned  st-aidans: its config file was removed"


def test_an_output_name_too_long_for_the_file_system_fails_that_school_only(faults: Path, monkeypatch) -> None:
    from factsheet_builder import school_build

    named = school_build.output_name
    monkeypatch.setattr(
        school_build,
        "output_name",
        lambda school_id, *rest: (
            named(school_id, *rest).replace("cse", "x" * 300) if school_id == "st-aidans" else named(school_id, *rest)
        ),
    )
    result = run(faults, "build", "--jobs", "1")
    [line] = lines(result.stderr)
    assert line.startswith("schools/st-aidans.yaml: could not be built: out/st-aidans/st-aidans-xxx")
    assert line.endswith(": its name is too long for the file system")
    assert len(line) < 400
    assert result.exit_code == 1
    assert_recorded(faults, "st-aidans", "kenton-bar", "its name is too long for the file system")


@pytest.mark.parametrize("kind", ["loop", "dangling", "fifo-defaults", "fifo-logo"])
def test_a_school_whose_inputs_cannot_be_read_fails_alone_on_a_first_build(faults: Path, kind: str) -> None:
    schools = faults / "schools"
    if kind == "loop":
        (schools / "st-aidans.yaml").unlink()
        (schools / "st-aidans.yaml").symlink_to("st-aidans.yaml")
        error = "schools/st-aidans.yaml: cannot be read: it is a symbolic link that leads in a loop"
    elif kind == "dangling":
        (schools / "st-aidans.yaml").unlink()
        (schools / "st-aidans.yaml").symlink_to("moved-away.yaml")
        error = "schools/st-aidans.yaml: cannot be read: No such file or directory"
    elif kind == "fifo-defaults":
        (schools / "trust").mkdir()
        (schools / "st-aidans.yaml").rename(schools / "trust/st-aidans.yaml")
        (schools / "logos").rename(schools / "trust/logos")
        os.mkfifo(schools / "trust/_defaults.yaml")
        error = "schools/trust/_defaults.yaml: is a named pipe (FIFO), not a regular file"
    else:
        (schools / "logos/st-aidans.png").unlink()
        os.mkfifo(schools / "logos/st-aidans.png")
        error = "school.logo: 'logos/st-aidans.png' is a named pipe (FIFO), not an image file"
    result = run_process(faults, "build")
    assert any(error in line for line in lines(result.stderr)), result.stderr
    assert result.returncode == 1
    assert_recorded(
        faults,
        "st-aidans",
        "kenton-bar",
        error.split(": ", 1)[1] if kind != "fifo-logo" else "is a named pipe (FIFO), not an image file",
    )
    status = run_process(faults, "status")
    assert status.returncode == 1


def as_nobody(workspace: Path) -> int | None:
    """The user to run as so that file permissions apply: nobody when we are root (given the files), else us."""
    if os.geteuid() != 0:
        return None
    for path in (workspace, *workspace.rglob("*")):
        os.lchown(path, 65534, 65534)
    for folder in workspace.parents:  # nobody must be able to reach the workspace
        if folder.stat().st_mode & 0o001 == 0:
            folder.chmod(folder.stat().st_mode | 0o001)
    return 65534


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_school_file_fails_that_school_only(faults: Path) -> None:
    (faults / "schools/st-aidans.yaml").chmod(0)
    result = run_process(faults, "build", user=as_nobody(faults))
    error = "schools/st-aidans.yaml: cannot be read: Permission denied"
    assert lines(result.stderr) == [error], result.stderr
    assert result.returncode == 1
    assert_recorded(faults, "st-aidans", "kenton-bar", "cannot be read: Permission denied")


# --- A fault that stops every school --------------------------------------------------------------------------


def touch_school(workspace: Path) -> None:
    path = workspace / "schools/st-aidans.yaml"
    path.write_text(path.read_text("utf-8").replace("Jane Smith", "Janet Smith"), "utf-8")


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (
            lambda out: (out / "index.html").unlink() or (out / "index.html").mkdir(),
            "Error: out/index.html: is a folder, not a file; move it out of the way and build again",
        ),
        (
            lambda out: (out / "manifest.json").unlink() or (out / "manifest.json").mkdir(),
            "Error: out/manifest.json: is a folder, not a file; move it out of the way and build again",
        ),
    ],
)
def test_a_fault_in_out_stops_the_build_in_one_line_and_keeps_earlier_outputs(faults: Path, setup, error: str) -> None:
    assert run(faults, "build").exit_code == 0
    before = built_files(faults)
    setup(faults / "out")
    touch_school(faults)
    result = run(faults, "build")
    assert result.stderr.strip().splitlines() == [error]
    assert result.exit_code == 1
    assert built_files(faults) == before


def test_out_being_a_file_stops_the_build_in_one_line(faults: Path) -> None:
    (faults / "out").write_text("notes", "utf-8")
    result = run(faults, "build")
    assert result.stderr.strip().splitlines() == [
        "Error: out: is a file, not a folder; the build writes its leaflets into out/, so move the file out of the way"
    ]
    assert result.exit_code == 1
    assert (faults / "out").read_text("utf-8") == "notes"


@pytest.fixture
def mounted(tmp_path: Path):
    """Mount a small tmpfs (root only, as in CI); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounts: list[Path] = []

    def mount(folder: Path, size: str, *options: str) -> None:
        folder.mkdir(exist_ok=True)
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", ",".join((f"size={size}", *options)), "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounts.append(folder)

    yield mount
    for folder in reversed(mounts):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_read_only_out_stops_the_build_in_one_line_and_keeps_earlier_outputs(faults: Path, mounted) -> None:
    mounted(faults / "out", "20m")
    assert run(faults, "build").exit_code == 0
    before = built_files(faults)
    subprocess.run(["mount", "-o", "remount,ro", str(faults / "out")], check=True)
    touch_school(faults)
    result = run_process(faults, "build")
    assert result.stderr.strip().splitlines() == [
        "Error: out/.factsheet.lock: cannot be opened: the file system is read-only; nothing was built"
    ]
    assert result.returncode == 1
    assert built_files(faults) == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_out_folder_without_write_permission_stops_the_build_in_one_line(faults: Path) -> None:
    assert run(faults, "build").exit_code == 0
    before = built_files(faults)
    user = as_nobody(faults)
    touch_school(faults)
    (faults / "out").chmod(0o555)
    result = run_process(faults, "build", user=user)
    assert result.stderr.strip().splitlines() == [
        "Error: out/: cannot be written: Permission denied; nothing was built"
    ]
    assert result.returncode == 1
    assert built_files(faults) == before


def test_a_full_disk_stops_the_build_in_one_line_and_never_leaves_half_a_school(faults: Path, mounted) -> None:
    for number in range(1, 7):
        (faults / f"schools/school-{number}.yaml").write_text(
            f"school: {{name: Kenton Bar Primary {number}}}\nsafeguarding:\n  dsl: {{name: Graham Whitfield}}\n",
            "utf-8",
        )
    mounted(faults / "out", "400k")
    result = run_process(faults, "build")
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("Error: out/")
    assert line.endswith(": no space left on the disk; the build stopped (the leaflets built before are kept)")
    assert result.returncode == 1
    out = faults / "out"
    for folder in (p for p in out.iterdir() if p.is_dir()):
        formats = {p.suffix for p in folder.iterdir() if p.is_file()}
        assert formats in (set(), {".pdf", ".docx", ".html"}), folder  # a school has all its files or none
    assert not list(out.rglob("*.tmp"))
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for school_id, entry in manifest["schools"].items():
        assert all((out / o["path"]).is_file() for o in entry["outputs"]), school_id


def test_a_school_folder_linked_out_of_out_is_never_written_through(faults: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", "utf-8")
    (faults / "out").mkdir()
    (faults / "out/st-aidans").symlink_to(mine)
    result = run(faults, "build")
    assert lines(result.stderr) == [
        "schools/st-aidans.yaml: could not be built: out/st-aidans: it leads outside out/ "
        "through a symbolic link; the build writes only under out/"
    ]
    assert result.exit_code == 1
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert_recorded(faults, "st-aidans", "kenton-bar", "it leads outside out/")


def test_check_refuses_an_output_file_name_too_long_and_build_agrees(faults: Path) -> None:
    long_name = "-".join(["layout"] * 22)  # 153 characters: a name the registry accepts
    (faults / "layouts").mkdir(exist_ok=True)
    (faults / "layouts/long.py").write_text(
        "from factsheet_builder.layouts.leaflet import LeafletLayout\n\n\n"
        f"class Long(LeafletLayout):\n    name = {long_name!r}\n",
        "utf-8",
    )
    school_id = "a" * MAX_ID
    (faults / "schools/kenton-bar.yaml").rename(faults / f"schools/{school_id}.yaml")
    expected = (
        f"schools/{school_id}.yaml: its output file name '{school_id[:40]}…' would be 262 bytes; the limit is "
        "241 (255 on most file systems, less room for a temporary name); shorten the school id or the "
        "layout's name"
    )
    for command in ("check", "build"):
        result = run(faults, command, "--layout", long_name)
        assert [line for line in lines(result.stderr) if line.startswith(f"schools/{school_id}")] == [expected]
        assert result.exit_code == 1
    assert (faults / "out/st-aidans").is_dir()
    assert not (faults / f"out/{school_id}").exists()


@pytest.mark.parametrize("args", [["build", "--jobs", "7" * 100_000], ["--" + "z" * 100_000]])
def test_a_usage_error_that_echoes_a_huge_value_is_cut_to_one_short_line(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    last = result.output.splitlines()[-1]
    assert last.startswith("Error: ") and last.endswith("…") and len(last) <= 600
