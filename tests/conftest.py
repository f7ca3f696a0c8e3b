"""Shared test fixtures: an isolated filesystem, example and fixture workspaces, text extraction."""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The example content keeps the wording of its 2008 source, so every command run on it warns of the retired contacts
# it names (test_retired.py checks those warnings): tests of other things leave them out of the lines they compare.
RETIRED_IN_EXAMPLE = re.compile(
    r"(warning: )?content/cse\.yaml:\d+: \S+: '[^']*': .*, retired \d{1,2} [A-Z][a-z]+ \d{4}; "
)


def without_retired(lines: Iterable[str]) -> list[str]:
    """``lines`` less the warnings of the retired contacts in the example content."""
    return [line for line in lines if not RETIRED_IN_EXAMPLE.match(line)]


@pytest.fixture(autouse=True)
def isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs in its own empty folder, so nothing writes into the repository."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def copy_workspace(source: Path, dest: Path) -> Path:
    """Copy a workspace's content/, schools/ and layouts/ (never out/)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "schools", "layouts"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name)
    return dest


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the repository's example workspace."""
    return copy_workspace(REPO, tmp_path / "example")


def layered_workspace(case: str, dest: Path, with_example_schools: bool = False) -> Path:
    """A workspace at ``dest``: tests/fixtures/<case>/ layered over a copy of the example workspace, whose schools
    are kept only when asked for."""
    copy_workspace(REPO, dest)
    if not with_example_schools:
        shutil.rmtree(dest / "schools")
        (dest / "schools").mkdir()
    shutil.copytree(FIXTURES / case, dest, dirs_exist_ok=True)
    return dest


@pytest.fixture
def fixture_workspace(tmp_path: Path):
    """Build a workspace from tests/fixtures/<case>/ layered over the example content."""

    def make(case: str, with_example_schools: bool = False) -> Path:
        return layered_workspace(case, tmp_path / case, with_example_schools)

    return make


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """A headless Chromium driven through chromedriver (Debian's chromium and chromium-driver)."""
    if (CHROMIUM is None or CHROMEDRIVER is None) and not IN_CI:
        pytest.skip("chromium and chromium-driver are not installed (CI installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or "chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,3000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER or "chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def pdf_text(path_or_bytes) -> str:
    """All text of a PDF, pages joined."""
    from pypdf import PdfReader

    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not IN_CI, reason="LibreOffice is not installed (CI installs it)"
)


def libreoffice_pages(docs: Iterable[Path], tmp_path: Path) -> dict[str, int]:
    """How many pages LibreOffice lays each DOCX out on (as Word users see it), by file stem."""
    docs = list(docs)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {doc.stem: pdf_pages(tmp_path / f"{doc.stem}.pdf") for doc in docs}


def docx_text(path) -> str:
    """All text of a DOCX: body paragraphs, tables and footers."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def html_text(path) -> str:
    """All text of an HTML page, as its text nodes in document order."""
    import html5lib

    document = html5lib.parse(Path(path).read_bytes(), namespaceHTMLElements=False)
    return "".join(document.itertext())


def recorded_error(entry: dict) -> str:
    """The first error of a school's entry in out/manifest.json, as the build printed it ("" when it has none)."""
    from factsheet_builder.exceptions import Problem
    from factsheet_builder.records import from_json

    errors = [from_json(Problem, problem) for problem in entry["problems"] if not problem["warning"]]
    return str(errors[0]) if errors else ""


def squash(text: str) -> str:
    """Text with all whitespace removed, for comparing across line breaks."""
    return "".join(text.split())


def text_sizes(path: Path) -> list[tuple[str, float]]:
    """Each piece of text the PDF draws with its size in points (font size times the text and graphics scale)."""
    from pypdf import PdfReader

    spans: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            spans.append((text.strip(), size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])))

    for page in PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return spans
