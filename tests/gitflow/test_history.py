"""History from Git: a talk's changes, when preparation was complete, and the commit that was signed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import git
import pytest

from devtalks.gitflow import history as dgit
from devtalks.gitflow.talkfile import render
from devtalks.model import Kind
from devtalks.read.load import load
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY, copy_example
from tests.gitflow.conftest import commit, edit, new_cycle

TALK = "talks/daan/2027-spring.yaml"


@pytest.fixture(autouse=True)
def fresh_memory():
    dgit._histories.clear()
    yield
    dgit._histories.clear()


def answer(q) -> str:
    if q.kind is Kind.scale:
        return "3"
    if q.kind is Kind.choice:
        return q.options[0].id
    if q.kind is Kind.multi:
        return f"[{q.options[0].id}]"
    return "Een antwoord."


def live_a_talk(repo: git.Repo, root: Path) -> dict[str, git.Commit]:
    """Daan's spring talk from opening to sign-off, each step a commit by whoever did it."""
    new_cycle(root)
    commit(repo, "Plan the spring cycle", "sanne", "2026-11-19")
    ws = load(root)
    (root / TALK).write_text(render(ws, "daan", "2027-spring", EXAMPLE_TODAY), encoding="utf-8")
    steps = {"open": commit(repo, "Open cycle 2027-spring for Daan Bakker", "bot", "2026-11-20")}
    template = ws.templates["default"]
    required = [q for q in template.questions().values() if q.required and q.asks("employee")]
    path = root / TALK
    for q in required[:3]:
        edit(path, f"  {q.id}:\n", f"  {q.id}: {answer(q)}\n")
    steps["first answers"] = commit(repo, "Daan: first answers", "daan", "2026-11-21")
    for q in required[3:]:
        edit(path, f"  {q.id}:\n", f"  {q.id}: {answer(q)}\n")
    steps["prepared"] = commit(repo, "Daan: preparation done", "daan", "2026-11-24")
    edit(path, "manager:\n  # ── Terugblik ──\n  # Wat zag je je medewerker het afgelopen halfjaar goed doen?\n"
               "  went-well:\n",
         "manager:\n  went-well: Veel.\n")
    steps["manager"] = commit(repo, "Sanne: my preparation", "sanne", "2026-11-25")
    edit(path, "held_on:\n", "held_on: 2026-11-26\n")
    edit(path, "summary:\n", "summary: Goed gesprek.\n")
    edit(path, "agreements: []\n", "agreements:\n  - id: kcd\n    title: Talk indienen\n    owner: daan\n"
                                   "    due: 2027-01-15\n")
    steps["held"] = commit(repo, "Sanne: summary and agreements", "sanne", "2026-11-26")
    edit(path, "sign_off:\n  employee:\n", "sign_off:\n  employee: 2026-11-26\n")
    steps["employee signs"] = commit(repo, "Daan: sign off", "daan", "2026-11-26")
    edit(path, "  manager:\n", "  manager: 2026-11-27\n")
    steps["manager signs"] = commit(repo, "Sanne: sign off", "sanne", "2026-11-27")
    edit(path, "    due: 2027-01-15\n", "    due: 2027-01-15\n    status: done\n    done_on: 2026-11-27\n")
    steps["follow-up"] = commit(repo, "Daan: talk submitted", "daan", "2026-11-27")
    return steps


def test_a_talks_history_preparation_date_and_signed_commit(team_git):
    root = Path(team_git.working_tree_dir)
    steps = live_a_talk(team_git, root)
    changes = dgit.talk_history(root, TALK)
    assert [(c.date.isoformat(), c.author, c.subject) for c in changes] == [
        ("2026-11-27", "Daan Bakker", "Daan: talk submitted"),
        ("2026-11-27", "Sanne de Vries", "Sanne: sign off"),
        ("2026-11-26", "Daan Bakker", "Daan: sign off"),
        ("2026-11-26", "Sanne de Vries", "Sanne: summary and agreements"),
        ("2026-11-25", "Sanne de Vries", "Sanne: my preparation"),
        ("2026-11-24", "Daan Bakker", "Daan: preparation done"),
        ("2026-11-21", "Daan Bakker", "Daan: first answers"),
        ("2026-11-20", "devtalks", "Open cycle 2027-spring for Daan Bakker"),
    ]
    assert changes[0].sha == steps["follow-up"].hexsha and changes[0].short == steps["follow-up"].hexsha[:7]
    assert dgit.signed_commit(root, TALK).sha == steps["manager signs"].hexsha
    template = load(root).templates["default"]
    assert dgit.preparation_completed(root, TALK, template) == dt.date(2026, 11, 24)
    # The talks that came in with the first commit were signed in it.
    first = steps["open"].parents[0].parents[0]
    assert dgit.signed_commit(root, "talks/daan/2026-spring.yaml").sha == first.hexsha
    assert dgit.preparation_completed(root, "talks/noor/2026-autumn.yaml", template) is None
    assert dgit.signed_commit(root, "talks/noor/2026-autumn.yaml") is None
    assert dgit.talk_history(root, "talks/nobody/2026-spring.yaml") == []


