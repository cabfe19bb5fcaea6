"""A three-person team in the person layout, from `init` to a person leaving, on real repositories and the stand-in
forge: each step as its user would run it, each person's work in a clone of their own repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import yaml

from tests.conftest import EXAMPLE_TODAY

from .conftest import files_at

TODAY = EXAMPLE_TODAY.isoformat()


def sh(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_three_person_team_from_init_to_a_person_leaving(tmp_path, hosting, forge, run_cli):
    team = tmp_path / "team"
    assert run_cli("init", team, "--layout", "person", "--language", "en", "--today", TODAY).exit_code == 0
    boss = yaml.safe_load((team / "team.yaml").read_text(encoding="utf-8"))["people"][0]["id"]
    text = (team / "team.yaml").read_text(encoding="utf-8")
    (team / "team.yaml").write_text(text.replace(f"  - id: {boss}\n", f"  - id: {boss}\n    github: the-boss\n", 1),
                                    encoding="utf-8")  # the forge gives access by handle
    git.Repo.init(hosting / "acme" / "team.git", bare=True, initial_branch="main")
    sh(team, "remote", "add", "origin", str(hosting / "acme" / "team.git"))

    for pid, name in (("mila", "Mila de Boer"), ("joost", "Joost Visser")):
        added = run_cli("person", "add", "--repo", team, "--id", pid, "--name", name, "--email", f"{pid}@example.com",
                        "--github", pid, "--manager", boss, "--talks-repo", hosting / "acme" / f"talks-{pid}.git",
                        "--create", "--on", TODAY, "--today", TODAY)
        assert added.exit_code == 0, added.stderr
    sh(team, "add", "-A")
    sh(team, "-c", "user.name=Manager", "-c", "user.email=m@example.com", "commit", "-q", "-m", "Mila and Joost")
    sh(team, "push", "-q", "origin", "main")
    assert run_cli("validate", "--repo", team, "--today", TODAY).exit_code == 0

    cycle = next((team / "cycles").glob("*.yaml")).stem
    opened = run_cli("cycle", "open", cycle, "--repo", team, "--branch", "cycle/{cycle}/{person}", "--push",
                     "--format", "json", "--today", TODAY)
    assert opened.exit_code == 0, opened.stderr
    rows = {row["person"]: row for row in json.loads(opened.stdout)}
    assert {p: r["repository"] for p, r in rows.items()} == {"mila": "acme/talks-mila", "joost": "acme/talks-joost"}
    talk = f"talks/mila/{cycle}.yaml"
    assert talk in files_at(hosting / "acme" / "talks-mila.git", f"cycle/{cycle}/mila")

    # Mila prepares in her own clone: the hook's check finds her mistake, then her fix passes.
    mine = tmp_path / "mila"
    sh(tmp_path, "clone", "-q", "-b", f"cycle/{cycle}/mila", str(hosting / "acme" / "talks-mila.git"), str(mine))
    text = (mine / talk).read_text(encoding="utf-8")
    (mine / talk).write_text(text + "wellbeing: 9\n", encoding="utf-8")
    hook = run_cli("validate", "--repo", mine, "--today", TODAY, talk)
    assert hook.exit_code == 1 and f"{talk}:" in hook.stdout and "DT100" in hook.stdout
    (mine / talk).write_text(text.replace("summary:", "summary: Preparing in my own repository.\n#", 1)
                             if "summary:" in text else text + "summary: Preparing in my own repository.\n",
                             encoding="utf-8")
    ok = run_cli("validate", "--repo", mine, "--today", TODAY, talk)
    assert ok.exit_code == 0 and "checked against the team repository" in ok.stdout, ok.stdout
    sh(mine, "add", "-A")
    sh(mine, "-c", "user.name=Mila", "-c", "user.email=mila@example.com", "commit", "-q", "-m", "My preparation")
    sh(mine, "push", "-q", "origin", "HEAD:main")  # the pull request, merged

    built = run_cli("build", "--repo", team, "--out", tmp_path / "site", "--today", TODAY)
    assert built.exit_code == 0, built.stderr
    page = (tmp_path / "site" / "managers" / boss / "mila" / "talks" / f"{cycle}.html").read_text(encoding="utf-8")
    assert "Preparing in my own repository." in page
    assert not (tmp_path / "site" / "people" / "mila" / "talks" / f"{cycle}.html").read_text(
        encoding="utf-8").count("Joost")
    due = str(yaml.safe_load((team / "cycles" / f"{cycle}.yaml").read_text(encoding="utf-8"))["prepare_by"])
    plan = run_cli("remind", "--repo", team, "--dry-run", "--today", due)
    assert plan.exit_code == 0 and "Joost Visser" in plan.stdout

    assert forge.access["acme/talks-joost"] == {"joost": "push", "the-boss": "push"} and forge.repos["acme/talks-joost"]["private"]
    left = run_cli("person", "leave", "joost", "--repo", team, "--on", TODAY, "--today", TODAY)
    assert left.exit_code == 0, left.stderr
    assert forge.access["acme/talks-joost"] == {"joost": "pull", "the-boss": "push"} and forge.repos["acme/talks-joost"]["archived"]
    assert run_cli("validate", "--repo", team, "--today", TODAY).exit_code == 0
    after = run_cli("remind", "--repo", team, "--dry-run", "--today", due)
    assert "Joost Visser" not in after.stdout
