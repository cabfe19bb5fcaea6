"""The real pre-commit framework, with devtalks' own hook, refuses a commit with a plain-text note.

Like tests/test_precommit.py, the hook comes from this checkout's committed HEAD: pre-commit
installs hooks from a Git revision.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_example, need

from .conftest import TODAY, devtalks, edit_team, make_key, person

SECRET = "Thijs wil minder on-call; praat met HR over deeltijd."


def git(*args, cwd: Path, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@devtalks.invalid",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, check=check)


def test_the_real_hook_refuses_a_plain_text_note_and_accepts_an_encrypted_one(tmp_path, pre_commit_home):
    need("git")
    head = git("rev-parse", "HEAD", cwd=ROOT, check=False).stdout.strip()
    if not head:
        pytest.skip("this checkout has no commits")
    repo = copy_example(tmp_path / "team")
    key = make_key(tmp_path / "keys", "sanne")
    edit_team(repo, lambda data: person(data, "sanne").update(age_recipient=key.public))
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n"
        f"      - id: devtalks-validate\n        args: [--today, '{TODAY}']\n")
    env = dict(os.environ, PRE_COMMIT_HOME=str(pre_commit_home))
    git("init", "-q", cwd=repo)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git("add", "-A", cwd=repo)
    first = git("commit", "-q", "-m", "team", cwd=repo, env=env, check=False)
    assert first.returncode == 0, first.stdout + first.stderr

    plain = repo / "talks/thijs/notes/gesprek-2026-11-27.md"
    plain.parent.mkdir(parents=True)
    plain.write_text(SECRET + "\n")
    git("add", "-A", cwd=repo)
    refused = git("commit", "-m", "notes", cwd=repo, env=env, check=False)
    assert refused.returncode == 1
    output = refused.stdout + refused.stderr
    assert "talks/thijs/notes/gesprek-2026-11-27.md:1:1: error DT500" in output
    assert git("rev-list", "--count", "HEAD", cwd=repo).stdout.strip() == "1"

    plain.unlink()
    added = devtalks("notes", "add", "thijs", "--repo", repo, input=SECRET)
    assert added.returncode == 0, added.stderr
    git("add", "-A", cwd=repo)
    accepted = git("commit", "-m", "notes", cwd=repo, env=env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    committed = git("show", "HEAD", "--stat", cwd=repo).stdout
    assert "talks/thijs/notes/recipients.yaml" in committed and ".md.age" in committed
    history = subprocess.run(["git", "log", "-p", "--all"], cwd=repo, capture_output=True, check=True).stdout
    assert SECRET.encode() not in history
