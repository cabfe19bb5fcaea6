"""What the pages of the example team say and how they are laid out, as a reader (or their screen reader) meets them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from tests.site.sitehelpers import sites_in

HEADING = re.compile(r"<h([1-6])[\s>]")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def test_headings_never_skip_a_level(built):
    _, out = built
    for site in sites_in(out).values():
        for page in pages_of(site):
            levels = [int(h) for h in HEADING.findall(page.read_text(encoding="utf-8"))]
            skips = [(a, b) for a, b in zip([0, *levels], levels) if b > a + 1]
            assert not skips, f"{page.relative_to(out)} jumps from h{skips[0][0]} to h{skips[0][1]}"


def test_every_page_has_a_description_that_names_nobody(built):
    repo, out = built
    team = yaml.safe_load((repo / "team.yaml").read_text(encoding="utf-8"))
    words = {w for p in team["people"] for w in (p["id"], *p["name"].split()) if len(w) > 3}
    for key, site in sites_in(out).items():
        for page in pages_of(site):
            found = DESCRIPTION.findall(page.read_text(encoding="utf-8"))
            assert len(found) == 1 and len(html.unescape(found[0])) > 40, f"{page.relative_to(out)}: {found}"
            named = {w for w in words if re.search(rf"\b{re.escape(w)}\b", found[0], re.I)}
            assert not named, f"{page.relative_to(out)}'s description names {named}"


def test_hr_shows_one_row_per_team_when_a_subtotal_would_repeat_it(built):
    _, out = built
    for page in pages_of(out / "hr"):
        text = page.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="dt-table dt-(?:progress|signals)">(.*?)</table>', text, re.S):
            rows = re.findall(r"<tr class=\"dt-row-(\w+)\"", table)
            assert rows == ["team"], f"{page.relative_to(out)}: the one team's row, then {rows[1:]} repeating it"
