"""out/index.html for everyone: axe-core finds nothing, links and pictures say what they are, search ignores
accents, and a 320 px wide window does not scroll sideways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import IN_CI, layered_workspace

from factsheet_builder.cli import main
from factsheet_builder.index_page import fold


@pytest.fixture(scope="module")
def accented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 'index-a11y' fixture built: Ysgol Gynradd Siân (poster only) and Ærø Academy (leaflet)."""
    workspace = layered_workspace("index-a11y", tmp_path_factory.mktemp("accented") / "ws")
    result = CliRunner().invoke(main, ["build", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture
def page(accented: Path, browser):
    browser.get((accented / "out" / "index.html").as_uri())
    yield browser
    browser.set_window_size(1400, 3000)  # as the browser fixture opens it, for the tests that share it


def axe_source() -> str:
    """axe-core's axe.min.js, as the axe-core-python package (a test extra) ships it."""
    try:
        from importlib.resources import files

        return (files("axe_core_python") / "axe.min.js").read_text("utf-8")
    except ModuleNotFoundError:
        if IN_CI:
            raise
        pytest.skip("axe-core-python is not installed: pip install -e '.[test]'")


def axe_violations(driver) -> list[str]:
    """Every rule axe-core finds broken on the page, with the first element that breaks it."""
    driver.execute_script(axe_source())
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then("
        "  r => done(r.violations.map(v => v.id + ': ' + v.nodes[0].target.join(' '))), e => done(['error: ' + e]));"
    )
    return found


def visible_names(driver) -> list[str]:
    return [
        row.find_element("css selector", ".name").text
        for row in driver.find_elements("css selector", "#schools tbody tr")
        if row.is_displayed()
    ]


def narrow(driver, width: int = 320) -> None:
    driver.set_window_size(width, 800)
    assert driver.execute_script("return window.innerWidth") == width


def test_axe_core_finds_no_violation(page) -> None:
    assert axe_violations(page) == []


def test_axe_core_finds_no_violation_in_a_narrow_window(page) -> None:
    narrow(page)
    assert axe_violations(page) == []


def test_axe_core_finds_no_violation_with_failed_and_stale_schools(
    fixture_workspace, runner: CliRunner, browser
) -> None:
    workspace = fixture_workspace("publish")
    assert runner.invoke(main, ["build", "-j", "1", "-C", str(workspace)]).exit_code == 1  # broken-phone fails
    browser.get((workspace / "out" / "index.html").as_uri())
    assert browser.find_elements("css selector", "tr.failed")
    assert axe_violations(browser) == []


def test_every_link_is_named_for_its_school_layout_and_format(page, accented: Path) -> None:
    manifest = json.loads((accented / "out" / "manifest.json").read_text("utf-8"))["schools"]
    expected = {}
    for entry in manifest.values():
        for output in entry["outputs"]:
            layout = output["layout"].replace("-", " ")
            expected[output["path"]] = f"{entry['facts']['school']}, {layout}, {output['format'].upper()}"
    links = page.find_elements("css selector", "a[href]")
    named = {link.get_attribute("href").split("/out/", 1)[1]: link.accessible_name for link in links}
    assert named == expected
    assert "Ysgol Gynradd Siân, poster, PDF" in named.values()
    seen = page.execute_script(  # the text drawn on screen: text nodes, and elements more than a pixel wide
        "return Array.from(document.querySelectorAll('a[href]'), a => Array.from(a.childNodes).filter("
        "  n => n.nodeType === Node.TEXT_NODE || n.getBoundingClientRect().width > 1).map(n => n.textContent).join(''))"
    )
    assert sorted(seen) == ["DOCX", "DOCX", "HTML", "HTML", "PDF", "PDF"]


def test_each_thumbnail_is_described_as_page_one_of_the_layout_it_shows(page, accented: Path) -> None:
    from factsheet_builder.page_images import THUMBNAIL_DPI, page_images

    out = accented / "out"
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["schools"]
    images = page.find_elements("css selector", "#schools img")
    described = {}
    for image in images:
        entry = next(
            e for e in manifest.values() if e["facts"]["thumbnail"] == image.get_attribute("src").split("/out/")[1]
        )
        facts = entry["facts"]
        pdf = next(
            o["path"] for o in entry["outputs"] if o["format"] == "pdf" and o["layout"] == facts["thumbnail_layout"]
        )
        assert (out / facts["thumbnail"]).read_bytes() == page_images((out / pdf).read_bytes(), THUMBNAIL_DPI, 1, 32)[0]
        described[facts["school"]] = image.accessible_name
    assert described == {
        "Ysgol Gynradd Siân": "Page 1 of the poster PDF for Ysgol Gynradd Siân",
        "Ærø Academy": "Page 1 of the leaflet PDF for Ærø Academy",
    }


def test_fold_drops_case_and_accents_and_spells_out_letters_that_keep_theirs() -> None:
    assert (
        fold("Siân ŴŶ Łucja Søren ÆRØ Straße Đorđe Œuvre Þór ı Ħ Ŧ")
        == "sian wy lucja soren aero strasse dorde oeuvre thor i h t"
    )
    assert fold("St Mary\u2019s St Mary\u02bcs ﬁsh") == "st mary's st mary's fish"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("sian", ["Ysgol Gynradd Siân"]),
        ("SIÂN", ["Ysgol Gynradd Siân"]),
        ("lucja", ["Ysgol Gynradd Siân"]),
        ("Łucja kowalska", ["Ysgol Gynradd Siân"]),
        ("aero", ["Ærø Academy"]),
        ("soren strasse", ["Ærø Academy"]),
        ("søren", ["Ærø Academy"]),
        ("academy sian", []),
    ],
)
def test_search_ignores_case_and_accents(page, query: str, found: list[str]) -> None:
    search = page.find_element("id", "search")
    search.send_keys(query)
    assert visible_names(page) == found
    assert page.find_element("id", "shown").text == f"{len(found)} of 2 shown"


def test_a_320_pixel_window_does_not_scroll_sideways(page) -> None:
    narrow(page)
    width, client = page.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client
    rights = page.execute_script(
        "return Array.from(document.querySelectorAll('#schools a, #schools img, h1, input'),"
        " e => e.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= client


def test_search_still_hides_rows_in_a_narrow_window(page) -> None:
    narrow(page)
    page.find_element("id", "search").send_keys("aero")
    assert visible_names(page) == ["Ærø Academy"]


def test_tab_goes_from_the_search_box_to_the_first_school_s_links(page) -> None:
    from selenium.webdriver.common.keys import Keys

    page.find_element("id", "search").send_keys(Keys.TAB)
    focused = page.switch_to.active_element
    assert focused.accessible_name == "Ærø Academy, leaflet, PDF"
    assert focused.value_of_css_property("outline-style") == "solid"