def test_history_is_cached_by_head_and_follows_new_commits(team_git):
    root = Path(team_git.working_tree_dir)
    steps = live_a_talk(team_git, root)
    assert len(dgit.talk_history(root, TALK)) == 8
    cache = state_dir(root, dgit.HISTORY_FILE)
    stamp = cache.stat().st_mtime_ns
    # Only talks: no page shows a check-in's history, so none is walked or kept.
    assert "checkin-" not in cache.read_text() and dgit.talk_history(root, "talks/daan/checkin-2026-06-30.yaml") == []
    # A new process with HEAD unchanged reads the cache and writes nothing.
    code = (f"from devtalks.gitflow.history import talk_history; print(len(talk_history({str(root)!r}, {TALK!r})))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "8"
    assert cache.stat().st_mtime_ns == stamp
    # New commits are walked on top of the cached history.
    edit(root / TALK, "summary: Goed gesprek.", "summary: Heel goed gesprek.")
    later = commit(team_git, "Sanne: typo", "sanne", "2026-11-28")
    dgit._histories.clear()
    changes = dgit.talk_history(root, TALK)
    assert len(changes) == 9 and changes[0].sha == later.hexsha
    assert dgit.signed_commit(root, TALK).sha == steps["manager signs"].hexsha
    # A rewritten history (amend) is walked again from the start.
    team_git.git.commit("--amend", "-m", "Sanne: fix a typo")
    assert [c.subject for c in dgit.talk_history(root, TALK)][:2] == ["Sanne: fix a typo", "Daan: talk submitted"]


def test_a_broken_commit_in_between_does_not_move_the_signed_commit(team_git):
    root = Path(team_git.working_tree_dir)
    steps = live_a_talk(team_git, root)
    good = (root / TALK).read_text()
    (root / TALK).write_text(good.replace("summary: Goed gesprek.", "summary: [Goed gesprek."))
    commit(team_git, "Oops", "sanne", "2026-11-28")
    (root / TALK).write_text(good)
    commit(team_git, "Fix the oops", "sanne", "2026-11-28")
    assert dgit.signed_commit(root, TALK).sha == steps["manager signs"].hexsha
    (root / TALK).unlink()
    commit(team_git, "Remove", "sanne", "2026-11-29")
    (root / TALK).write_text(good)
    readded = commit(team_git, "Put back", "sanne", "2026-11-30")
    assert dgit.signed_commit(root, TALK).sha == readded.hexsha


def test_a_team_in_a_subfolder_of_a_repository(tmp_path):
    top = tmp_path / "company"
    root = copy_example(top / "teams" / "platform")
    repo = git.Repo.init(top, initial_branch="main")
    first = commit(repo, "Add the platform team", "sanne", "2026-03-01")
    assert dgit.signed_commit(root, "talks/daan/2026-spring.yaml").sha == first.hexsha
    assert [c.subject for c in dgit.talk_history(root, "talks/daan/2026-autumn.yaml")] == ["Add the platform team"]


def test_outside_git_there_is_no_history(example_repo):
    assert dgit.talk_history(example_repo, "talks/daan/2026-spring.yaml") == []
    assert dgit.signed_commit(example_repo, "talks/daan/2026-spring.yaml") is None



def test_a_talk_page_names_the_version_that_was_signed_until_a_sign_off_is_taken_back(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    steps = live_a_talk(team_git, root)
    out = tmp_path / "site"
    page = out / "people" / "daan" / "talks" / "2027-spring.html"
    signed = steps["manager signs"].hexsha[:7]

    def build() -> str:
        result = run_cli("build", "--repo", root, "--out", out, "--today", EXAMPLE_TODAY.isoformat(), "--only", "people/daan")
        assert result.exit_code == 0, result.stderr
        return page.read_text()

    html = build()
    assert f"De getekende versie is commit {signed} van 27 november 2026." in html
    assert f"<code>{signed}</code> (getekende versie)" in html
    assert html.count("(getekende versie)") == 1, "only the commit both sign-offs landed in is the signed version"
    edit(root / TALK, "  manager: 2026-11-27\n", "  manager:\n")
    commit(team_git, "Sanne: take my sign-off back", "sanne", "2026-11-27")
    html = build()
    assert "De getekende versie" not in html and "(getekende versie)" not in html
