"""A logo, favicon or stylesheet that mkdocs.yml names must be a file of the site, in every spelling.

Issue 24, item 10: `logo: "\\\\\\\\evil.example/x.png"` passed the origin check (it looked for `:` and `//`),
mkdocs turned the backslashes into slashes, and pages loaded `<img src="//evil.example/x.png">`.
"""

from __future__ import annotations

import json

import pytest

from tests.site.sitehelpers import TODAY

# Every way a browser reads a path as another origin: backslashes are slashes to it, and it drops tabs, line
# breaks and the spaces at either end before it reads an address.
FOREIGN = {
    "two backslashes": "\\\\evil.example/x.png",
    "slash backslash": "/\\evil.example/x.png",
    "backslash slash": "\\/evil.example/x.png",
    "mixed, three": "/\\/evil.example/x.png",
    "protocol-relative": "//evil.example/x.png",
    "scheme": "https://evil.example/x.png",
    "leading space": " //evil.example/x.png",
    "tab between the slashes": "/\t/evil.example/x.png",
    "line break between the slashes": "/\n/evil.example/x.png",
    "root of the server": "/x.png",
}
# (key as the message names it, the line in the example's mkdocs.yml, the value's column there)
PLACES = {"logo": ("theme.logo", "  logo: assets/images/logo.svg", 9),
          "favicon": ("theme.favicon", "  favicon: assets/images/logo.svg", 12),
          "extra_css": ("extra_css.0", "  - assets/stylesheets/company.css", 5)}


def build_with(repo, run_cli, tmp_path, place: str, value: str):
    config = repo / "mkdocs.yml"
    _, line_text, _ = PLACES[place]
    text = config.read_text(encoding="utf-8")
    key = "- " if place == "extra_css" else f"{place}: "
    config.write_text(text.replace(line_text, line_text[:line_text.index(key) + len(key)] + json.dumps(value)),
                      encoding="utf-8")
    line = text[:text.index(line_text)].count("\n") + 1
    out = tmp_path / "site"
    return line, out, run_cli("build", "--repo", repo, "--out", out, "--only", "people/daan", "--only", "people/noor",
                              "--today", TODAY, "--jobs", "1")


def assert_refused(result, out, place: str, line: int, value: str) -> None:
    name, _, col = PLACES[place]
    pages = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    assert not [p for p, html in pages.items() if "evil.example" in html], "a page loads from another origin"
    assert result.exit_code == 1, result.stderr
    assert f"mkdocs.yml:{line}:{col}: {name} `{value}` is no path inside the site" in result.stderr, result.stderr
    assert "put the file under site_overrides/ and give its path" in result.stderr
    assert not pages, "no site is built from it"


@pytest.mark.parametrize("form", FOREIGN)
def test_a_logo_from_another_origin_is_refused_in_every_spelling(form, example_repo, tmp_path, run_cli):
    value = FOREIGN[form]
    line, out, result = build_with(example_repo, run_cli, tmp_path, "logo", value)
    assert_refused(result, out, "logo", line, value)


@pytest.mark.parametrize("place", ["favicon", "extra_css"])
@pytest.mark.parametrize("form", ["two backslashes", "slash backslash", "protocol-relative"])
def test_a_favicon_or_stylesheet_from_another_origin_is_refused(place, form, example_repo, tmp_path, run_cli):
    value = FOREIGN[form]
    line, out, result = build_with(example_repo, run_cli, tmp_path, place, value)
    assert_refused(result, out, place, line, value)


def test_paths_inside_the_site_still_build(example_repo, tmp_path, run_cli):
    _, out, result = build_with(example_repo, run_cli, tmp_path, "logo", "assets/images/logo.svg")
    assert result.exit_code == 0, result.stderr
    page = (out / "people" / "noor" / "index.html").read_text(encoding="utf-8")
    assert '<img src="assets/images/logo.svg" alt="logo">' in page
    assert '<link rel="stylesheet" href="assets/stylesheets/company.css">' in page
