"""Real Git repositories for the Git workflow tests: commits by named people on set dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import git
import pytest

from tests.conftest import copy_example

PEOPLE = {
    "sanne": ("Sanne de Vries", "sanne.devries@example.com"),
    "daan": ("Daan Bakker", "daan.bakker@example.com"),
    "bot": ("devtalks", "bot@example.com"),
}


def commit(repo: git.Repo, message: str, who: str = "sanne", day: str = "2026-10-05") -> git.Commit:
    """Stage everything and commit it as `who` on `day` (noon, UTC)."""
    repo.git.add(A=True)
    name, email = PEOPLE[who]
    actor = git.Actor(name, email)
    when = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    return repo.index.commit(message, author=actor, committer=actor, author_date=when, commit_date=when)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def team_git(tmp_path: Path) -> git.Repo:
    """The example team as a Git repository on `main`, with one commit by Sanne."""
    root = copy_example(tmp_path / "team")
    repo = git.Repo.init(root, initial_branch="main")
    commit(repo, "The example team", day="2026-03-01")
    return repo


@pytest.fixture
def remote_of(tmp_path: Path):
    """Make a bare clone of a repository and set it as that repository's `origin`."""
    def make(repo: git.Repo, name: str = "remote.git") -> Path:
        bare = tmp_path / name
        git.Repo.init(bare, bare=True, initial_branch="main")
        repo.create_remote("origin", str(bare)).push("refs/heads/main:refs/heads/main")
        return bare

    return make


def new_cycle(root: Path, cycle_id: str = "2027-spring", opens: dt.date = dt.date(2026, 11, 20)) -> None:
    (root / "cycles" / f"{cycle_id}.yaml").write_text(
        f"title: Ontwikkelingsgesprekken voorjaar 2027\ntemplate: default\nopens: {opens}\n"
        f"prepare_by: 2027-03-19\ntalks_by: 2027-04-02\nplan_by: 2027-04-16\n", encoding="utf-8")
