"""Who can read what in the person layout: each role gets a checkout of only the repositories it may read, runs
devtalks there, and nothing of another person appears in anything it can read, clone or build.

A teammate reads the team repository; an employee also their own repository; a manager also their
reports' repositories. The view is a fresh folder per role, devtalks' cache folder inside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_TODAY

DAY = str(EXAMPLE_TODAY)


def _phrases(talks: Path) -> set[str]:
    """Distinctive pieces of a person's own answers: the start of every long text in their files."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(value) >= 30:
            head = value.split("\n")[0][:30]
            if head.replace(" ", "").isalnum():
                found.add(head)

    for file in talks.glob("*.yaml"):
        walk(yaml.safe_load(file.read_text(encoding="utf-8")))
    return found


def _everything_readable(view: Path) -> str:
    """Every file's text in the view, and every version of every file in each Git repository in it."""
    parts = []
    for path in view.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(view).parts[:-1] and not path.name.endswith(".pack"):
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
        if path.is_dir() and (path.name.endswith(".git") or (path / "HEAD").is_file() and (path / "objects").is_dir()):
            log = subprocess.run(["git", "-C", str(path), "log", "--all", "-p"], capture_output=True, text=True)
            parts.append(log.stdout)
    return "\n".join(parts)


def _view(world, tmp_path: Path, role: str, repositories: list[str], monkeypatch) -> Path:
    """A fresh folder with only `repositories` (remotes/<name>.git) of the world, a clone of the team and of each."""
    view = tmp_path / role
    (view / "remotes").mkdir(parents=True)
    for name in repositories:
        shutil.copytree(world.root / "remotes" / f"{name}.git", view / "remotes" / f"{name}.git")
    (view / "checkouts").mkdir()
    for name in repositories:
        where = view / ("team" if name == "team" else f"checkouts/{name}")
        subprocess.run(["git", "clone", "-q", str(view / "remotes" / f"{name}.git"), str(where)], check=True)
    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(view / "cache"))
    return view


ROLES = {
    "teammate": ["team"],  # a plain `git clone` of the team repository
    "employee": ["team", "daan"],
    "manager": ["team", "sanne", "daan", "fleur", "jeroen", "lotte", "noor", "thijs"],
}


@pytest.mark.parametrize("role", ROLES)
def test_nothing_of_another_person_reaches_what_a_role_can_read_clone_or_build(role, built_world, tmp_path, run_cli,
                                                                               monkeypatch):
    view = _view(built_world, tmp_path, role, ROLES[role], monkeypatch)
    everyone = len(ROLES[role]) == len(built_world.people) + 1
    assert (run_cli("validate", "--repo", view / "team", "--today", DAY).exit_code == 0) == everyone
    assert (run_cli("build", "--repo", view / "team", "--out", view / "site-team", "--today", DAY).exit_code == 0) \
        == everyone
    for person in ROLES[role][1:]:
        assert run_cli("validate", "--repo", view / "checkouts" / person, "--today", DAY).exit_code == 0
        assert run_cli("build", "--repo", view / "checkouts" / person, "--out", view / f"site-{person}",
                       "--today", DAY).exit_code == 0
    readable = _everything_readable(view)
    for person in built_world.people:
        phrases = _phrases(built_world.team_layout / "talks" / person)
        shown = {p for p in phrases if p in readable}
        if person in ROLES[role] and phrases:  # sanne has no talks of her own
            assert shown, f"{person}'s own answers should be readable by the {role}"
        else:
            assert shown == set(), f"{person}'s answers reached the {role}: {sorted(shown)[:3]}"


def test_a_plain_clone_of_the_team_repository_holds_no_talk(built_world, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(built_world.root / "remotes" / "team.git"), str(clone)], check=True)
    files = subprocess.run(["git", "-C", str(clone), "log", "--all", "--name-only", "--format="],
                           capture_output=True, text=True, check=True).stdout.split()
    assert files and not [f for f in files if f.startswith("talks/")]
    assert not (clone / "talks").exists() and os.listdir(clone)
