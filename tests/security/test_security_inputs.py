"""Hostile names and files in a team repository: ids that climb or imitate, links out, endless files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_TODAY
from tests.validate.test_cases import TALK, team_with, validate

TODAY = EXAMPLE_TODAY.isoformat()


@pytest.mark.parametrize("bad_id", ["../../etc", "ella/../bas", "Ella", "еlla", "ella\n", "ella\u200b", ".ella"])
def test_an_id_that_climbs_or_imitates_is_refused(bad_id, tmp_path, run_cli):
    repo = team_with(tmp_path)
    team = (repo / "team.yaml").read_text(encoding="utf-8")
    (repo / "team.yaml").write_text(team.replace("- id: ella", f"- id: {json.dumps(bad_id)}"), encoding="utf-8")
    code, found = validate(run_cli, repo)
    assert code == 1
    assert any(d["path"] == "team.yaml" and d["code"] == "DT102" for d in found)


@pytest.mark.parametrize("folder", ["еlla", "ella\u200b", "Ella"])
def test_a_talks_folder_that_imitates_a_person_is_nobodys(folder, tmp_path, run_cli):
    repo = team_with(tmp_path)
    (repo / "talks" / "ella").rename(repo / "talks" / folder)
    code, found = validate(run_cli, repo)
    assert code == 1 and any(d["code"] == "DT200" and d["path"].startswith(f"talks/{folder}/") for d in found)


@pytest.mark.parametrize("stem", ["2026-q1\n", "2026-Q1", "2026-q1\u200b"])
def test_a_cycle_file_name_that_is_no_id_is_refused(stem, tmp_path, run_cli):
    repo = team_with(tmp_path)
    (repo / "cycles" / "2026-q1.yaml").rename(repo / "cycles" / f"{stem}.yaml")
    code, found = validate(run_cli, repo)
    assert code == 1 and any(d["code"] == "DT207" for d in found)


@pytest.mark.parametrize("site", ["people/../hr", "people/../../etc", "people/ella/../../x", "../hr"])
def test_a_site_name_cannot_climb_out_of_the_output(site, example_repo, tmp_path, run_cli):
    result = run_cli("build", "--repo", example_repo, "--out", tmp_path / "out" / "site", "--only", site,
                     "--today", TODAY)
    assert result.exit_code == 1 and "no site" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("target", ["/dev/zero", "/proc/self/environ", "/etc/passwd"])
def test_a_link_to_a_system_file_is_never_read(target, tmp_path, run_cli):
    repo = team_with(tmp_path)
    (repo / TALK).unlink()
    (repo / TALK).symlink_to(target)
    notes = repo / "talks" / "ella" / "notes"
    notes.mkdir()
    (notes / "2026-01-01.age").symlink_to(target)
    start = time.perf_counter()
    code, found = validate(run_cli, repo)
    assert time.perf_counter() - start < 10
    assert code == 1 and {d["path"] for d in found if d["code"] == "DT009"} == {TALK, "talks/ella/notes/2026-01-01.age"}
    assert not any("root:" in d["message"] or "PATH=" in d["message"] for d in found)


def test_a_huge_sparse_file_is_read_only_up_to_the_limit(tmp_path, run_cli):
    repo = team_with(tmp_path)
    with open(repo / TALK, "wb") as f:
        f.truncate(8 * 1024 ** 3)  # 8 GiB that take no disk: reading it all would take minutes and all memory
    start = time.perf_counter()
    code, found = validate(run_cli, repo)
    assert time.perf_counter() - start < 10
    assert code == 1 and [d["code"] for d in found if d["path"] == TALK] == ["DT005"]


@pytest.mark.parametrize("rel", [TALK, "team.yaml", "cycles/2026-q1.yaml", "talks/ella/notes/2026-01-01.age"])
def test_an_endless_pipe_never_blocks_validation(rel, tmp_path):
    repo = team_with(tmp_path)
    (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    (repo / rel).unlink(missing_ok=True)
    os.mkfifo(repo / rel)
    proc = subprocess.run([sys.executable, "-m", "devtalks.cli", "validate", "--repo", str(repo), "--today", TODAY],
                          capture_output=True, text=True, timeout=60)
    if rel == "team.yaml":
        assert proc.returncode == 2 and "has no team.yaml" in proc.stderr
    else:
        assert proc.returncode in (0, 1) and proc.stderr == ""


def test_hard_links_do_not_travel_through_git(tmp_path):
    """A hard link to a file outside the work tree is the committer's own file; a clone gets a plain copy."""
    import git

    repo = team_with(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("template_version: 2\n")
    (repo / TALK).unlink()
    os.link(secret, repo / TALK)
    work = git.Repo.init(repo, initial_branch="main")
    work.git.add(A=True)
    work.index.commit("with a hard link")
    clone = git.Repo.clone_from(str(repo), str(tmp_path / "clone"))
    copied = Path(clone.working_tree_dir) / TALK
    assert copied.stat().st_nlink == 1 and copied.stat().st_ino != secret.stat().st_ino


@pytest.mark.parametrize("link", ["notes", "notes/recipients.yaml"])
def test_a_note_is_never_written_through_a_link_out_of_the_repository(link, team, tmp_path):
    from devtalks.errors import DevtalksError
    from devtalks.notes.store import add
    from devtalks.read.load import load

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "recipients.yaml").write_text("notes: {}\n", encoding="utf-8")
    folder = team.repo / "talks" / "fleur" / "notes"
    if link == "notes":
        folder.symlink_to(outside, target_is_directory=True)
    else:
        folder.mkdir()
        (folder / "recipients.yaml").symlink_to(outside / "recipients.yaml")
    with pytest.raises(DevtalksError, match=f"talks/fleur/{link} is a symlink out of the repository"):
        add(load(team.repo), "fleur", "privé")
    assert sorted(p.name for p in outside.iterdir()) == ["recipients.yaml"]
    assert (outside / "recipients.yaml").read_text(encoding="utf-8") == "notes: {}\n"
