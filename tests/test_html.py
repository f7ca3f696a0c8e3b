"""The web pages: one self-contained HTML file for each layout with the PDF's words, semantic, accessible and
readable at every size, and a format like the others for the manifest, the index page and rebuilds."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from click.testing import CliRunner
from conftest import REPO, copy_workspace, layered_workspace, squash
from pypdf import PdfReader
from test_index_a11y import axe_violations

from factsheet_builder.check import check_school
from factsheet_builder.cli import main
from factsheet_builder.formats import FORMATS
from factsheet_builder.model import FactSheet
from factsheet_builder.output import output_name
from factsheet_builder.project import open_project
from factsheet_builder.render.html import colours
from factsheet_builder.render.palette import WHITE, Palette, contrast
from factsheet_builder.workspace import Workspace

LAYOUTS = ("large-print", "leaflet", "poster")
MARKERS = {"•", "·"}  # list bullets and separators: drawn, not words
# Where an address broken across lines in the PDF (after '@', '/' or a hyphen within it, or before a '.') joins up
BROKEN_ADDRESS = re.compile(r"(?<=[^\s@/-][@/-])\n(?=\S)|(?<=\S)\n(?=\.\S)")
PX_PER_PT = 4 / 3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example workspace built with every layout, and the 'html-pages' fixture (every layout, its odd cases)."""
    root = tmp_path_factory.mktemp("html")
    example = copy_workspace(REPO, root / "example")
    pages = layered_workspace("html-pages", root / "pages")
    for workspace, layouts in ((example, ("--layout", "all")), (pages, ())):
        result = CliRunner().invoke(main, ["build", *layouts, "-C", str(workspace)])
        assert result.exit_code == 0, result.output
    return {"example": example, "pages": pages}


def sheets(workspace: Path) -> dict[str, FactSheet]:
    """Each school's fact sheet of the 'cse' topic, as the layouts received it."""
    project = open_project(Workspace.open(workspace))
    out = {}
    for school in project.schools:
        _, merged, problems = check_school(project, school)
        assert merged is not None, problems
        out[school.id] = merged["cse"]
    return out


def all_pages(built: dict[str, Path]) -> list[Path]:
    return sorted(path for workspace in built.values() for path in (workspace / "out").glob("*/*.html"))


def page_of(workspace: Path, school_id: str, layout: str) -> Path:
    return workspace / "out" / school_id / output_name(school_id, "cse", layout, "html")


def parsed(path: Path) -> Element:
    """The page parsed by html5lib in strict mode, which raises at the first parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def text_of(element: Element) -> str:
    """An element's text as a reader sees it: its text nodes, with each item of a numbered list given its number."""
    parts = [element.text or ""]
    for index, child in enumerate(element, start=1):
        if element.tag == "ol":
            parts.append(f" {index} ")
        parts += [text_of(child), child.tail or ""]
    return "".join(parts)


def words(text: str) -> Counter[str]:
    return Counter(word for word in text.split() if word not in MARKERS)


def pdf_words(path: Path, footer: str) -> Counter[str]:
    """The words of a PDF as a reader sees them: without its 'Page N of M' lines, and its footer counted once
    however many pages repeat it."""
    pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    found = words(BROKEN_ADDRESS.sub("", "\n".join(pages)))
    for number, text in enumerate(pages, start=1):
        if squash(f"Page {number} of {len(pages)}") in squash(text):
            found -= words(f"Page {number} of {len(pages)}")
    repeats = sum(squash(text).count(squash(footer)) for text in pages)
    for _ in range(repeats - 1):
        found -= words(footer)
    return found


def elements(root: Element, tag: str) -> list[Element]:
    return list(root.iter(tag))


def attribute_values(root: Element, name: str) -> list[str]:
    return [element.get(name, "") for element in root.iter() if name in element.attrib]


# --- the files --------------------------------------------------------------------------------------------------


