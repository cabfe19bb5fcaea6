"""`person move` and `person leave` for someone with a repository of their own: the forge's access follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_TODAY
from tests.remind.conftest import TOKEN

from .conftest import MILA, entry

TODAY = EXAMPLE_TODAY.isoformat()
REPO = "acme/talks-mila"


@pytest.fixture
def mila(team_git, run_cli, forge, hosting) -> Path:
    """The example team with Mila, reporting to Sanne, in a private repository of her own on the forge."""
    root = Path(team_git.working_tree_dir)
    result = run_cli("person", "add", "--repo", root, *MILA, "--github", "milade", "--manager", "sanne",
                     "--talks-repo", f"{hosting}/{REPO}.git", "--create", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    return root


def set_policy(root: Path, policy: str) -> None:
    text = (root / "team.yaml").read_text(encoding="utf-8")
    (root / "team.yaml").write_text(text + f"notes:\n  on_manager_change: {policy}\n", encoding="utf-8")


def test_move_gives_the_new_manager_access_and_the_old_one_keeps_it_until_the_notes_are_rekeyed(mila, run_cli, forge):
    moved = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert moved.exit_code == 0, moved.stderr
    assert entry(mila, "mila")["manager"] == "daan"
    assert forge.access[REPO] == {"milade": "push", "sannedevries": "push", "daanbakker": "push"}
    assert f"{REPO}: @daanbakker (daan) may push to it" in moved.stdout
    assert "sanne keeps access to mila's repository until the private notes about mila there are re-encrypted" \
        in moved.stdout
    assert "devtalks notes rekey mila --identity KEYFILE" in moved.stdout
    rerun = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert rerun.exit_code == 0, rerun.stderr
    assert forge.access[REPO] == {"milade": "push", "sannedevries": "push", "daanbakker": "push"}, \
        "running the move again takes nobody's access before the notes are rekeyed"

    done = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila, "--notes-rekeyed")
    assert done.exit_code == 0, done.stderr
    assert forge.access[REPO] == {"milade": "push", "daanbakker": "push"}
    assert f"{REPO}: took @sannedevries (sanne) off its collaborators" in done.stdout
    for out in (moved, done):
        assert TOKEN not in out.stdout + out.stderr


def test_move_with_notes_kept_swaps_access_at_once(mila, run_cli, forge):
    set_policy(mila, "keep")
    moved = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert moved.exit_code == 0, moved.stderr
    assert forge.access[REPO] == {"milade": "push", "daanbakker": "push"}
    assert "keeps access" not in moved.stdout


def test_move_without_a_token_says_what_is_left_to_do_and_refuses_an_identity(mila, run_cli, forge, monkeypatch):
    set_policy(mila, "keep")
    before = (mila / "team.yaml").read_bytes()
    key = mila.parent / "key.txt"
    key.write_text("AGE-SECRET-KEY-1\n")
    refused = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila, "--identity", key)
    assert refused.exit_code == 1
    assert "the private notes about mila are in their own repository, not here: leave out --identity" in refused.stderr
    assert (mila / "team.yaml").read_bytes() == before

    monkeypatch.delenv("GITHUB_TOKEN")
    moved = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert moved.exit_code == 0, moved.stderr
    assert (f"mila's repository {REPO}: still to do on the forge (devtalks does it when GITHUB_TOKEN is set): "
            "let @daanbakker (daan) push to it; take @sannedevries (sanne) off its collaborators") in moved.stdout
    assert forge.access[REPO] == {"milade": "push", "sannedevries": "push"}


def test_leave_takes_away_their_write_access_and_archives_their_repository(mila, run_cli, forge):
    dry = run_cli("person", "leave", "mila", "--on", TODAY, "--today", TODAY, "--repo", mila, "--dry-run")
    assert f"mila's repository {REPO}: would: let @milade only read it; archive it" in dry.stdout
    assert forge.repos[REPO]["archived"] is False
    left = run_cli("person", "leave", "mila", "--on", TODAY, "--today", TODAY, "--repo", mila)
    assert left.exit_code == 0, left.stderr
    assert str(entry(mila, "mila")["left_on"]) == TODAY
    assert forge.repos[REPO]["archived"] is True
    assert forge.access[REPO] == {"milade": "pull", "sannedevries": "push"}
    assert f"{REPO}: mila may only read it now; archived it" in left.stdout
    again = run_cli("person", "leave", "mila", "--on", TODAY, "--today", TODAY, "--repo", mila)
    assert again.exit_code == 0 and f"{REPO} is archived already; nothing to change" in again.stdout
    assert TOKEN not in left.stdout + left.stderr + again.stdout + again.stderr


def test_a_forge_that_refuses_says_why_and_team_yaml_stays(mila, run_cli, forge):
    before = (mila / "team.yaml").read_bytes()
    forge.fail("PUT", r"/collaborators/", 403)
    result = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert result.exit_code == 1
    assert ("GitHub refused PUT /repos/acme/talks-mila/collaborators/daanbakker (403: fault): the token needs "
            "administration rights (create repositories, manage collaborators) on acme/talks-mila") in result.stderr
    assert (mila / "team.yaml").read_bytes() == before


def test_a_rate_limited_forge_is_waited_for(mila, run_cli, forge):
    set_policy(mila, "keep")
    forge.fail("PUT", r"/collaborators/daanbakker$", "429", wait=0)
    moved = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert moved.exit_code == 0, moved.stderr
    assert [s.outcome for s in forge.requests("PUT", "daanbakker")] == ["429", "ok"]
    assert forge.access[REPO] == {"milade": "push", "daanbakker": "push"}


def test_an_unknown_forge_user_is_named(mila, run_cli, forge):
    forge.users = {"milade", "sannedevries"}
    result = run_cli("person", "move", "mila", "--manager", "daan", "--repo", mila)
    assert result.exit_code == 1
    assert ("the forge knows no user `daanbakker`, or no repository acme/talks-mila (404): check the github handle in "
            "team.yaml and the person's talks_repo") in result.stderr
    assert entry(mila, "mila")["manager"] == "sanne"


def test_a_lost_answer_to_create_makes_one_repository(team_git, run_cli, forge, hosting):
    forge.fail("POST", r"^/orgs/acme/repos$", "drop")
    result = run_cli("person", "add", "--repo", team_git.working_tree_dir, *MILA, "--github", "milade",
                     "--manager", "sanne", "--talks-repo", f"{hosting}/{REPO}.git", "--create")
    assert result.exit_code == 0, result.stderr
    assert len(forge.requests("POST", r"^/orgs/acme/repos$")) == 1
    assert "created the private repository acme/talks-mila" in result.stdout
    assert forge.access[REPO] == {"milade": "push", "sannedevries": "push"}
