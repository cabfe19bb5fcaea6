"""User text is text: HTML in answers shows as text, never runs; javascript: links are no links."""

from __future__ import annotations

import re

from devtalks.site import usertext
from tests.site.sitehelpers import PAYLOADS, TODAY, plant_payloads

LIVE_TAG = re.compile(r"<(script|img)\b[^>]*>(?![^<]*</code>)", re.I)


def test_markdown_renders_and_html_shows_as_text():
    out = usertext.render("**vet** en *schuin*\n\n- een\n- twee\n\n[site](https://example.com) "
                          + " ".join(PAYLOADS.values()))
    assert "<strong>vet</strong>" in out and "<em>schuin</em>" in out and "<li>twee</li>" in out
    assert '<a href="https://example.com" rel="noopener noreferrer">site</a>' in out
    assert "&lt;script&gt;alert" in out, "a script tag is shown as text, not dropped"
    assert "&lt;img src=x onerror=" in out
    assert "<script" not in out and "<img" not in out
    assert "javascript:" not in out.lower(), "a javascript: link loses its target"
    assert ">klik hier</a>" in out, "…but its text stays"


def test_tricky_schemes_and_images_never_become_live():
    for text in ("[a](JaVaScRiPt:alert(1))", "[a](jav&#x61;script:alert(1))", "<javascript:alert(1)>",
                 "![x](https://tracker.example/pixel.png)", "[a](data:text/html,<script>alert(1)</script>)"):
        out = usertext.render(text)
        assert "href=\"javascript" not in out.lower() and "href=\"jav" not in out.lower(), text
        assert "<img" not in out and "href=\"data:" not in out, text


def test_payloads_in_a_built_site_are_inert(example_repo, tmp_path, run_cli):
    plant_payloads(example_repo)
    out = tmp_path / "site"
    result = run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/daan",
                     "--only", "managers/sanne", "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    for site in ("people/daan", "managers/sanne/daan"):
        page = (out / site / "talks" / "2026-autumn.html").read_text()
        assert "&lt;script&gt;alert(&#x27;script&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('script')" in page
        assert "onerror=" in page and not re.search(r"<[a-z]+[^>]*\sonerror=", page), "onerror only as text"
        content = page.split("<article", 1)[1].split("</article>", 1)[0]
        assert not LIVE_TAG.search(content), "no live script or img in the content"
        assert not re.search(r"href=\"\s*javascript:", page, re.I)
        assert '<a href="https://wiki.example.com/portal" rel="noopener noreferrer">de wiki</a>' in page
        assert "<em>eerst</em>" in page
        index = (out / site.split("/daan")[0] if site.startswith("managers") else out / site) / "search" / "search_index.json"
        assert "<script>alert" not in index.read_text(), "the search index carries the payload as text only"
