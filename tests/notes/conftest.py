"""Notes fixtures: the example team with age keys generated in the test, and the CLI as a process."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_TODAY

DEVTALKS = str(Path(sys.executable).parent / "devtalks")
TODAY = EXAMPLE_TODAY.isoformat()


@dataclass(frozen=True)
class Key:
    path: Path
    public: str


def make_key(folder: Path, name: str) -> Key:
    from pyrage import x25519

    identity = x25519.Identity.generate()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(f"# created by the test\n# public key: {identity.to_public()}\n{identity}\n")
    path.chmod(0o600)
    return Key(path, str(identity.to_public()))


def edit_team(repo: Path, change) -> None:
    """Load team.yaml, let `change` edit the data, write it back."""
    data = yaml.safe_load((repo / "team.yaml").read_text(encoding="utf-8"))
    change(data)
    (repo / "team.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def person(data: dict, pid: str) -> dict:
    return next(p for p in data["people"] if p["id"] == pid)


@dataclass
class Team:
    repo: Path
    keys: dict[str, Key]


@pytest.fixture
def team(example_repo: Path, tmp_path: Path) -> Team:
    """The example team, where sanne manages everyone but noor, whom daan manages; both have keys.

    Key files live next to the repository, never inside it.
    """
    keys = {name: make_key(tmp_path / "keys", name) for name in ("sanne", "daan", "hr", "stranger")}

    def change(data: dict) -> None:
        person(data, "sanne")["age_recipient"] = keys["sanne"].public
        person(data, "daan")["age_recipient"] = keys["daan"].public
        person(data, "noor")["manager"] = "daan"

    edit_team(example_repo, change)
    return Team(example_repo, keys)


def add_note(repo: Path, who: str, text: str) -> str:
    """Write a note the way `devtalks notes add` does, without a process."""
    from devtalks.notes.store import add
    from devtalks.read.load import load

    return add(load(repo), who, text)


def devtalks(*args, **kwargs) -> subprocess.CompletedProcess:
    """The real `devtalks` program in its own process (for stdin, terminals and editors)."""
    return subprocess.run([DEVTALKS, *map(str, args)], capture_output=True, text=True, check=False, **kwargs)


def files_containing(root: Path, needle: str) -> list[str]:
    """Every file under `root` whose bytes hold `needle` as UTF-8 text."""
    raw = needle.encode("utf-8")
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and raw in p.read_bytes())
