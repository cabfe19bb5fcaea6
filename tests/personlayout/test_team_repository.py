"""The team repository in the person layout: every command reaches the person repositories, and sees the same team."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import EXAMPLE_TODAY, ROOT

from tests.gitflow.conftest import new_cycle

from .world import commit_all, git

DAY = str(EXAMPLE_TODAY)
# A commit as a page names it: the same talk has other commits in another repository.
SHA = re.compile(r"\b[0-9a-f]{7}\b")


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): SHA.sub("<commit>", p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


def test_the_sites_of_the_person_layout_equal_those_of_the_team_layout_page_for_page(built_world, tmp_path, run_cli):
    team = run_cli("build", "--repo", built_world.team_layout, "--out", tmp_path / "team", "--today", DAY)
    person = run_cli("build", "--repo", built_world.team, "--out", tmp_path / "person", "--today", DAY)
    assert team.exit_code == person.exit_code == 0, person.stderr
    by_team, by_person = _pages(tmp_path / "team"), _pages(tmp_path / "person")
    assert len(by_team) > 60 and by_team.keys() == by_person.keys()
    assert [page for page in by_team if by_team[page] != by_person[page]] == []
    assert "Kubernetes" in by_person["managers/sanne/daan/talks/2026-autumn.html"]


def test_status_and_reminders_are_the_same_in_both_layouts(built_world, run_cli):
    for command in (["status"], ["remind", "--dry-run"]):
        team = run_cli(*command, "--repo", built_world.team_layout, "--today", DAY)
        person = run_cli(*command, "--repo", built_world.team, "--today", DAY)
        assert team.exit_code == person.exit_code == 0, person.stderr
        assert person.stdout == team.stdout and len(team.stdout.splitlines()) > 5


def test_validate_in_the_team_repository_reads_every_person_repository(built_world, run_cli):
    result = run_cli("validate", "--repo", built_world.team, "--today", DAY)
    assert result.exit_code == 0, result.stdout
    assert f"read from the team repository and {len(built_world.people)} person repositories" in result.stdout


def test_a_new_answer_pushed_to_a_person_repository_reaches_the_managers_site(world, tmp_path, run_cli):
    mine = world.checkout("daan")
    talk = mine / "talks" / "daan" / "2026-autumn.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("summary: |\n", "summary: |\n  Pushed from his own "
                                                             "clone.\n", 1), encoding="utf-8")
    commit_all(mine, "A new summary")
    git(mine, "push", "-q", "origin", "HEAD:main")
    assert run_cli("build", "--repo", world.team, "--out", tmp_path / "site", "--today", DAY).exit_code == 0
    page = (tmp_path / "site" / "managers" / "sanne" / "daan" / "talks" / "2026-autumn.html").read_text(encoding="utf-8")
    assert "Pushed from his own clone." in page
    assert "A new summary" in page  # the history comes from daan's repository


def test_a_copy_left_in_the_team_repository_is_refused_and_not_used(world, run_cli):
    shutil.copytree(world.team_layout / "talks" / "daan", world.team / "talks" / "daan")
    result = run_cli("validate", "--repo", world.team, "--today", DAY)
    assert result.exit_code == 1
    assert "talks/daan/2026-autumn.yaml:1:1: error DT405: daan's talks live in their own repository" in result.stdout
    assert "`git rm -r talks/daan`" in result.stdout


def test_a_person_without_talks_repo_in_the_person_layout_is_refused(world, run_cli):
    team_yaml = world.team / "team.yaml"
    team_yaml.write_text(team_yaml.read_text(encoding="utf-8").replace("    talks_repo: ../remotes/noor.git\n", ""),
                         encoding="utf-8")
    result = run_cli("validate", "--repo", world.team, "--today", DAY)
    assert result.exit_code == 1
    assert re.search(r"team\.yaml:\d+:\d+: error DT406: noor has no `talks_repo:`", result.stdout)
    assert "devtalks person split noor --talks-repo URL" in result.stdout


def test_a_person_repository_that_cannot_be_fetched_is_named_at_its_line(world, run_cli):
    shutil.rmtree(world.remote("noor"))
    result = run_cli("validate", "--repo", world.team, "--today", DAY)
    line = next(n for n, text in enumerate((world.team / "team.yaml").read_text().splitlines(), 1)
                if "remotes/noor.git" in text)
    assert result.exit_code == 1
    assert f"team.yaml:{line}:17: error DT801: noor's repository `../remotes/noor.git` cannot be fetched" in result.stdout
    assert "Traceback" not in result.stderr


def test_someone_elses_repository_given_as_talks_repo_is_refused(world, run_cli):
    team_yaml = world.team / "team.yaml"
    team_yaml.write_text(team_yaml.read_text(encoding="utf-8").replace("../remotes/noor.git", "../remotes/lotte.git"),
                         encoding="utf-8")
    result = run_cli("validate", "--repo", world.team, "--today", DAY)
    assert result.exit_code == 1
    assert "error DT802: `../remotes/lotte.git` is lotte's repository (its devtalks.yaml says `person: lotte`), " \
           "not noor's; nothing of it is read" in result.stdout
    assert "duplicate talks_repo `../remotes/lotte.git`" in result.stdout


def _org(tmp_path: Path, remote: Path) -> Path:
    hr = tmp_path / "hr"
    shutil.copytree(ROOT / "question_templates", hr / "question_templates")
    (hr / "org.yaml").write_text(f"name: Voorbeeld BV\nlanguage: nl\nteams:\n  - repo: {remote}\n    name: platform\n",
                                 encoding="utf-8")
    return hr / "org.yaml"


def test_hr_builds_over_a_team_of_either_layout_and_sees_a_person_repository_change(world, tmp_path, run_cli):
    """`build --org` reads a person-layout team through its people's repositories, and a push to one of them alone
    (the team's own commit unchanged) is seen on the next run. talks_repo is absolute here: a relative one is read
    from the team repository's folder, which in HR's cache is the clone."""
    team_yaml = world.team / "team.yaml"
    team_yaml.write_text(team_yaml.read_text(encoding="utf-8").replace("../remotes/", f"{world.root / 'remotes'}/"),
                         encoding="utf-8")
    world.push_team("Absolute talks_repo paths")
    git(world.team_layout, "clone", "-q", "--bare", str(world.team_layout), str(tmp_path / "team-layout.git"))
    by_team = run_cli("build", "--org", _org(tmp_path / "a", tmp_path / "team-layout.git"), "--out", tmp_path / "site-a",
                      "--today", DAY)
    by_person = run_cli("build", "--org", _org(tmp_path / "b", world.root / "remotes" / "team.git"),
                        "--out", tmp_path / "site-b", "--today", DAY)
    assert by_team.exit_code == by_person.exit_code == 0, by_person.stderr
    assert _pages(tmp_path / "site-a" / "hr") == _pages(tmp_path / "site-b" / "hr")
    mine = world.checkout("noor")
    talk = mine / "talks" / "noor" / "2026-autumn.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("wellbeing: 4", "wellbeing: 9", 1), encoding="utf-8")
    commit_all(mine, "An answer out of range")
    git(mine, "push", "-q", "origin", "HEAD:main")
    again = run_cli("build", "--org", tmp_path / "b" / "hr" / "org.yaml", "--out", tmp_path / "site-b", "--today", DAY)
    assert again.exit_code == 1 and "no team repository" in again.stderr  # the team is invalid now, and left out


def test_edit_links_go_to_each_persons_own_repository_and_its_cycle_branch(world, tmp_path, run_cli, monkeypatch):
    """talks_repo as a forge would give it (https); Git's `insteadOf` maps that address to the local repositories."""
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{world.root / "remotes"}/"]\n\tinsteadOf = https://forge.example/acme/\n', encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    team_yaml = world.team / "team.yaml"
    team_yaml.write_text(team_yaml.read_text(encoding="utf-8").replace("../remotes/", "https://forge.example/acme/"),
                         encoding="utf-8")
    world.push_team("talks_repo as the forge's addresses")
    new_cycle(world.team, "2027-spring")
    world.push_team("The spring cycle")
    assert run_cli("cycle", "open", "2027-spring", "--repo", world.team, "--branch", "cycle/{cycle}/{person}",
                   "--push", "--today", DAY).exit_code == 0
    assert run_cli("build", "--repo", world.team, "--out", tmp_path / "site", "--only", "people/daan",
                   "--today", DAY).exit_code == 0
    home = (tmp_path / "site" / "people" / "daan" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(https://forge\.example/[^"]+)"', home))
    assert links == {"https://forge.example/acme/daan/edit/main/talks/daan/2026-autumn.yaml",
                     "https://forge.example/acme/daan/edit/cycle/2027-spring/daan/talks/daan/2027-spring.yaml"}


def test_a_talks_repo_that_is_no_person_repository_is_not_read(world, tmp_path, run_cli):
    """team.yaml is anyone's pull request: a talks_repo naming some other repository on the machine (here a team-layout
    repository that holds a talks/noor/ too, or one whose devtalks.yaml is a link out) gives nothing of it to a site."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(world.team_layout, elsewhere)
    (elsewhere / "devtalks.yaml").symlink_to(world.checkout("noor") / "devtalks.yaml")
    git(elsewhere, "add", "-A")
    git(elsewhere, "commit", "-q", "-m", "A link to noor's devtalks.yaml")
    team_yaml = world.team / "team.yaml"
    team_yaml.write_text(team_yaml.read_text(encoding="utf-8").replace("../remotes/noor.git", str(elsewhere)),
                         encoding="utf-8")
    result = run_cli("validate", "--repo", world.team, "--today", DAY)
    assert result.exit_code == 1
    assert f"error DT802: `{elsewhere}` is no person repository (it has no devtalks.yaml naming a person), not " \
           "noor's; nothing of it is read" in result.stdout
    assert "talks/noor/" not in result.stdout.replace("talks_repo", "")
    assert run_cli("build", "--repo", world.team, "--out", tmp_path / "site", "--today", DAY).exit_code == 1
