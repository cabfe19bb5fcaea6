"""An organisation's HR build validates only the teams whose commit moved; the others come from devtalks' cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from devtalks.read.org import fetch_org, load_org, validate_org
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit
from tests.gitflow.test_org import org  # noqa: F401  (a fixture, used by name)

TODAY = EXAMPLE_TODAY.isoformat()
_opened: list[str] | None = None


def _record(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.path.abspath(os.fsdecode(args[0])))


@pytest.fixture
def reads():
    """The files this process opens while the test runs (an audit hook stays for good, so it records only then)."""
    global _opened
    if not getattr(sys, "_devtalks_test_reads", False):
        sys.addaudithook(_record)
        sys._devtalks_test_reads = True
    _opened = []
    yield _opened
    _opened = None


def teams_read(opened: list[str], clones: Path) -> set[str]:
    """The teams with a file of their work tree read (Git's own files, fetching, do not count)."""
    rels = [Path(p).relative_to(clones).parts for p in opened if Path(p).is_relative_to(clones)]
    return {parts[0] for parts in rels if len(parts) > 1 and parts[1] != ".git"}


def move(repo, edit_args: tuple, message: str, branch: str = "main"):
    root = Path(repo.working_tree_dir)
    edit(root / edit_args[0], *edit_args[1:])
    pushed = commit(repo, message, "sanne", "2026-11-20")
    repo.remote("origin").push(f"refs/heads/{branch}:refs/heads/{branch}")
    return pushed


JOINS = ("team.yaml", "  - id: daan\n", "  - id: ilse\n    name: Ilse de Boer\n    email: ilse@example.com\n"
                                        "    manager: sanne\n  - id: daan\n")


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_after_one_team_moved_only_it_is_read_and_the_hr_site_is_as_a_cold_build_makes_it(org, tmp_path, reads,
                                                                                          run_cli, monkeypatch):
    hr = org["file"].parent
    build = ["build", "--org", org["file"], "--repo", hr, "--today", TODAY, "--jobs", "1"]
    first = run_cli(*build, "--out", tmp_path / "site")
    assert first.exit_code == 1 and "team `broken` is left out" in first.stderr
    from devtalks.state import state_dir
    clones = state_dir(hr, "org")
    assert teams_read(reads, clones) == {"alpha", "beta", "broken"}
    before = site_files(tmp_path / "site" / "hr")

    move(org["beta"], JOINS, "Ilse joins", branch="develop")
    reads.clear()
    second = run_cli(*build, "--out", tmp_path / "site")
    assert second.exit_code == 1 and "team `broken` is left out" in second.stderr
    assert teams_read(reads, clones) == {"beta"}, "alpha and broken did not move: what validating them found is kept"

    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(tmp_path / "empty-cache"))
    reads.clear()
    cold = run_cli(*build, "--out", tmp_path / "cold")
    assert cold.stderr == second.stderr
    assert teams_read(reads, state_dir(hr, "org")) == {"alpha", "beta", "broken"}
    kept, fresh = site_files(tmp_path / "site" / "hr"), site_files(tmp_path / "cold" / "hr")
    assert kept != before, "Ilse is one more participant in beta"
    assert kept == fresh


def test_a_moved_team_is_validated_again_and_a_newly_broken_one_is_left_out(org):
    config, repos = fetch_org(org["file"], org["cache"], 2, EXAMPLE_TODAY)
    assert [r.name for r in validate_org(repos, EXAMPLE_TODAY, 2)] == ["alpha", "beta", "broken"]
    config, repos = fetch_org(org["file"], org["cache"], 2, EXAMPLE_TODAY)
    assert validate_org(repos, EXAMPLE_TODAY, 2) == []
    assert [(r.name, r.ok) for r in repos] == [("alpha", True), ("beta", True), ("broken", False), ("ghost", False)]
    assert [d.code for d in repos[2].diagnostics if d.is_error] == ["DT205"]

    move(org["alpha"], ("talks/noor/2026-autumn.yaml", "wellbeing: 4", "wellbeing: 9"), "Noor's wellbeing")
    config, repos = fetch_org(org["file"], org["cache"], 2, EXAMPLE_TODAY)
    assert [r.name for r in validate_org(repos, EXAMPLE_TODAY, 2)] == ["alpha"]
    assert [(r.name, r.ok) for r in repos][:2] == [("alpha", False), ("beta", True)]
    assert [f"{d.path} {d.code}" for d in repos[0].diagnostics if d.is_error] == [
        "alpha/talks/noor/2026-autumn.yaml DT205"]


def test_the_cache_is_keyed_by_today(org):
    config, repos = fetch_org(org["file"], org["cache"], 2, EXAMPLE_TODAY)
    validate_org(repos, EXAMPLE_TODAY, 2)
    later = EXAMPLE_TODAY.replace(year=EXAMPLE_TODAY.year + 1)
    config, repos = fetch_org(org["file"], org["cache"], 2, later)
    assert [r.name for r in validate_org(repos, later, 2)] == ["alpha", "beta", "broken"]


def test_a_stray_edit_in_a_clone_is_undone_before_anything_is_validated_or_reused(org):
    config, repos = fetch_org(org["file"], org["cache"], 2, EXAMPLE_TODAY)
    validate_org(repos, EXAMPLE_TODAY, 2)
    alpha = repos[0].path
    talk = alpha / "talks/noor/2026-autumn.yaml"
    clean = talk.read_text()
    edit(talk, "wellbeing: 4", "wellbeing: 9")
    (alpha / "talks" / "noor" / "2027-spring.yaml").write_text("template_version: 1\nsurprise: yes\n")
    repos[0].entry.unlink()  # no kept verdict: alpha is validated, from the commit's files only
    config, repos = fetch_org(org["file"], org["cache"], 2, EXAMPLE_TODAY)
    assert [r.name for r in validate_org(repos, EXAMPLE_TODAY, 2)] == ["alpha"]
    assert talk.read_text() == clean and not (alpha / "talks" / "noor" / "2027-spring.yaml").exists()
    assert repos[0].ok and not [d for d in repos[0].diagnostics if d.is_error]


def test_a_kept_workspace_is_the_one_validation_makes(org):
    """Models, their order and the diagnostics come back from the cache as a fresh validation gives them."""
    fresh = load_org(org["file"], org["cache"], jobs=1, today=EXAMPLE_TODAY)
    config, kept = fetch_org(org["file"], org["cache"], 1, EXAMPLE_TODAY)
    assert validate_org(kept, EXAMPLE_TODAY, 1) == []
    for a, b in zip(fresh[:3], kept[:3]):
        assert a.diagnostics == b.diagnostics
        if a.workspace is None:
            assert b.workspace is None
            continue
        for part in ("team", "templates", "cycles", "talks", "checkins", "notes", "note_index", "codeowners",
                     "diagnostics", "complete"):
            assert plain(getattr(a.workspace, part)) == plain(getattr(b.workspace, part)), part


def plain(value):
    """Models as their fields, dicts as their items in order: what a site can tell apart."""
    if isinstance(value, BaseModel):
        return type(value), value.model_dump()
    if isinstance(value, dict):
        return [(k, plain(v)) for k, v in value.items()]
    return value
