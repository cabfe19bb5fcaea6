"""`devtalks init --layout person` and `person add --talks-repo [--create]`: a person's own repository, started."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import git
import yaml

from devtalks.model.personrepo import PersonRepo
from tests.conftest import EXAMPLE_TODAY, need
from tests.remind.conftest import TOKEN

from .conftest import MILA, empty_repo, entry, files_at

TODAY = EXAMPLE_TODAY.isoformat()


def team_yaml(root: Path) -> dict:
    return yaml.safe_load((root / "team.yaml").read_text(encoding="utf-8"))


def test_init_layout_person_writes_a_team_repository_without_talks(tmp_path, run_cli):
    team = tmp_path / "team"
    result = run_cli("init", team, "--layout", "person", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert team_yaml(team)["layout"] == "person"
    assert not (team / "talks").exists()
    assert "--talks-repo URL --create" in result.stdout
    assert "each person's talks live in a private repository of their own" in (team / "README.md").read_text()
    plain = tmp_path / "plain"
    assert run_cli("init", plain, "--today", TODAY).exit_code == 0
    assert "layout" not in team_yaml(plain), "the team layout stays the default"
    assert "private repository of their own" not in (plain / "README.md").read_text()


def test_add_pushes_the_scaffold_to_an_empty_repository_and_twice_changes_nothing(tmp_path, run_cli, hosting):
    team = tmp_path / "team"
    assert run_cli("init", team, "--layout", "person", "--language", "nl", "--today", TODAY).exit_code == 0
    boss = team_yaml(team)["people"][0]["id"]
    bare = empty_repo(hosting)
    args = ["person", "add", "--repo", team, *MILA, "--manager", boss, "--talks-repo", bare]
    first = run_cli(*args)
    assert first.exit_code == 0, first.stderr
    assert f"pushed mila's repository scaffold to {bare}" in first.stdout
    assert entry(team, "mila")["talks_repo"] == str(bare)

    files = files_at(bare)
    assert set(files) == {"devtalks.yaml", "README.md", ".pre-commit-config.yaml", ".github/workflows/validate.yml"}
    assert PersonRepo.model_validate(yaml.safe_load(files["devtalks.yaml"])) == PersonRepo(
        person="mila", team=str(team.resolve()), ref="main")
    assert files[".pre-commit-config.yaml"] == (team / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "ontwikkelingsgesprekken van Mila de Boer" in files["README.md"]
    workflow = files[".github/workflows/validate.yml"]
    assert "devtalks validate --base" in workflow and "secrets.DEVTALKS_TEAM_TOKEN" in workflow
    assert "__DEVTALKS_INSTALL__" not in workflow
    assert len(list(git.Repo(bare).iter_commits("main"))) == 1

    before, tip = (team / "team.yaml").read_bytes(), git.Repo(bare).commit("main").hexsha
    again = run_cli(*args)
    assert again.exit_code == 0, again.stderr
    assert "is mila's repository already; nothing to push" in again.stdout
    assert (team / "team.yaml").read_bytes() == before
    assert git.Repo(bare).commit("main").hexsha == tip


def test_add_refuses_and_writes_nothing(tmp_path, run_cli, hosting):
    team = tmp_path / "team"
    assert run_cli("init", team, "--layout", "person", "--today", TODAY).exit_code == 0
    boss = team_yaml(team)["people"][0]["id"]
    before = (team / "team.yaml").read_bytes()
    used = empty_repo(hosting, "acme/used")
    clone = git.Repo.clone_from(used, tmp_path / "used")
    (tmp_path / "used" / "notes.txt").write_text("someone's files\n")
    clone.index.add(["notes.txt"])
    clone.index.commit("not a person repository")
    clone.remote().push("HEAD:refs/heads/main")
    cases = [
        ([], "team.yaml says `layout: person`: each person's talks live in a private repository of their own. "
             "Give it with --talks-repo URL"),
        (["--talks-repo", used], f"{used} already has commits that are not a devtalks person repository"),
        (["--talks-repo", hosting / "nowhere.git"], f"cannot reach remote `{hosting / 'nowhere.git'}`"),
        (["--talks-repo", hosting / "acme/x.git", "--create"], "--create makes the repository through the forge's "
                                                               "API: set GITHUB_TOKEN"),
        (["--create"], "--create makes the repository --talks-repo names: give --talks-repo URL too"),
    ]
    for extra, message in cases:
        result = run_cli("person", "add", "--repo", team, *MILA, "--github", "milade", "--manager", boss, *extra)
        assert result.exit_code != 0 and message in result.stderr, (extra, result.stderr)
        assert "Traceback" not in result.stderr
        assert (team / "team.yaml").read_bytes() == before

    bare = empty_repo(hosting)
    assert run_cli("person", "add", "--repo", team, *MILA, "--manager", boss, "--talks-repo", bare).exit_code == 0
    other = run_cli("person", "add", "--repo", team, "--id", "joe", "--name", "Joe", "--email", "joe@example.com",
                    "--talks-repo", bare)
    assert other.exit_code == 1 and f"{bare} already has the talks of `mila`" in other.stderr


def test_add_create_makes_a_private_repository_with_the_person_and_manager_as_collaborators(
        team_git, run_cli, forge, hosting, capsys):
    root = team_git.working_tree_dir
    url = f"{hosting}/acme/talks-mila.git"
    args = ["person", "add", "--repo", root, *MILA, "--github", "milade", "--manager", "sanne", "--talks-repo", url,
            "--create"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert forge.repos["acme/talks-mila"]["private"] is True
    created = forge.requests("POST", r"^/orgs/acme/repos$")
    assert len(created) == 1 and all(s.authorization == f"Bearer {TOKEN}" for s in forge.seen)
    assert forge.access["acme/talks-mila"] == {"milade": "push", "sannedevries": "push"}
    assert "created the private repository acme/talks-mila" in result.stdout
    assert "mila (@milade) may read and push to acme/talks-mila" in result.stdout
    assert files_at(hosting / "acme/talks-mila.git")["devtalks.yaml"].startswith("# This repository")
    assert entry(Path(root), "mila")["talks_repo"] == url

    again = run_cli(*args)
    assert again.exit_code == 0, again.stderr
    assert "acme/talks-mila exists already (private); kept it" in again.stdout
    assert "nothing to push" in again.stdout
    assert forge.access["acme/talks-mila"] == {"milade": "push", "sannedevries": "push"}
    for out in (result, again):
        assert TOKEN not in out.stdout + out.stderr


def test_add_create_refuses_a_public_repository_and_someone_without_a_handle(team_git, run_cli, forge, hosting):
    root = team_git.working_tree_dir
    before = (hosting.parent / "team" / "team.yaml").read_bytes()
    forge.add_repo("acme/talks-mila", private=False)
    public = run_cli("person", "add", "--repo", root, *MILA, "--github", "milade", "--manager", "sanne",
                     "--talks-repo", f"{hosting}/acme/talks-mila.git", "--create")
    assert public.exit_code == 1
    assert "acme/talks-mila exists already and is public: a person's talks go in a private repository" in public.stderr
    nameless = run_cli("person", "add", "--repo", root, *MILA, "--manager", "sanne",
                       "--talks-repo", f"{hosting}/acme/talks-other.git", "--create")
    assert nameless.exit_code == 1
    assert ("mila has no github handle in team.yaml, so the forge cannot give them access to their repository: "
            "pass --github HANDLE") in nameless.stderr
    assert "acme/talks-other" not in forge.repos
    assert (hosting.parent / "team" / "team.yaml").read_bytes() == before


def test_the_person_repository_workflow_passes_the_workflow_schema_and_audit(tmp_path, run_cli, hosting):
    need("zizmor")
    need("check-jsonschema")
    team = tmp_path / "team"
    assert run_cli("init", team, "--layout", "person", "--today", TODAY).exit_code == 0
    bare = empty_repo(hosting)
    assert run_cli("person", "add", "--repo", team, *MILA, "--talks-repo", bare).exit_code == 0
    checkout = git.Repo.clone_from(bare, tmp_path / "mila")
    workflows = Path(checkout.working_tree_dir) / ".github" / "workflows"
    install = re.search(r'pip install "([^"]+)"', (team / ".github/workflows/validate.yml").read_text()).group(1)
    assert f'pip install "{install}"' in (workflows / "validate.yml").read_text(), "CI installs the team's devtalks"
    schema = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(workflows / "validate.yml")], capture_output=True, text=True)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(["zizmor", "--offline", ".github/workflows"], cwd=checkout.working_tree_dir,
                           capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr
