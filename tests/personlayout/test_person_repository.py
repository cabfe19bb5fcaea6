"""Validating inside a person repository: the person's own files, checked against the team's files fetched beside them."""

from __future__ import annotations

import shutil

from tests.conftest import EXAMPLE_TODAY

from .world import commit_all, git

DAY = str(EXAMPLE_TODAY)


def test_a_person_repository_is_valid_and_the_verdict_names_the_team_commit(built_world, run_cli):
    mine = built_world.checkout("daan")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    team_sha = git(built_world.root / "remotes" / "team.git", "rev-parse", "main").strip()
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"checked against the team repository `../../remotes/team.git` at commit {team_sha[:7]}" in result.stdout


def test_every_mistake_in_a_talk_is_found_against_the_team_files(world, run_cli):
    talk = world.checkout("daan") / "talks" / "daan" / "2026-autumn.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("template_version: 2", "template_version: 9", 1),
                    encoding="utf-8")
    result = run_cli("validate", "--repo", world.checkout("daan"), "--today", DAY)
    assert result.exit_code == 1
    assert "talks/daan/2026-autumn.yaml" in result.stdout and "DT202" in result.stdout


def test_a_change_to_the_team_files_reaches_the_person_repository(world, run_cli):
    """The team renames a cycle: daan's talk of it no longer belongs to a cycle, which his repository's check sees."""
    shutil.move(world.team / "cycles" / "2026-autumn.yaml", world.team / "cycles" / "2026-fall.yaml")
    world.push_team("Rename the autumn cycle")
    result = run_cli("validate", "--repo", world.checkout("daan"), "--today", DAY)
    assert result.exit_code == 1
    assert "talks/daan/2026-autumn.yaml:1:1: error DT207" in result.stdout


def test_the_hook_checks_only_the_files_it_is_given(world, run_cli):
    mine = world.checkout("daan")
    (mine / "talks" / "daan" / "2026-spring.yaml").write_text("employee: [\n", encoding="utf-8")
    given = run_cli("validate", "--repo", mine, "--today", DAY, "talks/daan/2026-autumn.yaml")
    everything = run_cli("validate", "--repo", mine, "--today", DAY)
    assert given.exit_code == 0, given.stdout
    assert everything.exit_code == 1 and "talks/daan/2026-spring.yaml" in everything.stdout


def test_someone_elses_talks_in_a_person_repository_are_refused(world, run_cli):
    mine = world.checkout("daan")
    shutil.copytree(world.team_layout / "talks" / "noor", mine / "talks" / "noor")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    assert result.exit_code == 1
    assert "talks/noor:1:1: error DT802: this repository holds talks/noor/" in result.stdout
    assert "move talks/noor/ to noor's own repository" in result.stdout


def test_a_devtalks_yaml_naming_someone_the_team_does_not_know_is_refused(world, run_cli):
    mine = world.checkout("daan")
    (mine / "devtalks.yaml").write_text("person: dan\nteam: ../../remotes/team.git\n", encoding="utf-8")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    assert result.exit_code == 1
    assert "devtalks.yaml:1:9: error DT802: the team repository `../../remotes/team.git` has no person `dan`" in result.stdout
    assert "did you mean `daan`?" in result.stdout


def test_a_devtalks_yaml_pointing_at_another_teams_repository_is_refused(world, tmp_path, run_cli):
    other = tmp_path / "other-team"
    shutil.copytree(world.team_layout, other)
    mine = world.checkout("daan")
    (mine / "devtalks.yaml").write_text(f"person: daan\nteam: {other}\n", encoding="utf-8")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    assert result.exit_code == 1
    assert "does not give daan a `talks_repo:`, so nothing in this repository reaches a site" in result.stdout