def test_every_layout_writes_its_page_beside_its_pdf_and_docx(built) -> None:
    for workspace in built.values():
        manifest = json.loads((workspace / "out" / "manifest.json").read_text("utf-8"))["schools"]
        for school_id, entry in manifest.items():
            layouts = entry["layouts"]
            expected = {(layout, fmt) for layout in layouts for fmt in FORMATS}
            assert {(o["layout"], o["format"]) for o in entry["outputs"]} == expected, school_id
            for output in entry["outputs"]:
                assert (workspace / "out" / output["path"]).is_file()
                if output["format"] == "html":
                    assert output["path"] == f"{school_id}/{school_id}-cse-{output['layout']}.html"
                    assert output["pages"] is None
    assert len(all_pages(built)) == 8 * 3 + 3 * 3


def test_each_page_has_the_words_of_its_pdf_word_for_word(built) -> None:
    compared = 0
    for workspace in built.values():
        for school_id, sheet in sheets(workspace).items():
            for layout in LAYOUTS:
                page = page_of(workspace, school_id, layout)
                shown = words(text_of(parsed(page).find("body")))
                printed = pdf_words(page.with_suffix(".pdf"), sheet.footer)
                assert (+(printed - shown), +(shown - printed)) == (Counter(), Counter()), page.name
                compared += 1
    assert compared == 33


def test_every_page_is_self_contained_and_runs_no_script(built) -> None:
    for page in all_pages(built):
        root = parsed(page)
        assert elements(root, "script") == [] and elements(root, "link") == [] and elements(root, "iframe") == []
        assert all(src.startswith("data:image/") for src in attribute_values(root, "src")), page.name
        links = attribute_values(root, "href")
        assert all(re.match(r"(https?://[^/]|mailto:[^@]+@|tel:\+?\d+$)", href) for href in links), page.name
        style = "".join(text_of(element) for element in elements(root, "style"))
        assert "url(" not in style and "@import" not in style, page.name
        assert not any(name.startswith("on") for element in root.iter() for name in element.attrib), page.name


# --- what each page says, and how ------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_page_is_semantic_html(built, layout: str) -> None:
    sheet = sheets(built["example"])["st-aidans-primary"]
    root = parsed(page_of(built["example"], "st-aidans-primary", layout))
    assert root.get("lang") == "en-GB"
    assert [" ".join(text_of(h).split()) for h in elements(root, "h1")] == [
        sheet.poster.heading if layout == "poster" else sheet.title
    ]
    headings = [" ".join(text_of(h).split()) for h in elements(root, "h2")]
    if layout == "poster":
        assert headings == [sheet.panel_heading, sheet.poster.steps.heading, sheet.poster.signs.heading]
        steps = next(element for element in root.iter("ol"))
        assert [text_of(item) for item in steps] == list(sheet.poster.steps.items)
    else:
        assert headings == [sheet.panel_heading, *(section.heading for section in sheet.sections)]
        lists = [[text_of(item) for item in ul] for ul in root.iter("ul")]
        bullets = [list(block.items) for s in sheet.sections for block in s.blocks if block.kind == "bullets"]
        assert [items for items in lists if items in bullets] == bullets
        quotes = [(b.text, b.source) for s in sheet.sections for b in s.blocks if b.kind == "quote"]
        figures = [(f.find("blockquote"), f.find("figcaption")) for f in root.iter("figure")]
        assert [(text_of(q).strip(), text_of(c) if c is not None else "") for q, c in figures] == quotes
        sites = {text_of(a): a.get("href") for a in root.iter("a") if a.get("href", "").startswith("http")}
        assert sites == {
            link.name: link.url
            for s in sheet.sections
            for b in s.blocks
            if b.kind == "links"
            for link in b.items
            if link.url
        }
    team, agencies = elements(root, "table")
    people = sheet.panel_people if layout == "leaflet" else sheet.people
    for table, labels in ((team, [p.role for p in people]), (agencies, [a.label for a in sheet.agencies])):
        headers = [th for th in table.iter("th")]
        assert [th.get("scope") for th in headers] == ["row"] * len(labels)
        assert [text_of(th) for th in headers] == labels
    calls = {" ".join(text_of(a).split()): a.get("href") for a in root.iter("a") if a.get("href").startswith("tel:")}
    assert calls["0191 498 0123"] == "tel:01914980123" and calls["999"] == "tel:999"
    mails = [a.get("href") for a in root.iter("a") if a.get("href").startswith("mailto:")]
    assert "mailto:j.smith@st-aidans.example" in mails
    (logo,) = [img for img in root.iter("img") if "logo" in img.get("class", "")]
    assert logo.get("alt") == "St Aidan's Primary School logo"
    assert logo.get("src") == "data:image/png;base64," + base64.b64encode(
        (REPO / "schools" / "logos" / "st-aidans.png").read_bytes()
    ).decode("ascii")
    (footer,) = elements(root, "footer")
    assert " ".join(text_of(footer).split()) == sheet.footer
    assert "Review date: 1 September 2027" in sheet.footer and "Content version 2026.1" in sheet.footer


