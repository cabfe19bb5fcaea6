"""Every page carries a strict Content-Security-Policy: the theme works under it, an injected handler does not run.

The policy is a <meta> first in each page's <head>: script, style, images, fonts and fetches from the site
itself, no inline handler or style, the theme's own inline scripts allowed by their hashes only.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil

import pytest

from tests.site.sitehelpers import serve, sites_in
from tests.site.test_site_browser import Visit, _search
from tests.site.test_site_serve import _wait_for, previewing

META = re.compile(r'^\s*<!doctype html><html[^>]*><head><meta charset="utf-8">'
                  r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', re.I)
ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
INLINE = re.compile(r"<script>(.*?)</script>", re.S)
FIXED = {"default-src": ["'none'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"], "font-src": ["'self'"],
         "connect-src": ["'self'"], "worker-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"],
         "form-action": ["'none'"]}


def policy_of(html: str) -> dict[str, list[str]]:
    found = META.match(html)
    assert found, "the policy is the first thing after the charset"
    return {name: sources for name, *sources in (d.split() for d in found.group(1).split(";"))}


def sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def test_every_page_of_every_site_carries_a_strict_policy(built):
    _, out = built
    pages = [page for site in sites_in(out).values() for page in sorted(site.rglob("*.html"))]
    assert {p.name for p in pages} >= {"404.html", "index.html", "checkins.html", "trends.html"}
    assert {site for site in sites_in(out)} >= {"hr", "people/daan", "managers/sanne"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policy = policy_of(html)
        assert {k: policy.get(k) for k in FIXED} == FIXED, page
        chrome = ARTICLE.sub("", html)
        theirs = sorted({sha256(code) for code in INLINE.findall(chrome)})
        assert theirs, f"{page}: the theme's inline script that says where the site is"
        assert policy["script-src"] == ["'self'", *theirs], f"{page}: the page's own inline scripts, by hash only"
        article = "".join(ARTICLE.findall(html))
        assert "<script" not in article and "<style" not in html, page
        assert not re.search(r"<[^>]+\s(on[a-z]+|style)=", html), f"{page}: an inline handler or style"


@pytest.fixture(scope="module")
def served_sites(built):
    _, out = built
    with serve(out) as origin:
        yield origin


@pytest.mark.browser
@pytest.mark.parametrize("path", ["people/daan/index.html", "people/daan/trends.html", "managers/sanne/index.html",
                                  "managers/sanne/daan/checkins.html", "hr/index.html", "hr/cycles/2026-autumn.html",
                                  "people/daan/404.html"])
def test_every_kind_of_page_loads_without_a_policy_violation(served_sites, browser, path):
    visit = Visit(browser, served_sites)
    page = visit.open(path)
    assert page.locator("article").count() == 1
    visit.check()  # a refused script, style or image is a console error


@pytest.mark.browser
def test_the_theme_works_under_its_policy(served_sites, browser):
    visit = Visit(browser, served_sites)
    page = visit.open("people/daan/index.html")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.locator('label[for="__palette_1"]').click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert _search(page, "roadmap") >= 1, "search runs in its worker and fetches its index"
    page.keyboard.press("Escape")
    page.locator('.md-sidebar--primary a.md-nav__link[href="trends.html"]').click()
    page.wait_for_url("**/people/daan/trends.html")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate", "the palette script kept the choice"
    chart = page.locator("svg.dt-chart").first.bounding_box()
    assert chart and chart["width"] > 100 and chart["height"] > 40, "the charts draw"
    visit.check()


INJECTED = ['<img src="x" onerror="alert(\'onerror\')">',
            '<p style="animation-name:pulse;animation-duration:1ms" onanimationstart="alert(\'animation\')">x</p>',
            "<script>alert('inline')</script>",
            '<a id="dt-click" href="#" onclick="alert(\'click\')">klik</a>']


@pytest.mark.browser
def test_a_handler_that_slips_into_a_page_does_not_run(built, tmp_path, browser):
    _, out = built
    site = tmp_path / "daan"
    shutil.copytree(out / "people" / "daan", site)
    talk = site / "talks" / "2026-autumn.html"
    talk.write_text(talk.read_text().replace("<article class=\"md-content__inner md-typeset\">",
                                             "<article class=\"md-content__inner md-typeset\">" + "".join(INJECTED), 1))
    assert talk.read_text().count("alert(") == len(INJECTED)
    with serve(site) as origin:
        visit = Visit(browser, origin)
        page = visit.open("talks/2026-autumn.html")
        page.locator("#dt-click").click()
        page.wait_for_timeout(300)
        assert visit.dialogs == [], "no injected handler or script ran"
        refused = [e for e in visit.errors if "Content Security Policy" in e]
        assert len(refused) >= 3, f"the policy refused them: {visit.errors}"
        page.close()


@pytest.mark.browser
def test_the_preview_reloads_under_the_policy(example_repo, browser):
    """`devtalks serve` puts mkdocs' live-reload script inline into each page; the page's policy allows that one."""
    with previewing(example_repo) as (origin, proc):
        _wait_for(f"{origin}/index.html", "livereload", proc)
        visit = Visit(browser, origin)
        logged: list[str] = []
        visit.page.on("console", lambda m: logged.append(m.text))
        visit.page.goto(f"{origin}/index.html", wait_until="load")
        visit.page.wait_for_timeout(500)
        assert "Enabled live reload" in logged
        assert not visit.errors, visit.errors
        visit.page.close()
