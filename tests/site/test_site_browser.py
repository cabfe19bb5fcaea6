"""The sites in a real browser: Debian's Chromium, driven by Playwright, served from 127.0.0.1.

Every request must go to the local server, no console errors, the payloads never run, and
search in a person's site finds their own text and nothing of anyone else's. Screenshots
(desktop and phone) land in test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, copy_example
from tests.site.sitehelpers import TODAY, plant_payloads, serve, unique_word

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example team with payloads planted in Daan's talk, every site built, served on 127.0.0.1."""
    from devtalks.cli import main

    base = tmp_path_factory.mktemp("browser")
    repo = copy_example(base / "team")
    plant_payloads(repo)
    out = base / "site"
    assert main(["build", "--repo", str(repo), "--out", str(out), "--today", TODAY, "--jobs", "2"]) == 0
    with serve(out) as origin:
        yield repo, origin


class Visit:
    """One page in a fresh tab, with every request, console error and dialog it causes recorded."""

    def __init__(self, browser, origin: str, viewport=DESKTOP):
        self.origin = origin
        self.page = browser.new_page(viewport=viewport)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str, shot: str | None = None):
        self.page.goto(f"{self.origin}/{path}", wait_until="networkidle")
        if shot:
            ARTIFACTS.mkdir(exist_ok=True)
            self.page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
        return self.page

    def check(self) -> None:
        foreign = [u for u in self.requests if not u.startswith(self.origin + "/")]
        assert not foreign, f"requests left the site's origin: {foreign}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.dialogs, f"a payload ran: {self.dialogs}"
        self.page.close()


@pytest.mark.parametrize("path, shot, text", [
    ("people/daan/index.html", "person-home", "Je volgende stap"),
    ("managers/sanne/index.html", "manager-overview", "Daan Bakker"),
    ("hr/index.html", "hr-home", "Afspraken te laat"),
    ("hr/cycles/2026-autumn.html", "hr-cycle", "Signalen"),
    ("people/daan/trends.html", "person-trends", "Welzijn"),
])
def test_pages_render_locally_without_errors(served, browser, path, shot, text):
    _, origin = served
    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        visit = Visit(browser, origin, viewport)
        page = visit.open(path, shot + suffix)
        assert text in page.inner_text("article")
        if viewport is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], "nothing makes a phone scroll sideways"
        visit.check()


def test_payloads_never_run(served, browser):
    _, origin = served
    visit = Visit(browser, origin)
    page = visit.open("people/daan/talks/2026-autumn.html", "payload-talk")
    article = page.inner_text("article")
    assert "<script>alert('script')</script>" in article, "raw HTML is shown as text"
    assert "onerror=" in article
    link = page.get_by_text("klik hier").first
    assert link.get_attribute("href") is None, "a javascript: link is no link"
    link.click()
    assert _search(page, "trots") >= 1, "results show the answer with the payload, as text"
    page.screenshot(path=str(ARTIFACTS / "payload-search.png"))
    visit.check()


def _search(page, word: str) -> int:
    """Type into the site's search box the way a reader does; the number of results."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    page.keyboard.type(word)
    page.wait_for_function("w => document.querySelector('.md-search__input').value === w && "
                           "/\\d|geen|no /i.test(document.querySelector('.md-search-result__meta').textContent)", arg=word)
    page.wait_for_timeout(300)
    return page.locator(".md-search-result__item").count()


def test_search_finds_own_text_and_nobody_elses(served, browser):
    repo, origin = served
    visit = Visit(browser, origin)
    page = visit.open("people/noor/index.html")
    assert _search(page, unique_word(repo, "noor")) >= 1
    assert _search(page, unique_word(repo, "fleur")) == 0, "Fleur's words are not in Noor's site"
    page.screenshot(path=str(ARTIFACTS / "person-search.png"))
    visit.check()


def test_a_search_result_opens_the_talk_at_the_answer(served, browser):
    repo, origin = served
    visit = Visit(browser, origin)
    page = visit.open("people/noor/index.html")
    word = unique_word(repo, "noor")
    assert _search(page, word) >= 1
    page.locator('.md-search-result__item a[href*="#"]').first.click()
    page.wait_for_url("**/talks/*#*")
    answer = page.locator(f"xpath=//*[@id='{page.url.split('#')[1]}']/following-sibling::div[1]")
    assert word in answer.inner_text().lower(), "the result's anchor is the question the word answers"
    assert 0 <= answer.bounding_box()["y"] < page.viewport_size["height"], "and the page is scrolled to it"
    visit.check()


def test_header_icons_are_painted_from_the_shared_stylesheet(served, browser):
    _, origin = served
    visit = Visit(browser, origin, PHONE)
    page = visit.open("people/daan/talks/2026-autumn.html")
    icons = page.evaluate("""() => [...document.querySelectorAll('.md-header__inner > label.md-header__button svg')]
        .map(i => [getComputedStyle(i).maskImage || getComputedStyle(i).webkitMaskImage,
                   i.getBoundingClientRect().width])""")
    assert len(icons) == 2
    for mask, width in icons:
        assert mask.startswith('url("data:image/svg+xml') and width > 0, "the menu and search buttons show their icons"
    visit.check()


@pytest.mark.parametrize("path", ["people/daan/index.html", "managers/sanne/index.html"])
def test_add_to_calendar_link_serves_the_feed(served, browser, path):
    _, origin = served
    visit = Visit(browser, origin)
    page = visit.open(path)
    link = page.get_by_role("link", name="Zet in je agenda")
    url = page.evaluate("a => a.href", link.element_handle())
    assert url == f"{origin}/{path.rpartition('/')[0]}/calendar.ics"
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    assert response.text().startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in response.text()
    visit.check()