def test_the_biggest_teams_poster_page_says_what_its_poster_says(built) -> None:
    """The poster of the biggest team shares one card among the deputies, its role printed once, and leaves out the
    steps and the warning signs: its page does the same."""
    sheet = sheets(built["pages"])["biggest-team"]
    root = parsed(page_of(built["pages"], "biggest-team", "poster"))
    assert [" ".join(text_of(h).split()) for h in elements(root, "h2")] == [sheet.panel_heading]
    assert elements(root, "ol") == [] and elements(root, "ul") == []
    team = elements(root, "table")[0]
    rows = [
        (text_of(row.find("th")), [text_of(name) for name in row.iter("span") if name.get("class") == "name"])
        for row in team.iter("tr")
    ]
    deputies = [person.name for person in sheet.people if person.role == "Deputy DSL"]
    assert len(deputies) == 8
    assert rows == [
        (sheet.people[0].role, [sheet.people[0].name]),
        ("Deputy DSL", deputies),
        (sheet.people[-1].role, [sheet.people[-1].name]),
    ]


def test_markup_in_names_is_shown_as_text_and_fax_numbers_are_not_dialled(built) -> None:
    root = parsed(page_of(built["pages"], "light-accent", "leaflet"))
    assert elements(root, "b") == [] and elements(root, "i") == []
    assert "St Mary & St Joseph <b>Primary</b>" in text_of(root.find("body"))
    assert "Jane O'Neill & <i>Partners</i>" in [text_of(s) for s in root.iter("span")]
    dialled = {text_of(a) for a in root.iter("a") if a.get("href").startswith("tel:")}
    assert "0844 778 2406" in dialled and "0870 496 5534" not in dialled  # the UKHTC's phone, and its fax
    assert "0870 496 5534" in text_of(root.find("body"))


@pytest.mark.parametrize("accent", ["#1d4f91", "#8fb8ff", "#ffcc00", "#ffffff", "#777777"])
def test_the_accent_is_darkened_until_it_reads_on_white_and_on_its_tint(accent: str) -> None:
    chosen = colours(Palette.from_accent(accent))
    dark, tint = (Palette.from_accent(chosen.accent).accent, Palette.from_accent(chosen.accent).tint)
    assert contrast(dark, WHITE) >= 4.5 and contrast(dark, tint) >= 4.5
    assert chosen.tint == tint.hex
    if accent == "#1d4f91":
        assert chosen.accent == accent  # dark enough already: left as it is


# --- in a browser ----------------------------------------------------------------------------------------------


@pytest.fixture
def window(browser):
    """The shared browser, its window's size put back afterwards for the tests that share it."""
    yield browser


def open_page(browser, page: Path, width: int) -> None:
    browser.set_window_size(width, 900)
    browser.get(page.as_uri())


