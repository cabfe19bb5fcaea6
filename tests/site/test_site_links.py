"""From the page to the file: where a site asks someone to act, it links to that file in the forge's web editor.

Issue 25: the person's home said "Bewerk talks/daan/2026-autumn.yaml", a path and no link. The forge comes from
team.yaml's `forge:` or the Git remote `origin`; a talk whose pull-request branch is open links to that branch.
Real Git repositories, real builds; the links are read from the built pages as a browser gets them.
"""

from __future__ import annotations

import re
from pathlib import Path

import git
import pytest

from devtalks.gitflow.editlinks import web_of_remote
from tests.gitflow.conftest import commit, team_git  # noqa: F401  (a fixture, used by name)
from tests.site.sitehelpers import TODAY

EDIT = re.compile(r'<p class="dt-edit"><a href="([^"]+)">([^<]+)</a></p>')
TALK = "talks/daan/2026-autumn.yaml"


def build(root: Path, out: Path, run_cli, *sites: str) -> Path:
    only = [arg for site in sites or ("people/daan",) for arg in ("--only", site)]
    result = run_cli("build", "--repo", root, "--out", out, *only, "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    return out


def home_link(out: Path) -> tuple[str, str] | None:
    """(address, text) of the edit link under "Your next step" on Daan's home, or None when there is no link."""
    found = EDIT.search((out / "people/daan/index.html").read_text(encoding="utf-8"))
    return (found.group(1), found.group(2)) if found else None


@pytest.mark.parametrize("remote, web", [
    ("https://github.com/acme/talks.git", "https://github.com/acme/talks"),
    ("https://daan:ghp_secret@github.com/acme/talks.git", "https://github.com/acme/talks"),
    ("git@github.com:acme/talks.git", "https://github.com/acme/talks"),
    ("ssh://git@github.example.com:2222/acme/talks", "https://github.example.com/acme/talks"),
    ("https://gitlab.example.com/people/platform/talks.git", "https://gitlab.example.com/people/platform/talks"),
    ("http://127.0.0.1:8080/acme/talks", "http://127.0.0.1:8080/acme/talks"),
])
def test_a_remote_url_gives_the_repository_s_web_address(remote, web):
    server, name = web_of_remote(remote)
    assert f"{server}/{name}" == web


def test_the_person_home_links_the_next_step_to_githubs_editor(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.create_remote("origin", "https://daan:ghp_secret@github.com/acme/talks.git")
    out = build(root, tmp_path / "site", run_cli, "people/daan")
    url, text = home_link(out)
    assert url == f"https://github.com/acme/talks/edit/main/{TALK}"
    assert text == f"Bewerk {TALK}"
    talk = (out / "people/daan/talks/2026-autumn.html").read_text(encoding="utf-8")
    assert "ghp_secret" not in "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert "/edit/" not in talk, "a talk both signed off is not to be edited: its page offers no link"


def test_an_ssh_remote_links_to_the_web_editor_on_https(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.create_remote("origin", "git@github.com:acme/talks.git")
    out = build(root, tmp_path / "site", run_cli)
    assert home_link(out)[0] == f"https://github.com/acme/talks/edit/main/{TALK}"


def test_team_yaml_forge_settings_win_over_the_remote(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.create_remote("origin", "git@github.com:acme/talks.git")
    with open(root / "team.yaml", "a", encoding="utf-8") as f:
        f.write("\nforge:\n  url: https://gitlab.example.com\n  repository: people/platform/talks\n"
                "  branch: trunk\n")
    commit(team_git, "forge settings")
    out = build(root, tmp_path / "site", run_cli)
    assert home_link(out)[0] == f"https://gitlab.example.com/people/platform/talks/-/edit/trunk/{TALK}"


def test_a_team_in_a_folder_of_the_repository_links_the_full_path(tmp_path, run_cli):
    from tests.conftest import copy_example

    top = tmp_path / "company"
    copy_example(top / "teams" / "platform")
    repo = git.Repo.init(top, initial_branch="main")
    commit(repo, "the platform team")
    repo.create_remote("origin", "https://github.com/acme/company.git")
    out = build(top / "teams" / "platform", tmp_path / "site", run_cli)
    assert home_link(out)[0] == f"https://github.com/acme/company/edit/main/teams/platform/{TALK}"


def test_an_open_pull_request_branch_gets_the_link_until_it_is_merged(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.create_remote("origin", "https://github.com/acme/talks.git")
    (root / "cycles/2027-winter.yaml").write_text(
        "title: Winter 2027\ntemplate: default\nopens: 2026-11-20\nprepare_by: 2026-12-01\n"
        "talks_by: 2026-12-08\nplan_by: 2026-12-15\nparticipants: all\n", encoding="utf-8")
    commit(team_git, "a winter cycle")
    opened = run_cli("cycle", "open", "2027-winter", "--repo", root, "--branch", "cycle/{cycle}/{person}",
                     "--today", TODAY)
    assert opened.exit_code == 0, opened.stderr
    assert not (root / "talks/daan/2027-winter.yaml").exists(), "the file is on its branch only"
    out = build(root, tmp_path / "site", run_cli, "people/daan", "managers/sanne")
    branch_url = "https://github.com/acme/talks/edit/cycle/2027-winter/daan/talks/daan/2027-winter.yaml"
    assert home_link(out) == (branch_url, "Bewerk talks/daan/2027-winter.yaml")
    talk = (out / "people/daan/talks/2027-winter.html").read_text(encoding="utf-8")
    assert EDIT.search(talk).group(1) == branch_url
    preparation = (out / "managers/sanne/preparation.html").read_text(encoding="utf-8")
    assert branch_url in preparation, "the manager's preparation links the same file on the same branch"

    team_git.git.merge("cycle/2027-winter/daan", "--no-ff", "-m", "Daan's winter talk")
    build(root, out, run_cli, "people/daan")
    assert home_link(out)[0] == "https://github.com/acme/talks/edit/main/talks/daan/2027-winter.yaml", \
        "merged, the branch is no longer where the file is edited"


def test_without_a_remote_the_path_stays_text_with_a_hint(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    out = build(root, tmp_path / "site", run_cli)
    html = (out / "people/daan/index.html").read_text(encoding="utf-8")
    assert home_link(out) is None
    assert (f'<p class="dt-edit">Bewerk {TALK} <span class="dt-muted">(in de repository van het team: op de website '
            "van je Git-server, of in je editor)</span></p>") in html
    assert "/edit/" not in html


def test_a_check_in_links_to_its_own_file(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.create_remote("origin", "https://github.com/acme/talks.git")
    out = build(root, tmp_path / "site", run_cli)
    checkins = (out / "people/daan/checkins.html").read_text(encoding="utf-8")
    days = sorted(p.stem for p in (root / "talks/daan").glob("checkin-*.yaml"))
    links = [m.group(1) for m in EDIT.finditer(checkins)]
    assert days and sorted(links) == [f"https://github.com/acme/talks/edit/main/talks/daan/{d}.yaml" for d in days]


def test_a_new_remote_rebuilds_the_sites_it_changes(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    out = build(root, tmp_path / "site", run_cli)
    assert home_link(out) is None
    team_git.create_remote("origin", "https://github.com/acme/talks.git")
    build(root, out, run_cli)
    assert home_link(out)[0] == f"https://github.com/acme/talks/edit/main/{TALK}"


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory):
    """The example team in Git with a GitHub remote, Daan's and Sanne's sites built: (repository, output)."""
    from devtalks.cli import main
    from tests.conftest import copy_example

    base = tmp_path_factory.mktemp("on-disk")
    repo = git.Repo.init(copy_example(base / "team"), initial_branch="main")
    commit(repo, "The example team")
    repo.create_remote("origin", "git@github.com:acme/talks.git")
    out = base / "site"
    assert main(["build", "--repo", repo.working_tree_dir, "--out", str(out), "--today", TODAY, "--jobs", "1",
                 "--only", "people/daan", "--only", "managers/sanne"]) == 0
    return Path(repo.working_tree_dir), out


@pytest.mark.browser
@pytest.mark.parametrize("path", ["people/daan/index.html", "managers/sanne/daan/talks/2026-spring.html"])
def test_search_works_in_a_site_opened_from_disk(on_disk, browser, path):
    from tests.site.sitehelpers import unique_word
    from tests.site.test_site_browser import ARTIFACTS, Visit, _search

    repo, out = on_disk
    visit = Visit(browser, out.as_uri())
    page = visit.open(path)
    assert page.url.startswith("file:///")
    assert _search(page, unique_word(repo, "daan")) >= 1, "a word from Daan's talk is found"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-from-disk-{path.split('/')[0]}.png"))
    visit.check()  # nothing loaded from elsewhere, no policy violation, no script error


@pytest.mark.browser
def test_the_edit_link_on_the_person_home_opens_the_forge_editor(on_disk, browser):
    from tests.site.test_site_browser import Visit

    _, out = on_disk
    visit = Visit(browser, out.as_uri())
    page = visit.open("people/daan/index.html", "person-home-edit-link")
    link = page.get_by_role("link", name=f"Bewerk {TALK}")
    assert link.is_visible()
    assert link.get_attribute("href") == f"https://github.com/acme/talks/edit/main/{TALK}"
    next_step = page.locator(".dt-next").inner_text()
    assert f"Bewerk {TALK}" in next_step, "the link sits in the card that says what to do next"
    visit.check()


@pytest.mark.browser
def test_the_policy_still_refuses_injected_scripts_from_disk(on_disk, browser, tmp_path):
    import shutil

    from tests.site.test_site_browser import Visit
    from tests.site.test_site_policy import INJECTED

    _, out = on_disk
    site = tmp_path / "daan"
    shutil.copytree(out / "people" / "daan", site, copy_function=shutil.copy)
    home = site / "index.html"
    start = '<article class="md-content__inner md-typeset">'
    home.write_text(home.read_text(encoding="utf-8").replace(start, start + "".join(INJECTED), 1), encoding="utf-8")
    visit = Visit(browser, site.as_uri())
    page = visit.open("index.html")
    page.locator("#dt-click").click()
    page.wait_for_timeout(300)
    assert visit.dialogs == [], "no injected handler or script ran"
    assert len([e for e in visit.errors if "Content Security Policy" in e]) >= 3, visit.errors
    page.close()
