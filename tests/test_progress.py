"""Stages and due items as a user meets them: the reminder issues, the e-mail digests and `devtalks status`.

On the small team (tests/smallteam.py): talks at every stage, two signed by one side only,
someone who left as the current cycle opened, someone who joined after its talks were due,
and cycle ids that sort the other way round from their dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from devtalks.read.load import load
from devtalks.remind import plan
from tests.smallteam import TODAY, write_team

LINKS = plan.Links("https://github.com/example/studio")
SIGN_OFF_WEEK = dt.date(2026, 12, 5)  # the plans are due on 11 December


@pytest.fixture
def team(tmp_path) -> Path:
    return write_team(tmp_path / "team")


def reminded(root: Path, today: dt.date = TODAY) -> dict[str, plan.Reminder]:
    return {r.key: r for r in plan.reminders(load(root), today, LINKS)}


def status_rows(run_cli, root: Path, today: dt.date = TODAY) -> dict[str, list[str]]:
    result = run_cli("status", "--repo", root, "--today", today.isoformat())
    assert result.exit_code == 0, result.stderr
    return {line.split()[0]: line.split() for line in result.stdout.splitlines()[2:]}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_talk_signed_by_one_side_is_not_signed_off_and_only_the_other_side_is_reminded(team, run_cli):
    found = reminded(team, SIGN_OFF_WEEK)
    ada, bas = found["sign-off:ada:najaar"], found["sign-off:bas:najaar"]
    assert ada.people == ("mira",) and ada.assignees == ("miragh",), "Ada signed; only Mira still has to"
    assert ada.title == "Mira Manager: sign off the plan of the talk with Ada Achter (Autumn talks), by 11 December 2026"
    assert "- **Who:** @miragh (Mira Manager)\n" in ada.body
    assert "Each side sets their date under `sign_off:` (Mira Manager)." in ada.body, "names who has still to sign"
    assert bas.people == ("bas",) and bas.assignees == ("basgh",), "Mira signed; only Bas still has to"
    assert "- **Who:** @basgh (Bas Berg)\n" in bas.body
    assert "sign-off:cor:najaar" not in found, "both signed Cor's plan: nothing left to sign"
    assert sorted(found) == ["prepare-manager:eef:najaar", "prepare:eef:najaar", "sign-off:ada:najaar",
                             "sign-off:bas:najaar", "talk:dirk:najaar", "talk:eef:najaar"]
    rows = status_rows(run_cli, team, SIGN_OFF_WEEK)
    assert rows["ada"][4] == rows["bas"][4] == "plan-agreed"
    assert rows["cor"][4] == "signed-off"


def test_the_sign_off_digest_goes_to_the_side_that_has_not_signed(team):
    digests = {d.person: d for d in plan.digests(load(team), dt.date(2026, 12, 4), LINKS, {})}  # 7 days before
    assert "sign-off:ada:najaar" in digests["mira"].keys and "sign-off:bas:najaar" not in digests["mira"].keys
    assert "sign-off:bas:najaar" in digests["bas"].keys
    assert "ada" not in digests, "Ada has signed and nothing else of hers rings today"


def test_a_reminder_opens_soon_days_before_the_deadline(team):
    assert "sign-off:ada:najaar" in reminded(team, dt.date(2026, 12, 4)), "7 days before, with soon_days 7"
    assert "sign-off:ada:najaar" not in reminded(team, dt.date(2026, 12, 3))


def test_a_digest_lists_everything_due_soon_not_only_what_rings_today(team):
    digests = {d.person: d for d in plan.digests(load(team), dt.date(2026, 12, 10), LINKS, {})}
    assert digests["mira"].keys == ("sign-off:ada:najaar",), "the day before the plan is due"
    assert [i.key for i in digests["mira"].items] == [
        "prepare-manager:eef:najaar", "talk:dirk:najaar", "talk:eef:najaar", "sign-off:ada:najaar"]
    assert "- Hold the talk with Dirk Dekker (Autumn talks), by 27 November 2026" in digests["mira"].body


def test_a_digest_rings_on_a_mail_day_further_ahead_than_soon_days(team):
    edit(team / "team.yaml", "email_days_before: [7, 1]", "email_days_before: [10]")
    digests = {d.person: d for d in plan.digests(load(team), dt.date(2026, 12, 1), LINKS, {})}
    assert [i.key for i in digests["bas"].items] == ["sign-off:bas:najaar"]


def test_each_stage_asks_the_right_person_for_the_next_step(team, run_cli):
    found = reminded(team)
    assert sorted(found) == ["prepare-manager:eef:najaar", "prepare:eef:najaar", "talk:dirk:najaar", "talk:eef:najaar"]
    assert found["prepare:eef:najaar"].people == ("eef",) and found["prepare:eef:najaar"].title.startswith("[Overdue] ")
    assert found["prepare-manager:eef:najaar"].people == ("mira",)
    assert "Required questions still open: 1." in found["prepare:eef:najaar"].body
    assert "Required questions still open: 2." in found["prepare-manager:eef:najaar"].body
    assert found["talk:dirk:najaar"].people == ("mira",)
    assert not found["talk:dirk:najaar"].title.startswith("[Overdue]"), "due today is not overdue"
    assert not any(key.startswith(("prepare:dirk", "prepare-manager:dirk")) for key in found), "Dirk's talk is prepared"
    assert not any(":ada:" in key or ":cor:" in key for key in found if not key.startswith("agreement")), found.keys()
    rows = status_rows(run_cli, team)
    assert [rows[p][4] for p in ("ada", "cor", "dirk", "eef")] == ["plan-agreed", "signed-off", "prepared",
                                                                   "not-started"]


def test_a_half_prepared_talk_is_preparing_and_a_held_one_waits_for_its_plan(team, run_cli):
    (team / "talks/eef").mkdir()
    (team / "talks/eef/najaar.yaml").write_text("template_version: 1\nemployee:\n  shared-note: Half done\n")
    edit(team / "talks/dirk/najaar.yaml", "template_version: 1\n", "template_version: 1\nheld_on: 2026-11-26\n")
    rows = status_rows(run_cli, team)
    assert rows["eef"][4] == "preparing" and rows["dirk"][4] == "held"
    found = reminded(team, SIGN_OFF_WEEK)
    assert "prepare:eef:najaar" not in found and found["prepare-manager:eef:najaar"].people == ("mira",)
    assert found["plan:dirk:najaar"].people == ("mira", "dirk")
    assert "talk:dirk:najaar" not in found


def test_a_talk_file_without_answers_is_not_started(team, run_cli):
    (team / "talks/eef").mkdir()
    (team / "talks/eef/najaar.yaml").write_text("template_version: 1\nemployee:\n  shared-note: ''\n")
    assert status_rows(run_cli, team)["eef"][4] == "not-started"
    assert "prepare:eef:najaar" in reminded(team)


def test_a_summary_and_agreements_without_a_held_talk_is_not_a_plan(team, run_cli):
    edit(team / "talks/ada/najaar.yaml", "held_on: 2026-11-20\n", "")
    edit(team / "talks/ada/najaar.yaml", "sign_off:\n  employee: 2026-11-24\n", "")
    assert status_rows(run_cli, team)["ada"][4] == "prepared"
    assert reminded(team)["talk:ada:najaar"].people == ("mira",)


def test_the_current_cycle_is_the_latest_by_date_not_by_id(team, run_cli):
    rows = status_rows(run_cli, team)
    assert rows["ada"][3] == "najaar", "Ada's current cycle is the autumn one, opened last, though `voorjaar` sorts after it"
    opening_day = status_rows(run_cli, team, dt.date(2026, 10, 5))
    assert opening_day["ada"][3] == "najaar", "a cycle is current from the day it opens"
    assert opening_day["eef"][5:8] == ["prepare", "eef", "2026-11-13"], "and its deadlines count from that day"
    assert status_rows(run_cli, team, dt.date(2026, 10, 4))["eef"][5] == "–"
    assert status_rows(run_cli, team, dt.date(2026, 2, 1))["ada"][3] == "voorjaar", "before any opens: the next one"


@pytest.mark.parametrize("extra, stage", [
    ("held_on: 2026-11-26\n", "held"),
    ("held_on: 2026-11-26\nsummary: We talked.\n", "held"),
    ("held_on: 2026-11-26\nagreements: [{id: a, title: A step, owner: dirk}]\n", "held"),
    ("held_on: 2026-11-26\nsummary: We talked.\nagreements: [{id: a, title: A step, owner: dirk}]\n", "plan-agreed"),
])
def test_a_plan_needs_a_held_talk_a_summary_and_agreements(team, run_cli, extra, stage):
    edit(team / "talks/dirk/najaar.yaml", "template_version: 1\n", "template_version: 1\n" + extra)
    assert status_rows(run_cli, team)["dirk"][4] == stage


def test_a_talk_not_yet_held_revisits_open_agreements_of_earlier_talks_only(team):
    edit(team / "talks/ada/najaar.yaml", "held_on: 2026-11-20\n", "")
    edit(team / "talks/ada/najaar.yaml", "sign_off:\n  employee: 2026-11-24\n", "")
    found = reminded(team)
    assert found["revisit:ada:najaar"].people == ("ada", "mira")
    body = found["revisit:ada:najaar"].body
    assert "  - The next step of ada, by 15 January 2027 (`talks/ada/voorjaar.yaml`)" in body
    assert "talks/ada/najaar.yaml`)" not in body, "the talk's own agreements are not revisited"
    voorjaar = team / "talks/ada/voorjaar.yaml"
    edit(voorjaar, "due: 2027-01-15}", "due: 2027-01-15, status: done, done_on: 2026-06-01}")
    assert "revisit:ada:najaar" not in reminded(team), "nothing open is left to revisit"


def test_who_left_as_the_cycle_opened_or_joined_after_its_talks_takes_no_part(team, run_cli):
    found = reminded(team, dt.date(2027, 1, 20))
    assert "agreement:ada:najaar:next-step" in found and "agreement:ada:voorjaar:next-step" in found
    assert not any(":fien:" in key or ":gijs:" in key for key in found), sorted(found)
    edit(team / "talks/ada/voorjaar.yaml", "due: 2027-01-15}", "due: 2027-01-15, status: done, done_on: 2026-06-01}")
    assert "agreement:ada:voorjaar:next-step" not in reminded(team, dt.date(2027, 1, 20)), "a done agreement is done"
    rows = status_rows(run_cli, team)
    assert rows["gijs"][3] == "–", "Gijs joined after the autumn talks were due"
    assert "fien" not in rows, "someone who left has no row"


def test_who_joined_on_the_day_the_talks_were_due_still_takes_part(team):
    edit(team / "team.yaml", "joined_on: 2026-11-28", "joined_on: 2026-11-27")
    found = reminded(team)
    assert found["prepare:gijs:najaar"].people == ("gijs",)


def test_an_agreement_is_overdue_the_day_after_it_is_due(team):
    due = dt.date(2027, 1, 15)
    on_the_day = reminded(team, due)["agreement:ada:najaar:next-step"]
    day_after = reminded(team, due + dt.timedelta(days=1))["agreement:ada:najaar:next-step"]
    assert not on_the_day.title.startswith("[Overdue]") and day_after.title.startswith("[Overdue] ")
    assert "(overdue)" in day_after.body and "(overdue)" not in on_the_day.body
    assert "When it is done, set `status: done` and `done_on:` for `next-step`." in on_the_day.body


def test_status_with_an_unknown_participant_or_owner_still_shows_everyone(team, run_cli):
    edit(team / "cycles/voorjaar.yaml", "participants: [ada, fien]", "participants: [ada, fien, nobody]")
    edit(team / "talks/bas/najaar.yaml", "owner: bas,", "owner: ghost,")
    result = run_cli("status", "--repo", team, "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.stderr
    assert "2 file error(s) left out; run `devtalks validate` to see them." in result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[2:]}
    assert rows["ada"][3:5] == ["najaar", "plan-agreed"] and rows["bas"][-2:] == ["0", "0"]


def test_a_talk_the_manager_prepared_and_the_employee_did_not_is_preparing(team, run_cli):
    (team / "talks/eef").mkdir()
    (team / "talks/eef/najaar.yaml").write_text(
        "template_version: 1\nmanager:\n  shared-note: Ready\n  manager-only: Ready too\n")
    assert status_rows(run_cli, team)["eef"][4] == "preparing"
    found = reminded(team)
    assert "prepare:eef:najaar" in found and "prepare-manager:eef:najaar" not in found


def test_a_check_ins_follow_up_is_reminded_and_revisited_in_the_order_it_was_agreed(team):
    (team / "talks/ada/checkin-2026-03-10.yaml").write_text(
        "follow_ups:\n  - {id: pair-more, title: Pair more often, owner: ada, due: 2026-11-30}\n")
    (team / "talks/eef").mkdir()
    (team / "talks/eef/checkin-2026-11-27.yaml").write_text(
        "follow_ups:\n  - {id: today-step, title: A step from today, owner: eef, due: 2027-01-10}\n")
    found = reminded(team)
    assert found["agreement:ada:checkin-2026-03-10:pair-more"].people == ("ada",)
    assert "  - A step from today, by 10 January 2027 (`talks/eef/checkin-2026-11-27.yaml`)" in \
        found["revisit:eef:najaar"].body, "a check-in held today is revisited in the talk"
    edit(team / "talks/ada/najaar.yaml", "held_on: 2026-11-20\n", "")
    edit(team / "talks/ada/najaar.yaml", "sign_off:\n  employee: 2026-11-24\n", "")
    body = reminded(team)["revisit:ada:najaar"].body
    assert body.index("Pair more often") < body.index("The next step of ada"), "the check-in (10 March) came first"


def test_nobody_is_reminded_of_an_agreement_owned_by_or_about_someone_who_left(team):
    edit(team / "talks/ada/najaar.yaml", "owner: ada, due: 2027-01-15", "owner: fien, due: 2027-01-15")
    edit(team / "talks/fien/voorjaar.yaml", "owner: fien, due", "owner: mira, due")
    found = reminded(team, dt.date(2027, 1, 20))
    assert "agreement:ada:najaar:next-step" not in found, "its owner left"
    assert "agreement:fien:voorjaar:next-step" not in found, "a talk about someone who left asks nothing of anyone"
    assert "agreement:ada:voorjaar:next-step" in found


def test_status_with_a_talk_for_an_unknown_cycle_still_shows_everyone(team, run_cli):
    (team / "talks/ada/winter.yaml").write_text(
        "template_version: 1\nagreements:\n  - {id: stray, title: A stray step, owner: ada, due: 2027-02-01}\n")
    result = run_cli("status", "--repo", team, "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.stderr
    assert "file error(s) left out" in result.stderr
    assert status_rows(run_cli, team)["ada"][3:5] == ["najaar", "plan-agreed"]