def overflowing(browser) -> list[str]:
    """The elements that reach past the window's right edge, and the page's own sideways scroll."""
    return browser.execute_script(
        "const width = document.documentElement.clientWidth;"
        "const out = Array.from(document.querySelectorAll('body *')).filter("
        "  e => e.getBoundingClientRect().right > width + 0.5).map(e => e.tagName + ': ' + e.textContent.slice(0, 40));"
        "if (document.documentElement.scrollWidth > width) { out.push('the page scrolls sideways'); }"
        "return out;"
    )


def smallest_text(browser) -> float:
    """The smallest computed font size, in CSS pixels, of any element that has text of its own."""
    return browser.execute_script(
        "return Math.min(...Array.from(document.querySelectorAll('body *')).filter("
        "  e => Array.from(e.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())"
        ").map(e => parseFloat(getComputedStyle(e).fontSize)));"
    )


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_core_finds_no_violation_in_any_page(built, window, width: int) -> None:
    found = {}
    for page in all_pages(built):
        open_page(window, page, width)
        found[page.name] = axe_violations(window)
    assert found == dict.fromkeys(found, [])


@pytest.mark.parametrize("width", [320, 640])  # a phone; a 1280 px window zoomed to 200 %
def test_nothing_scrolls_sideways_or_is_cut_off_and_no_text_is_under_16_px(built, window, width: int) -> None:
    for page in all_pages(built):
        open_page(window, page, width)
        assert overflowing(window) == [], (page.name, width)
        assert smallest_text(window) >= 16, page.name


def test_large_print_is_set_at_its_body_size(built, window) -> None:
    for workspace, school_id, size in ((built["example"], "st-aidans-primary", 18), (built["pages"], "big-type", 24)):
        open_page(window, page_of(workspace, school_id, "large-print"), 1280)
        body = window.execute_script("return parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert body == pytest.approx(size * PX_PER_PT), school_id
        assert smallest_text(window) == pytest.approx(size * PX_PER_PT)


def printed(browser, page: Path) -> PdfReader:
    """The page printed by Chromium, on the paper its print stylesheet asks for."""
    open_page(browser, page, 1280)
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    return PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))


@pytest.mark.parametrize(
    ("workspace", "school_id", "layout", "paper"),
    [
        ("example", "st-aidans-primary", "leaflet", (595, 842)),
        ("example", "st-aidans-primary", "large-print", (595, 842)),
        ("example", "st-aidans-primary", "poster", (842, 1191)),
        ("pages", "big-type", "poster", (595, 842)),
    ],
)
def test_printing_the_page_gives_its_paper(built, window, workspace: str, school_id: str, layout: str, paper) -> None:
    reader = printed(window, page_of(built[workspace], school_id, layout))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == paper
    sheet = sheets(built[workspace])[school_id]
    text = squash("".join(page.extract_text() for page in reader.pages))
    assert squash(sheet.people[0].name) in text and squash(sheet.footer) in text


def test_every_poster_prints_on_one_page(built, window) -> None:
    posters = [page for page in all_pages(built) if page.name.endswith("-poster.html")]
    assert {page.name: len(printed(window, page).pages) for page in posters} == dict.fromkeys(
        (page.name for page in posters), 1
    )


# --- a format like the others -----------------------------------------------------------------------------------


def test_the_formats_are_declared_once_with_their_extension_and_checks(built) -> None:
    assert list(FORMATS) == ["pdf", "docx", "html"]  # the order the index page lists a layout's files in
    assert [(f.extension, f.paged, f.label) for f in FORMATS.values()] == [
        ("pdf", True, "PDF"),
        ("docx", False, "DOCX"),
        ("html", False, "HTML"),
    ]
    assert output_name("st-aidans-primary", "cse", "poster", "html") == "st-aidans-primary-cse-poster.html"
    files = {fmt: page_of(built["example"], "st-aidans-primary", "leaflet").with_suffix(f".{fmt}") for fmt in FORMATS}
    for fmt, spec in FORMATS.items():
        for other, path in files.items():
            problem = spec.problem(path.read_bytes())
            assert (problem is None) == (other == fmt), (fmt, other, problem)
    assert FORMATS["html"].problem("<!DOCTYPE html>é".encode("latin-1")) == "are not UTF-8 (byte 15)"


