"""The example team twice over, in real Git repositories: once in the team layout, once in the person layout.

world/team-layout/         the example as one repository (its own history)
world/team/                a checkout of the team repository in the person layout (no talks/)
world/remotes/team.git     its remote
world/remotes/<id>.git     each person's private repository: devtalks.yaml and talks/<id>/ only
world/checkouts/<id>/      the person's own clone of it, as they would have it on their laptop

Paths in team.yaml and devtalks.yaml are relative (`../remotes/<id>.git`), so a role's view of the
world is the same folders with only the repositories that role may read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import copy_example

ENV = {"GIT_AUTHOR_NAME": "Sanne de Vries", "GIT_AUTHOR_EMAIL": "sanne.devries@example.com",
       "GIT_COMMITTER_NAME": "Sanne de Vries", "GIT_COMMITTER_EMAIL": "sanne.devries@example.com",
       "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+01:00", "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+01:00"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env={**os.environ, **ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


@dataclass
class World:
    root: Path
    people: list[str]

    @property
    def team(self) -> Path:
        return self.root / "team"

    @property
    def team_layout(self) -> Path:
        return self.root / "team-layout"

    def remote(self, who: str) -> Path:
        return self.root / "remotes" / f"{who}.git"

    def checkout(self, who: str) -> Path:
        return self.root / "checkouts" / who

    def push_team(self, message: str) -> None:
        commit_all(self.team, message)
        git(self.team, "push", "-q", "origin", "main")


def make_world(root: Path) -> World:
    """The example team in both layouts; each person's repository made from their folder as it is now."""
    source = copy_example(root / "team-layout")
    git(source, "init", "-q", "-b", "main")
    commit_all(source, "The example team")
    people = re.findall(r"^  - id: (\S+)$", _people_part((source / "team.yaml").read_text(encoding="utf-8")), flags=re.M)
    world = World(root, people)
    (root / "remotes").mkdir()
    git(root, "init", "-q", "--bare", "-b", "main", str(root / "remotes" / "team.git"))
    for who in people:
        git(root, "init", "-q", "--bare", "-b", "main", str(world.remote(who)))
        mine = world.checkout(who)
        git(root, "clone", "-q", str(world.remote(who)), str(mine))
        (mine / "devtalks.yaml").write_text(f"person: {who}\nteam: ../../remotes/team.git\nref: main\n", encoding="utf-8")
        if (source / "talks" / who).is_dir():
            shutil.copytree(source / "talks" / who, mine / "talks" / who)
        commit_all(mine, f"The talks of {who}")
        git(mine, "push", "-q", "origin", "HEAD:main")
    shutil.copytree(source, world.team, ignore=shutil.ignore_patterns(".git", "talks"))
    text = (world.team / "team.yaml").read_text(encoding="utf-8")
    people_part = _people_part(text)
    text = text.replace(people_part, re.sub(r"^  - id: (\S+)\n", lambda m: f"{m.group(0)}    talks_repo: "
                                            f"../remotes/{m.group(1)}.git\n", people_part, flags=re.M), 1)
    text = text.replace("\npeople:\n", "\nlayout: person\npeople:\n", 1)
    (world.team / "team.yaml").write_text(text, encoding="utf-8")
    git(world.team, "init", "-q", "-b", "main")
    git(world.team, "remote", "add", "origin", str(root / "remotes" / "team.git"))
    world.push_team("The example team, one repository per person")
    return world


def _people_part(team_yaml: str) -> str:
    """The `people:` list of team.yaml, up to the next top-level key."""
    return re.search(r"^people:\n(?:(?:  .*)?\n)*", team_yaml, flags=re.M).group(0)
