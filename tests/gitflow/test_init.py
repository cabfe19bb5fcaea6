"""`devtalks init`: a team repository that passes every check on the first try."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import git
import yaml

from devtalks import __version__
from devtalks.gitflow.init import INSTALL_PLACEHOLDER, SCAFFOLD
from tests.conftest import EXAMPLE_TODAY, ROOT, need

TODAY = EXAMPLE_TODAY.isoformat()


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)


def test_init_passes_validate_and_workflow_checks_and_pins_this_release(tmp_path, run_cli):
    need("zizmor")
    need("check-jsonschema")
    team = tmp_path / "team-platform"
    result = run_cli("init", team, "--language", "nl", "--today", TODAY)
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
    for flow in workflows:  # each installs this release, as a published package is installed, and nothing else
        installs = [s["run"] for job in yaml.safe_load(flow.read_text())["jobs"].values()
                    for s in job.get("steps", []) if "pip install" in s.get("run", "")]
        assert installs == [f'pip install "devtalks=={__version__}"'], flow.name
    assert all(INSTALL_PLACEHOLDER not in w.read_text() for w in workflows)
    schema = run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, workflows)], team)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = run(["zizmor", "--offline", ".github/workflows"], team)
    assert audit.returncode == 0, audit.stdout + audit.stderr

    config = run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"], team)
    assert config.returncode == 0, config.stdout + config.stderr
    [hook_repo] = yaml.safe_load((team / ".pre-commit-config.yaml").read_text())["repos"]
    [hook] = hook_repo["hooks"]
    assert hook_repo["repo"] == "local" and hook["additional_dependencies"] == [f"devtalks=={__version__}"]
    # The hook a team runs is the one devtalks' repository declares, with the release pinned.
    [declared] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {k: v for k, v in hook.items() if k != "additional_dependencies"} == declared
    shown = re.search(r"```yaml\n(repos:\n.*?)```", (ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), re.S)
    assert yaml.safe_load(shown[1])["repos"] == [hook_repo], "docs/ci.md shows another hook than init writes"


def test_init_writes_every_workflow_the_readme_and_the_ci_guide_name(tmp_path, run_cli):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    adoption = readme.split("## How a team adopts devtalks", 1)[1].split("\n## ", 1)[0]
    ci_guide = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    team = tmp_path / "team"
    assert run_cli("init", team, "--today", TODAY).exit_code == 0
    written = {p.name for p in (team / ".github" / "workflows").iterdir()}
    for page, text in (("README.md", adoption), ("docs/ci.md", ci_guide)):
        named = {name.rsplit("/", 1)[-1] for name in re.findall(r"`([\w./-]+\.yml)`", text)}
        assert named == written, f"{page} names {sorted(named)}; devtalks init writes {sorted(written)}"


def test_the_manager_is_whom_git_names_wherever_git_keeps_it(tmp_path, run_cli, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "identity.inc").write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n")
    (tmp_path / "gitconfig").write_text("[include]\n\tpath = identity.inc\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("XDG_CONFIG_HOME", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    team = tmp_path / "team"
    assert run_cli("init", team, "--today", TODAY).exit_code == 0
    assert '  - id: ada\n    name: "Ada Lovelace"\n    email: "ada@example.org"\n' in (team / "team.yaml").read_text()
    first = git.Repo(team).head.commit
    assert (first.author.name, first.author.email) == ("Ada Lovelace", "ada@example.org")
    assert (first.committer.name, first.committer.email) == ("Ada Lovelace", "ada@example.org")

    other = tmp_path / "other"
    git.Repo.init(other, initial_branch="main").git.config("user.name", "Grace Hopper")  # this repository only
    assert run_cli("init", other, "--today", TODAY).exit_code == 0
    assert '  - id: grace\n    name: "Grace Hopper"\n    email: "ada@example.org"\n' in (other / "team.yaml").read_text()


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
