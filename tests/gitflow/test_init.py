"""`devtalks init`: a team repository that passes every check on the first try."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import git
import pytest

from devtalks.gitflow.init import INSTALL_PLACEHOLDER, SCAFFOLD
from tests.conftest import EXAMPLE_TODAY, ROOT, need

TODAY = EXAMPLE_TODAY.isoformat()


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def head() -> str:
    try:
        return git.Repo(ROOT).head.commit.hexsha
    except (git.InvalidGitRepositoryError, ValueError):
        pytest.skip("this checkout has no commits for the pre-commit hook to install from")


def test_init_passes_validate_workflow_checks_and_pre_commit(tmp_path, run_cli, head, pre_commit_home):
    need("zizmor")
    need("check-jsonschema")
    team = tmp_path / "team-platform"
    result = run_cli("init", team, "--language", "nl", "--devtalks-repo", ROOT, "--devtalks-rev", head,
                     "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    repo = git.Repo(team)
    assert repo.active_branch.name == "main" and len(list(repo.iter_commits())) == 1
    assert not repo.is_dirty(untracked_files=True)
    committed = {item.path for item in repo.head.commit.tree.traverse() if item.type == "blob"}
    assert {"team.yaml", "README.md", ".gitignore", ".pre-commit-config.yaml", ".github/CODEOWNERS",
            "question_templates/default.yaml", "cycles/2026-autumn.yaml", "schemas/talk-default.schema.json",
            ".github/workflows/cycle-open.yml"} <= committed

    assert run_cli("validate", "--repo", team, "--strict", "--today", TODAY).exit_code == 0
    assert run_cli("codeowners", "--repo", team, "--check").exit_code == 0
    run_cli("schema", "--repo", team)
    assert not repo.is_dirty(untracked_files=True), "the committed schemas differ from `devtalks schema`"

    workflows = sorted((team / ".github" / "workflows").glob("*.yml"))
    assert all(INSTALL_PLACEHOLDER not in w.read_text() for w in workflows)
    assert f"git+{ROOT}@{head}" in (team / ".github/workflows/cycle-open.yml").read_text()
    schema = run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, workflows)], team)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = run(["zizmor", "--offline", ".github/workflows"], team)
    assert audit.returncode == 0, audit.stdout + audit.stderr

    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}
    hook = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], team, env)
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert "devtalks validate" in hook.stdout and "Passed" in hook.stdout
    assert not repo.is_dirty(untracked_files=True)


def test_the_first_cycle_opens_and_the_readme_speaks_the_language(tmp_path, run_cli):
    team = tmp_path / "team"
    assert run_cli("init", team, "--team-id", "data", "--language", "en", "--today", "2027-03-01").exit_code == 0
    readme = (team / "README.md").read_text()
    assert readme.startswith("# Data: development talks")
    assert "How a talk goes, from preparation to sign-off" in readme and "`2027-spring`" in readme
    cycle = (team / "cycles/2027-spring.yaml").read_text()
    assert "opens: 2027-03-01" in cycle and "plan_by: 2027-04-12" in cycle
    team_yaml = (team / "team.yaml").read_text()
    assert "  id: data\n" in team_yaml and "language: en" in team_yaml
    assert "  # - id: daan\n" in team_yaml  # the commented example person
    assert run_cli("validate", "--repo", team, "--strict", "--today", "2027-03-01").exit_code == 0
    site_files = [(team / "mkdocs.yml").read_text(), *(p.read_text() for p in (team / "site_overrides").rglob("*.html"))]
    assert not any(word in text for text in site_files for word in ("Vertrouwelijk", "thema", "Platform"))
    assert 'copyright: "Data · Data — confidential"' in site_files[0]


def test_a_new_team_builds_its_sites(tmp_path, run_cli):
    team = tmp_path / "team"
    run_cli("init", team, "--language", "nl", "--today", TODAY)
    result = run_cli("build", "--repo", team, "--out", tmp_path / "site", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "hr" / "index.html").is_file()


def test_the_team_grows_and_opens_its_first_cycle(tmp_path, run_cli):
    team = tmp_path / "team"
    run_cli("init", team, "--language", "nl", "--today", TODAY)
    text = (team / "team.yaml").read_text()
    manager = text.split("  - id: ", 1)[1].split("\n", 1)[0]
    me = text.split("    email: ", 1)[1].split("\n", 1)[0].strip('"')
    (team / "team.yaml").write_text(text.replace(
        "  # Voeg elk teamlid", f"  - id: daan\n    name: Daan Bakker\n    email: daan@example.com\n"
                              f"    manager: {manager}\n  # Voeg elk teamlid"))
    assert run_cli("validate", "--repo", team, "--today", TODAY).exit_code == 1  # CODEOWNERS is behind
    assert run_cli("codeowners", "--repo", team).exit_code == 0
    assert f"/talks/daan/          daan@example.com {me}" in (team / ".github/CODEOWNERS").read_text()
    assert run_cli("cycle", "open", "2026-autumn", "--repo", team, "--today", TODAY).exit_code == 0
    assert "  # Wat ging er het afgelopen halfjaar goed?" in (team / "talks/daan/2026-autumn.yaml").read_text()
    assert run_cli("validate", "--repo", team, "--strict", "--today", TODAY).exit_code == 0


def test_init_never_overwrites(tmp_path, run_cli):
    team = tmp_path / "team"
    team.mkdir()
    (team / "team.yaml").write_text("mine\n")
    (team / "README.md").write_text("mine too\n")
    result = run_cli("init", team, "--today", TODAY)
    assert result.exit_code == 1
    assert "already has README.md, team.yaml; devtalks init never overwrites files" in result.stderr
    assert (team / "team.yaml").read_text() == "mine\n"
    assert sorted(p.name for p in team.iterdir()) == ["README.md", "team.yaml"]


def test_init_in_a_fresh_clone_commits_on_top(tmp_path, run_cli):
    team = tmp_path / "team"
    repo = git.Repo.init(team, initial_branch="main")
    (team / "LICENSE").write_text("MIT\n")
    repo.index.add(["LICENSE"])
    first = repo.index.commit("Initial commit")
    assert run_cli("init", team, "--today", TODAY).exit_code == 0
    assert repo.head.commit.parents == (first,)
    assert "LICENSE" not in repo.head.commit.stats.files
    assert run_cli("init", team, "--today", TODAY).exit_code == 1


def test_the_scaffold_copies_equal_the_example_team():
    for name in ("question_templates", "mkdocs.yml", "site_overrides"):
        example = ROOT / name
        if not example.exists():
            continue
        ours = SCAFFOLD / name
        files = sorted(p.relative_to(example) for p in example.rglob("*") if p.is_file()) if example.is_dir() else [Path()]
        assert files == (sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file()) if ours.is_dir()
                         else [Path()]), f"{name}: the scaffold and the example have different files"
        for rel in files:
            assert (ours / rel).read_bytes() == (example / rel).read_bytes(), (
                f"devtalks/gitflow/scaffold/{name}/{rel} differs from the example team's; copy it over")


def test_a_swedish_team_starts_in_swedish(tmp_path, run_cli):
    team = tmp_path / "team"
    assert run_cli("init", team, "--team-id", "data", "--language", "sv", "--today", "2027-09-01").exit_code == 0
    assert (team / "README.md").read_text().startswith("# Data: utvecklingssamtal")
    assert 'title: "Utvecklingssamtal hösten 2027"' in (team / "cycles/2027-autumn.yaml").read_text()
    assert "language: sv" in (team / "team.yaml").read_text()
    assert "sv: Vad vill du bli bättre på i år?" in (team / "question_templates/default.yaml").read_text()
    site_files = [(team / "mkdocs.yml").read_text(), *(p.read_text() for p in (team / "site_overrides").rglob("*.html"))]
    assert 'copyright: "Data · Data — konfidentiellt"' in site_files[0] and "Mörkt tema" in site_files[0]
    assert "Konfidentiellt: dela inte" in site_files[1]
    assert run_cli("validate", "--repo", team, "--strict", "--today", "2027-09-01").exit_code == 0
