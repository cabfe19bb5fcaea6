"""Person repositories as bare Git repositories in temp dirs, and the stand-in forge that makes them."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
import yaml

from tests.gitflow.conftest import commit, team_git  # noqa: F401  (fixture)
from tests.remind.conftest import ENV, TOKEN
from tests.remind.forge import Forge

from .world import World, make_world


@pytest.fixture(autouse=True)
def quiet_env(monkeypatch):
    """No forge setting from the machine leaks in; the forge fixture sets its own."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def fetch_every_time(monkeypatch):
    """Every run fetches: a test pushes and looks at once (the default waits DEVTALKS_FETCH_INTERVAL seconds)."""
    monkeypatch.setenv("DEVTALKS_FETCH_INTERVAL", "0")


@pytest.fixture(scope="module")
def built_world(tmp_path_factory) -> World:
    """The example team in both layouts, one per test module, for the tests that only read it."""
    return make_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def world(tmp_path) -> World:
    """The example team in both layouts, of its own, for a test that changes it."""
    return make_world(tmp_path / "world")


@pytest.fixture
def hosting(tmp_path: Path) -> Path:
    """Where the person repositories live: <hosting>/<org>/<name>.git, as on a forge."""
    folder = tmp_path / "hosting"
    folder.mkdir()
    return folder


@pytest.fixture
def forge(monkeypatch, hosting):
    """The forge's API on 127.0.0.1; a repository it creates is a bare repository under `hosting`."""
    f = Forge(token=TOKEN, stall=0.5, git_root=hosting).start()
    monkeypatch.setenv("GITHUB_API_URL", f.url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("DEVTALKS_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("DEVTALKS_HTTP_BACKOFF", "0.01")
    yield f
    f.stop()


def empty_repo(hosting: Path, name: str = "acme/talks-mila") -> Path:
    bare = hosting / f"{name}.git"
    git.Repo.init(bare, bare=True, initial_branch="main")
    return bare


def files_at(bare: Path, ref: str = "main") -> dict[str, str]:
    """Path → text of every file on `ref` of a (bare) repository."""
    repo = git.Repo(bare)
    return {b.path: b.data_stream.read().decode() for b in repo.commit(ref).tree.traverse() if b.type == "blob"}


MILA = ["--id", "mila", "--name", "Mila de Boer", "--email", "mila@example.com"]


def entry(root: Path, pid: str) -> dict:
    """A person's entry in team.yaml, as written."""
    return next(p for p in yaml.safe_load((root / "team.yaml").read_text(encoding="utf-8"))["people"] if p["id"] == pid)
