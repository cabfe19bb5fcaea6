"""What the pages of the example team say and how they are laid out, as a reader (or their screen reader) meets them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import copy_example
from tests.site.sitehelpers import TODAY, serve, site_text, sites_in

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


def test_a_note_for_template_authors_reaches_no_page(built):
    repo, out = built
    template = yaml.safe_load((repo / "question_templates" / "default.yaml").read_text(encoding="utf-8"))
    notes = [text for s in template["sections"] for q in s["questions"] for text in (q.get("note") or {}).values()]
    assert notes, "the example template carries a note for its authors"
    for key, site in sites_in(out).items():
        text = site_text(site)
        for note in notes:
            assert note[:40] not in text, f"{key} shows a note meant for template authors: {note}"


def test_the_managers_answer_sits_under_the_managers_wording(built):
    repo, out = built
    template = yaml.safe_load((repo / "question_templates" / "default.yaml").read_text(encoding="utf-8"))
    talk = yaml.safe_load((repo / "talks" / "daan" / "2026-autumn.yaml").read_text(encoding="utf-8"))
    worded = {q["id"]: q for s in template["sections"] for q in s["questions"] if "manager_text" in q}
    answered = [qid for qid in worded if talk["manager"].get(qid) not in (None, "")]
    assert len(answered) >= 3, "Daan's manager answered questions she is asked in words of her own"
    for site, page in (("people/daan", "talks/2026-autumn.html"), ("managers/sanne", "daan/talks/2026-autumn.html")):
        boxes = re.findall(r'<div class="dt-answer" data-side="([^"]+)">(.*?)</div>',
                           (out / site / page).read_text(encoding="utf-8"))
        manager = " ".join(html.unescape(body) for side, body in boxes if side == "Leidinggevende")
        employee = " ".join(html.unescape(body) for side, body in boxes if side == "Medewerker")
        for qid in answered:
            assert worded[qid]["manager_text"]["nl"] in manager, f"{site}/{page}: {qid} without the manager's wording"
            assert worded[qid]["manager_text"]["nl"] not in employee


def test_the_preparation_page_shows_what_was_answered_and_counts_the_rest(built):
    repo, out = built
    page = (out / "managers/sanne/preparation.html").read_text(encoding="utf-8")
    article = html.unescape(page[page.index("<article"):page.index("</article>")])
    assert '<p class="dt-empty">nog niet beantwoord</p>' not in article, "an unanswered question is counted, not listed"
    noor = yaml.safe_load((repo / "talks" / "noor" / "2026-autumn.yaml").read_text(encoding="utf-8"))
    given = [v for v in noor["employee"].values() if isinstance(v, str) and v.strip()]
    assert given and all(" ".join(v.split())[:60] in " ".join(article.split()) for v in given)
    assert re.search(r"\d+ van \d+ vragen nog niet beantwoord", article), "Noor left questions open: one line says so"


@pytest.mark.browser
def test_a_preparation_page_before_anyone_answered_stays_short(tmp_path, browser, run_cli):
    """A new cycle, nothing answered yet: one line per report, not every question with "not answered yet" under it
    (that page was 24,000 px for six reports, over 4,000 each)."""
    repo = copy_example(tmp_path / "team")
    for talk in (repo / "talks").glob("*/2026-autumn.yaml"):
        talk.unlink()
    out = tmp_path / "site"
    assert run_cli("build", "--repo", repo, "--out", out, "--only", "managers/sanne", "--today", TODAY).exit_code == 0
    reports = len(re.findall(r"<h2 ", (out / "managers/sanne/preparation.html").read_text(encoding="utf-8")))
    assert reports == 6
    with serve(out) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{origin}/managers/sanne/preparation.html", wait_until="networkidle")
        height = page.evaluate("document.documentElement.scrollHeight")
        empty = page.locator("article .dt-empty").all_inner_texts()
        page.close()
    assert empty == ["Nog niets voorbereid."] * reports
    assert height < 600 * reports, f"{height} px for {reports} reports who have not started"


def test_a_subtotal_shows_only_where_it_adds_up_more_than_one_row():
    from devtalks.site.hrviews import distinct

    def rows(*teams: tuple[str, str]) -> list[dict]:
        out = []
        for dept in dict.fromkeys(d for d, _ in teams):
            out += [{"kind": "team", "department": d, "team": t} for d, t in teams if d == dept]
            out.append({"kind": "dept", "department": dept, "team": ""})
        return [*out, {"kind": "all", "department": "", "team": ""}]

    def shown(*teams):
        return [(r["kind"], r["department"] or r["team"]) for r in distinct(rows(*teams))]

    assert shown(("eng", "platform")) == [("team", "eng")]
    assert shown(("eng", "platform"), ("eng", "data")) == [("team", "eng"), ("team", "eng"), ("all", "")]
    assert shown(("eng", "platform"), ("eng", "data"), ("sales", "north")) == [
        ("team", "eng"), ("team", "eng"), ("dept", "eng"), ("team", "sales"), ("all", "")]
