"""`devtalks cycle open`: every participant gets a talk file that teaches itself, once."""

from __future__ import annotations

import json
from pathlib import Path

import git

from devtalks.progress import Stage, talk_progress
from devtalks.read.load import load
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit, new_cycle

TODAY = EXAMPLE_TODAY.isoformat()
PARTICIPANTS = ["daan", "fleur", "jeroen", "lotte", "noor", "thijs"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "talks").rglob("*.yaml"))}


def test_a_new_talk_file_has_prompts_in_the_team_language_and_earlier_agreements(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    result = run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "6 talk files written, 0 left as they were" in result.stdout
    text = (root / "talks/daan/2027-spring.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/talk-default.schema.json"
    # Each question is a Dutch comment right above its empty answer.
    went_well = lines.index("  went-well:")
    assert lines[went_well - 1] == "  # Wat ging er het afgelopen halfjaar goed?"
    manager_went_well = lines.index("  went-well:", went_well + 1)
    assert lines[manager_went_well - 1] == "  # Wat zag je je medewerker het afgelopen halfjaar goed doen?", \
        "the manager's side asks in the manager's words"
    assert lines[lines.index("  wellbeing:") - 2] == "  # Hoe gaat het met je, alles bij elkaar? (1–5)"
    assert ("  # Hoe kijk je aan tegen een interne overstap in het komende jaar? "
            "(een van: grow-here, explore, move, unsure)") in lines
    # Daan's open agreements from the autumn talk are listed for revisiting; done ones are not.
    assert "#   - tech-lead-portal (2026-autumn): Tech lead van het developer-portaltraject" in text
    assert "rfc-proces" not in text
    assert "template_version: 2" in lines
    ws = load(root)
    assert run_cli("validate", "--repo", root, "--strict", "--today", TODAY).exit_code == 0
    assert talk_progress(ws, "daan", "2027-spring").stage is Stage.not_started
    assert set(p.name for p in (root / "talks").iterdir()) >= set(PARTICIPANTS)


def test_an_english_team_gets_english_prompts(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    edit(root / "team.yaml", "language: nl", "language: en")
    new_cycle(root)
    assert run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", TODAY).exit_code == 0
    lines = (root / "talks/noor/2027-spring.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("  went-well:") - 1] == "  # What went well over the past six months?"
    assert "# Open agreements from earlier talks, to revisit in this talk:" in lines


def test_opening_twice_changes_nothing_and_keeps_answers(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    assert run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", TODAY).exit_code == 0
    edit(root / "talks/fleur/2027-spring.yaml", "  proud:\n", "  proud: Mijn eerste conferentietalk.\n")
    before = snapshot(root)
    result = run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", TODAY)
    assert result.exit_code == 0
    assert "0 talk files written, 6 left as they were" in result.stdout
    assert "kept    talks/fleur/2027-spring.yaml" in result.stdout
    assert snapshot(root) == before
    assert "proud: Mijn eerste conferentietalk." in (root / "talks/fleur/2027-spring.yaml").read_text()


def test_on_a_new_branch_it_commits_only_the_talk_files(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    commit(team_git, "Plan the spring cycle")
    edit(root / "team.yaml", "soon_days: 7", "soon_days: 5")
    team_git.index.add(["team.yaml"])  # staged, and not part of opening the cycle
    args = ("cycle", "open", "2027-spring", "--repo", root, "--branch", "open-{cycle}", "--commit", "--today", TODAY)
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert team_git.active_branch.name == "open-2027-spring"
    opened = team_git.head.commit
    assert opened.message == "Open cycle 2027-spring: 6 talk files"
    assert sorted(opened.stats.files) == [f"talks/{p}/2027-spring.yaml" for p in PARTICIPANTS]
    assert [d.a_path for d in team_git.index.diff("HEAD")] == ["team.yaml"]  # still staged
    assert not team_git.untracked_files
    again = run_cli(*args)
    assert again.exit_code == 0 and team_git.head.commit == opened


def test_one_branch_per_participant_pushed_to_the_remote(team_git, remote_of, run_cli):
    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    commit(team_git, "Plan the spring cycle")
    bare = remote_of(team_git)
    main = team_git.head.commit
    args = ("cycle", "open", "2027-spring", "--repo", root, "--branch", "cycle/{cycle}/{person}", "--push",
            "--format", "json", "--today", TODAY)
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["person"], r["action"], r["branch"]) for r in rows] == [
        (p, "created", f"cycle/2027-spring/{p}") for p in PARTICIPANTS]
    daan = rows[0]
    assert daan["assignees"] == ["daanbakker", "sannedevries"]
    assert daan["title"] == "Ontwikkelingsgesprekken voorjaar 2027: Daan Bakker"
    assert "@daanbakker: beantwoord de vragen in `talks/daan/2027-spring.yaml` vóór **2027-03-19**" in daan["body"]
    remote = git.Repo(bare)
    for p in PARTICIPANTS:
        tip = remote.commit(f"cycle/2027-spring/{p}")
        assert tip.parents == (remote.commit(main.hexsha),)
        assert list(tip.stats.files) == [f"talks/{p}/2027-spring.yaml"]
    # The work tree and main stay as they were: the branches were made beside them.
    assert team_git.active_branch.name == "main" and team_git.head.commit == main
    assert not (root / "talks/daan/2027-spring.yaml").exists()
    again = json.loads(run_cli(*args).stdout)
    assert {r["action"] for r in again} == {"branch-exists"}
    assert {h.name for h in remote.heads} == {"main", *(f"cycle/2027-spring/{p}" for p in PARTICIPANTS)}


def test_a_participant_whose_talk_is_on_main_gets_no_branch(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    (root / "talks/daan/2027-spring.yaml").write_text("template_version: 2\n", encoding="utf-8")
    commit(team_git, "Daan started early")
    result = run_cli("cycle", "open", "2027-spring", "--repo", root, "--branch", "cycle/{cycle}/{person}",
                     "--today", TODAY)
    assert result.exit_code == 0
    assert "kept    talks/daan/2027-spring.yaml" in result.stdout
    assert "cycle/2027-spring/daan" not in {h.name for h in team_git.heads}
    assert (root / "talks/daan/2027-spring.yaml").read_text() == "template_version: 2\n"


def test_an_unknown_or_broken_cycle_is_refused(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    result = run_cli("cycle", "open", "2026-autum", "--repo", root, "--today", TODAY)
    assert result.exit_code == 1 and "did you mean `2026-autumn`?" in result.stderr
    new_cycle(root)
    edit(root / "cycles/2027-spring.yaml", "template: default", "template: standard")
    result = run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", TODAY)
    assert result.exit_code == 1
    assert "cycles/2027-spring.yaml:2:11: question template `standard` does not exist" in result.stderr
    assert not (root / "talks/daan/2027-spring.yaml").exists()


def test_question_ids_that_yaml_would_misread_stay_text(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    edit(root / "question_templates/default.yaml", "      - id: proud\n",
         "      - id: \"yes\"\n        text: {nl: Ja?, en: Yes?}\n        answered_by: employee\n"
         "      - id: \"12\"\n        text: {nl: Twaalf?, en: Twelve?}\n        answered_by: employee\n"
         "      - id: proud\n")
    new_cycle(root)
    assert run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", TODAY).exit_code == 0
    text = (root / "talks/daan/2027-spring.yaml").read_text()
    assert '\n  "yes":\n' in text and '\n  "12":\n' in text
    result = run_cli("validate", "--repo", root, "--today", TODAY)
    assert result.exit_code == 0, result.stdout
    assert {"yes", "12"} <= set(load(root).talks[("daan", "2027-spring")].employee)


def test_pull_requests_open_once_each_in_the_team_repository(team_git, remote_of, run_cli, monkeypatch):
    """What the cycle-open workflow runs: a branch and a pull request per participant, into the branch checked out,
    assigned to the person and their manager; a second run opens nothing twice; the token is never printed."""
    from tests.remind.conftest import TOKEN
    from tests.remind.forge import Forge

    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    commit(team_git, "Plan the spring cycle")
    remote_of(team_git)
    forge = Forge(token=TOKEN, repository="example/team-platform").start()
    try:
        for name, value in (("GITHUB_API_URL", forge.url), ("GITHUB_TOKEN", TOKEN),
                            ("GITHUB_REPOSITORY", "example/team-platform")):
            monkeypatch.setenv(name, value)
        args = ("cycle", "open", "2027-spring", "--repo", root, "--branch", "cycle/{cycle}/{person}", "--pull-requests",
                "--today", TODAY)
        first, again = run_cli(*args), run_cli(*args)
        assert first.exit_code == again.exit_code == 0, first.stderr + again.stderr
        pulls = forge.pulls["example/team-platform"]
        assert [(p["head"]["ref"], p["base"]["ref"]) for p in pulls] == [
            (f"cycle/2027-spring/{p}", "main") for p in PARTICIPANTS]
        assert [a["login"] for a in pulls[0]["assignees"]] == ["daanbakker", "sannedevries"]
        assert pulls[0]["title"] == "Ontwikkelingsgesprekken voorjaar 2027: Daan Bakker"
        assert "→ https://github.invalid/example/team-platform/pull/" in first.stdout
        assert TOKEN not in first.stdout + first.stderr + again.stdout + again.stderr
    finally:
        forge.stop()


def test_pull_requests_without_a_branch_per_person_or_a_token_are_refused(team_git, run_cli, monkeypatch):
    root = Path(team_git.working_tree_dir)
    new_cycle(root)
    commit(team_git, "Plan the spring cycle")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    flat = run_cli("cycle", "open", "2027-spring", "--repo", root, "--branch", "cycle/{cycle}", "--pull-requests")
    assert flat.exit_code == 2 and "--pull-requests needs a branch per person" in flat.stderr
    bare = run_cli("cycle", "open", "2027-spring", "--repo", root, "--branch", "cycle/{cycle}/{person}",
                   "--pull-requests", "--today", TODAY)
    assert bare.exit_code == 1 and "set GITHUB_TOKEN" in bare.stderr
