"""`devtalks person leave --on` a day still to come: known notice. Until that day the person takes part as before
(status, reminders, sites, cycles); from that day on they are gone, with nothing in team.yaml changed in between."""

from __future__ import annotations

import datetime as dt

from devtalks.progress import agreements, participants
from devtalks.read.load import load
from devtalks.site import hrviews
from devtalks.site.facts import Facts
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import new_cycle

TODAY = EXAMPLE_TODAY.isoformat()
LEAVES = "2026-12-15"
BEFORE, ON = "2026-12-14", LEAVES


def leave_ahead(run_cli, repo) -> None:
    result = run_cli("person", "leave", "thijs", "--on", LEAVES, "--repo", repo, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "thijs leaves on 2026-12-15\n" in result.stdout
    assert "reminder issues close on the first `devtalks remind` from 2026-12-15" in result.stdout
    assert f"    left_on: {LEAVES}\n" in (repo / "team.yaml").read_text(encoding="utf-8")


def test_a_leaving_date_ahead_is_accepted_and_validates(example_repo, run_cli):
    leave_ahead(run_cli, example_repo)
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 0, result.stdout
    assert "in the future" not in result.stdout


def test_status_and_reminders_keep_them_until_the_day_they_leave(example_repo, run_cli):
    leave_ahead(run_cli, example_repo)
    for day, there in ((TODAY, True), (BEFORE, True), (ON, False), ("2027-01-10", False)):
        status = run_cli("status", "--repo", example_repo, "--today", day)
        assert status.exit_code == 0, status.stderr
        assert ("\nthijs " in status.stdout) is there, (day, status.stdout)
        remind = run_cli("remind", "--repo", example_repo, "--dry-run", "--today", day)
        assert remind.exit_code == 0, remind.stderr
        assert ("@thijsvandijk" in remind.stdout) is there, (day, remind.stdout)


def test_hr_counts_their_open_agreements_until_they_leave(example_repo, run_cli):
    leave_ahead(run_cli, example_repo)
    ws = load(example_repo)
    on = dt.date.fromisoformat(ON)
    theirs = [s for s in agreements(ws, on, "thijs") if s.is_open]
    counted = {day: hrviews.agreements([Facts(ws, day)])[0]["open"] for day in (on - dt.timedelta(days=1), on)}
    assert theirs and counted[on - dt.timedelta(days=1)] - counted[on] == len(theirs)


def test_a_cycle_that_opens_before_they_leave_still_asks_for_their_talk(example_repo, run_cli):
    leave_ahead(run_cli, example_repo)
    new_cycle(example_repo, "2026-winter", opens=dt.date(2026, 12, 1))
    new_cycle(example_repo, "2027-spring", opens=dt.date(2027, 3, 1))
    ws = load(example_repo)
    assert "thijs" in participants(ws, ws.cycles["2026-winter"])
    assert "thijs" not in participants(ws, ws.cycles["2027-spring"])
    opened = run_cli("cycle", "open", "2026-winter", "--repo", example_repo, "--today", "2026-12-01")
    assert opened.exit_code == 0 and (example_repo / "talks/thijs/2026-winter.yaml").is_file()
    late = run_cli("cycle", "open", "2026-winter", "--repo", example_repo, "--today", ON)
    assert late.exit_code == 0 and "talks/thijs" in late.stdout  # kept, as it is: history


def test_their_site_and_the_managers_row_follow_the_day(example_repo, run_cli, tmp_path):
    leave_ahead(run_cli, example_repo)
    before = run_cli("build", "--repo", example_repo, "--only", "people/thijs", "--only", "managers/sanne",
                     "--out", tmp_path / "before", "--today", BEFORE, "--jobs", "1")
    assert before.exit_code == 0, before.stderr
    assert (tmp_path / "before/people/thijs/index.html").is_file()
    team_page = (tmp_path / "before/managers/sanne/index.html").read_text(encoding="utf-8")
    assert "Thijs van Dijk</a><br><span class=\"dt-muted\">vertrekt op 15 december 2026</span>" in team_page
    preparation = (tmp_path / "before/managers/sanne/preparation.html").read_text(encoding="utf-8")
    assert "Thijs van Dijk" in preparation
    gone = run_cli("build", "--repo", example_repo, "--only", "people/thijs", "--out", tmp_path / "on",
                   "--today", ON, "--jobs", "1")
    assert gone.exit_code == 1 and "no site `people/thijs`" in gone.stderr
    after = run_cli("build", "--repo", example_repo, "--only", "managers/sanne", "--out", tmp_path / "on",
                    "--today", ON, "--jobs", "1")
    assert after.exit_code == 0, after.stderr
    team_page = (tmp_path / "on/managers/sanne/index.html").read_text(encoding="utf-8")
    assert "Thijs van Dijk</a><br><span class=\"dt-muted\">vertrokken op 15 december 2026</span>" in team_page


def test_someone_leaving_later_cannot_take_on_reports_but_can_still_move(example_repo, run_cli):
    leave_ahead(run_cli, example_repo)
    to_leaver = run_cli("person", "move", "noor", "--manager", "thijs", "--repo", example_repo)
    assert to_leaver.exit_code == 1 and "thijs leaves on 2026-12-15, so they cannot be a manager" in to_leaver.stderr
    moved = run_cli("person", "move", "thijs", "--manager", "daan", "--repo", example_repo)
    assert moved.exit_code == 0 and "thijs now reports to daan (was sanne)" in moved.stdout


def test_a_manager_leaving_later_hands_over_their_reports_first(example_repo, run_cli):
    result = run_cli("person", "leave", "sanne", "--on", "2027-02-01", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1 and "sanne still manages daan, fleur, jeroen, lotte, noor, thijs" in result.stderr
    assert "left_on" not in (example_repo / "team.yaml").read_text(encoding="utf-8")
