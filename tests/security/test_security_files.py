"""One file per stem: a .yml beside a .yaml is an error wherever devtalks reads files, and either spelling works alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit

TODAY = EXAMPLE_TODAY.isoformat()
SIGNED = "talks/daan/2026-autumn"  # signed off on 2026-11-16 and 2026-11-17


def validate(run_cli, root: Path, *extra) -> tuple[int, list[dict]]:
    result = run_cli("validate", "--repo", root, "--format", "json", "--today", TODAY, *extra)
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_a_twin_of_a_signed_talk_is_an_error_and_never_passes_the_guard(team_git, run_cli, tmp_path):
    root = Path(team_git.working_tree_dir)
    team_git.head.reference = team_git.create_head("change")
    twin = root / f"{SIGNED}.yml"
    shutil.copyfile(root / f"{SIGNED}.yaml", twin)
    edit(twin, "Daan heeft een sterk halfjaar gehad", "Daan heeft een zwak halfjaar gehad")
    commit(team_git, "Daan's summary, a second opinion", "daan", "2026-11-27")

    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{SIGNED}.yml:1:1: error DT404: {SIGNED}.yml and {SIGNED}.yaml are two files for one thing; devtalks "
            f"reads only {SIGNED}.yaml — keep one file: move what {SIGNED}.yml should change into {SIGNED}.yaml and "
            f"delete {SIGNED}.yml") in result.stdout
    assert f"{SIGNED}.yml:97:10: error DT700: `summary` changed in a talk signed off on 2026-11-17" in result.stdout

    built = run_cli("build", "--repo", root, "--out", tmp_path / "site", "--today", TODAY)
    assert built.exit_code == 1 and "DT404" in built.stderr
    assert not (tmp_path / "site" / "people" / "daan").exists()


def test_a_signed_talk_renamed_to_yml_is_compared_with_what_was_signed(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.head.reference = team_git.create_head("change")
    (root / f"{SIGNED}.yaml").rename(root / f"{SIGNED}.yml")
    assert validate(run_cli, root, "--base", "main") == (0, [])  # the same record under the other spelling
    edit(root / f"{SIGNED}.yml", "Daan heeft een sterk halfjaar gehad", "Daan heeft een zwak halfjaar gehad")
    code, found = validate(run_cli, root, "--base", "main")
    assert code == 1
    assert [(d["path"], d["code"], d["message"]) for d in found] == [
        (f"{SIGNED}.yml", "DT700", "`summary` changed in a talk signed off on 2026-11-17")]


@pytest.mark.parametrize("stem", ["cycles/2026-autumn", "question_templates/default", "question_templates/checkin",
                                  "talks/fleur/2026-autumn", "talks/fleur/checkin-2026-10-06"])
def test_every_kind_of_file_may_be_yml_alone_but_not_twice(stem, example_repo, run_cli):
    (example_repo / f"{stem}.yaml").rename(example_repo / f"{stem}.yml")
    assert validate(run_cli, example_repo) == (0, [])  # a .yml cycle used to crash validate with a KeyError
    shutil.copyfile(example_repo / f"{stem}.yml", example_repo / f"{stem}.yaml")
    code, found = validate(run_cli, example_repo)
    assert code == 1
    assert [(d["path"], d["code"]) for d in found] == [(f"{stem}.yml", "DT404")]
    assert f"{stem}.yaml" in found[0]["message"] and f"delete {stem}.yml" in found[0]["hint"]


def test_a_yml_cycle_builds_its_talk_pages_with_their_history(team_git, run_cli, tmp_path):
    root = Path(team_git.working_tree_dir)
    (root / "cycles" / "2026-autumn.yaml").rename(root / "cycles" / "2026-autumn.yml")
    commit(team_git, "The cycle saved as .yml", "sanne", "2026-11-20")
    (root / f"{SIGNED}.yaml").rename(root / f"{SIGNED}.yml")
    commit(team_git, "Saved as .yml", "daan", "2026-11-20")
    result = run_cli("build", "--repo", root, "--out", tmp_path / "site", "--only", "people/daan", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "site" / "people" / "daan" / "talks" / "2026-autumn.html").read_text()
    assert "Saved as .yml" in page


@pytest.mark.parametrize("read, other", [("team.yaml", "team.yml"), ("mkdocs.yml", "mkdocs.yaml"),
                                         ("talks/daan/notes/recipients.yaml", "talks/daan/notes/recipients.yml")])
def test_a_file_read_under_one_name_is_an_error_under_the_other(read, other, example_repo, run_cli):
    target = example_repo / read
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_text("notes: {}\n", encoding="utf-8")
    shutil.copyfile(target, example_repo / other)
    code, found = validate(run_cli, example_repo)
    assert code == 1 and [(d["path"], d["code"]) for d in found] == [(other, "DT404")]
    assert f"devtalks reads only {read}" in found[0]["message"]
    target.unlink()
    if read == "team.yaml":
        result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
        assert result.exit_code == 2 and "has team.yml, but devtalks reads team.yaml: rename it" in result.stderr
        return
    code, found = validate(run_cli, example_repo)
    assert code == 1 and (other, "DT404") in [(d["path"], d["code"]) for d in found]
    assert f"rename it to {Path(read).name}" in next(d["hint"] for d in found if d["path"] == other)
