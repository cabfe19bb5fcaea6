"""`devtalks remind --channel github` against a real HTTP server standing in for the issues API."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest

from devtalks.progress import due_items
from devtalks.read.load import load
from devtalks.remind import plan
from devtalks.remind.github import GitHub, Policy, web_url
from devtalks.remind.sync import Outcome, sync
from tests.conftest import EXAMPLE_TODAY

from .conftest import TOKEN
from .forge import LOST_ANSWER, REFUSALS
from .helpers import expected, finish_agreement, resolve_everything

LATER = EXAMPLE_TODAY + dt.timedelta(days=23)


def writes(forge) -> list:
    return [s for s in forge.seen if s.method in ("POST", "PATCH")]


def test_a_clean_run_opens_one_issue_per_reminder(forge, remind, example_repo):
    result = remind()
    assert result.exit_code == 0, result.stderr
    want = expected(example_repo, EXAMPLE_TODAY, forge)
    assert want and forge.snapshot() == want
    for issue in forge.marked():
        assert [label["name"] for label in issue["labels"]] == [plan.LABEL]
        assert issue["assignees"], "every example person has a GitHub handle"
    assert plan.LABEL in forge.labels
    assert f"{len(want)} opened, 0 updated, 0 reopened, 0 closed, 0 unchanged" in result.stdout
    assert all(s.authorization == f"Bearer {TOKEN}" for s in forge.seen)
    assert not forge.requests(pattern="search")


def test_an_issue_says_what_is_due_by_when_and_where(forge, remind, example_repo):
    assert remind().exit_code == 0
    ws = load(example_repo)
    prepare = next(i for i in due_items(ws, EXAMPLE_TODAY) if i.kind == "prepare" and i.overdue(EXAMPLE_TODAY))
    issue = next(i for i in forge.marked() if plan.key_of(i["body"]) == prepare.key)
    person = ws.people[prepare.person]
    assert issue["title"].startswith(f"[Te laat] {person.name}: bereid je gesprek voor")
    assert issue["assignees"] == [{"login": person.github}]
    assert f"@{person.github}" in issue["body"]
    due = prepare.due
    assert f"{due.day} " in issue["body"] and str(due.year) in issue["body"] and "(te laat)" in issue["body"]
    assert f"`{prepare.path}`" in issue["body"]
    assert f"{web_url(forge.url)}/example/team-platform/" in issue["body"]
    assert issue["body"].rstrip().endswith(f"<!-- devtalks:reminder {prepare.key} -->")


def test_a_second_run_changes_nothing(forge, remind):
    assert remind().exit_code == 0
    before = len(writes(forge))
    result = remind()
    assert result.exit_code == 0
    assert len(writes(forge)) == before
    assert "0 opened, 0 updated, 0 reopened, 0 closed" in result.stdout


def test_pages_are_followed_and_foreign_issues_left_alone(forge, remind, example_repo):
    forge.page_size = 2
    key = next(iter(expected(example_repo, EXAMPLE_TODAY, forge)))
    pr = forge.add_issue("A pull request", f"text\n{plan.marker(key)}", [plan.LABEL], pull_request=True)
    unmarked = forge.add_issue("Labelled by hand", "no marker here", [plan.LABEL])
    quoted = forge.add_issue("Quotes a marker", f"{plan.marker(key)}\nthen more text", [plan.LABEL])
    untouched = {i["number"]: dict(i) for i in (pr, unmarked, quoted)}
    assert remind().exit_code == 0
    assert remind(today=LATER).exit_code == 0
    assert forge.snapshot() == expected(example_repo, LATER, forge)
    for number, before in untouched.items():
        assert forge.issues[number] == before
        assert not forge.requests(pattern=rf"/issues/{number}(/|$)")
    pages = {s.query.get("page", ["1"])[0] for s in forge.requests("GET", r"/issues$")}
    assert len(pages) > 5


def test_a_later_day_updates_opens_and_closes(forge, remind, example_repo):
    assert remind().exit_code == 0
    today = expected(example_repo, EXAMPLE_TODAY, forge)
    agreement = next(i for i in due_items(load(example_repo), EXAMPLE_TODAY)
                     if i.kind == "agreement" and i.overdue(EXAMPLE_TODAY))
    tomorrow = EXAMPLE_TODAY + dt.timedelta(days=1)
    finish_agreement(example_repo, agreement.path, agreement.agreement, tomorrow)
    result = remind(today=tomorrow)
    assert result.exit_code == 0, result.stderr
    later = expected(example_repo, tomorrow, forge)
    assert forge.snapshot() == later
    closed = [i for i in forge.marked() if i["state"] == "closed"]
    assert agreement.key in set(today) - set(later)
    assert {plan.key_of(i["body"]) for i in closed} == set(today) - set(later)
    assert all(i["state_reason"] == "completed" for i in closed)
    assert all(forge.comments[i["number"]][0]["body"].startswith("Gedaan:") for i in closed)
    turned_late = [k for k in set(today) & set(later) if not today[k][0].startswith("[Te laat]")
                   and later[k][0].startswith("[Te laat]")]
    assert turned_late, "items due on the example day turn overdue the day after"
    assert all(forge.requests("PATCH", rf"/issues/{n}$") for n in
               (i["number"] for i in forge.marked() if plan.key_of(i["body"]) in turned_late))


def test_everything_resolved_closes_every_issue(forge, remind, example_repo):
    assert remind().exit_code == 0
    opened = {i["number"] for i in forge.marked()}
    resolve_everything(example_repo, LATER)
    result = remind(today=LATER)
    assert result.exit_code == 0, result.stderr
    assert all(forge.issues[n]["state"] == "closed" for n in opened)
    assert forge.snapshot() == {}
    assert all(len(forge.comments[n]) == 1 for n in opened)


@pytest.mark.parametrize("method, pattern, kind", [
    ("GET", r"/issues$", 500),
    ("GET", r"/issues$", "timeout"),
    ("GET", r"/issues$", "drop"),
    ("GET", r"/issues$", "429"),
    ("GET", r"/issues$", "403-rate"),
    ("POST", r"/issues$", 502),
    ("POST", r"/issues$", "timeout"),
    ("POST", r"/issues$", "drop"),
    ("POST", r"/issues$", "429"),
    ("POST", r"/labels", "drop"),
    ("PATCH", r"/issues/\d+$", 503),
    ("PATCH", r"/issues/\d+$", "drop"),
    ("POST", r"/comments$", "drop"),
    ("POST", r"/comments$", "timeout"),
    ("GET", r"/comments$", 500),
])
def test_one_fault_anywhere_still_ends_exactly_like_a_clean_run(forge, remind, example_repo, method, pattern, kind):
    lost_comment = method == "GET" and "comments" in pattern
    forge.fail(method, pattern, kind, times=2)
    assert remind().exit_code == 0
    today = expected(example_repo, EXAMPLE_TODAY, forge)
    assert forge.snapshot() == today
    tomorrow = EXAMPLE_TODAY + dt.timedelta(days=1)
    agreement = next(i for i in due_items(load(example_repo), EXAMPLE_TODAY) if i.kind == "agreement")
    finish_agreement(example_repo, agreement.path, agreement.agreement, tomorrow)
    forge.faults.clear()
    forge.fail(method, pattern, kind, times=2)
    if lost_comment:
        forge.fail("POST", r"/comments$", "drop")
    result = remind(today=tomorrow)
    assert result.exit_code == 0, result.stderr
    assert any(s.outcome == kind for s in forge.seen), "the fault was never hit"
    later = expected(example_repo, tomorrow, forge)
    assert forge.snapshot() == later
    closed = [i for i in forge.marked() if i["state"] == "closed"]
    assert {plan.key_of(i["body"]) for i in closed} == set(today) - set(later)
    assert all(len(forge.comments[i["number"]]) == 1 for i in closed)


def test_a_create_whose_answer_is_lost_is_found_by_the_next_run(forge, remind, example_repo):
    # The forge creates the issue but drops the answer, and every re-list fails: the run gives up.
    forge.fail("POST", r"/issues$", "drop")
    forge.fail("GET", r"/issues$", 500, times=99, after=1)
    result = remind()
    assert result.exit_code == 1
    assert "did not answer GET /repos/example/team-platform/issues after 4 attempts" in result.stderr
    assert len(forge.marked()) == 1
    forge.faults.clear()
    assert remind().exit_code == 0
    assert forge.snapshot() == expected(example_repo, EXAMPLE_TODAY, forge)


def test_retry_after_is_honoured(forge, remind):
    forge.fail("GET", r"/issues$", "429", wait=1)
    assert remind().exit_code == 0
    first, second = forge.requests("GET", r"/issues$")[:2]
    assert first.outcome == "429" and second.at - first.at >= 1.0


def test_a_rate_limit_beyond_the_bound_stops_cleanly_and_the_next_run_finishes(forge, remind, example_repo):
    forge.fail("POST", r"/issues$", "403-rate", wait=3600, after=2)
    result = remind()
    assert result.exit_code == 1
    assert "rate limit is reached until" in result.stderr and "The next run picks up the rest" in result.stderr
    assert "stopped; what is listed above was done" in result.stderr
    assert "2 opened" in result.stdout and result.stdout.count("\nopen ") == 2
    assert len(forge.marked()) == 2
    forge.faults.clear()
    assert remind().exit_code == 0
    assert forge.snapshot() == expected(example_repo, EXAMPLE_TODAY, forge)


def test_an_assignee_who_is_not_a_collaborator_is_named_instead(forge, remind, example_repo):
    ws = load(example_repo)
    outsider = ws.people["jeroen"].github
    forge.collaborators = {p.github for p in ws.team.people if p.github} - {outsider}
    result = remind()
    assert result.exit_code == 0, result.stderr
    theirs = [i for i in forge.marked() if f"@{outsider} " in i["body"]]
    assert theirs and all(i["assignees"] == [] for i in theirs)
    assert all(i["assignees"] for i in forge.marked() if i not in theirs)
    assert f"could not assign @{outsider}" in result.stderr
    before = len(writes(forge))
    assert remind().exit_code == 0
    assert len(writes(forge)) == before


@pytest.mark.parametrize("setup, message", [
    (lambda f: setattr(f, "token", "another-token"), "GitHub rejected the token (401"),
    (lambda f: setattr(f, "repository", "someone/else"), "repository example/team-platform not found"),
    (lambda f: setattr(f, "issues_enabled", False), "issues are turned off for example/team-platform (410)"),
])
def test_refusals_end_with_a_clear_message(forge, remind, setup, message):
    setup(forge)
    result = remind()
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stdout + result.stderr


@pytest.mark.parametrize("seed", range(4))
def test_any_mix_of_faults_and_reruns_converges(forge, remind, example_repo, seed):
    forge.chaos = (random.Random(seed), 0.3, LOST_ANSWER + REFUSALS)
    forge.fail("POST", r"/issues$", "drop", after=3)
    forge.fail("POST", r"/comments$", "timeout", after=2)
    outputs = []
    for _ in range(10):
        result = remind()
        outputs.append(result.stdout + result.stderr)
        if result.exit_code == 0:
            break
    assert result.exit_code == 0, outputs
    assert forge.snapshot() == expected(example_repo, EXAMPLE_TODAY, forge)
    resolve_everything(example_repo, LATER)
    for _ in range(10):
        result = remind(today=LATER)
        outputs.append(result.stdout + result.stderr)
        if result.exit_code == 0:
            break
    assert result.exit_code == 0, outputs
    assert forge.snapshot() == {}
    assert all(len(forge.comments[i["number"]]) == 1 for i in forge.marked())
    assert not any(TOKEN in text for text in outputs)


def test_two_runs_at_once_heal_on_the_next_run(forge, example_repo):
    """The workflow's concurrency group keeps runs apart; if two overlap anyway, the next run tidies up."""
    ws = load(example_repo)
    links = plan.Links(f"{web_url(forge.url)}/{forge.repository}")
    reminders = plan.reminders(ws, EXAMPLE_TODAY, links)
    due = {i.key for i in due_items(ws, EXAMPLE_TODAY)}
    listed = threading.Barrier(2, timeout=30)

    class Overlapping(GitHub):
        """Opens nothing until the other run has listed the issues too: both miss each other's, however slow the
        machine."""

        def ensure_label(self, *args: str) -> None:
            super().ensure_label(*args)
            listed.wait()

    def run() -> None:
        with Overlapping(forge.url, forge.repository, TOKEN, Policy(timeout=5, backoff=0.01)) as gh:
            sync(gh, reminders, due, "nl", Outcome())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(forge.marked()) == 2 * len(reminders)
    with GitHub(forge.url, forge.repository, TOKEN, Policy(timeout=5, backoff=0.01)) as gh:
        outcome = Outcome()
        sync(gh, reminders, due, "nl", outcome)
    assert forge.snapshot(strict=False) == expected(example_repo, EXAMPLE_TODAY, forge)
    duplicates = [i for i in forge.marked() if i["state"] == "closed"]
    assert outcome.count("close") == len(duplicates) == len(reminders)
    assert all(forge.comments[i["number"]][0]["body"].startswith("Dubbel met #") for i in duplicates)


def test_github_enterprise_api_path(monkeypatch, run_cli, example_repo):
    from .forge import Forge

    ghe = Forge(token=TOKEN, prefix="/api/v3").start()
    try:
        monkeypatch.setenv("GITHUB_API_URL", ghe.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        result = run_cli("remind", "--repo", example_repo, "--channel", "github", "--today", EXAMPLE_TODAY.isoformat())
        assert result.exit_code == 0, result.stderr
        assert ghe.snapshot() == expected(example_repo, EXAMPLE_TODAY, ghe)
        host = ghe.url.removesuffix("/api/v3")
        assert all(f"{host}/example/team-platform/" in i["body"] for i in ghe.marked())
    finally:
        ghe.stop()


def test_the_token_never_travels_over_plain_http_to_another_host(monkeypatch, remind):
    monkeypatch.setenv("GITHUB_API_URL", "http://github.example.com/api/v3")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = remind()
    assert result.exit_code == 1 and "must use https" in result.stderr
