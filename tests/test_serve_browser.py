"""``factsheet serve`` in a real Chromium, used with the keyboard alone: a changed phone number reaches the
preview and the PDF; a bad one shows check's message beside it; a conflict is told; a school's link is refused on
another school; a forged CSRF token is refused; and axe-core finds nothing on any page, 1280 or 320 pixels wide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import pdf_text
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from serving import OTHER, SCHOOL, build_fixture, copy_built, form_fields
from test_index_a11y import axe_violations
from test_serve import check_message

from factsheet_builder.page_images import page_images
from factsheet_builder.serve.access import Links
from factsheet_builder.serve.app import create_app
from factsheet_builder.serve.server import started
from factsheet_builder.workspace import Workspace

WAIT_SECONDS = 60.0
PHONE = "safeguarding.dsl.phone"
PHONE_ID = "f-safeguarding-dsl-phone"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("serve-browser") / "built")


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Path:
    return copy_built(built, tmp_path / "ws")


@pytest.fixture
def server(workspace: Path) -> Iterator[str]:
    with started(create_app(Workspace.open(workspace), hosted=False)) as url:
        yield url


@pytest.fixture
def page(browser, server: str):
    browser.set_window_size(1280, 1000)
    browser.get(f"{server}/schools/{SCHOOL}")
    browser.delete_all_cookies()
    browser.get(f"{server}/schools/{SCHOOL}")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live") == "open")
    yield browser
    browser.execute_script("window.onbeforeunload = null")
    browser.set_window_size(1400, 3000)


def wait(driver, condition, seconds: float = WAIT_SECONDS):
    """Wait for ``condition``, through the moment a page is being replaced by the next; if it never comes, fail
    saying what the page showed."""
    try:
        return WebDriverWait(driver, seconds, ignored_exceptions=[StaleElementReferenceException]).until(condition)
    except TimeoutException:
        shown = driver.execute_script("return document.body.getAttribute('data-live') + ': ' + document.body.innerText")
        raise AssertionError(
            f"waited {seconds:.0f} s at {driver.current_url} in vain; the page showed {shown[:3000]}"
        ) from None


def focused_id(driver) -> str:
    return driver.switch_to.active_element.get_attribute("id")


def tab_to(driver, element_id: str, presses: int = 60) -> None:
    """Press Tab from the top of the page (its first link, "Skip to the main content") until ``element_id`` has the
    focus, as a keyboard user would."""
    driver.execute_script("document.querySelector('.skip').focus()")
    for _ in range(presses):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if focused_id(driver) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def type_over(driver, text: str) -> None:
    field = driver.switch_to.active_element
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)


def first_preview(driver) -> str:
    """The address of the first page image (read in one step: the part that holds it is refreshed live)."""
    return driver.execute_script("return document.querySelector('.pages img').src")


def test_a_new_phone_number_typed_and_saved_is_in_the_preview_and_the_pdf(page, workspace: Path) -> None:
    before = first_preview(page)
    tab_to(page, PHONE_ID)
    type_over(page, "0191 496 0999")
    page.switch_to.active_element.send_keys(Keys.ENTER)  # Enter saves, whatever buttons the form has
    wait(page, lambda d: "saved=1" in d.current_url)
    assert focused_id(page) == "saved"  # the confirmation is read out first
    assert page.find_element(By.ID, PHONE_ID).get_attribute("value") == "0191 496 0999"
    after = first_preview(page)
    assert after != before
    wait(
        page,
        lambda d: d.execute_script(
            "const i = document.querySelector('.pages img'); return i.complete && i.naturalWidth > 0"
        ),
    )
    pdf = (workspace / "out" / SCHOOL / f"{SCHOOL}-cse-leaflet.pdf").read_bytes()
    assert "0191 496 0999" in pdf_text(pdf)
    shown = httpx.get(after).content
    assert shown == page_images(pdf, 96, 1, image_format="JPEG")[0]  # the preview is the new PDF's page 1


def test_a_bad_phone_number_shows_checks_message_beside_it_and_nothing_is_saved(page, workspace: Path) -> None:
    path = workspace / "schools" / f"{SCHOOL}.yaml"
    before = path.read_bytes()
    tab_to(page, PHONE_ID)
    type_over(page, "0191 496 01")
    page.switch_to.active_element.send_keys(Keys.ENTER)
    wait(page, lambda d: d.find_elements(By.ID, "problems"))
    assert focused_id(page) == "problems"
    message = page.find_element(By.ID, f"{PHONE_ID}-message")
    assert message.text == check_message(workspace, SCHOOL, "0191 496 0101", "0191 496 01", PHONE)
    field = page.find_element(By.ID, PHONE_ID)
    assert field.get_attribute("aria-invalid") == "true"
    assert f"{PHONE_ID}-message" in field.get_attribute("aria-describedby").split()
    assert field.accessible_name == "Phone"
    summary_link = page.find_element(By.CSS_SELECTOR, f'#problems a[href="#{PHONE_ID}"]')
    summary_link.send_keys(Keys.ENTER)
    assert focused_id(page) == PHONE_ID
    assert path.read_bytes() == before
    assert axe_violations(page) == []


def test_a_change_saved_meanwhile_is_announced_and_then_shown_instead_of_overwritten(
    page, server: str, workspace: Path
) -> None:
    with httpx.Client(base_url=server, follow_redirects=True) as other:  # someone else, in another browser
        fields = form_fields(other.get(f"/schools/{SCHOOL}").text)
        saved = other.post(f"/schools/{SCHOOL}", data={**fields, "safeguarding.deputies[0].phone": "0191 496 0122"})
        assert saved.status_code == 200 and "1 value changed" in saved.text
    theirs = (workspace / "schools" / f"{SCHOOL}.yaml").read_bytes()
    wait(page, lambda d: d.find_element(By.ID, "changed").is_displayed())  # told live, before saving
    tab_to(page, "f-safeguarding-dsl-email")
    type_over(page, "aisha.rahman@northroad.example")
    page.switch_to.active_element.send_keys(Keys.ENTER)
    wait(page, lambda d: d.find_elements(By.ID, "conflict"))
    assert focused_id(page) == "conflict"
    conflict = page.find_element(By.ID, "conflict").text
    assert "Nothing was saved" in conflict and "Deputy DSL 1: Phone: 0191 496 0102 → 0191 496 0122" in conflict
    assert (workspace / "schools" / f"{SCHOOL}.yaml").read_bytes() == theirs
    assert page.find_element(By.ID, "f-safeguarding-deputies-0-phone").get_attribute("value") == "0191 496 0122"
    assert (
        page.find_element(By.ID, "f-safeguarding-dsl-email").get_attribute("value") == "aisha.rahman@northroad.example"
    )
    assert axe_violations(page) == []


def test_an_edit_on_disk_refreshes_the_open_page(page, workspace: Path) -> None:
    before = first_preview(page)
    path = workspace / "schools" / f"{SCHOOL}.yaml"
    path.write_text(path.read_text("utf-8").replace("Priya Patel", "Priya Shah"), "utf-8")
    wait(page, lambda d: first_preview(d) != before)
    assert page.find_element(By.ID, "changed").is_displayed()
    assert page.find_element(By.ID, "live").get_attribute("textContent").strip() == "Built"


def test_a_forged_csrf_token_is_refused(page, workspace: Path) -> None:
    path = workspace / "schools" / f"{SCHOOL}.yaml"
    before = path.read_bytes()
    page.execute_script("document.querySelector('input[name=csrf]').value = 'forged'")
    tab_to(page, PHONE_ID)
    type_over(page, "0191 496 0999")
    page.switch_to.active_element.send_keys(Keys.ENTER)
    wait(page, lambda d: d.find_element(By.TAG_NAME, "h1").text == "You cannot open this page")
    assert "did not come from this site, so nothing was saved" in page.find_element(By.ID, "main").text
    assert path.read_bytes() == before


def test_deputies_are_added_and_moved_with_the_keyboard(page) -> None:
    add = page.find_element(By.CSS_SELECTOR, 'button[value="add safeguarding.deputies"]')
    add.send_keys(Keys.ENTER)
    wait(page, lambda d: focused_id(d) == "g-safeguarding-deputies-2")  # the new deputy's fieldset
    page.switch_to.active_element.send_keys(Keys.TAB)
    assert focused_id(page) == "f-safeguarding-deputies-2-name"
    page.switch_to.active_element.send_keys("Łucja Kowalska")
    page.find_element(By.CSS_SELECTOR, 'button[value="up safeguarding.deputies 2"]').send_keys(Keys.ENTER)
    wait(page, lambda d: focused_id(d) == "g-safeguarding-deputies-1")
    names = [page.find_element(By.ID, f"f-safeguarding-deputies-{i}-name").get_attribute("value") for i in range(3)]
    assert names == ["Tom Brown", "Łucja Kowalska", "Siân Llywelyn"]


def test_a_schools_link_is_refused_on_another_school(browser, workspace: Path) -> None:
    ((link, token),) = Links(Workspace.open(workspace)).issue([SCHOOL])
    with started(create_app(Workspace.open(workspace), hosted=True)) as url:
        browser.set_window_size(1280, 1000)
        browser.get(f"{url}/")
        browser.delete_all_cookies()
        browser.get(f"{url}/enter/{token}")
        assert browser.current_url == f"{url}/schools/{SCHOOL}"
        assert f"Signed in with the {link.who}" in browser.find_element(By.CSS_SELECTOR, "header").text
        browser.get(f"{url}/schools/{OTHER}")
        assert browser.find_element(By.TAG_NAME, "h1").text == "You cannot open this page"
        assert "Your link opens your own school's page only" in browser.find_element(By.ID, "main").text
        for width in (1280, 320):
            browser.set_window_size(width, 900)
            assert axe_violations(browser) == []
        browser.set_window_size(1400, 3000)


PAGES = ["/", f"/schools/{SCHOOL}", f"/schools/{SCHOOL}/history", "/schools/no-such-school", "/enter/not-a-link"]


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_core_finds_nothing_on_any_page_and_nothing_scrolls_sideways(page, server: str, width: int) -> None:
    page.set_window_size(width, 900)
    for url in PAGES:
        page.get(f"{server}{url}")
        assert axe_violations(page) == [], url
        assert page.execute_script("return document.documentElement.scrollWidth") <= width, url
    page.get(f"{server}/schools/{SCHOOL}")  # a form shown again with a problem and a question
    page.find_element(By.ID, PHONE_ID).clear()
    page.find_element(By.ID, PHONE_ID).send_keys("0191 496 01")
    page.find_element(By.ID, "f-safeguarding-deputies-0-name").clear()
    page.find_element(By.ID, "f-safeguarding-deputies-0-name").send_keys("Ann Lee")
    page.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait(page, lambda d: d.find_elements(By.ID, "problems"))
    assert page.find_elements(By.CSS_SELECTOR, ".confirm input[type=checkbox]")
    assert axe_violations(page) == []
    assert page.execute_script("return document.documentElement.scrollWidth") <= width
