"""Seeing the result: QR codes in both formats, page previews, and out/index.html in a real headless Chromium."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from click.testing import CliRunner
from conftest import IN_CI, REPO, docx_text, layered_workspace, pdf_pages, pdf_text, squash

from factsheet_builder.cli import main

A4_POINTS = (595.2756, 841.8898)


def shipped_urls() -> list[str]:
    """Every link address in the shipped content, in order."""
    content = yaml.safe_load((REPO / "content" / "cse.yaml").read_text("utf-8"))
    return [
        link["url"]
        for section in content["sections"]
        for block in section.get("blocks", [])
        for link in block.get("links", [])
        if "url" in link
    ]


def display(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://").rstrip("/")


def decode_qr(png: bytes, tmp_path: Path) -> list[str]:
    """The payloads of every QR code in a PNG image, read by zbar."""
    image = tmp_path / "qr-scan.png"
    image.write_bytes(png)
    done = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
    return done.stdout.splitlines()


needs_zbar = pytest.mark.skipif(
    shutil.which("zbarimg") is None and not IN_CI, reason="zbarimg (Debian zbar-tools) is not installed; CI installs it"
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 'publish' fixture built twice: Ashdown built, then broken (stale); broken-phone never builds."""
    workspace = layered_workspace("publish", tmp_path_factory.mktemp("published") / "ws")
    runner = CliRunner()
    first = runner.invoke(main, ["build", "-C", str(workspace)])
    assert first.exit_code == 1 and "failed broken-phone" in first.output, first.output
    ashdown = workspace / "schools" / "ashdown-primary.yaml"
    ashdown.write_text(ashdown.read_text("utf-8").replace('"0191 498 0200"', '"0191"'), "utf-8")
    second = runner.invoke(main, ["build", "-C", str(workspace)])
    assert second.exit_code == 1 and "failed ashdown-primary" in second.output, second.output
    return workspace


# QR codes ------------------------------------------------------------------------------------------------------


def test_shipped_content_has_the_national_addresses() -> None:
    assert shipped_urls() == [
        "https://paceuk.info",
        "https://www.nspcc.org.uk",
        "https://www.thinkuknow.co.uk",
        "https://www.barnardos.org.uk",
    ]


def png_pages(pdf: bytes, dpi: int) -> list[bytes]:
    """Every page of a PDF as a PNG image."""
    import pypdfium2

    pages = []
    for page in pypdfium2.PdfDocument(pdf):
        buffer = io.BytesIO()
        page.render(scale=dpi / 72).to_pil().save(buffer, format="PNG")
        pages.append(buffer.getvalue())
    return pages


@needs_zbar
def test_pdf_link_has_a_qr_code_made_from_its_url(tmp_path: Path) -> None:
    from factsheet_builder.fonts import LIBERATION_SANS
    from factsheet_builder.model import Link
    from factsheet_builder.render import pdf
    from factsheet_builder.render.tagging import Tag, TaggedCanvas

    url = "https://www.example.org/a/longer-address?with=query&and=more"
    st = pdf.styles(LIBERATION_SANS, 10, pdf.Palette.from_accent("#1d4f91"))
    flowable = pdf.link_flowable(Link("Example", "a test link", url), st, 250, Tag("L"))
    buffer = io.BytesIO()
    canvas = TaggedCanvas(buffer, pagesize=(300, 120))
    flowable.wrapOn(canvas, 250, 120)
    flowable.drawOn(canvas, 25, 20)
    canvas.save()
    assert decode_qr(png_pages(buffer.getvalue(), 300)[0], tmp_path) == [url]
    assert "www.example.org/a/longer-address" in squash(pdf_text(buffer.getvalue()))


@needs_zbar
def test_pdf_prints_each_url_with_a_qr_code_that_scans_to_it(published: Path, tmp_path: Path) -> None:
    pdf = published / "out" / "escape-school" / "escape-school-cse-leaflet.pdf"
    text = squash(pdf_text(pdf))
    for url in shipped_urls():
        assert squash(display(url)) in text
    found = [url for page in png_pages(pdf.read_bytes(), 200) for url in decode_qr(page, tmp_path)]
    assert sorted(found) == sorted(shipped_urls())


