"""A line break in a one-line field is refused by `validate`; where one reaches a page anyway, it stays text.

The attack (issue 24, item 1): a follow-up title `"Pairsessie\\n\\nPlan\\n{: style=… onanimationstart=…}"`.
The blank line ended devtalks' HTML block around the title, Markdown read the rest with attr_list, and
the `{: … }` line became attributes of a live element: script ran on load in the manager's site, and in
HR's site from a team's team.yaml under `build --org`.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import git
import pytest

from devtalks.model import base
from tests.conftest import ROOT, copy_example
from tests.gitflow.conftest import commit, edit, new_cycle
from tests.site.sitehelpers import TODAY, serve, sites_in
from tests.site.test_site_browser import Visit

PAYLOAD = ("Pairsessie\\n\\nPlan\\n{: style=animation-name:pulse;animation-duration:1ms "
           "onanimationstart=alert(document.domain) }\\n\\nend")
HANDLER = "{: style=animation-name:pulse;animation-duration:1ms onanimationstart=alert(document.domain) }"
FOLLOW_UP = ("talks/daan/checkin-2026-06-30.yaml",
             "title: Een vaste reviewperiode van twee weken opnemen in het RFC-sjabloon", f'title: "{PAYLOAD}"')
HINT = "write it on one line: a `|` or `>` block, an empty line or `\\n` in quotes each make a break"

# (file, text there, the same field with a line break, where validate points): every kind of one-line field,
# and every way YAML writes a line break.
ONE_LINE_FIELDS = {
    "follow-up title": (*FOLLOW_UP, r"follow_ups\[0\]\.title"),
    "agreement title, CRLF": ("talks/daan/2026-autumn.yaml", "title: Tech lead van het developer-portaltraject, met "
                              "een eigen roadmap voor Q1 2027", f'title: "Tech lead\\r\\n\\r\\n{HANDLER}"',
                              r"agreements\[0\]\.title"),
    "agreement support": ("talks/daan/2026-autumn.yaml", "support: Sanne maakt de rol bekend in het teamleadoverleg en "
                          "haalt hem uit de on-call rotatie voor Q1.", f'support: "Steun\\n\\n{HANDLER}"',
                          r"agreements\[0\]\.support"),
    "check-in topic": ("talks/daan/checkin-2026-06-30.yaml", "  - Eerste RFC's besloten",
                       f'  - "Eerste\\n\\n{HANDLER}"', r"topics\[0\]"),
    "person name, literal block": ("team.yaml", "    name: Daan Bakker",
                                   f"    name: |\n      Daan\n\n      {HANDLER}\n", r"people\[1\]\.name"),
    "role, line separator": ("team.yaml", "role: Senior platform engineer",
                             f'role: "Senior\\u2028{HANDLER}"', r"people\[1\]\.role"),
    "team department": ("team.yaml", "department: Engineering", f'department: "{PAYLOAD}"', r"team\.department"),
    "team name, plain scalar over an empty line": ("team.yaml", "  name: Platform\n",
                                                   "  name: Platform\n\n    Plan\n", r"team\.name"),
    "goal title": ("team.yaml", "title: Alle services op Kubernetes", f'title: "Alle\\n\\n{HANDLER}"',
                   r"goals\[0\]\.title"),
    "cycle title, folded block": ("cycles/2026-autumn.yaml", "title: Ontwikkelingsgesprekken najaar 2026",
                                  "title: >\n  Ontwikkelingsgesprekken najaar 2026", r"title"),
    "question text": ("question_templates/default.yaml", "nl: Waar ben je het meest trots op?",
                      f'nl: "Trots?\\n\\n{HANDLER}"', r"sections\[\d+\]\.questions\[\d+\]\.text\.nl"),
    "choice option": ("question_templates/default.yaml", "{nl: Een cursus of training,",
                      f'{{nl: "Een cursus\\n\\n{HANDLER}",', r"sections\[\d+\]\.questions\[\d+\]\.options\[0\]\.text\.nl"),
}


@pytest.mark.parametrize("field", ONE_LINE_FIELDS)
def test_a_line_break_in_a_one_line_field_is_refused_by_validate(field, example_repo, run_cli):
    rel, old, new, loc = ONE_LINE_FIELDS[field]
    edit(example_repo / rel, old, new)
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1, result.stdout
    pattern = rf"^{re.escape(rel)}:\d+:\d+: error DT102: {loc}: has a line break; it is one line of text — "
    assert re.search(pattern + re.escape(HINT), result.stdout, re.M), result.stdout


def test_the_follow_up_title_from_the_issue_is_refused_at_its_line_and_column(example_repo, run_cli):
    rel, old, new = FOLLOW_UP
    edit(example_repo / rel, old, new)
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{rel}:27:12: error DT102: follow_ups[0].title: has a line break"), result.stdout
    built = run_cli("build", "--repo", example_repo, "--out", example_repo.parent / "site", "--today", TODAY)
    assert built.exit_code == 1 and f"{rel}:27:12: DT102" in built.stderr
    assert not (example_repo.parent / "site" / "managers").exists(), "no site is built from it"


class _Attributes(HTMLParser):
    """Every element's attribute names in a page, to find live handlers and inline styles."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name) for name, _ in attrs if name.startswith("on") or name == "style"]


