"""Writing and reading private notes: `devtalks notes add / list / show`, keys generated here."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from devtalks.errors import DevtalksError
from devtalks.notes.store import add, notes_for_manager
from devtalks.read.load import load

from .conftest import add_note, devtalks, edit_team, files_containing, person

SECRET = "Daan twijfelt of hij blijft; wil naar het SRE-team. Niet delen."


def test_a_note_round_trips_and_the_repository_holds_no_plain_text(team):
    added = devtalks("notes", "add", "daan", "--repo", team.repo, input=SECRET + "\n")
    assert added.returncode == 0, added.stderr
    assert "encrypted to sanne" in added.stdout
    [note] = (team.repo / "talks/daan/notes").glob("*.md.age")
    assert note.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert files_containing(team.repo, SECRET) == []
    assert files_containing(team.repo, "twijfelt") == []

    shown = devtalks("notes", "show", "daan", "--repo", team.repo, "--identity", team.keys["sanne"].path)
    assert shown.returncode == 0, shown.stderr
    assert SECRET in shown.stdout
    assert f"talks/daan/notes/{note.name}" in shown.stdout

    listed = devtalks("notes", "list", "daan", "--repo", team.repo)
    assert listed.returncode == 0
    assert note.name in listed.stdout and "sanne" in listed.stdout and "ok" in listed.stdout
    assert SECRET not in listed.stdout


def test_the_editor_draft_is_private_outside_the_repository_and_removed(team, tmp_path):
    log = tmp_path / "editor-log.json"
    editor = tmp_path / "fake editor.py"
    editor.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "draft = sys.argv[1]\n"
        f"json.dump({{'draft': draft, 'mode': os.stat(draft).st_mode, 'dir_mode': os.stat(os.path.dirname(draft)).st_mode,"
        f" 'tty': os.isatty(0)}}, open({str(log)!r}, 'w'))\n"
        f"open(draft, 'w', encoding='utf-8').write({SECRET!r} + '\\n')\n")
    editor.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "VISUAL"} | {"EDITOR": f"'{editor}'"}
    terminal, their_end = pty.openpty()
    try:
        added = devtalks("notes", "add", "daan", "--repo", team.repo, stdin=their_end, env=env)
    finally:
        os.close(terminal)
        os.close(their_end)
    assert added.returncode == 0, added.stderr
    seen = json.loads(log.read_text())
    draft = Path(seen["draft"])
    assert seen["tty"]
    assert not draft.resolve().is_relative_to(team.repo.resolve())
    assert stat.S_IMODE(seen["mode"]) == 0o600
    assert stat.S_IMODE(seen["dir_mode"]) == 0o700
    assert not draft.exists() and not draft.parent.exists()
    assert files_containing(team.repo, SECRET) == []
    shown = devtalks("notes", "show", "daan", "--repo", team.repo, "--identity", team.keys["sanne"].path)
    assert SECRET in shown.stdout


def test_an_empty_note_writes_nothing(team):
    added = devtalks("notes", "add", "daan", "--repo", team.repo, input="  \n\n")
    assert added.returncode == 1
    assert "error: the note is empty; nothing was written" in added.stderr
    assert not (team.repo / "talks/daan/notes").exists()


def test_a_manager_without_a_key_gets_told_how_to_make_one(team):
    added = devtalks("notes", "add", "noor", "--repo", team.repo, input="text\n")
    assert added.returncode == 0
    edit_team(team.repo, lambda data: person(data, "daan").pop("age_recipient"))
    added = devtalks("notes", "add", "noor", "--repo", team.repo, input="text\n")
    assert added.returncode == 1
    assert "manager `daan` has no `age_recipient`" in added.stderr and "devtalks notes keygen" in added.stderr
    assert "Traceback" not in added.stderr


@pytest.mark.parametrize("which, expected", [
    ("daan", "opens none of the 1 note(s) about fleur; they are encrypted to sanne"),
    ("missing", "cannot read the key file"),
    ("public", "is not an age secret key"),
])
def test_a_wrong_key_gives_a_clear_error(team, tmp_path, run_cli, which, expected):
    add_note(team.repo, "fleur", SECRET)
    public = tmp_path / "public.txt"
    public.write_text(team.keys["sanne"].public + "\n")
    key = {"daan": team.keys["daan"].path, "missing": tmp_path / "nope.txt", "public": public}[which]
    result = run_cli("notes", "show", "fleur", "--repo", team.repo, "--identity", key)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and expected in result.stderr
    assert SECRET not in result.stdout + result.stderr
    if which == "public":
        assert team.keys["sanne"].public not in result.stderr, "a key file's lines are never echoed"


def test_list_says_when_there_are_no_notes_and_rejects_unknown_people(team, run_cli):
    assert run_cli("notes", "list", "fleur", "--repo", team.repo).stdout == "no notes about fleur\n"
    unknown = run_cli("notes", "list", "fleurr", "--repo", team.repo)
    assert unknown.exit_code == 1 and "`fleurr` is not a person in team.yaml" in unknown.stderr


def test_notes_for_manager_gives_each_report_the_notes_that_key_opens(team):
    add_note(team.repo, "fleur", "over fleur")
    add_note(team.repo, "fleur", "nog iets over fleur")
    add_note(team.repo, "noor", "over noor, van daan")
    ws = load(team.repo)
    found = notes_for_manager(ws, "sanne", team.keys["sanne"].path)
    assert set(found) == {"daan", "fleur", "jeroen", "lotte", "thijs"}
    assert [n.text for n in found["fleur"]] == ["over fleur", "nog iets over fleur"]
    assert found["fleur"][0].written <= found["fleur"][1].written
    assert found["fleur"][0].written.tzinfo is not None
    assert found["daan"] == []
    assert [n.text for n in notes_for_manager(ws, "daan", team.keys["daan"].path)["noor"]] == ["over noor, van daan"]


def test_notes_for_manager_refuses_a_key_that_is_not_the_managers(team, tmp_path):
    add_note(team.repo, "fleur", SECRET)
    ws = load(team.repo)
    with pytest.raises(DevtalksError, match="is not Sanne de Vries's: its public key is age1.*Pass sanne's own key file"):
        notes_for_manager(ws, "sanne", team.keys["daan"].path)
    with pytest.raises(DevtalksError, match="cannot read the key file"):
        notes_for_manager(ws, "sanne", tmp_path / "nope.txt")
    with pytest.raises(DevtalksError, match="`fleur` has no `age_recipient`"):
        notes_for_manager(ws, "fleur", team.keys["sanne"].path)


def test_help_explains_each_notes_command_with_an_example(run_cli):
    for command in ("add", "list", "show", "rekey"):
        result = run_cli("notes", command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout


def test_notes_added_on_two_branches_merge_cleanly_with_a_union_merge(team, run_cli):
    def git(*args):
        return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@devtalks.invalid",
                               "-c", "init.defaultBranch=main", *args], cwd=team.repo, capture_output=True, text=True,
                              check=False)

    (team.repo / ".gitattributes").write_text("talks/*/notes/recipients.yaml merge=union\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "team")
    git("checkout", "-qb", "elsewhere")
    add(load(team.repo), "fleur", "op de andere tak", now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    git("add", "-A")
    git("commit", "-qm", "note on a branch")
    git("checkout", "-q", "main")
    add(load(team.repo), "fleur", "op main", now=dt.datetime(2026, 11, 3, tzinfo=dt.UTC))
    git("add", "-A")
    git("commit", "-qm", "note on main")
    merged = git("merge", "-q", "elsewhere", "-m", "merge")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert run_cli("validate", "--repo", team.repo, "--today", "2026-11-27").exit_code == 0
    shown = run_cli("notes", "show", "fleur", "--repo", team.repo, "--identity", team.keys["sanne"].path).stdout
    assert shown.index("op de andere tak") < shown.index("op main")