def test_a_team_that_cannot_be_fetched_is_said_plainly(world, run_cli):
    mine = world.checkout("daan")
    (mine / "devtalks.yaml").write_text("person: daan\nteam: ../../remotes/nowhere.git\n", encoding="utf-8")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("devtalks.yaml:1:1: error DT801: the team repository `../../remotes/nowhere.git` "
                               "cannot be fetched")
    assert "check `team:` and `ref:` in devtalks.yaml" in lines[0]
    assert lines[1] == "1 error, 0 warnings"  # not one error per talk for a team it could not read
    assert "Traceback" not in result.stderr


def test_offline_the_team_files_of_the_last_fetch_are_used_and_said_so(world, run_cli):
    mine = world.checkout("daan")
    assert run_cli("validate", "--repo", mine, "--today", DAY).exit_code == 0
    shutil.move(world.root / "remotes" / "team.git", world.root / "remotes" / "team-away.git")
    result = run_cli("validate", "--repo", mine, "--today", DAY)
    assert result.exit_code == 0, result.stdout
    assert "warning DT801" in result.stdout and "checked against its files as fetched before (commit" in result.stdout


def test_within_the_fetch_interval_the_team_is_not_fetched_again(world, run_cli, monkeypatch):
    mine = world.checkout("daan")
    monkeypatch.setenv("DEVTALKS_FETCH_INTERVAL", "3600")
    before = run_cli("validate", "--repo", mine, "--today", DAY)
    shutil.move(world.root / "remotes" / "team.git", world.root / "remotes" / "team-away.git")
    again = run_cli("validate", "--repo", mine, "--today", DAY)
    assert before.exit_code == again.exit_code == 0
    assert again.stdout == before.stdout  # no fetch was tried, so no warning that it failed


def test_a_person_repository_without_a_team_file_of_its_own_in_the_repository_runs_the_guard(world, run_cli):
    """The sign-off guard (--base) works inside a person repository: a signed talk may not be rewritten."""
    mine = world.checkout("daan")
    git(mine, "checkout", "-q", "-b", "rewrite")
    talk = mine / "talks" / "daan" / "2026-spring.yaml"
    text = talk.read_text(encoding="utf-8")
    assert "sign_off" in text
    talk.write_text(text.replace("summary:", "summary: Rewritten afterwards.\nold_summary:", 1), encoding="utf-8")
    commit_all(mine, "Rewrite a signed talk")
    result = run_cli("validate", "--repo", mine, "--today", DAY, "--base", "main")
    assert "DT700" in result.stdout


def test_a_check_in_is_written_in_the_persons_own_clone_and_refused_in_the_team_repository(world, run_cli):
    refused = run_cli("checkin", "new", "noor", "--repo", world.team, "--today", DAY)
    assert refused.exit_code == 1 and "noor's talks live in their own repository" in refused.stderr
    assert not (world.team / "talks").exists()
    mine = world.checkout("noor")
    written = run_cli("checkin", "new", "noor", "--repo", mine, "--today", DAY)
    assert written.exit_code == 0, written.stderr
    assert (mine / "talks" / "noor" / f"checkin-{DAY}.yaml").is_file()
    assert run_cli("validate", "--repo", mine, "--today", DAY).exit_code == 0


def test_the_hook_in_a_person_repository_takes_the_quick_path_and_prints_what_click_prints(world, capsys, monkeypatch):
    """The hook's path without Click (half the run of an unchanged hook) serves a person repository too."""
    from devtalks.cli import main, quick_validate_args, with_click

    monkeypatch.chdir(world.checkout("daan"))
    talk = world.checkout("daan") / "talks" / "daan" / "2026-autumn.yaml"
    talk.write_text(talk.read_text(encoding="utf-8") + "wellbeing: 9\n", encoding="utf-8")
    argv = ["validate", "--today", DAY, "talks/daan/2026-autumn.yaml"]
    assert quick_validate_args(argv) is not None
    quick = main(argv), capsys.readouterr()
    clicked = with_click(argv), capsys.readouterr()
    assert quick == clicked and quick[0] == 1 and "DT100" in quick[1].out