@needs_zbar
def test_docx_prints_each_url_beside_a_qr_picture_that_says_it_is_its_qr_code(published: Path, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Emu

    from factsheet_builder.render.docx import QR_MM

    path = published / "out" / "escape-school" / "escape-school-cse-leaflet.docx"
    text = docx_text(path)
    for url in shipped_urls():
        assert display(url) in text
    document = docx.Document(str(path))
    pictures = []
    for paragraph in document.element.body.iter(qn("w:p")):
        words = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        for frame in paragraph.iter(qn("wp:anchor")):  # floating beside the item's text, in its paragraph
            alt = frame.find(qn("wp:docPr")).get("descr")
            blob = document.part.related_parts[next(frame.iter(qn("a:blip"))).get(qn("r:embed"))].blob
            size = round(Emu(int(frame.find(qn("wp:extent")).get("cx"))).mm)
            pictures.append((alt, decode_qr(blob, tmp_path), size, words))
    assert [(alt, found, size) for alt, found, size, _ in pictures] == [
        (f"QR code for {url}", [url], QR_MM) for url in shipped_urls()
    ]
    assert all(display(found[0]) in words for _, found, _, words in pictures)


def test_a_link_without_an_address_has_no_qr_code(published: Path) -> None:
    import docx

    document = docx.Document(str(published / "out" / "escape-school" / "escape-school-cse-leaflet.docx"))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "UK Border Agency (UKBA)" in bullets  # a plain bullet, not a row with a picture


# Previews ------------------------------------------------------------------------------------------------------


def test_preview_builds_the_school_then_prints_one_png_per_page(fixture_workspace, runner: CliRunner) -> None:
    from PIL import Image

    workspace = fixture_workspace("publish")
    result = runner.invoke(main, ["preview", "ashdown-primary", "--dpi", "50", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.stdout.splitlines()]
    folder = workspace / "out" / "ashdown-primary" / "preview"
    assert paths == [
        folder / "ashdown-primary-cse-leaflet-page01.png",
        folder / "ashdown-primary-cse-leaflet-page02.png",
    ]
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (math.ceil(A4_POINTS[0] * 50 / 72), math.ceil(A4_POINTS[1] * 50 / 72))
    assert (workspace / "out" / "ashdown-primary" / "ashdown-primary-cse-leaflet.pdf").is_file()


def test_preview_rebuilds_only_a_stale_pdf(fixture_workspace, runner: CliRunner) -> None:
    workspace = fixture_workspace("publish")
    pdf = workspace / "out" / "ashdown-primary" / "ashdown-primary-cse-leaflet.pdf"
    assert runner.invoke(main, ["preview", "ashdown-primary", "-C", str(workspace)]).exit_code == 0
    built = pdf.stat().st_mtime_ns
    assert runner.invoke(main, ["preview", "ashdown-primary", "-C", str(workspace)]).exit_code == 0
    assert pdf.stat().st_mtime_ns == built  # up to date: previewed as it is
    config = workspace / "schools" / "ashdown-primary.yaml"
    config.write_text(config.read_text("utf-8").replace("Mary Ellis", "Mary Ellison"), "utf-8")
    assert runner.invoke(main, ["preview", "ashdown-primary", "-C", str(workspace)]).exit_code == 0
    assert "Mary Ellison" in pdf_text(pdf)


def test_preview_of_one_layout_has_that_layouts_page_count(fixture_workspace, runner: CliRunner) -> None:
    workspace = fixture_workspace("publish")
    result = runner.invoke(
        main, ["preview", "escape-school", "--layout", "large-print", "--dpi", "20", "-C", str(workspace)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    pages = pdf_pages(workspace / "out" / "escape-school" / "escape-school-cse-large-print.pdf")
    assert pages > 2 and len(lines) == pages
    assert all("escape-school-cse-large-print-page" in line for line in lines)


def test_preview_of_a_school_that_fails_names_the_problem(fixture_workspace, runner: CliRunner) -> None:
    workspace = fixture_workspace("publish")
    result = runner.invoke(main, ["preview", "broken-phone", "-C", str(workspace)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: broken-phone cannot be previewed: schools/broken-phone.yaml:5: safeguarding.dsl.phone: "
    )
    assert not (workspace / "out" / "broken-phone" / "preview").exists()


# The index page ------------------------------------------------------------------------------------------------


def test_index_escapes_config_text_and_lists_problems_first(published: Path) -> None:
    html = (published / "out" / "index.html").read_text("utf-8")
    assert "<b>&amp;</b>" not in html
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    order = [
        html.index(f'data-search="{key}')
        for key in ("broken-phone", "ashdown primary school", "&lt;b&gt;&amp;amp;&lt;/b&gt; quentin zephyr")
    ]
    assert order == sorted(order)  # failed, then stale, then built
    assert "http://" not in html and "https://" not in html  # nothing fetched from the internet


def test_a_build_with_nothing_to_build_restores_a_deleted_index(fixture_workspace, runner: CliRunner) -> None:
    workspace = fixture_workspace("publish")
    (workspace / "schools" / "broken-phone.yaml").unlink()
    assert runner.invoke(main, ["build", "-j", "1", "-C", str(workspace)]).exit_code == 0
    index = workspace / "out" / "index.html"
    index.unlink()
    result = runner.invoke(main, ["build", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0 and "built 0, skipped 2, failed 0" in result.output, result.output
    assert "Quentin Zephyr" in index.read_text("utf-8")


def test_the_index_is_written_again_only_when_what_it_shows_changed(fixture_workspace, runner: CliRunner) -> None:
    workspace = fixture_workspace("publish")
    (workspace / "schools" / "broken-phone.yaml").unlink()
    assert runner.invoke(main, ["build", "-j", "1", "-C", str(workspace)]).exit_code == 0
    index = workspace / "out" / "index.html"
    before = index.stat().st_mtime_ns, index.read_bytes()
    school = workspace / "schools" / "ashdown-primary.yaml"
    school.write_text(school.read_text("utf-8").replace("0191 498 0200", "0191 498 0201"), "utf-8")
    result = runner.invoke(main, ["build", "-j", "1", "-C", str(workspace)])
    assert "built 1, skipped 1, failed 0" in result.output, result.output
    assert "0191 498 0201" in pdf_text(workspace / "out" / "ashdown-primary" / "ashdown-primary-cse-leaflet.pdf")
    assert (index.stat().st_mtime_ns, index.read_bytes()) == before  # the page shows no phone numbers
    school.write_text(school.read_text("utf-8").replace("Mary Ellis", "Mary Ellison"), "utf-8")
    result = runner.invoke(main, ["build", "-j", "1", "-C", str(workspace)])
    assert "built 1, skipped 1, failed 0" in result.output, result.output
    html = index.read_text("utf-8")
    assert "Mary Ellison" in html and html.count('<meta name="factsheet-index" content="') == 1
    assert html != before[1].decode("utf-8")


def test_index_thumbnails_are_small_pngs_of_page_one(published: Path) -> None:
    from PIL import Image

    thumbnail = published / "out" / "escape-school" / "preview" / "thumbnail.png"
    with Image.open(thumbnail) as image:
        assert image.size == (math.ceil(A4_POINTS[0] * 30 / 72), math.ceil(A4_POINTS[1] * 30 / 72))
    assert thumbnail.stat().st_size < 30_000


@pytest.fixture
def index_page(published: Path, browser):
    browser.get((published / "out" / "index.html").as_uri())
    return browser


def visible_rows(driver) -> list[str]:
    return [
        row.get_attribute("data-search")
        for row in driver.find_elements("css selector", "#schools tbody tr")
        if row.is_displayed()
    ]


def test_index_in_chromium_lists_every_school_with_status_and_literal_names(index_page) -> None:
    rows = index_page.find_elements("css selector", "#schools tbody tr")
    assert [row.get_attribute("class") for row in rows] == ["failed", "stale", "built"]
    failed, stale, built = rows
    assert "safeguarding.dsl.phone" in failed.text and "Broken Phone Academy" not in failed.text
    assert "Stale" in stale.text and "Ashdown Primary School" in stale.text and "Mary Ellis" in stale.text
    name = built.find_element("css selector", ".name")
    assert name.text == "<b>&amp;</b>" and not name.find_elements("css selector", "b")
    assert "Quentin Zephyr" in built.text and "4 May 2027" in built.text


def test_index_links_in_chromium_resolve_to_real_files(index_page, published: Path) -> None:
    hrefs = index_page.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    files = [Path(unquote(urlparse(href).path)) for href in hrefs]
    assert all(href.startswith("file://") for href in hrefs)
    assert all(path.is_file() for path in files), hrefs
    out = published / "out"
    assert sorted(p.relative_to(out).as_posix() for p in files) == sorted(
        f"{school}/{school}-cse-leaflet.{fmt}"
        for school in ("ashdown-primary", "escape-school")
        for fmt in ("pdf", "docx", "html")
    )


def test_index_thumbnails_load_in_chromium(index_page) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    script = "return Array.from(document.images, i => [i.getAttribute('src'), i.complete, i.naturalWidth])"
    WebDriverWait(index_page, 10).until(lambda d: all(done for _, done, _ in d.execute_script(script)))
    images = index_page.execute_script(script)
    assert sorted(src for src, _, _ in images) == [
        "ashdown-primary/preview/thumbnail.png",
        "escape-school/preview/thumbnail.png",
    ]
    assert all(width == math.ceil(A4_POINTS[0] * 30 / 72) for _, _, width in images), images


def test_typing_in_the_search_box_filters_the_rows(index_page) -> None:
    search = index_page.find_element("id", "search")
    assert len(visible_rows(index_page)) == 3
    search.send_keys("zephyr")
    assert visible_rows(index_page) == ["<b>&amp;</b> quentin zephyr escape-school"]
    search.clear()
    search.send_keys("ASHDOWN")
    assert [row.split()[0] for row in visible_rows(index_page)] == ["ashdown"]
    search.clear()
    search.send_keys("mary ellis")  # a DSL's name
    assert [row.split()[0] for row in visible_rows(index_page)] == ["ashdown"]
    search.clear()
    search.send_keys("nobody by this name")
    assert visible_rows(index_page) == []
    assert index_page.find_element("id", "none").is_displayed()
    assert index_page.find_element("id", "shown").text == "0 of 3 shown"


def test_preview_at_a_resolution_too_high_for_a_page_is_refused_naming_one_that_fits(
    fixture_workspace, runner: CliRunner
) -> None:
    from factsheet_builder.preview import MAX_PIXELS

    workspace = fixture_workspace("publish")
    result = runner.invoke(main, ["preview", "ashdown-primary", "--dpi", "600", "-C", str(workspace)])
    assert result.exit_code == 2
    pixels = math.ceil(A4_POINTS[0] * 600 / 72) * math.ceil(A4_POINTS[1] * 600 / 72)
    most = math.floor(72 * math.sqrt(MAX_PIXELS / (A4_POINTS[0] * A4_POINTS[1])))
    assert result.output == (
        f"Error: --dpi 600 would make a page of the 'leaflet' layout an image of {pixels / 1e6:.0f} million pixels; "
        f"the limit is {MAX_PIXELS / 1e6:.0f} million: use --dpi {most} or less\n"
    )
    assert not list((workspace / "out" / "ashdown-primary" / "preview").glob("*-page*.png"))
    assert runner.invoke(main, ["preview", "ashdown-primary", "--dpi", str(most), "-C", str(workspace)]).exit_code == 0
