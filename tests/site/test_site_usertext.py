"""User text is text: HTML in answers shows as text, never runs; javascript: links are no links."""

from __future__ import annotations

import re
import time

import pytest
import yaml

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


SIZE = 40_000
BENIGN = ("Het gesprek ging over **groei** en *werkdruk*; zie [de wiki](https://wiki.example.com/portal).\n"
          "- een afspraak\n- nog een\n\n> een citaat\n\n")
# Each takes Python-Markdown (or a regex before it) time in the square of its length.
PATHOLOGICAL = {
    "blank lines": "\n" * SIZE + "Samenvatting",
    "blank lines with spaces": " \n" * (SIZE // 2) + "**x**",
    "unclosed links": "[a](" * (SIZE // 4),
    "unclosed titles": '[a](b "' * (SIZE // 7),
    "unclosed references": "[a][" * (SIZE // 4),
    "brackets": "[" * SIZE,
    "stars": "*a" * (SIZE // 2),
    "underscores": "_a" * (SIZE // 2),
    "escapes": "\\\\" * (SIZE // 2),
    "backticks": "`a" * (SIZE // 2),
    "nested quotes": ">" * SIZE,
    "nested lists": "".join("  " * i + "- a\n" for i in range(180)),
    "headings": "a\n=\n" * (SIZE // 4),
    "list items": "- a\n" * (SIZE // 4),
    # Under the length and bracket limits, so Markdown reads them with links.
    "unclosed links, shorter": ("[a](" + "x " * 22) * 199,
    "many links, shorter": ("[a](b) " + "y " * 20) * 199,
}


def _fastest(text: str) -> float:
    times = []
    for _ in range(3):
        usertext.render.cache_clear()
        start = time.perf_counter()
        usertext.render(text)
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_user_text_renders_in_time_linear_in_its_length(name):
    text = PATHOLOGICAL[name]
    benign = (BENIGN * (len(text) // len(BENIGN) + 1))[:len(text)]
    assert _fastest(text) < 3 * _fastest(benign) + 0.05, f"{name}: {len(text)} characters"


def test_a_long_text_is_shown_whole_without_formatting():
    text = "Begin **vet**. " + "woord " * usertext.MARKDOWN_LIMIT + "<script>alert(1)</script> einde"
    out = usertext.render(text)
    assert out.startswith("<p>Begin **vet**.") and out.endswith("&lt;script&gt;alert(1)&lt;/script&gt; einde</p>")


def test_a_summary_of_blank_lines_builds_as_fast_as_a_plain_one(example_repo, tmp_path, run_cli):
    talk = example_repo / "talks" / "daan" / "2026-autumn.yaml"
    original = yaml.safe_load(talk.read_text(encoding="utf-8"))

    def build(summary: str, answers: str, name: str) -> float:
        data = dict(original, summary=summary, employee={**original["employee"], "proud": answers})
        talk.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        start = time.perf_counter()
        result = run_cli("build", "--repo", example_repo, "--out", tmp_path / name, "--only", "people/daan",
                         "--today", TODAY, "--jobs", "1")
        assert result.exit_code == 0, result.stderr
        return time.perf_counter() - start

    build(BENIGN, BENIGN, "warm")
    plain = build(BENIGN * (SIZE // len(BENIGN)), BENIGN * (SIZE // len(BENIGN)), "plain")
    hostile = build("\n" * SIZE + "Samenvatting", "[a](" * (SIZE // 4), "hostile")
    assert hostile < 3 * plain, (hostile, plain)
    page = (tmp_path / "hostile" / "people" / "daan" / "talks" / "2026-autumn.html").read_text(encoding="utf-8")
    assert "Samenvatting" in page
