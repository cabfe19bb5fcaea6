"""The real pre-commit framework runs the devtalks-validate hook from this repository:
a bad commit is refused with the error shown, a good one goes through."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BASE = Path(__file__).parent / "validate" / "base"
TALK = "talks/ella/2026-q1.yaml"


def git(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, pre_commit_home) -> tuple[Path, dict]:
    """A team repository with the hook installed, pointing at this checkout's committed HEAD."""
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    if not head:
        pytest.skip("this checkout has no commits")
    tmp = tmp_path_factory.mktemp("precommit")
    repo = tmp / "team"
    shutil.copytree(BASE, repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: devtalks-validate\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home),
           "GIT_AUTHOR_NAME": "Ella", "GIT_AUTHOR_EMAIL": "ella@example.com",
           "GIT_COMMITTER_NAME": "Ella", "GIT_COMMITTER_EMAIL": "ella@example.com"}
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, capture_output=True,
                             text=True, env=env)
    assert install.returncode == 0, install.stderr
    git(repo, "add", "-A")
    first = git(repo, "commit", "-qm", "Start the team", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, env


def test_a_bad_talk_file_is_refused_with_the_error_shown(hook_repo):
    repo, env = hook_repo
    talk = repo / TALK
    good = talk.read_text()
    talk.write_text(good.replace("energy: 4", "energy: 7"))
    git(repo, "add", TALK)
    result = git(repo, "commit", "-m", "Raise energy", env=env)
    assert result.returncode != 0
    shown = result.stdout + result.stderr
    assert "devtalks validate" in shown and "Failed" in shown
    assert f"{TALK}:7:11: error DT205: `energy` is a scale from 1 to 5; 7 is out of range" in shown
    assert "Raise energy" not in git(repo, "log", "--format=%s").stdout
    talk.write_text(good)
    git(repo, "add", TALK)


def test_a_good_change_is_committed(hook_repo):
    repo, env = hook_repo
    talk = repo / TALK
    talk.write_text(talk.read_text().replace("grow: Public speaking.", "grow: Public speaking and writing."))
    git(repo, "add", TALK)
    result = git(repo, "commit", "-m", "Add writing", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "devtalks validate" in result.stdout + result.stderr and "Passed" in result.stdout + result.stderr
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "Add writing"
