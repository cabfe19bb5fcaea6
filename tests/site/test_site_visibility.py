"""Who reads which answer, on the built pages: every branch of a question's `visibility`, and HR's numbers.

The small team (tests/smallteam.py) has a question only the manager may read, one only the
employee, one both answer that only the employee may read, a scale kept from HR, and scales
shared with HR answered by exactly k and by k − 1 people. The pages are the ones a build hands
to mkdocs (fast enough to run for every mutant of tools/mutate.py); one test builds the HR site
for real and finds the same figures in its HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from devtalks.read.load import load
from devtalks.site import pages
from devtalks.site.audiences import sites
from devtalks.site.build import team_facts
from tests.smallteam import TODAY, write_team

TAG = re.compile(r"<[^>]+>|\\[-*_]|[*_#|]")


def text(markup: str) -> str:
    """What a reader sees of a page: tags and Markdown marks gone, one space between words."""
    return " ".join(html.unescape(TAG.sub(" ", markup)).split())


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Path:
    return write_team(tmp_path_factory.mktemp("visibility") / "team")


@pytest.fixture(scope="module")
def built(team) -> dict[str, dict[str, str]]:
    """Site key → page path → the page's text, for Ada's, Mira's and HR's sites."""
    f = team_facts(load(team), TODAY)
    specs = [pages.person_site(f, "ada"), pages.manager_site(f, "mira"), pages.hr_site([f], "en")]
    return {s.key: {path: text(page) for path, page in s.pages.items()} for s in specs}


def site_text(site: dict[str, str]) -> str:
    return " ".join(site.values())


def test_a_person_reads_their_own_answers_and_what_the_manager_shares_never_the_managers_own(built):
    page = built["people/ada"]["talks/najaar.md"]
    for seen in ("Secret of ada employee", "Mixed of ada employee", "Mixed of ada manager", "Shared by ada manager",
                 "Scale kept from HR 2 /5", "Scale three people answered 4 /5"):
        assert seen in page
    whole = site_text(built["people/ada"])
    assert "Secret of ada manager" not in whole, "an answer only the manager may read is on the employee's site"
    assert "Question only the manager reads" not in whole, "a question with no answer this side may read is left out"
    assert "Bas Berg" not in whole and "of bas" not in whole, "someone else's talk is on Ada's site"


def test_a_manager_reads_their_own_answers_and_what_the_employee_shares_never_the_employees_own(built):
    page = built["managers/mira"]["ada/talks/najaar.md"]
    for seen in ("Secret of ada manager", "Mixed of ada manager", "Shared by ada employee", "Scale kept from HR 2 /5"):
        assert seen in page
    whole = site_text(built["managers/mira"])
    for person in ("ada", "bas", "cor", "dirk"):
        assert f"Shared by {person} employee" in whole
        assert f"Secret of {person} employee" not in whole, "an answer only the employee may read is on the manager's site"
        assert f"Mixed of {person} employee" not in whole, "the employee's answer to an employee-only question leaked"


def test_hr_counts_participants_and_stages_without_who_left_or_joined_after_the_talks(built):
    page = built["hr"]["cycles/najaar.md"]
    # five participants (Fien left the day the cycle opened, Gijs joined after the talks were due);
    # prepared 4, held 3, plan agreed 3, signed off 1: Ada and Bas have signed on one side only
    assert "Design Studio 5 4 3 3 1 Signals" in page, "one team: no subtotal or total repeating its row"


def test_who_left_after_the_cycle_opened_still_counts_as_a_participant(tmp_path):
    repo = write_team(tmp_path / "team")
    team_file = repo / "team.yaml"
    team_file.write_text(team_file.read_text().replace("left_on: 2026-10-05", "left_on: 2026-10-06"))
    page = text(pages.hr_site([team_facts(load(repo), TODAY)], "en").pages["cycles/najaar.md"])
    assert "Design Studio 6 4 3 3 1" in page


def test_hr_averages_a_group_of_exactly_k_and_hides_k_minus_one(built):
    page = built["hr"]["cycles/najaar.md"]
    assert "Scale three people answered Department Team Average Answers Design Studio 3.7 3 " \
        in page, "three answers (k = 3) must be shown: (4 + 5 + 2) / 3"
    assert "Scale two people answered Department Team Average Answers Design Studio hidden – " in page, \
        "two answers (k − 1) must be hidden"
    assert "All teams" not in page, "one team: a total would repeat its row"


def test_hr_sees_only_what_is_shared_with_hr(built):
    page = built["hr"]["cycles/najaar.md"]
    assert "Scale kept from HR" not in page, "a scale question not shared with HR is averaged on HR's page"
    whole = site_text(built["hr"])
    for person in ("ada", "bas", "cor", "dirk"):
        for side in ("employee", "manager"):
            assert f"Shared by {person} {side}" in page
            assert f"Secret of {person} {side}" not in whole and f"Mixed of {person} {side}" not in whole
    assert "We talked" not in whole and "The next step of" not in whole, "summaries and agreements are not HR's"


def test_nobody_who_left_has_a_site_and_only_managers_with_reports_have_one(team):
    assert [a.key for a in sites(load(team), TODAY)] == [
        "people/mira", "people/ada", "people/bas", "people/cor", "people/dirk", "people/eef", "people/gijs",
        "managers/mira", "hr"]


def test_the_built_hr_page_shows_the_same_figures(team, tmp_path, built):
    from devtalks.cli import main

    out = tmp_path / "site"
    assert main(["build", "--repo", str(team), "--out", str(out), "--today", TODAY.isoformat(), "--jobs", "1",
                 "--only", "hr"]) == 0
    page = text((out / "hr/cycles/najaar.html").read_text(encoding="utf-8"))
    for figures in ("Design Studio 5 4 3 3 1", "Design Studio 3.7 3", "Design Studio hidden –", "Shared by ada employee"):
        assert figures in page
    assert "Scale kept from HR" not in page


def test_hr_counts_open_and_overdue_agreements_of_people_still_in_the_team(tmp_path):
    repo = write_team(tmp_path / "team")
    cor = repo / "talks/cor/najaar.yaml"
    cor.write_text(cor.read_text().replace("due: 2027-01-15}", "due: 2027-01-15, status: done, done_on: 2026-11-26}"))
    # open: Ada's two, Bas's one; Cor's is done and Fien, who left, still has one open
    for today, overdue in ((TODAY, 0), (dt.date(2027, 1, 15), 0), (dt.date(2027, 1, 16), 3)):
        page = text(pages.hr_site([team_facts(load(repo), today)], "en").pages["index.md"])
        assert page.endswith(f"Open agreements Overdue agreements Design Studio 3 {overdue}"), page


def test_a_department_without_the_cycle_has_no_row_on_its_page(team, tmp_path):
    other = write_team(tmp_path / "other")
    team_file = other / "team.yaml"
    team_file.write_text(team_file.read_text().replace("{id: studio, name: Studio, department: Design}",
                                                       "{id: north, name: North, department: Sales}"))
    (other / "cycles/najaar.yaml").unlink()
    for talk in other.glob("talks/*/najaar.yaml"):
        talk.unlink()
    teams = [team_facts(load(team), TODAY, "studio"), team_facts(load(other), TODAY, "north")]
    page = text(pages.hr_site(teams, "en").pages["cycles/najaar.md"])
    assert "Design Studio 5 4 3 3 1 Signals" in page, "the one team with the cycle, no total repeating it"
    assert "Sales" not in page and "North" not in page