def live_attributes(site: Path) -> list[tuple[str, str, str]]:
    """(page, tag, attribute) of every event handler or style attribute in a built site's pages."""
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(str(page.relative_to(site)), tag, name) for tag, name in parser.found]
    return found


PAGES = ["people/daan/checkins.html", "people/daan/index.html", "people/daan/agreements.html",
         "people/daan/talks/2026-autumn.html", "managers/sanne/daan/checkins.html", "managers/sanne/index.html",
         "managers/sanne/preparation.html", "hr/index.html", "hr/cycles/2026-autumn.html"]


def assert_inert(browser, out: Path, pages: list[str], shows: str) -> None:
    """No handler or style attribute in any page of any site; in Chromium, nothing runs and `shows` is text."""
    for site in sites_in(out).values():
        assert live_attributes(site) == [], f"a live attribute in {site}"
    with serve(out) as origin:
        for path in pages:
            visit = Visit(browser, origin)
            page = visit.open(path)
            page.wait_for_timeout(100)  # the payload's animation lasts 1 ms
            assert not visit.dialogs, f"script ran in {path}: {visit.dialogs}"
            if shows:
                assert shows in page.inner_text("body"), f"{path} shows the value as text"
            visit.check()


@pytest.mark.browser
def test_line_breaks_that_get_past_validation_stay_inside_their_block(example_repo, tmp_path, browser, run_cli,
                                                                      monkeypatch):
    """The second line of defence: were validation to let line breaks through (switched off here), every one-line
    field in every page still renders on one line, as text, with no handler."""
    monkeypatch.setattr(base, "_LINE_BREAK_RE", re.compile(r"(?!)"), raising=False)
    for rel, old, new, _ in ONE_LINE_FIELDS.values():
        edit(example_repo / rel, old, new)
    out = tmp_path / "site"
    result = run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/daan", "--only", "managers/sanne",
                     "--only", "hr", "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert_inert(browser, out, PAGES, HANDLER)


@pytest.mark.browser
def test_a_question_help_with_blank_lines_stays_text(example_repo, tmp_path, browser, run_cli):
    """A question's help may have paragraphs (it is no one-line field): shown on the page, it is one line of text."""
    edit(example_repo / "question_templates" / "default.yaml",
         "nl: Denk aan tijd, budget, een mentor, een training of een ander soort werk.", f'nl: "{PAYLOAD}"')
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 0
    out = tmp_path / "site"
    assert run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/daan", "--only", "managers/sanne",
                   "--today", TODAY, "--jobs", "1").exit_code == 0
    assert_inert(browser, out, ["people/daan/talks/2026-autumn.html", "managers/sanne/preparation.html"], HANDLER)


@pytest.mark.browser
def test_a_teams_department_with_the_payload_never_reaches_hrs_site(tmp_path, browser):
    remotes = tmp_path / "work"
    good = copy_example(remotes / "good")
    hostile = copy_example(remotes / "hostile")
    edit(hostile / "team.yaml", "id: platform", "id: data")
    edit(hostile / "team.yaml", "department: Engineering", f'department: "{PAYLOAD}"')
    for team in (good, hostile):
        commit(git.Repo.init(team, initial_branch="main"), "The team", "sanne", "2026-03-01")
    hr = tmp_path / "hr"
    hr.mkdir()
    shutil.copytree(ROOT / "question_templates", hr / "question_templates")
    (hr / "cycles").mkdir()
    new_cycle(hr)
    (hr / "org.yaml").write_text("name: Voorbeeld BV\nteams:\n  - repo: ../work/good\n  - repo: ../work/hostile\n",
                                 encoding="utf-8")
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "devtalks.cli", "build", "--org", str(hr / "org.yaml"),
                             "--repo", str(hr), "--out", str(out), "--today", TODAY], capture_output=True, text=True,
                            env={**os.environ, "DEVTALKS_CACHE_DIR": str(tmp_path / "cache")})
    assert (out / "hr" / "index.html").is_file(), result.stderr
    assert_inert(browser, out, ["hr/index.html", "hr/cycles/2026-autumn.html"], "")
    assert "team `hostile` is left out of the HR site" in result.stderr, "its team.yaml has an error (DT102)"


def test_a_title_with_markup_characters_reads_as_written(example_repo, tmp_path, run_cli):
    """Escaped once, not twice: `&` shows as `&`, not as `&amp;`, in the heading and the page's title."""
    title = "Q&A <najaar> {: #x } 'en' \"zo\""
    edit(example_repo / "cycles" / "2026-autumn.yaml", "title: Ontwikkelingsgesprekken najaar 2026",
         f"title: {json.dumps(title)}")
    out = tmp_path / "site"
    assert run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/daan", "--today", TODAY,
                   "--jobs", "1").exit_code == 0
    page = (out / "people" / "daan" / "talks" / "2026-autumn.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert html.unescape(heading) == title
    assert html.unescape(re.search(r"<title>(.*?) - ", page).group(1)) == title
