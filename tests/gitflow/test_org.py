"""HR across many team repositories: org.yaml → clones in a cache → each validated on its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest

from devtalks.errors import DevtalksError
from devtalks.read.org import load_org, read_org
from tests.conftest import EXAMPLE_TODAY, ROOT, copy_example
from tests.gitflow.conftest import commit, edit, new_cycle


def publish(work: Path, bare: Path, branch: str = "main") -> git.Repo:
    """Make `work` a repository whose origin is a new bare repository `bare`, and push it."""
    repo = git.Repo.init(work, initial_branch=branch)
    commit(repo, "The team", "sanne", "2026-03-01")
    git.Repo.init(bare, bare=True, initial_branch=branch)
    repo.create_remote("origin", str(bare)).push(f"refs/heads/{branch}:refs/heads/{branch}")
    return repo


@pytest.fixture
def org(tmp_path: Path) -> dict:
    """Four teams in org.yaml: two good ones sharing person ids, a broken one, one that does not exist."""
    remotes = tmp_path / "remotes"
    alpha = publish(copy_example(tmp_path / "work" / "alpha"), remotes / "alpha.git")
    beta_dir = copy_example(tmp_path / "work" / "beta")
    edit(beta_dir / "team.yaml", "id: platform", "id: data")
    beta = publish(beta_dir, remotes / "beta.git", branch="develop")
    broken_dir = copy_example(tmp_path / "work" / "broken")
    edit(broken_dir / "talks/noor/2026-autumn.yaml", "wellbeing: 4", "wellbeing: 9")
    publish(broken_dir, remotes / "broken.git")
    hr = tmp_path / "hr"
    hr.mkdir()
    shutil.copytree(ROOT / "question_templates", hr / "question_templates")
    (hr / "cycles").mkdir()
    new_cycle(hr)
    (hr / "org.yaml").write_text(
        "name: Voorbeeld BV\n"
        "teams:\n"
        "  - repo: ../remotes/alpha.git\n"
        f"  - repo: file://{remotes / 'beta.git'}\n"
        "    branch: develop\n"
        "  - repo: ../remotes/broken.git\n"
        "  - repo: ../remotes/ghost.git\n"
        "language: nl\n", encoding="utf-8")
    return {"file": hr / "org.yaml", "cache": tmp_path / "cache", "alpha": alpha, "beta": beta}


def test_each_team_is_validated_on_its_own(org):
    repos = load_org(org["file"], org["cache"], jobs=4, today=EXAMPLE_TODAY)
    assert [(r.name, r.ok) for r in repos] == [("alpha", True), ("beta", True), ("broken", False), ("ghost", False)]
    alpha, beta, broken, ghost = repos
    assert alpha.workspace.team.team.id == "platform" and beta.workspace.team.team.id == "data"
    # The same person id in two teams: two people, kept apart by their team's name.
    assert "daan" in alpha.workspace.people and "daan" in beta.workspace.people
    assert alpha.path == org["cache"] / "alpha" and beta.path != alpha.path
    assert alpha.sha == org["alpha"].head.commit.hexsha and beta.sha == org["beta"].head.commit.hexsha
    talk = (broken.path / "talks/noor/2026-autumn.yaml").read_text().splitlines()
    assert [f"{d.path}:{d.line}: {d.code}" for d in broken.diagnostics if d.is_error] == [
        f"broken/talks/noor/2026-autumn.yaml:{talk.index('  wellbeing: 9') + 1}: DT205"]
    assert broken.workspace is None
    [reason] = ghost.diagnostics
    assert (reason.path, reason.line, reason.code) == ("org.yaml", 7, "DT800")
    assert reason.message.startswith("team repository `ghost` cannot be fetched:")


def test_a_second_run_fetches_and_only_a_moved_branch_counts_as_changed(org):
    first = load_org(org["file"], org["cache"], jobs=2, today=EXAMPLE_TODAY)
    assert all(r.changed for r in first[:3])
    second = load_org(org["file"], org["cache"], jobs=2, today=EXAMPLE_TODAY)
    assert [r.changed for r in second[:3]] == [False, False, False]
    assert [r.sha for r in second] == [r.sha for r in first]
    beta = org["beta"]
    root = Path(beta.working_tree_dir)
    edit(root / "team.yaml", "  - id: daan\n", "  - id: ilse\n    name: Ilse de Boer\n"
                                               "    email: ilse@example.com\n    manager: sanne\n  - id: daan\n")
    pushed = commit(beta, "Ilse joins", "sanne", "2026-11-20")
    beta.remote("origin").push("refs/heads/develop:refs/heads/develop")
    third = load_org(org["file"], org["cache"], jobs=2, today=EXAMPLE_TODAY)
    assert [r.changed for r in third[:3]] == [False, True, False]
    assert third[1].sha == pushed.hexsha and "ilse" in third[1].workspace.people
    assert "ilse" not in third[0].workspace.people


def test_the_org_file_and_hr_templates_and_cycles(org):
    config = read_org(org["file"], EXAMPLE_TODAY)
    assert config.org.name == "Voorbeeld BV"
    assert [t.key for t in config.org.teams] == ["alpha", "beta", "broken", "ghost"]
    assert set(config.templates) == {"default", "checkin"} and set(config.cycles) == {"2027-spring"}
    assert config.diagnostics == []


def test_a_broken_org_file_is_a_clear_error(org):
    org["file"].write_text("name: Voorbeeld BV\nteams:\n  - repo: ../a.git\n    branche: main\n")
    with pytest.raises(DevtalksError) as caught:
        read_org(org["file"])
    assert "org.yaml:4:5: unknown key `branche` — did you mean `branch`?" in str(caught.value)
    org["file"].write_text("name: Voorbeeld BV\nteams:\n  - repo: ../a.git\n  - repo: git@example.com:b/a.git\n")
    with pytest.raises(DevtalksError) as caught:
        read_org(org["file"])
    assert "org.yaml:4:5: two teams are called `a` — give one of them its own `name:`" in str(caught.value)
    org["file"].write_text("name: Voorbeeld BV\nteams:\n  - repo: ../a.git\n    branche: main\nlanguage: xx\n")
    with pytest.raises(DevtalksError) as caught:
        read_org(org["file"])
    listed = [line.split(":")[1] for line in str(caught.value).splitlines()[1:]]
    assert listed == ["4", "5"], "a newcomer fixes the file top to bottom, so problems are listed in line order"


def test_build_over_the_org_leaves_the_broken_teams_out(org, tmp_path):
    result = subprocess.run([sys.executable, "-m", "devtalks.cli", "build", "--org", str(org["file"]),
                             "--repo", str(tmp_path / "hr"), "--out", str(tmp_path / "site"),
                             "--today", EXAMPLE_TODAY.isoformat()], capture_output=True, text=True)
    assert "team `broken` is left out of the HR site" in result.stderr
    assert "team `ghost` is left out of the HR site" in result.stderr
    assert result.returncode == 1, result.stderr  # built, but not complete
    assert (tmp_path / "site" / "hr" / "index.html").is_file()
