"""One answer to "what happens next, by whom, by when": `devtalks status`, the reminders and the sites agree.

Every day of a year of the example team, and the small team (tests/smallteam.py) on the day
after its talks were due, where one talk waits only for its manager.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from devtalks.progress import reports_of, status
from devtalks.read.load import load
from devtalks.remind import plan
from devtalks.site import pages, views
from devtalks.site.facts import Facts
from tests.site.sitehelpers import serve
from tests.smallteam import TODAY, write_team

FIRST_DAY, LAST_DAY = dt.date(2025, 12, 1), dt.date(2027, 1, 31)  # the example's cycles run March to December 2026
STEP_OF = {"prepare": 0, "prepare-manager": 0, "talk": 1, "plan": 2, "sign-off": 3}  # the stepper's four steps
LINKS = plan.Links("https://github.com/example/team-platform")


def overdue_or_soon(reminder: plan.Reminder) -> str:
    """What a reminder issue says of its deadline: its title starts with [Te laat] once it has passed."""
    return "overdue" if reminder.title.startswith("[Te laat] ") else "soon"


def test_status_reminders_and_sites_give_one_next_step_every_day_of_a_year(example_repo):
    ws = load(example_repo)
    managers = {p.manager for p in ws.team.people if p.manager}
    day, seen = FIRST_DAY, set()
    while day <= LAST_DAY:
        f = Facts(ws, day)
        reminders = plan.reminders(ws, day, LINKS)
        for row in status(ws, day):
            person = row.person.id
            said = {"status": (row.next.item.key, row.next.urgency) if row.next else None}
            home = views.home(f, person)
            said["person's site"] = (home["next"]["key"], home["next"]["urgency"]) if home["next"] else None
            for manager in managers:
                if person in reports_of(ws, manager):
                    nxt = pages._team_row(f, person)["next"]
                    said[f"{manager}'s site"] = (nxt["key"], nxt["urgency"]) if nxt else None
            about = [r for r in reminders if r.item.person == person]
            first = (about[0].key, overdue_or_soon(about[0])) if about else None
            said["remind"] = first if first or not row.next or row.next.urgency else said["status"]
            assert len(set(said.values())) == 1, f"{day}, {person}: {said}"
            if row.next:
                seen.add(row.next.urgency)
            states = [s["state"] for s in home["cycle"]["steps"]] if home["cycle"] else ["done"]
            now = next((i for i, s in enumerate(states) if s != "done"), None)
            if now is not None:  # the first step not done is drawn as urgent as its reminder, and only it
                asked = [r for r in about if r.item.cycle == home["cycle"]["id"] and STEP_OF.get(r.item.kind) == now]
                urgent = "overdue" if any(r.item.overdue(day) for r in asked) else "soon" if asked else "current"
                assert states[now:] == [urgent] + ["todo"] * (3 - now), f"{day}, {person}: {states}, remind: {urgent}"
        for manager in managers:  # what the manager must do next, about any report: their site and their reminders
            reports = reports_of(ws, manager)
            card = views.manager_next(f, manager, reports)
            theirs = [r for r in reminders if manager in r.item.responsible and r.item.person in reports]
            reminded = (theirs[0].key, overdue_or_soon(theirs[0])) if theirs else None
            shown = (card["key"], card["urgency"]) if card and card["urgency"] else None
            assert shown == reminded, f"{day}, {manager}: their site says {shown}, their reminders {reminded}"
        day += dt.timedelta(days=1)
    assert seen == {"overdue", "soon", ""}, "the year has next steps overdue, due soon and further ahead"


def test_a_talk_waiting_for_its_manager_is_everyones_next_step(tmp_path, run_cli):
    team = write_team(tmp_path / "team")
    today = (TODAY + dt.timedelta(days=1)).isoformat()  # Dirk prepared; Mira has not held the talk due yesterday
    rows = {line.split()[0]: line for line in run_cli("status", "--repo", team, "--today", today).stdout.splitlines()}
    assert "talk mira 2026-11-27 (overdue 1d)" in rows["dirk"], rows["dirk"]
    reminded = run_cli("remind", "--repo", team, "--today", today, "--dry-run").stdout
    assert re.search(r"@miragh +hold the talk with Dirk Dekker \(Autumn talks\) +2026-11-27 overdue", reminded)
    out = tmp_path / "site"
    built = run_cli("build", "--repo", team, "--out", out, "--today", today, "--only", "managers/mira",
                    "--only", "people/dirk")
    assert built.exit_code == 0, built.stderr
    team_page = (out / "managers/mira/index.html").read_text(encoding="utf-8")
    mine = re.search(r'<div class="dt-card dt-next">.*?</div>', team_page, re.S).group(0)
    assert re.search(r"Your next step: <strong>Prepare the talk \(manager\)</strong> · Eef Eiland, by 13 November 2026"
                     r' <span class="dt-badge dt-overdue">', mine), mine
    dirk_row = re.search(r'<a href="dirk/index.html">Dirk Dekker</a>.*?</tr>', team_page, re.S).group(0)
    assert "Hold the talk" in dirk_row and "dt-overdue" in dirk_row
    home = (out / "people/dirk/index.html").read_text(encoding="utf-8")
    card = re.search(r'<div class="dt-card dt-next">.*?</div>', home, re.S).group(0)
    assert "Hold the talk</strong> · Mira Manager" in card and "dt-overdue" in card
    assert re.search(r'dt-step-overdue"><span class="dt-step-dot">2</span>', home), "the talk step is the overdue one"


def test_the_current_step_is_plain_when_nobody_is_asked_to_do_it(tmp_path, run_cli):
    team = write_team(tmp_path / "team")
    talk = team / "talks/fien/voorjaar.yaml"  # Fien left as the autumn cycle opened; her spring plan was never signed
    talk.write_text(talk.read_text(encoding="utf-8").split("sign_off:")[0], encoding="utf-8")
    out = tmp_path / "site"
    built = run_cli("build", "--repo", team, "--out", out, "--today", TODAY.isoformat(), "--only", "managers/mira")
    assert built.exit_code == 0, built.stderr
    page = (out / "managers/mira/fien/talks/voorjaar.html").read_text(encoding="utf-8")
    steps = re.findall(r'class="dt-step dt-step-(\w+)"', page)
    assert steps == ["done", "done", "done", "current"], "nothing is due about someone who left"
    assert "dt-overdue" not in page.split('class="dt-stepper"')[1].split("</ol>")[0]


def hue(css: str) -> float:
    """The hue in degrees of a computed `rgb(r, g, b)` colour."""
    import colorsys

    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


@pytest.mark.browser
def test_a_step_is_drawn_red_only_when_it_is_overdue(tmp_path, run_cli, browser):
    team = write_team(tmp_path / "team")
    talk = team / "talks/fien/voorjaar.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").split("sign_off:")[0], encoding="utf-8")
    out = tmp_path / "site"
    today = (TODAY + dt.timedelta(days=1)).isoformat()
    assert run_cli("build", "--repo", team, "--out", out, "--today", today, "--only", "managers/mira").exit_code == 0
    colour = "e => getComputedStyle(e).borderTopColor"
    with serve(out / "managers/mira") as origin:
        page = browser.new_page()
        page.goto(f"{origin}/dirk/index.html", wait_until="networkidle")
        red = page.eval_on_selector(".dt-stepper .dt-badge.dt-overdue", "e => getComputedStyle(e).color")
        assert page.eval_on_selector(".dt-step-overdue", colour) == red, "the talk due yesterday is drawn overdue"
        page.goto(f"{origin}/fien/talks/voorjaar.html", wait_until="networkidle")
        current = page.eval_on_selector(".dt-stepper li:last-child", colour)
        assert abs((hue(current) - hue(red) + 180) % 360 - 180) > 30, f"{current} looks like overdue {red}"
        page.close()


def states(root, person: str, cycle: str, today: dt.date) -> list[str]:
    return [s["state"] for s in views.stepper(Facts(load(root), today), person, cycle)]


def test_each_talk_s_steps_follow_its_own_cycle(tmp_path):
    team = write_team(tmp_path / "team")
    spring = team / "talks/ada/voorjaar.yaml"  # Ada's spring plan was never signed: overdue since April
    spring.write_text(spring.read_text(encoding="utf-8").split("sign_off:")[0], encoding="utf-8")
    assert states(team, "ada", "voorjaar", TODAY) == ["done", "done", "done", "overdue"]
    assert states(team, "ada", "najaar", TODAY) == ["done", "done", "done", "current"], "Mira signs by 11 December"


def test_without_its_template_no_preparation_is_asked_so_none_is_overdue(tmp_path):
    team = write_team(tmp_path / "team")
    (team / "question_templates/talk.yaml").unlink()
    day = TODAY + dt.timedelta(days=1)
    assert states(team, "dirk", "najaar", day) == ["current", "todo", "todo", "todo"]
    ws = load(team)
    assert next(r for r in status(ws, day) if r.person.id == "dirk").next.item.key == "talk:dirk:najaar"