def test_the_index_links_each_page_beside_its_pdf_and_docx(built) -> None:
    index = parsed(built["example"] / "out" / "index.html")
    links = [a.get("href") for a in index.iter("a")]
    for school_dir in sorted(p for p in (built["example"] / "out").iterdir() if p.is_dir()):
        school = school_dir.name
        for layout in LAYOUTS:
            files = [f"{school}/{school}-cse-{layout}.{fmt}" for fmt in ("pdf", "docx", "html")]
            assert [link for link in links if link in files] == files


def test_a_missing_page_is_reported_and_built_again_byte_for_byte(built, tmp_path: Path) -> None:
    workspace = copy_workspace(built["example"], tmp_path / "again")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--layout", "all", "-C", str(workspace)]).exit_code == 0
    page = page_of(workspace, "kenton-bar-primary", "poster")
    before = page.read_bytes()
    assert before == page_of(built["example"], "kenton-bar-primary", "poster").read_bytes()  # another folder
    page.unlink()
    status = runner.invoke(main, ["status", "-C", str(workspace)])
    assert status.exit_code == 1
    assert status.output.splitlines()[0] == (
        "missing   kenton-bar-primary: out/kenton-bar-primary/kenton-bar-primary-cse-poster.html is missing or "
        "was changed by hand"
    )
    result = runner.invoke(main, ["build", "--layout", "all", "-C", str(workspace)])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "built 1, skipped 7, failed 0"
    assert page.read_bytes() == before
    assert runner.invoke(main, ["status", "-C", str(workspace)]).exit_code == 0


def test_a_workspace_layout_without_an_html_renderer_builds_its_pdf_and_docx(example: Path, runner) -> None:
    (example / "layouts").mkdir(exist_ok=True)
    shutil.copy(REPO / "docs" / "examples" / "layouts" / "contact_card.py", example / "layouts")
    result = runner.invoke(
        main, ["build", "st-aidans-primary", "--layout", "contact-card", "--layout", "leaflet", "-C", str(example)]
    )
    assert result.exit_code == 0, result.output
    entry = json.loads((example / "out" / "manifest.json").read_text("utf-8"))["schools"]["st-aidans-primary"]
    assert sorted((o["layout"], o["format"]) for o in entry["outputs"]) == [
        ("contact-card", "docx"),
        ("contact-card", "pdf"),
        ("leaflet", "docx"),
        ("leaflet", "html"),
        ("leaflet", "pdf"),
    ]
    assert runner.invoke(main, ["status", "-C", str(example), "st-aidans-primary"]).exit_code == 0


def test_a_layout_whose_page_is_not_html_fails_its_school_in_one_line(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("html-layouts", with_example_schools=True)
    result = runner.invoke(main, ["layouts", "-C", str(workspace)])
    assert [line for line in result.output.splitlines() if line.startswith("warning:")] == [
        "warning: layouts/no_hook.py:6: layout NoHook not loaded: lists the format 'html' but does not define "
        "render_html()"
    ]
    result = runner.invoke(main, ["build", "kenton-bar-primary", "--layout", "wrong-bytes", "-C", str(workspace)])
    assert result.exit_code == 1
    assert (
        "schools/kenton-bar-primary.yaml: kenton-bar-primary: the 'wrong-bytes' layout's render_html() returned "
        "bytes that do not start with '<!DOCTYPE html>', so they are not HTML"
    ) in result.output.splitlines()
    assert not (workspace / "out" / "kenton-bar-primary").exists()
