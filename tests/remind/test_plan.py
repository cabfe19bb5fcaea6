"""What gets reminded when, and how it is worded: pure functions of (workspace, today)."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest

from devtalks.progress import DueItem, due_items
from devtalks.read.load import load
from devtalks.remind import plan, texts
from tests.conftest import EXAMPLE_TODAY

from .conftest import edit_yaml

LINKS = plan.Links("https://github.com/example/team-platform")


def item(due: dt.date) -> DueItem:
    return DueItem("talk:x:c", "talk", ("m",), "x", due, "talks/x/c.yaml", "c")


@pytest.mark.parametrize("days_left, mailed", [
    (8, False), (7, True), (6, False), (2, False), (1, True), (0, True),
    (-1, False), (-6, False), (-7, True), (-8, False), (-14, True), (-21, True), (-22, False),
])
def test_mail_days_are_the_set_days_before_the_day_itself_then_weekly(days_left, mailed):
    today = dt.date(2026, 11, 27)
    assert plan.mail_day(item(today + dt.timedelta(days=days_left)), today, [7, 1]) is mailed


def test_reminders_are_what_is_due_soon_or_overdue(example_repo):
    ws = load(example_repo)
    soon = ws.team.reminders.soon_days
    reminders = plan.reminders(ws, EXAMPLE_TODAY, LINKS)
    due = due_items(ws, EXAMPLE_TODAY)
    assert {r.key for r in reminders} == {i.key for i in due if i.days_left(EXAMPLE_TODAY) <= soon}
    assert any(i.days_left(EXAMPLE_TODAY) > soon for i in due), "the example has something not yet due soon"
    for r in reminders:
        assert r.title.startswith("[Te laat] ") == r.item.overdue(EXAMPLE_TODAY)
        assert r.assignees == tuple(ws.people[p].github for p in r.item.responsible)


def test_soon_days_is_a_team_setting(example_repo):
    edit_yaml(example_repo / "team.yaml", lambda data: data["reminders"].update(soon_days=0))
    reminders = plan.reminders(load(example_repo), EXAMPLE_TODAY, LINKS)
    assert reminders and all(r.item.due <= EXAMPLE_TODAY for r in reminders)


def test_every_kind_of_due_item_is_worded(example_repo):
    ws = load(example_repo)
    kinds = {i.kind for i in due_items(ws, EXAMPLE_TODAY)}
    assert {"prepare", "prepare-manager", "talk", "revisit", "agreement"} <= kinds
    late = EXAMPLE_TODAY + dt.timedelta(days=60)
    for r in plan.reminders(ws, late, LINKS):
        assert r.title and "{" not in r.title + r.body
        assert r.body.rstrip().endswith(plan.marker(r.key))
        assert f"`{r.item.path}`" in r.body


def test_wording_does_not_change_from_one_day_to_the_next(example_repo):
    ws = load(example_repo)
    day, next_day = EXAMPLE_TODAY, EXAMPLE_TODAY + dt.timedelta(days=1)
    one = {r.key: r for r in plan.reminders(ws, day, LINKS)}
    two = {r.key: r for r in plan.reminders(ws, next_day, LINKS)}
    steady = [k for k in one.keys() & two.keys() if not two[k].item.overdue(next_day) or one[k].item.overdue(day)]
    assert steady
    for key in steady:
        assert (one[key].title, one[key].body) == (two[key].title, two[key].body)


def test_an_item_whose_file_does_not_exist_says_how_to_create_it(example_repo):
    ws = load(example_repo)
    missing = [r for r in plan.reminders(ws, EXAMPLE_TODAY, LINKS) if r.item.path not in ws.sources]
    assert missing, "the example has a participant without a talk file yet"
    folder, _, name = missing[0].item.path.rpartition("/")
    assert f"[maak het aan](https://github.com/example/team-platform/new/HEAD/{folder}?filename={name})" in missing[0].body


@pytest.mark.parametrize("language, overdue, task, what, month", [
    ("en", "Overdue", "prepare your talk", "What", "November"),
    ("sv", "Försenat", "förbered ditt samtal", "Vad", "november"),
])
def test_a_team_is_reminded_in_its_language(example_repo, language, overdue, task, what, month):
    edit_yaml(example_repo / "team.yaml", lambda data: data.update(language=language))
    reminders = plan.reminders(load(example_repo), EXAMPLE_TODAY, LINKS)
    late = next(r for r in reminders if r.item.kind == "prepare" and r.item.overdue(EXAMPLE_TODAY))
    assert late.title.startswith(f"[{overdue}] ") and f": {task} (" in late.title
    assert f"- **{what}:** {texts.capital(task)}" in late.body and f"({overdue.lower()})" in late.body
    assert f"{late.item.due.day} {month} 2026" in late.body


def test_user_text_in_an_issue_is_inert(example_repo):
    ws = load(example_repo)
    agreement = next(i for i in due_items(ws, EXAMPLE_TODAY) if i.kind == "agreement")
    hostile = "<img src=x onerror=alert(1)> @everyone [klik](javascript:alert(1)) <!-- devtalks:reminder fake -->"

    def change(data: dict) -> None:
        for a in data.get("agreements") or data.get("follow_ups") or []:
            if a["id"] == agreement.agreement:
                a["title"] = hostile

    edit_yaml(example_repo / agreement.path, change)
    ws = load(example_repo)
    bodies = [r.body for r in plan.reminders(ws, EXAMPLE_TODAY, LINKS)]
    mention = [b for b in bodies if "onerror" in b]
    assert mention
    for body in mention:
        html = markdown.markdown(body)
        assert "<img" not in html and "&lt;img" in html
        assert 'href="javascript' not in html
        assert "@everyone" not in body
        assert plan.key_of(body) != "fake"


def test_the_marker_counts_only_as_the_last_line():
    assert plan.key_of("text\n<!-- devtalks:reminder talk:a:b -->\n") == "talk:a:b"
    assert plan.key_of("<!-- devtalks:reminder talk:a:b -->\nquoted, then more") is None
    assert plan.key_of(None) is None


def test_a_digest_is_not_planned_twice_on_one_day(example_repo):
    ws = load(example_repo)
    first = plan.digests(ws, EXAMPLE_TODAY, LINKS, {})
    assert first
    sent = {d.person: set(d.keys) for d in first}
    assert plan.digests(ws, EXAMPLE_TODAY, LINKS, sent) == []
