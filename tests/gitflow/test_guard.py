"""`devtalks validate --base REF`: a signed talk and a closed cycle are records."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit

TODAY = EXAMPLE_TODAY.isoformat()
SIGNED = "talks/daan/2026-autumn.yaml"  # signed off on 2026-11-16 and 2026-11-17


@pytest.fixture
def pull_request(team_git) -> tuple[git.Repo, Path]:
    """A branch off main, as a pull request's head."""
    team_git.head.reference = team_git.create_head("change")
    return team_git, Path(team_git.working_tree_dir)


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if line.startswith(start))


def test_an_edited_answer_in_a_signed_talk_is_an_error(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "Het RFC-proces loopt.", "Het RFC-proces loopt prima.")
    commit(repo, "Daan rewrites history", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    line = line_of(root / SIGNED, "  went-well: |")
    assert (f"{SIGNED}:{line}:14: error DT700: `employee.went-well` changed in a talk signed off on 2026-11-17 — "
            "a signed talk is a record of what was agreed: only an agreement's status and done_on may change"
            in result.stdout)
    assert run_cli("validate", "--repo", root, "--today", TODAY).exit_code == 0  # without --base it is fine


def test_an_agreements_status_change_goes_through(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "    due: 2026-12-18\n", "    due: 2026-12-18\n    status: done\n    done_on: 2026-11-25\n")
    commit(repo, "Mentorship scaled down", "sanne", "2026-11-25")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("ok: ")


def test_uncommitted_edits_are_checked_too(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "    due: 2027-01-15\n", "    due: 2027-02-15\n")
    result = run_cli("validate", "--repo", root, "--base", "main", "--format", "github", "--today", TODAY)
    assert result.exit_code == 1
    line = line_of(root / SIGNED, "    due: 2027-02-15")
    assert result.stdout.startswith(f"::error file={SIGNED},line={line},col=10,title=DT700::"
                                    "`agreements[1].due` changed in a talk signed off on 2026-11-17.")


def test_new_or_removed_agreements_and_a_deleted_talk_are_errors(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "agreements:\n", "agreements:\n  - id: extra\n    title: Nog iets\n    owner: daan\n")
    (root / "talks/fleur/2026-spring.yaml").unlink()
    commit(repo, "Sneak in", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    assert f"{SIGNED}:{line_of(root / SIGNED, 'agreements:') + 1}:3: error DT700" in result.stdout
    assert "`agreements` changed in a talk signed off on 2026-11-17" in result.stdout
    assert "talks/fleur/2026-spring.yaml:1:1: error DT700: a talk signed off on" in result.stdout


def test_a_closed_cycle_is_locked_and_an_open_one_is_not(pull_request, run_cli):
    repo, root = pull_request
    edit(root / "cycles/2026-autumn.yaml", "plan_by: 2026-12-11", "plan_by: 2026-12-18")
    commit(repo, "More time for the plans", "sanne", "2026-11-27")
    assert run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY).exit_code == 0
    edit(root / "cycles/2026-spring.yaml", "talks_by: 2026-04-03", "talks_by: 2026-04-10")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    assert ("cycles/2026-spring.yaml:7:11: error DT700: `talks_by` changed in a cycle that closed on 2026-04-17"
            in result.stdout)


def test_changes_that_landed_on_the_base_meanwhile_are_not_blamed(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    branch = team_git.create_head("change")
    edit(root / SIGNED, "Het RFC-proces loopt.", "Het RFC-proces loopt goed.")
    commit(team_git, "A change straight on main", "sanne", "2026-11-26")
    team_git.head.reference = branch
    team_git.head.reset(index=True, working_tree=True)
    edit(root / "talks/noor/2026-autumn.yaml", "scheduled: 2026-12-03", "scheduled: 2026-12-04")
    commit(team_git, "Noor moves her talk", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 0, result.stdout


def test_an_unknown_base_is_a_clear_error(pull_request, run_cli):
    _, root = pull_request
    result = run_cli("validate", "--repo", root, "--base", "origin/main", "--today", TODAY)
    assert result.exit_code == 1
    assert "`origin/main` is not a commit or branch in this repository; fetch it first" in result.stderr


def test_a_pull_request_checkout_compares_with_origin(team_git, remote_of, tmp_path, run_cli):
    bare = remote_of(team_git)
    team_git.head.reference = team_git.create_head("fix")
    edit(Path(team_git.working_tree_dir) / SIGNED, "    owner: sanne\n", "    owner: daan\n")
    commit(team_git, "Hand the mentorship to Daan", "daan", "2026-11-27")
    team_git.remote("origin").push("refs/heads/fix:refs/heads/fix")
    checkout = git.Repo.clone_from(bare, tmp_path / "ci", branch="fix")  # as CI checks out with fetch-depth 0
    result = run_cli("validate", "--repo", checkout.working_tree_dir, "--base", "origin/main", "--format", "github",
                     "--today", TODAY)
    assert result.exit_code == 1
    assert f"::error file={SIGNED}," in result.stdout and "`agreements[2].owner` changed" in result.stdout


def test_an_answer_added_to_a_signed_talk_is_an_error(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "employee:\n", "employee:\n  training: Een cursus spreken in het openbaar\n")
    commit(repo, "Daan adds an answer afterwards", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{SIGNED}:{line_of(root / SIGNED, '  training:')}:13: error DT700: `employee.training` changed in a talk "
            "signed off on 2026-11-17" in result.stdout)


def test_an_agreements_new_title_is_an_error_though_its_status_may_change(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "    title: Een talk over gebaande paden indienen", "    title: Een talk over iets anders indienen")
    edit(root / SIGNED, "    due: 2027-01-15\n", "    due: 2027-01-15\n    status: done\n    done_on: 2026-11-25\n")
    commit(repo, "The talk is in, about something else", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stdout.count("error DT700") == 1, result.stdout
    assert "`agreements[1].title` changed in a talk signed off on 2026-11-17" in result.stdout


def test_an_agreement_that_changed_its_id_cannot_be_closed_as_a_follow_up(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "  - id: kcd-talk\n", "  - id: kcd-talk-2027\n")
    edit(root / SIGNED, "    due: 2027-01-15\n", "    due: 2027-01-15\n    status: done\n")
    commit(repo, "Renamed and closed", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert "`agreements[1].id` changed" in result.stdout
    assert "`agreements[1].status` changed" in result.stdout


@pytest.mark.parametrize("side", ["employee", "manager"])
def test_a_talk_only_one_side_signed_may_still_change(team_git, run_cli, side):
    root = Path(team_git.working_tree_dir)
    other = {"employee": "  manager: 2026-11-17\n", "manager": "  employee: 2026-11-16\n"}[side]
    edit(root / SIGNED, other, "")
    commit(team_git, f"Only the {side} has signed", "sanne", "2026-11-17")
    team_git.head.reference = team_git.create_head("change")
    edit(root / SIGNED, "Het RFC-proces loopt.", "Het RFC-proces loopt prima.")
    commit(team_git, "Daan rewords before signing", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 0, result.stdout


def test_a_closed_cycle_cannot_be_deleted_and_an_open_one_is_not_locked(pull_request, run_cli):
    repo, root = pull_request
    (root / "cycles/2026-spring.yaml").unlink()
    (root / "cycles/2026-autumn.yaml").unlink()
    commit(repo, "Clean up", "sanne", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert "cycles/2026-spring.yaml:1:1: error DT700: a cycle closed on 2026-04-17 is deleted" in result.stdout
    assert "cycles/2026-autumn.yaml:1:1: error DT700" not in result.stdout


@pytest.mark.parametrize("today, locked", [("2026-12-11", False), ("2026-12-12", True)])
def test_a_cycle_closes_the_day_after_its_plan_by(pull_request, run_cli, today, locked):
    repo, root = pull_request
    edit(root / "cycles/2026-autumn.yaml", "talks_by: 2026-11-27", "talks_by: 2026-11-28")
    commit(repo, "One more day for the talks", "sanne", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", today)
    assert ("`talks_by` changed in a cycle that closed on 2026-12-11" in result.stdout) is locked, result.stdout


def test_a_signed_value_that_changes_only_its_type_or_shape_is_an_error(pull_request, run_cli):
    repo, root = pull_request
    edit(root / SIGNED, "  growth-readiness: 5\n", "  growth-readiness: 5.0\n")
    edit(root / SIGNED, "scheduled: 2026-11-10\n", "scheduled: {day: 2026-11-10}\n")
    edit(root / SIGNED, "  - id: mentorschap-afbouwen\n    title: Het mentorschap afbouwen naar een tweewekelijkse sessie "
         "en een tweede mentor zoeken\n    owner: sanne\n    due: 2026-12-18\n", "  - mentorschap afbouwen\n")
    edit(root / SIGNED, "sign_off:\n  employee: 2026-11-16\n  manager: 2026-11-17\n", "sign_off: [employee, manager]\n")
    edit(root / SIGNED, "learning-ways: [conference, mentoring, stretch-project]",
         "learning-ways: {conference: 1, mentoring: 2, stretch-project: 3}")
    commit(repo, "Reshaped", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    for key in ("employee.growth-readiness", "scheduled", "agreements[2]", "sign_off", "employee.learning-ways"):
        assert f"`{key}` changed in a talk signed off on 2026-11-17" in result.stdout, result.stdout


def test_a_cycle_whose_plan_by_was_no_date_is_not_locked_and_may_be_fixed(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    edit(root / "cycles/2026-spring.yaml", "plan_by: 2026-04-17", "plan_by: half april")
    commit(team_git, "A typo lands on main", "sanne", "2026-03-01")
    team_git.head.reference = team_git.create_head("fix")
    edit(root / "cycles/2026-spring.yaml", "plan_by: half april", "plan_by: 2026-04-17")
    commit(team_git, "Fix the date", "sanne", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 0, result.stdout + result.stderr
