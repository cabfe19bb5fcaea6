"""Privacy by construction: no text from one person's files shows up in a site it does not belong to.

Every built file of every site counts (pages, 404, search index, sitemap, calendar feed). Text
is compared as runs of five words, so Markdown, HTML escaping and line breaks cannot hide a leak.
"""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import yaml

from devtalks.i18n import LANGUAGES
from tests.site.sitehelpers import site_text, sites_in
from tests.test_catalogues import catalogue

WORDS = re.compile(r"\w+")
RUN = 5


def runs(text: str) -> set[tuple[str, ...]]:
    words = WORDS.findall(text.lower())
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _texts(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _texts(v)]
    return []


def person_texts(repo: Path, person: str) -> tuple[list[str], list[str]]:
    """(all user text in a person's files, the part HR may read: answers to questions shared with HR)."""
    templates = {p.stem: yaml.safe_load(p.read_text()) for p in (repo / "question_templates").glob("*.yaml")}
    hr_questions = {q["id"] for t in templates.values() for s in t["sections"] for q in s["questions"]
                    if "hr" in q.get("visibility", [])}
    everything, for_hr = [], []
    for path in sorted((repo / "talks" / person).glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        everything.extend(_texts(data))
        for side in ("employee", "manager"):
            for qid, answer in (data.get(side) or {}).items():
                if qid in hr_questions:
                    for_hr.extend(_texts(answer))
    return everything, for_hr


def shared_texts(repo: Path) -> set:
    """Text every site may carry: team, templates, cycles, the site configuration and the UI strings."""
    found: set = set()
    for path in [repo / "team.yaml", repo / "mkdocs.yml", *(repo / "question_templates").glob("*.yaml"),
                 *(repo / "cycles").glob("*.yaml"), *(repo / "site_overrides").rglob("*.*")]:
        found |= runs(path.read_text(errors="replace"))
    for language in LANGUAGES:
        for text in catalogue(language).values():
            found |= runs(text)
    return found


def test_no_person_text_in_any_site_it_does_not_belong_to(built):
    repo, out = built
    team = yaml.safe_load((repo / "team.yaml").read_text())
    manager = {p["id"]: p.get("manager") for p in team["people"]}
    people = sorted(p.name for p in (repo / "talks").iterdir() if p.is_dir())
    assert len(people) >= 5
    sites = {key: runs(site_text(path)) for key, path in sites_in(out).items()}
    assert {"hr", "managers/sanne", *(f"people/{p}" for p in people)} <= set(sites)
    texts = {p: person_texts(repo, p) for p in people}
    own = {p: set().union(*(runs(t) for t in texts[p][0])) for p in people}
    shared = shared_texts(repo)
    for person in people:
        others = set().union(*(own[o] for o in people if o != person))
        unique = own[person] - others - shared
        assert len(unique) > 100, f"{person}'s files should have plenty of text of their own"
        home = sites[f"people/{person}"]
        assert len(unique & home) > len(unique) // 2, f"{person}'s own site lacks their text"
        allowed = {f"people/{person}", f"managers/{manager[person]}"}
        for key, seen in sites.items():
            if key in allowed or key == "hr":
                continue
            leaked = unique & seen
            assert not leaked, f"{person}'s text is in {key}: {' '.join(sorted(leaked)[0])}"
        hr_ok = set().union(set(), *(runs(t) for t in texts[person][1]))
        leaked = (unique - hr_ok) & sites["hr"]
        assert not leaked, f"HR sees {person}'s text that is not shared with HR: {' '.join(sorted(leaked)[0])}"


def talk_words(repo: Path) -> tuple[set, set]:
    """(runs of every answer, summary, topic and agreement detail in the talk files, runs of agreement titles)."""
    answers, titles = set(), set()
    for path in (repo / "talks").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text()) or {}
        for key in ("employee", "manager", "summary", "topics"):
            answers |= set().union(set(), *(runs(t) for t in _texts(data.get(key))))
        for a in (data.get("agreements") or []) + (data.get("follow_ups") or []):
            titles |= runs(a["title"])
            answers |= set().union(set(), *(runs(t) for k, v in a.items() if k != "title" for t in _texts(v)))
    return answers, titles


def test_calendar_feeds_carry_titles_and_no_answer_text(built):
    repo, out = built
    answers, titles = talk_words(repo)
    assert len(answers) > 1000
    feeds = sorted(out.rglob("calendar.ics"))
    assert len(feeds) == len(sites_in(out)) - 2, "every site but HR's and Sanne's own (no dates) has a feed"
    for feed in feeds:
        cal = icalendar.Calendar.from_ical(feed.read_bytes())
        text = " ".join(str(value) for _, value in cal.property_items() if isinstance(value, str))
        leaked = (runs(text) - titles) & answers
        assert not leaked, f"{feed.relative_to(out)} carries answer text: {' '.join(sorted(leaked)[0])}"


def test_manager_site_holds_every_report_and_nobody_else(built):
    repo, out = built
    team = yaml.safe_load((repo / "team.yaml").read_text())
    managed = {p["id"] for p in team["people"] if p.get("manager") == "sanne"}
    site = out / "managers" / "sanne"
    assert {p.name for p in site.iterdir() if (p / "index.html").is_file()} == managed
    assert not (out / "managers" / "daan").exists(), "someone without reports has no manager site"


def test_hr_shows_no_individual_scale_answer_and_hides_small_groups(built):
    repo, out = built
    page = (out / "hr" / "cycles" / "2026-autumn.html").read_text()
    assert "verborgen" in page, "a scale question answered by fewer than 5 people must be hidden"
    assert "Daan Bakker" in page, "a choice shared with HR (internal mobility) is shown per person"
    assert "dt-scale" not in page, "HR never sees one person's scale answer"
