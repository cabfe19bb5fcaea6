"""Opening a cycle in the person layout: a branch with the new talk file in each person's own repository."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import new_cycle

from .world import git

DAY = str(EXAMPLE_TODAY)


def test_a_cycle_opens_with_a_branch_in_each_persons_repository(world, run_cli):
    new_cycle(world.team)
    world.push_team("The spring cycle")
    opened = run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--branch", "cycle/{cycle}", "--push",
                     "--format", "json", "--today", DAY)
    assert opened.exit_code == 0, opened.stderr
    rows = json.loads(opened.stdout)
    reports = [p for p in world.people if p != "sanne"]
    assert [(r["person"], r["action"], r["branch"], r["repository"]) for r in rows] == [
        (p, "created", "cycle/2027-spring", f"remotes/{p}") for p in reports]
    for person in reports:
        files = git(world.remote(person), "ls-tree", "-r", "--name-only", "cycle/2027-spring").split()
        assert f"talks/{person}/2027-spring.yaml" in files and "devtalks.yaml" in files
        assert not [f for f in files if f.startswith("talks/") and not f.startswith(f"talks/{person}/")]
    assert "cycle/2027-spring" not in git(world.root / "remotes" / "team.git", "branch", "--list")
    again = run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--branch", "cycle/{cycle}", "--push",
                    "--format", "json", "--today", DAY)
    assert {r["action"] for r in json.loads(again.stdout)} == {"branch-exists"}


def test_the_talk_on_the_branch_is_valid_in_the_persons_own_clone(world, run_cli):
    new_cycle(world.team)
    world.push_team("The spring cycle")
    assert run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--branch", "cycle/{cycle}", "--push",
                   "--today", DAY).exit_code == 0
    mine = world.checkout("noor")
    git(mine, "fetch", "-q", "origin")
    git(mine, "checkout", "-q", "-b", "cycle/2027-spring", "origin/cycle/2027-spring")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    assert result.exit_code == 0 and result.stdout.startswith("ok: "), result.stdout


def test_without_a_branch_to_push_a_person_layout_cycle_is_refused_plainly(world, run_cli):
    new_cycle(world.team)
    world.push_team("The spring cycle")
    result = run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--today", DAY)
    assert result.exit_code != 0
    assert "live in their own repositories: open the cycle with --branch 'cycle/{cycle}/{person}' --push" in result.stderr
    assert not (world.team / "talks").exists()


def test_pull_requests_open_in_each_persons_repository_once(world, run_cli, monkeypatch):
    """`--pull-requests` opens one pull request per new talk, in the person's own repository, assigned to them and
    their manager; a second run (or one after a run that stopped half-way) opens none twice."""
    from tests.remind.conftest import TOKEN
    from tests.remind.forge import Forge

    forge = Forge(token=TOKEN, repository="acme/team").start()
    try:
        monkeypatch.setenv("GITHUB_API_URL", forge.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("DEVTALKS_HTTP_BACKOFF", "0.01")
        new_cycle(world.team)
        world.push_team("The spring cycle")
        forge.fail("POST", r"/remotes/lotte/pulls$", "drop")  # made, but the answer is lost: found, not made again
        forge.fail("POST", r"/remotes/noor/pulls$", 502, times=10)  # noor's cannot be made this first time
        first = run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--branch", "cycle/{cycle}/{person}",
                        "--pull-requests", "--today", DAY)
        assert first.exit_code != 0 and "noor" in first.stderr + first.stdout
        forge.faults.clear()
        again = run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--branch", "cycle/{cycle}/{person}",
                        "--pull-requests", "--today", DAY)
        assert again.exit_code == 0, again.stderr
        reports = [p for p in world.people if p != "sanne"]
        assert sorted(forge.pulls) == sorted(f"remotes/{p}" for p in reports)
        for person in reports:
            [pull] = forge.pulls[f"remotes/{person}"]
            assert pull["head"]["ref"] == f"cycle/2027-spring/{person}" and pull["base"]["ref"] == "main"
            assert {a["login"] for a in pull["assignees"]} >= {"sannedevries"}
        assert TOKEN not in first.stdout + first.stderr + again.stdout + again.stderr
    finally:
        forge.stop()
