"""HR's build (`build --org`) writes the HR site and nothing else, whatever org.yaml lists or fails to fetch.

A person's site holds their full answers and a manager's their reports'; HR's output folder is deployed for HR, so
neither may ever be written next to `hr/`: not with one team, not when all but one team fail to fetch, not with a
team listed twice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from tests.conftest import ROOT, copy_example
from tests.gitflow.conftest import new_cycle
from tests.gitflow.test_org import publish
from tests.site.sitehelpers import TODAY

PRIVATE = "RFC-007"  # in Daan's summary and check-ins: his and his manager's sites show it, HR's never does


def hr_repo(tmp_path: Path, teams: list[str]) -> Path:
    """HR's repository: templates, a cycle, and an org.yaml listing `teams` (YAML items under `teams:`)."""
    hr = tmp_path / "hr"
    hr.mkdir()
    shutil.copytree(ROOT / "question_templates", hr / "question_templates")
    (hr / "cycles").mkdir()
    new_cycle(hr)
    listed = "\n" + "".join(f"  - {team}\n" for team in teams) if teams else " []\n"
    (hr / "org.yaml").write_text(f"name: Voorbeeld BV\nteams:{listed}language: nl\n", encoding="utf-8")
    return hr


@pytest.fixture
def remotes(tmp_path: Path) -> Path:
    """A team that can be fetched (alpha.git) and a bare remote that cannot (empty.git: no branch at all)."""
    folder = tmp_path / "remotes"
    publish(copy_example(tmp_path / "work" / "alpha"), folder / "alpha.git")
    git.Repo.init(folder / "empty.git", bare=True, initial_branch="main")
    return folder


CASES = {
    "one-team": ["repo: ../remotes/alpha.git"],
    "one-team-and-one-that-cannot-be-fetched": ["repo: ../remotes/alpha.git", "repo: ../remotes/empty.git"],
    "one-that-cannot-be-fetched-first": ["repo: ../remotes/empty.git", "repo: ../remotes/alpha.git"],
}


def test_a_team_listed_twice_is_refused_before_anything_is_written(remotes, tmp_path, run_cli):
    hr = hr_repo(tmp_path, ["repo: ../remotes/alpha.git\n    name: alpha", "repo: ../remotes/alpha.git\n    name: beta"])
    out = tmp_path / "site"
    result = run_cli("build", "--org", hr / "org.yaml", "--repo", hr, "--out", out, "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 1 and "org.yaml:5:11: repository `../remotes/alpha.git` is listed twice" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or [p.name for p in out.iterdir() if p.name != ".devtalks"] == []


@pytest.mark.parametrize("teams", CASES.values(), ids=CASES)
def test_hrs_output_holds_the_hr_site_and_nothing_else(teams, remotes, tmp_path, run_cli):
    hr = hr_repo(tmp_path, teams)
    out = tmp_path / "site"
    result = run_cli("build", "--org", hr / "org.yaml", "--repo", hr, "--out", out, "--today", TODAY, "--jobs", "1")
    assert "Traceback" not in result.stderr, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != ".devtalks") == ["hr"]
    assert not any(PRIVATE in p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    if "empty.git" in "".join(teams):
        assert result.exit_code == 1 and "team `empty` is left out of the HR site" in result.stderr
        assert (out / "hr" / "index.html").is_file()


def test_sites_an_earlier_build_left_in_hrs_output_are_removed(remotes, tmp_path, run_cli):
    """HR's output after a build that wrote people's and managers' sites there (devtalks before this fix did, with
    one team): the next full build leaves the HR site alone in it."""
    hr = hr_repo(tmp_path, CASES["one-team"])
    out = tmp_path / "site"
    for key in ("people/daan", "managers/sanne"):
        (out / key).mkdir(parents=True)
        (out / key / "index.html").write_text(f"<p>{PRIVATE}</p>")
    result = run_cli("build", "--org", hr / "org.yaml", "--repo", hr, "--out", out, "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != ".devtalks") == ["hr"]
    assert "2 removed" in result.stdout


@pytest.mark.parametrize("teams", [[], ["repo: ../remotes/empty.git"]], ids=["zero-teams", "none-can-be-fetched"])
def test_an_org_with_no_team_to_read_is_a_clear_error_and_writes_nothing(teams, remotes, tmp_path, run_cli):
    hr = hr_repo(tmp_path, teams)
    out = tmp_path / "site"
    result = run_cli("build", "--org", hr / "org.yaml", "--repo", hr, "--out", out, "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert ("org.yaml:2" in result.stderr) if not teams else ("no team repository" in result.stderr)
    assert not out.exists() or [p.name for p in out.iterdir() if p.name != ".devtalks"] == []


def test_a_team_build_still_writes_every_site(remotes, tmp_path, run_cli):
    """The same team built as a team (no --org) has its people's, its manager's and its HR site."""
    out = tmp_path / "site"
    result = run_cli("build", "--repo", tmp_path / "work" / "alpha", "--out", out, "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != ".devtalks") == ["hr", "managers", "people"]
    assert (out / "people" / "daan" / "index.html").is_file()
