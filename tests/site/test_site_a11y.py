"""Every page kind of the person, manager and HR sites, as people with assistive technology use them.

axe-core finds no WCAG 2.1 A/AA violation in any language devtalks speaks, in the light and the
dark scheme; every link and the search box is reached with Tab and shows where the focus is;
at 320 px wide and at 200 % zoom no text runs off the side (a wide table scrolls inside its own
box, which WCAG 1.4.10 allows for content that needs two dimensions, and nothing else does).
"""

from __future__ import annotations

import re

import pytest

from devtalks.i18n import LANGUAGES
from tests.conftest import copy_example, need
from tests.site import axecheck
from tests.site.sitehelpers import TODAY, serve

pytestmark = pytest.mark.browser
PAGES = {
    "person home": "people/daan/index.html",
    "talk": "people/daan/talks/2026-autumn.html",
    "agreements": "people/daan/agreements.html",
    "check-ins": "people/daan/checkins.html",
    "trends": "people/daan/trends.html",
    "person 404": "people/daan/404.html",
    "team": "managers/sanne/index.html",
    "preparation": "managers/sanne/preparation.html",
    "HR home": "hr/index.html",
    "HR cycle": "hr/cycles/2026-autumn.html",
    "HR 404": "hr/404.html",
}
SCHEMES = {"light": "default", "dark": "slate"}  # the browser's preference → the Material scheme it must pick
DESKTOP = {"width": 1280, "height": 900}
# 320 CSS px is WCAG's reflow width; 1280×900 at 200 % zoom lays out like 640×450 at device scale 2.
NARROW = {"320 px": ({"width": 320, "height": 800}, 1), "200 % zoom": ({"width": 640, "height": 450}, 2)}
SCROLLS_INSIDE = ".dt-table-wrap, .md-typeset__scrollwrap, pre"


@pytest.fixture(scope="module")
def origins(tmp_path_factory):
    """language → origin of the example team built in that language (built when first asked for)."""
    from devtalks.cli import main

    servers, built = {}, {}

    def origin(language: str) -> str:
        if language not in built:
            base = tmp_path_factory.mktemp(f"a11y-{language}")
            repo = copy_example(base / "team")
            team = repo / "team.yaml"
            text, found = re.subn(r"(?m)^language: \w+$", f"language: {language}", team.read_text(encoding="utf-8"))
            assert found == 1, "the example team.yaml names its language on one line"
            team.write_text(text, encoding="utf-8")
            out = base / "site"
            assert main(["build", "--repo", str(repo), "--out", str(out), "--today", TODAY, "--jobs", "2"]) == 0
            servers[language] = serve(out)
            built[language] = servers[language].__enter__()
        return built[language]

    yield origin
    for server in servers.values():
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def contexts(browser):
    """scheme → a browser context whose reader prefers that colour scheme."""
    made = {scheme: browser.new_context(viewport=DESKTOP, color_scheme=scheme) for scheme in SCHEMES}
    yield made
    for context in made.values():
        context.close()


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_violation(origins, contexts, language, scheme, kind):
    need("axe_playwright_python")
    page = contexts[scheme].new_page()
    page.goto(f"{origins(language)}/{PAGES[kind]}", wait_until="load")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    assert page.get_attribute("html", "lang") == language
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # a chart's table too
    violations = axecheck.audit(page)
    page.close()
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("kind", ["person home", "talk", "trends", "team", "HR home", "HR cycle"])
def test_every_link_and_the_search_take_visible_focus_with_tab(origins, browser, kind):
    url = f"{origins(LANGUAGES[0])}/{PAGES[kind]}"
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url, wait_until="load")
    wanted = page.evaluate(f"() => [...document.querySelectorAll('{TAB_STOPS}')].filter(e => e.checkVisibility("
                           "{checkOpacity: true, checkVisibilityCSS: true})).map((e, i) => e.dataset.dtStop = "
                           "`${i}: ${e.outerHTML.slice(0, 100)}`)")
    focused = {}
    for _ in range(len(wanted) * 3 + 20):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None:
            break  # focus went round to the page itself: every stop has been visited
        if stop["name"] in wanted and stop["name"] not in focused:
            focused[stop["name"]] = (stop, _shot(page, stop))
    # The same spots with nothing focused, in a fresh copy of the page scrolled the same way.
    page.goto(url, wait_until="load")
    unseen = []
    for name, (stop, shot) in focused.items():
        page.evaluate("([x, y]) => window.scrollTo({left: x, top: y, behavior: 'instant'})", stop["scroll"])
        if _shot(page, stop) == shot:
            unseen.append(name)
    page.close()
    assert wanted, "the page has links"
    assert not [w for w in wanted if w not in focused], "Tab reaches every link and the search box"
    assert not unseen, f"focus is invisible on: {unseen}"


TAB_STOPS = "a[href], input.md-search__input"
# Which of the marked tab stops has focus (null once focus is back on the page), and the viewport spot it is drawn in.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const r = e.getBoundingClientRect(), pad = 6;
    const x = Math.max(r.left - pad, 0), y = Math.max(r.top - pad, 0);
    return {name: e.dataset.dtStop || "", scroll: [scrollX, scrollY], x, y,
            width: Math.min(r.width + 2 * pad, innerWidth - x), height: Math.min(r.height + 2 * pad, innerHeight - y)};
}"""


def _shot(page, stop) -> bytes:
    return page.screenshot(clip={k: stop[k] for k in ("x", "y", "width", "height")}, animations="disabled")


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("size", NARROW)
def test_no_text_runs_off_the_side_at_320_px_and_200_percent(origins, browser, size, kind):
    viewport, scale = NARROW[size]
    page = browser.new_page(viewport=viewport, device_scale_factor=scale)
    page.goto(f"{origins(LANGUAGES[0])}/{PAGES[kind]}", wait_until="load")
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    outside = page.evaluate("""sel => [...document.querySelectorAll('body *')]
        .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .filter(e => e.checkVisibility() && !e.closest(sel) && !e.closest('.md-search, .md-sidebar, .md-skip'))
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.width && (r.left < -1 || r.right > innerWidth + 1); })
        .map(e => e.outerHTML.slice(0, 120))""", SCROLLS_INSIDE)
    page.close()
    assert width <= client, f"the page scrolls sideways: {width} px wide in a {client} px window"
    assert not outside, f"text runs off the side: {outside}"


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW["320 px"][0]], ids=["1280 px", "320 px"])
def test_chart_labels_render_inside_the_chart(origins, browser, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(f"{origins(LANGUAGES[0])}/{PAGES['trends']}", wait_until="load")
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg.dt-chart')].flatMap(svg => {
        const v = svg.viewBox.baseVal;
        const shown = [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t.parentNode).display !== 'none');
        return shown.map(t => { const b = t.getBBox();
            return {text: t.textContent, inside: b.x >= v.x && b.y >= v.y && b.x + b.width <= v.x + v.width
                    && b.y + b.height <= v.y + v.height}; });
    })""")
    page.close()
    assert len(boxes) > 20, "the trends page has charts with labels"
    assert all(b["inside"] for b in boxes), [b["text"] for b in boxes if not b["inside"]]
